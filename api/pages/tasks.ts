/**
 * "Mijn taken": every running household where this professional holds a role (or is on either
 * side of an open handover), what is due or overdue for them and since when, with the forms to
 * act on it. The intake organisation's own reference stands next to the id for its own people.
 */
import { NOTIFICATION_KIND_LABEL } from './vocabulary';
import { formatDutch } from '../../domain/time';
import { html, type SafeHtml } from '../../platform/html';
import { linkExpiry, signHouseholdLink } from '../../platform/links';
import type { SummaryStore, TaskRow } from '../../platform/store/summaries';
import type { HouseholdService } from '../household-service';
import { levelBadge, phaseBadge } from './household';
import { actionButtons, offersFor, type Offer, type TaskOffers } from './offers';
import { DASHBOARD, page, type PageContext } from './page';
import type { DirectoryNames } from '../../platform/directory';

export interface TaskListRow {
  row: TaskRow;
  /** Where the household page is, for this reader. */
  href: string;
  reference?: string;
  /** The forms for each task, and those always open. */
  forTask: TaskOffers;
  general: Offer[];
}

export function tasksPage(professionalId: string, rows: TaskListRow[], now: Date, names: DirectoryNames): SafeHtml {
  const t = now.toISOString();
  return html`<div class="page-head"><h1>Mijn taken</h1>
<p class="lead">Huishoudens waarbij u (${names.professional(professionalId)}) nu betrokken bent, het urgentste eerst.</p></div>
${
  rows.length === 0
    ? html`<p class="empty card">U bent nu bij geen lopend huishouden betrokken.</p>`
    : html`<ul class="task-list card" aria-label="Huishoudens">${rows.map(({ row, href, reference, forTask, general }) => {
        const mine = row.tasks.filter((x) => x.responsible.includes(professionalId));
        return html`<li data-household="${row.householdId}"><h2 class="task-head"><a class="ref" href="${href}">${row.householdId}</a>${
          reference ? html` <span class="muted">uw referentie ${reference}</span>` : ''
        }</h2><p>${phaseBadge(row.phase as Parameters<typeof phaseBadge>[0])} ${levelBadge(row.escalationLevel)}${row.openHandover ? html` <span class="badge flag-on">Overdracht open</span>` : ''}</p>
${
  mine.length === 0
    ? html`<p class="muted">Voor u staat hier nu niets open.</p>`
    : html`<ul class="plain">${mine.map(
        (x) =>
          html`<li>${x.level > 0 ? levelBadge(x.level) : ''} <strong>${NOTIFICATION_KIND_LABEL[x.kind as keyof typeof NOTIFICATION_KIND_LABEL] ?? x.kind}</strong> <span class="rule">${x.rule}</span>: ${names.inText(x.reason)}<br><span class="muted">${
            x.overdueAt && x.overdueAt <= t
              ? `Te laat sinds ${formatDutch(x.overdueAt)}`
              : x.overdueAt
                ? `Uiterlijk ${formatDutch(x.overdueAt)}`
                : x.dueAt
                  ? `Vanaf ${formatDutch(x.dueAt)}`
                  : ''
          }</span>${actionButtons(forTask(x))}</li>`,
      )}</ul>`
}
${actionButtons(general, true)}</li>`;
      })}</ul>`
}`;
}

export interface TasksDeps {
  summaries: SummaryStore;
  households: HouseholdService;
  linkSecret: Buffer;
  now: () => Date;
  names: DirectoryNames;
}

export function tasksPages(ctx: PageContext, deps: TasksDeps): void {
  page(ctx, { method: 'get', path: '/taken', reader: 'task-link', audit: true }, async ({ reader }) => {
    const now = deps.now();
    const list: TaskListRow[] = [];
    for (const row of await deps.summaries.involving(reader.professionalId)) {
      const own = reader.organisation !== undefined && reader.organisation === row.intakeOrganisation && row.referenceRef;
      const reference = own ? (await deps.households.openTexts(row.householdId, [row.referenceRef!])).get(row.referenceRef!) : undefined;
      // Through a mail's link there is no session: each household opens with a link of its own.
      const href = reader.viaLink
        ? `${DASHBOARD}/households/${row.householdId}?token=${signHouseholdLink(deps.linkSecret, { householdId: row.householdId, sub: reader.professionalId, exp: linkExpiry(now, 1) })}`
        : `${DASHBOARD}/households/${row.householdId}`;
      list.push({ row, href, reference, ...offersFor(row.householdId, reader.professionalId, deps.linkSecret, now) });
    }
    return { title: 'Mijn taken', body: tasksPage(reader.professionalId, list, now, deps.names), hideWho: reader.viaLink };
  });
}
