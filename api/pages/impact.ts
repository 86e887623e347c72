/**
 * The impact report (R-61) as a page: a few charts people read at a glance (time per phase as
 * quartile bars, how trajectories closed, escalations per level and cause, phases running long)
 * and every figure in one table, line for line the CSV (domain/impact-csv.ts reportLines). A
 * suppressed figure says so; it is never drawn as zero.
 */
import {
  ESCALATION_LEVELS,
  EXPECTED_PHASES,
  impactReport,
  MAIL_CAUSE,
  MEASURED_PHASES,
  type ImpactReport,
} from '../../domain/impact-report';
import { impactCsv, reportLines } from '../../domain/impact-csv';
import type { Figure } from '../../domain/disclosure';
import { followUpMomentLabel } from '../../domain/follow-up';
import { PHASE_LABEL } from '../../domain/model';
import { RE_REPORT_WINDOWS } from '../../domain/outcome';
import { count, dutchDate } from '../../domain/time';
import { html, type SafeHtml } from '../../platform/html';
import { ORGANISATIONS } from '../../domain/organisations';
import type { Policy } from '../../domain/policy';
import type { ImpactStore } from '../../platform/store/impact-rows';
import { ApiError } from '../errors';
import { ImpactQuery, impactScope } from '../impact-query';
import { DASHBOARD, page, type PageContext, type PageInput } from './page';

export interface ImpactPageInput {
  base: string;
  report: ImpactReport;
  /** The query string of this report, for the CSV link. */
  query: string;
  /** Organisations a coordinator may choose; absent for others (their own organisation only). */
  organisations?: string[];
  error?: string;
}

const valueOf = (f: Figure): number | null => (f.suppressed ? null : f.value);

function show(f: Figure | string, unit = ''): string {
  if (typeof f === 'string') return f;
  if (f.suppressed) return 'onderdrukt (< 5 huishoudens)';
  if (f.value === null) return 'geen gegevens';
  return `${String(f.value).replace('.', ',')}${unit}`;
}

const share = (f: Figure) => (f.suppressed || f.value === null ? show(f) : `${Math.round(f.value * 100)}%`);

/** Horizontal bars, one per item; a suppressed or empty figure is a labelled gap, not a zero. */
function barChart(id: string, title: string, bars: { label: string; figure: Figure }[], unit: string): SafeHtml {
  const rowH = 28;
  const labelW = 240;
  const width = 640;
  const plotW = width - labelW - 90;
  const height = bars.length * rowH + 10;
  const max = Math.max(1, ...bars.map((b) => valueOf(b.figure) ?? 0));
  return html`<figure class="chart-figure"><svg class="chart impact-chart" data-chart="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-titel">
<title id="${id}-titel">${title}</title>
${bars.map((b, i) => {
  const y = 5 + i * rowH;
  const v = valueOf(b.figure);
  return html`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end" font-size="13" fill="#1c2430">${b.label}</text>${
    v === null
      ? html`<text x="${labelW}" y="${y + 18}" font-size="12" fill="#555e6c">${show(b.figure)}</text>`
      : html`<rect class="bar" data-label="${b.label}" data-value="${v}" x="${labelW}" y="${y + 4}" width="${Math.max(1, Math.round((v / max) * plotW))}" height="${rowH - 10}" fill="#1b6f84"><title>${b.label}: ${show(b.figure, unit)}</title></rect><text x="${labelW + Math.max(1, Math.round((v / max) * plotW)) + 6}" y="${y + 18}" font-size="12" fill="#1c2430">${show(b.figure, unit)}</text>`
  }`;
})}
</svg></figure>`;
}

/** Time per phase: the middle half (25th to 75th percentile) as a bar, the median as a mark. */
function phaseChart(r: ImpactReport): SafeHtml {
  const rowH = 30;
  const labelW = 170;
  const width = 640;
  const plotW = width - labelW - 110;
  const height = MEASURED_PHASES.length * rowH + 30;
  const max = Math.max(1, ...MEASURED_PHASES.map((p) => valueOf(r.phaseDays[p].p75) ?? valueOf(r.phaseDays[p].median) ?? 0));
  const x = (v: number) => labelW + Math.round((v / max) * plotW);
  return html`<figure class="chart-figure"><svg class="chart impact-chart" data-chart="fase-duur" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="fase-duur-titel fase-duur-uitleg">
<title id="fase-duur-titel">Duur per fase in dagen</title><desc id="fase-duur-uitleg">Per fase de middelste helft (25e tot 75e percentiel) als balk en de mediaan als streep.</desc>
${MEASURED_PHASES.map((p, i) => {
  const d = r.phaseDays[p];
  const y = 5 + i * rowH;
  const [lo, med, hi] = [valueOf(d.p25), valueOf(d.median), valueOf(d.p75)];
  return html`<text x="${labelW - 8}" y="${y + 19}" text-anchor="end" font-size="13" fill="#1c2430">${PHASE_LABEL[p]}</text>${
    med === null
      ? html`<text x="${labelW}" y="${y + 19}" font-size="12" fill="#555e6c">${show(d.median)}</text>`
      : html`<rect x="${x(lo ?? med)}" y="${y + 6}" width="${Math.max(2, x(hi ?? med) - x(lo ?? med))}" height="${rowH - 12}" fill="#9fd3df"/><line class="median" data-phase="${p}" data-value="${med}" x1="${x(med)}" x2="${x(med)}" y1="${y + 2}" y2="${y + rowH - 2}" stroke="#0f4c5c" stroke-width="3"><title>${PHASE_LABEL[p]}: mediaan ${show(d.median)} dagen</title></line><text x="${x(hi ?? med) + 6}" y="${y + 19}" font-size="12" fill="#1c2430">mediaan ${show(d.median)}</text>`
  }`;
})}
<text x="${labelW}" y="${height - 6}" font-size="11" fill="#555e6c">0</text><text x="${labelW + plotW}" y="${height - 6}" font-size="11" fill="#555e6c" text-anchor="end">${count(Math.round(max), 'dag', 'dagen')}</text>
</svg></figure>`;
}

export function impactPage(p: ImpactPageInput): SafeHtml {
  const r = p.report;
  const c = r.closures;
  const lines = reportLines(r);
  return html`<div class="page-head"><h1>Meten: impact over huishoudens (R-61)</h1>
<p class="lead">${r.organisation ? `Organisatie ${r.organisation}` : 'Hele regio'}, ${dutchDate(r.period.from)} tot ${dutchDate(r.period.to)}. Alleen totalen: een cijfer over minder dan 5 huishoudens is onderdrukt, zodat geen gezin herkenbaar is.</p></div>
<form class="filters card" method="get" aria-label="Periode kiezen">
<div class="form-row"><label for="from">Van</label><input type="date" id="from" name="from" value="${r.period.from}"></div>
<div class="form-row"><label for="to">Tot (niet tot en met)</label><input type="date" id="to" name="to" value="${r.period.to}"></div>
${
  p.organisations
    ? html`<div class="form-row"><label for="organisation">Organisatie</label><select id="organisation" name="organisation"><option value="">Hele regio</option>${p.organisations.map(
        (o) => html`<option value="${o}" ${o === r.organisation ? html`selected` : ''}>${o}</option>`,
      )}</select></div>`
    : ''
}
<div class="form-row"><label for="startedInRoutekaartOnly"><input type="checkbox" id="startedInRoutekaartOnly" name="startedInRoutekaartOnly" value="true" ${r.startedInRoutekaartOnly ? html`checked` : ''}> Alleen in Routekaart gestart (zonder geïmporteerde trajecten)</label></div>
<div class="actions"><button type="submit" class="button">Tonen</button> <a class="button button-quiet" href="${p.base}/impact.csv?${p.query}" download>CSV downloaden</a></div>
</form>
${p.error ? html`<div class="notice notice-error" role="alert">${p.error}</div>` : ''}
<section class="card" aria-labelledby="duur"><h2 id="duur">Duur per fase</h2>${phaseChart(r)}</section>
<section class="card" aria-labelledby="afsluiting"><h2 id="afsluiting">Afsluiting</h2>
<p class="tile-row"><span class="tile-value" data-figure="closed">${show(c.closed)}</span> trajecten afgesloten; stabiele veiligheid bereikt: <strong>${share(c.shareStableSafety)}</strong>; fase Herstel bereikt: <strong>${share(c.shareReachedHerstel)}</strong>.</p>
${barChart(
  'afsluiting',
  'Hoe trajecten afsloten',
  [
    { label: 'Stabiele veiligheid', figure: c.stableSafety },
    { label: 'Met afwijking (R-62)', figure: c.override },
    { label: 'Herstel bereikt', figure: c.reachedHerstel },
  ],
  '',
)}
</section>
<section class="card" aria-labelledby="heraanmelding"><h2 id="heraanmelding">Heraanmelding na afsluiting</h2>
<p>Van de afgesloten huishoudens waarvan de termijn in de periode verstreek: het aandeel met een nieuwe intake die aan het afgesloten traject is gekoppeld (zelfde referentie of zelfde gezinslid).</p>
<ul>${RE_REPORT_WINDOWS.map(
    (m) =>
      html`<li>Binnen ${m} maanden: <strong data-figure="re-report-${m}">${share(r.reReports[m].share)}</strong> (${show(r.reReports[m].reReported)} van ${show(r.reReports[m].observed)})</li>`,
  )}</ul>
</section>
<section class="card" aria-labelledby="veiligheid-cohort"><h2 id="veiligheid-cohort">Maanden tot veiligheid, per startmaand</h2>
<p>Mediaan in maanden van de huishoudens die in de periode startten: directe veiligheid (R-18, alle groepen een 6 of hoger) en stabiele veiligheid (R-39, de eerste maand van zes op rij).</p>
${barChart(
  'directe-veiligheid',
  'Directe veiligheid (R-18): mediaan maanden per startmaand',
  r.safetyByCohort.map((c) => ({ label: `Start ${c.cohort}`, figure: c.directSafetyMonths.median })),
  ' mnd',
)}
${barChart(
  'stabiele-veiligheid',
  'Stabiele veiligheid (R-39): mediaan maanden per startmaand',
  r.safetyByCohort.map((c) => ({ label: `Start ${c.cohort}`, figure: c.stableSafetyMonths.median })),
  ' mnd',
)}
</section>
<section class="card" aria-labelledby="na-afsluiting"><h2 id="na-afsluiting">Scores na afsluiting</h2>
<p>Van de trajecten die in de periode afsloten: de mediaan van de scores per gevaar bij afsluiting en 3 en 6 maanden erna, gegeven via een eenmalige link (alleen met toestemming, instelling followUp.consent).</p>
<table class="data compact" data-figure="scores-after-closure"><thead><tr><th scope="col">Moment</th><th scope="col">Groep</th><th scope="col">Huishoudens</th><th scope="col">Mediaan</th></tr></thead><tbody>
${r.scoresAfterClosure.map(
  (f) =>
    html`<tr><td>${followUpMomentLabel(f.moment)}</td><td>${f.group}</td><td>${show(f.households)}</td><td>${show(f.median)}</td></tr>`,
)}</tbody></table>
</section>
<section class="card" aria-labelledby="escalaties"><h2 id="escalaties">Escalaties</h2>
<p>Totaal: <strong data-figure="escalations">${show(r.escalations.total)}</strong></p>
${barChart(
  'escalatie-niveau',
  'Escalaties per hoogste niveau',
  ESCALATION_LEVELS.map((l) => ({ label: `Niveau ${l}`, figure: r.escalations.byLevel[l] })),
  '',
)}
${barChart(
  'escalatie-oorzaak',
  'Escalaties per oorzaak (regel)',
  Object.entries(r.escalations.byCause).map(([cause, figure]) => ({
    label: cause === MAIL_CAUSE ? 'E-mail niet afgeleverd' : cause,
    figure,
  })),
  '',
)}
</section>
<section class="card" aria-labelledby="later-ingevoerd"><h2 id="later-ingevoerd">Later ingevoerd</h2>
<p>Scores en bewijs die in de periode na hun maand of datum zijn ingevoerd: ze tellen mee voor de methode, maar kwamen te laat. Totaal: <strong data-figure="late">${show(r.lateData.total)}</strong> (scores ${show(r.lateData.scores)}, bewijs ${show(r.lateData.evidence)}).</p>
${barChart(
  'later-ingevoerd-organisatie',
  'Later ingevoerd, per organisatie die het invoerde',
  Object.entries(r.lateData.byOrganisation).map(([organisation, figure]) => ({ label: organisation, figure })),
  '',
)}
</section>
<section class="card" aria-labelledby="lang"><h2 id="lang">Langer dan verwacht</h2>
${barChart(
  'langer-dan-verwacht',
  'Huishoudens waarvan de fase langer duurt dan verwacht',
  EXPECTED_PHASES.map((ph) => ({
    label: `${PHASE_LABEL[ph]} (> ${r.longerThanExpected[ph].expectedDays} d)`,
    figure: r.longerThanExpected[ph].households,
  })),
  '',
)}
<h3>Overdrachten (R-24)</h3><p>Mediaan van aanvraag tot start: <strong>${show(r.handovers.daysToConfirm.median, ' dagen')}</strong>; nog open aan het eind: ${show(r.handovers.openAtEnd)}; ingetrokken: ${show(r.handovers.cancelled)}.</p>
<h3>Netwerk bij afsluiting (R-51)</h3><p>Mediaan ${show(r.networkAtClosure.size.median, ' personen')}; aandeel met minimaal ${r.networkAtClosure.minimum}: ${share(r.networkAtClosure.shareAtLeastMinimum)}.</p>
</section>
<section class="card" aria-labelledby="alle-cijfers"><h2 id="alle-cijfers">Alle cijfers</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Alle cijfers"><table class="data compact" id="impact-cijfers"><caption class="visually-hidden">Alle cijfers van het rapport, gelijk aan de CSV</caption>
<thead><tr><th scope="col">Onderdeel</th><th scope="col">Deel</th><th scope="col">Maat</th><th scope="col" class="num">Waarde</th></tr></thead>
<tbody>${lines.map(
    (l) =>
      html`<tr><td>${l.section}</td><td>${l.part}</td><td>${l.measure}</td><td class="num" data-value="${typeof l.value === 'string' ? l.value : l.value.suppressed ? '' : (l.value.value ?? '')}">${show(l.value)}</td></tr>`,
  )}</tbody></table></div></section>`;
}

export interface ImpactDeps {
  impact: ImpactStore;
  policy: Policy;
  now: () => Date;
}

export function impactPages(ctx: PageContext, deps: ImpactDeps): void {
  /** The report of the session's reader (R-61): the region or an organisation, for a period; a bad period shows the default one. */
  async function reportOf({ reader, query }: PageInput<'session', undefined, typeof ImpactQuery>) {
    let error = query.error === undefined ? undefined : `Deze periode kan niet: ${query.error}`;
    let scope;
    try {
      scope = impactScope(reader, query.value ?? {}, deps.now());
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      scope = impactScope(reader, {}, deps.now());
      error = err.message;
    }
    return { scope, error, report: impactReport(await deps.impact.rows(scope), scope, deps.policy) };
  }

  page(ctx, { method: 'get', path: '/impact', reader: 'session', query: ImpactQuery, audit: true }, async (input) => {
    const { scope, report, error } = await reportOf(input);
    const query = new URLSearchParams({
      from: scope.from,
      to: scope.to,
      ...(scope.organisation ? { organisation: scope.organisation } : {}),
      ...(scope.startedInRoutekaartOnly ? { startedInRoutekaartOnly: 'true' } : {}),
    }).toString();
    return {
      title: 'Meten',
      body: impactPage({
        base: DASHBOARD,
        report,
        query,
        error,
        organisations: input.reader.kind === 'coordinator' ? Object.keys(ORGANISATIONS).sort() : undefined,
      }),
    };
  });

  page(ctx, { method: 'get', path: '/impact.csv', reader: 'session', query: ImpactQuery, audit: true }, async (input) => {
    const { scope, report } = await reportOf(input);
    return {
      file: {
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="routekaart-impact-${scope.from}-${scope.to}.csv"` },
        body: impactCsv(report),
      },
    };
  });
}
