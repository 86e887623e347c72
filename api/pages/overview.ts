/**
 * The coordinators' overview (ROUTEKAART.md section 6: coordinators monitor all running
 * trajectories): region-wide figures over everything the reader may see (not per page), filters,
 * and the list most urgent first with paging. All of it from the read model.
 */
import { z } from 'zod';
import { PHASE_LABEL, PHASES } from '../../domain/model';
import { formatDutch } from '../../domain/time';
import { html, type SafeHtml } from '../../platform/html';
import type { Counts, ListItem, SummaryStore } from '../../platform/store/summaries';
import { decodeCursor, encodeCursor } from '../paging';
import { HouseholdListQuery } from '../types';
import type { HouseholdService } from '../household-service';
import { aliasKeyFor, HouseholdId, householdIdFor } from '../ids';
import { importReviewBadge, levelBadge, phaseBadge } from './household';
import { select, type Errors } from './fields';
import { DASHBOARD, page, type PageContext } from './page';
import type { DirectoryNames } from '../../platform/directory';

export interface OverviewInput {
  /** Where the dashboard is mounted. */
  base: string;
  counts: Counts;
  /** With the intake reference for the reader's own organisation's households, and the alias. */
  items: (ListItem & { reference?: string; alias?: string })[];
  /** The query as given (strings), to fill the filter form and the paging links. */
  query: Record<string, string>;
  /** The parsed filter, or the Dutch reason it was not accepted. */
  filter: HouseholdListQuery | { error: string };
  nextHref?: string;
  /** Links to the reader's own work, the impact report. */
  extra?: SafeHtml;
  /** People and organisations by name (platform/directory.ts). */
  names: DirectoryNames;
  /** When the page is shown: an import's review label shows only while it lasts. */
  now: Date;
}

/** A figure that is also a link to the list filtered to what it counts. */
function tile(label: string, value: number, id: string, href: string, kind = ''): SafeHtml {
  return html`<a class="tile ${kind}" data-figure="${id}" href="${href}"><span class="tile-value">${value}</span><span class="tile-label">${label}</span></a>`;
}

export function overviewPage(o: OverviewInput): SafeHtml {
  const c = o.counts;
  const q = o.query;
  const errors: Errors = {};
  const running = PHASES.filter((p) => p !== 'afgesloten');
  return html`<div class="page-head"><h1>Lopende trajecten</h1>
<p class="lead">Alle huishoudens die u mag zien (R-64), het urgentste eerst: hoogste escalatieniveau, dan de eerstvolgende deadline.</p></div>
${o.extra ?? ''}
<section aria-labelledby="cijfers"><h2 id="cijfers" class="visually-hidden">Cijfers over alle lopende trajecten</h2>
<div class="tiles">
${tile('lopend', c.total, 'total', o.base)}
${running.map((p) => tile(PHASE_LABEL[p], c.byPhase[p] ?? 0, `phase-${p}`, `${o.base}?phase=${p}`))}
${tile('geëscaleerd', c.escalated, 'escalated', `${o.base}?escalationLevel=1`, c.escalated ? 'tile-danger' : '')}
${tile('open overdrachten (R-24)', c.openHandovers, 'openHandovers', `${o.base}?openHandover=true`, c.openHandovers ? 'tile-warn' : '')}
${tile('te laat', c.overdue, 'overdue', `${o.base}?overdue=true`, c.overdue ? 'tile-warn' : '')}
</div>
<p class="muted small">Per niveau: ${[1, 2, 3].map((l) => `niveau ${l}: ${c.byLevel[String(l)] ?? 0}`).join(', ')}. Over alle pagina's, niet alleen deze.</p>
</section>
<form class="filters card" method="get" role="search" aria-label="Zoeken en filteren">
<div class="form-row"><label for="zoek">Zoeken op naam, referentie of huishouden-id</label>
<input type="search" id="zoek" name="zoek" value="${q.zoek ?? ''}" maxlength="100" autocomplete="off" aria-describedby="zoek-hint">
<p class="hint" id="zoek-hint">De naam van het huishouden zoals bij de aanmelding gegeven (bijvoorbeeld Gezin Jansen), de referentie van de organisatie die het aanmeldde, of hh-….</p></div>
${select(
  'organisation',
  'Organisatie',
  q.organisation ?? '',
  [{ value: '', label: 'Alle organisaties' }, ...o.names.organisations().map((x) => ({ value: x.id, label: x.name }))],
  errors,
)}
${select(
  'casusregisseur',
  'Casusregisseur',
  q.casusregisseur ?? '',
  [{ value: '', label: 'Alle' }, ...o.names.professionals().map((x) => ({ value: x.id, label: x.name }))],
  errors,
)}
${select('phase', 'Fase', q.phase ?? '', [{ value: '', label: 'Alle fasen' }, ...PHASES.map((p) => ({ value: p, label: PHASE_LABEL[p] }))], errors)}
${select(
  'escalationLevel',
  'Escalatie',
  q.escalationLevel ?? '',
  [
    { value: '', label: 'Alle' },
    { value: '1', label: 'Niveau 1 of hoger' },
    { value: '2', label: 'Niveau 2 of hoger' },
    { value: '3', label: 'Niveau 3' },
  ],
  errors,
)}
${select(
  'openHandover',
  'Overdracht',
  q.openHandover ?? '',
  [
    { value: '', label: 'Alle' },
    { value: 'true', label: 'Open overdracht' },
    { value: 'false', label: 'Geen open overdracht' },
  ],
  errors,
)}
${select(
  'overdue',
  'Te laat',
  q.overdue ?? '',
  [
    { value: '', label: 'Alle' },
    { value: 'true', label: 'Iets is te laat' },
    { value: 'false', label: 'Niets te laat' },
  ],
  errors,
)}
${select(
  'status',
  'Status',
  q.status ?? 'running',
  [
    { value: 'running', label: 'Lopend' },
    { value: 'closed', label: 'Afgesloten' },
    { value: 'all', label: 'Alle' },
  ],
  errors,
)}
<div class="actions"><button type="submit" class="button">Filteren</button> <a href="${o.base}">Wissen</a></div>
</form>
${'error' in o.filter ? html`<div class="notice notice-error" role="alert">${o.filter.error}</div>` : ''}
<div class="table-wrap card" tabindex="0" role="region" aria-label="Huishoudens"><table class="data" id="households"><caption class="visually-hidden">Huishoudens</caption>
<thead><tr><th scope="col">Huishouden</th><th scope="col">Fase</th><th scope="col">Escalatie</th><th scope="col">Casusregisseur</th><th scope="col" class="num">Reeks (mnd)</th><th scope="col">Volgende moment</th><th scope="col">Overdracht</th><th scope="col">Organisaties</th></tr></thead>
<tbody>${
    o.items.length === 0
      ? html`<tr><td colspan="8" class="empty">Geen huishoudens met deze filters.</td></tr>`
      : o.items.map(
          (i) =>
            html`<tr class="row-level-${i.escalationLevel}${i.overdue ? ' row-overdue' : ''}"><th scope="row"><a class="ref" href="${o.base}/households/${i.householdId}">${i.householdId}</a>${i.alias ? html`<br>${i.alias}` : ''}${i.reference ? html`<br><span class="muted">uw referentie ${i.reference}</span>` : ''}</th><td>${phaseBadge(i.phase as (typeof PHASES)[number])}${importReviewBadge(i.importReviewEndsAt, o.now)}</td><td>${levelBadge(i.escalationLevel)}</td><td>${i.casusregisseur ? o.names.professional(i.casusregisseur) : html`<span class="badge flag-on">Geen casusregisseur</span>`}</td><td class="num">${i.runMonths}</td><td>${i.nextDeadline ? formatDutch(i.nextDeadline) : '–'}</td><td>${i.openHandover ? html`<span class="badge flag-on">open</span>` : 'nee'}</td><td>${i.organisations.map((org) => o.names.organisation(org)).join(', ')}</td></tr>`,
        )
  }</tbody></table></div>
<nav class="pager" aria-label="Pagina's">${o.nextHref ? html`<a class="button button-quiet" href="${o.nextHref}" rel="next">Volgende pagina</a>` : html`<span class="muted">Laatste pagina</span>`}</nav>`;
}

export interface OverviewDeps {
  summaries: SummaryStore;
  households: HouseholdService;
  /** Signs the list's paging tokens. */
  pagingSecret: Buffer;
  /** Derives household ids from intake references (api/ids.ts): a search never stores or sends the reference. */
  idSecret: Buffer;
  names: DirectoryNames;
  now: () => Date;
}

/** The list's query with the page's own page size, unless one is asked for; empty choices are no filter. */
const OverviewQuery = z.preprocess(
  (q) => ({ pageSize: '50', ...Object.fromEntries(Object.entries(q as object).filter(([, v]) => v !== '')) }),
  HouseholdListQuery.extend({ zoek: z.string().trim().min(1).max(100).optional() }),
);

/**
 * The households a search names: a household id as given, or the ids an intake reference gives for
 * the organisations whose references the reader may search (their own; the coordinator's: all).
 */
function searched(term: string, organisations: string[], idSecret: Buffer): { householdIds: string[]; aliasKey?: string } {
  if (HouseholdId.safeParse(term).success) return { householdIds: [term] };
  return { householdIds: organisations.map((org) => householdIdFor(idSecret, org, term)), aliasKey: aliasKeyFor(idSecret, term) };
}

export function overviewPages(ctx: PageContext, deps: OverviewDeps): void {
  page(ctx, { method: 'get', path: '/', reader: 'session', query: OverviewQuery, audit: true }, async ({ reader, query, scope }) => {
    const filter = query.value ?? { error: `Dit filter kan niet: ${query.error}` };
    const { pageSize, nextPageToken, zoek, ...rest } = query.value ?? { ...HouseholdListQuery.parse({ pageSize: '50' }), zoek: undefined };
    const after = nextPageToken ? decodeCursor(nextPageToken, deps.pagingSecret) : undefined;
    const own = reader.via === 'key' ? reader.organisation : undefined;
    const searchable = reader.kind === 'coordinator' ? deps.names.organisations().map((x) => x.id) : own ? [own] : [];
    const listed = zoek ? { ...rest, search: searched(zoek, searchable, deps.idSecret) } : rest;
    const [counts, list] = await Promise.all([deps.summaries.counts(scope), deps.summaries.list(listed, scope, pageSize, after)]);
    const items = await deps.households.withAliases(
      await deps.households.withOwnReferences(own, list.items, list.referenceRefs),
      list.aliasRefs,
    );
    const nextHref = list.next
      ? `${DASHBOARD}?${new URLSearchParams({ ...query.given, nextPageToken: encodeCursor(list.next, deps.pagingSecret) }).toString()}`
      : undefined;
    return {
      title: 'Overzicht',
      body: overviewPage({
        base: DASHBOARD,
        counts,
        items,
        query: query.given,
        filter,
        nextHref,
        names: deps.names,
        now: deps.now(),
        extra:
          reader.kind === 'professional' ? html`<p><a class="button button-quiet" href="${DASHBOARD}/taken">Mijn taken</a></p>` : undefined,
      }),
    };
  });
}
