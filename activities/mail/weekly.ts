/**
 * The coordinators' weekly overview (ROUTEKAART.md section 6; R-61, R-62): the region's figures,
 * the households escalated to level 2 or 3, those whose phase runs longer than expected, and the
 * warm handovers not yet started, each with a signed link to its page. Run every Monday morning by
 * a Temporal Schedule (worker/schedules.ts); keyed by the week and the address, so a retried or
 * repeated run sends nothing twice. Household ids and figures only: no names, no free texts.
 */
import { PHASE_LABEL, ROLE_LABEL, type Phase, type Role } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { addDays, amsterdamDay, count, dateToUtc, formatDutch } from '../../domain/time';
import type { SummaryStore, WeeklyOverview } from '../../platform/store/summaries';
import { resolveRecipients } from '../directory';
import { p, renderBlocks, type Block } from './blocks';
import { envelope, sentKey } from './compose';
import { deliverOnce } from './deliver-once';
import { throwForFailures, type Failure } from './failures';
import { mailSetup, type MailDeps } from './setup';

/** The mail activities' own dependencies, plus the read model and the policy (expected phase durations). */
export interface WeeklyDeps extends Pick<
  MailDeps,
  'transport' | 'from' | 'directory' | 'publicUrl' | 'linkSecret' | 'store' | 'now' | 'logger'
> {
  summaries: SummaryStore;
  policy: Policy;
}

/** The Monday (Amsterdam) of the week of `day`: the key of that week's overview. */
export function weekOf(day: string): string {
  const weekday = (dateToUtc(day).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export function renderWeekly(o: WeeklyOverview, week: string, link: (householdId: string) => string, name: string) {
  const c = o.counts;
  const subject = `Weekoverzicht Routekaart naar Veiligheid, week van ${formatDutch(week)}: ${c.escalated} geëscaleerd, ${c.openHandovers} open overdrachten`;
  const card = (householdId: string, title: string, lines: string[]): Block => ({
    kind: 'card',
    title,
    lines,
    link: { label: `Open huishouden ${householdId}`, href: link(householdId) },
  });
  const section = (heading: string, empty: string, items: Block[]): Block[] => [
    { kind: 'strong', text: heading },
    ...(items.length ? items : [p(empty)]),
  ];
  const blocks: Block[] = [
    p(`Beste ${name},`),
    p(
      'Dit is het overzicht van de lopende trajecten in de regio deze week: waar het vastloopt, wat is geëscaleerd en welke overdrachten nog niet gestart zijn.',
    ),
    {
      kind: 'facts',
      rows: [
        ['Lopende trajecten', String(c.total)],
        ...Object.entries(c.byPhase).map(([phase, n]): [string, string] => [PHASE_LABEL[phase as Phase] ?? phase, String(n)]),
        ['Geëscaleerd', `${c.escalated} (niveau 2: ${c.byLevel['2'] ?? 0}, niveau 3: ${c.byLevel['3'] ?? 0})`],
        ['Open overdrachten (R-24)', String(c.openHandovers)],
        ['Te laat', String(c.overdue)],
      ],
    },
    ...section(
      'Geëscaleerd naar leidinggevende of coördinator',
      'Geen huishoudens op niveau 2 of 3.',
      o.escalated.map((h) =>
        card(h.householdId, `Huishouden ${h.householdId}: niveau ${h.escalationLevel}`, [
          `${PHASE_LABEL[h.phase as Phase] ?? h.phase}; casusregisseur ${h.casusregisseur ?? 'niet toegewezen'}`,
        ]),
      ),
    ),
    ...section(
      'Fase duurt langer dan verwacht (R-62)',
      'Geen huishoudens boven de verwachte duur van hun fase.',
      o.stuck.map((h) =>
        card(
          h.householdId,
          `Huishouden ${h.householdId}: ${PHASE_LABEL[h.phase as Phase] ?? h.phase} sinds ${count(h.phaseDays, 'dag', 'dagen')}`,
          [`Gestart in deze fase op ${formatDutch(h.phaseStartedAt)}`],
        ),
      ),
    ),
    ...section(
      'Overdrachten die nog niet gestart zijn (R-24)',
      'Geen open overdrachten.',
      o.openHandovers.map((h) =>
        card(h.householdId, `Huishouden ${h.householdId}: rol ${ROLE_LABEL[h.role as Role] ?? h.role}`, [
          `Gevraagd op ${formatDutch(h.requestedAt)}`,
        ]),
      ),
    ),
    {
      kind: 'small',
      text: 'Per lijst de eerste 25. Alles, met filters, staat in het dashboard; de cijfers over de regio onder Meten (R-61).',
    },
    { kind: 'rule' },
    { kind: 'small', text: 'Dit bericht bevat alleen huishoudnummers en aantallen, geen namen. Het is automatisch verstuurd.' },
  ];
  return { subject, ...renderBlocks(subject, 'Weekoverzicht', '#1f2933', blocks) };
}

export function createWeeklyActivities(deps: WeeklyDeps) {
  const setup = mailSetup(deps);

  async function sendWeeklyOverview(): Promise<{ sent: number; skipped: number }> {
    const now = setup.clock();
    const week = weekOf(amsterdamDay(now));
    const overview = await deps.summaries.weekly(now, deps.policy.expectedPhaseDays);
    const recipients = resolveRecipients(setup.directory(), { professionals: [], organisationLeads: [], coordinator: true });
    const idempotencyKey = `weekoverzicht:${week}`;
    const result = { sent: 0, skipped: 0, queued: 0 };
    const failures: Failure[] = [];
    for (const r of recipients) {
      const outcome = await deliverOnce(
        {
          key: sentKey(idempotencyKey, r.address),
          idempotencyKey,
          recipient: r.ref,
          mail: () =>
            envelope(
              setup.sender,
              r,
              renderWeekly(overview, week, (householdId) => setup.link(householdId, r.sub, now), r.name),
              idempotencyKey,
              { 'X-Routekaart-Kind': 'weekoverzicht' },
            ),
          fileStem: `weekoverzicht-${week}`,
        },
        setup.once(),
        { weekly: week },
      );
      const failure = setup.tally(result, outcome);
      if (failure) failures.push(failure);
    }
    throwForFailures('Weekly overview', failures, recipients.length, result);
    return { sent: result.sent, skipped: result.skipped };
  }

  return { sendWeeklyOverview };
}
