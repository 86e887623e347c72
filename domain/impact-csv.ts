/**
 * The impact report as lines of figures, in one order: the dashboard's table and the CSV
 * (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted) show
 * exactly these lines.
 */
import { SUPPRESSION_REASON, type Figure } from './disclosure';
import type { Distribution } from './distribution';
import { followUpMomentLabel } from './follow-up';
import { ESCALATION_LEVELS, EXPECTED_PHASES, MAIL_CAUSE, MEASURED_PHASES, type ImpactReport } from './impact-report';
import { PHASE_LABEL } from './model';
import { RE_REPORT_WINDOWS } from './outcome';

export const IMPACT_CSV_HEADER = ['sectie', 'onderdeel', 'maat', 'waarde', 'opmerking'] as const;
export const SUPPRESSED_NOTE = `onderdrukt: ${SUPPRESSION_REASON}`;
export const NO_DATA_NOTE = 'geen gegevens';

/** One line of the report: a figure, or a plain text (the period). */
export interface ReportLine {
  section: string;
  part: string;
  measure: string;
  value: Figure | string;
}

const DISTRIBUTION_MEASURES: [keyof Distribution, string][] = [
  ['n', 'aantal'],
  ['min', 'minimum'],
  ['p25', '25e percentiel'],
  ['median', 'mediaan'],
  ['p75', '75e percentiel'],
  ['max', 'maximum'],
];

function distributionLines(section: string, part: string, unit: string, d: Distribution): ReportLine[] {
  return DISTRIBUTION_MEASURES.map(([key, label]) => ({
    section,
    part,
    measure: key === 'n' ? label : `${label} (${unit})`,
    value: d[key],
  }));
}

/** The report as lines of figures, in the order the CSV shows them. */
export function reportLines(r: ImpactReport): ReportLine[] {
  const lines: ReportLine[] = [
    { section: 'periode', part: '', measure: 'van', value: r.period.from },
    { section: 'periode', part: '', measure: 'tot (niet tot en met)', value: r.period.to },
    { section: 'periode', part: '', measure: 'organisatie', value: r.organisation ?? 'alle organisaties' },
    {
      section: 'periode',
      part: '',
      measure: 'trajecten',
      value: r.startedInRoutekaartOnly ? 'alleen in Routekaart gestart' : 'alle, ook geïmporteerd',
    },
  ];
  for (const phase of MEASURED_PHASES) lines.push(...distributionLines('duur per fase', PHASE_LABEL[phase], 'dagen', r.phaseDays[phase]));
  const c = r.closures;
  const closure = (measure: string, value: Figure) => lines.push({ section: 'afsluiting', part: '', measure, value });
  closure('afgesloten', c.closed);
  closure('stabiele veiligheid (criteria, na Herstel)', c.stableSafety);
  closure('afgesloten met afwijking van de criteria', c.override);
  closure('fase Herstel bereikt', c.reachedHerstel);
  closure('aandeel stabiele veiligheid', c.shareStableSafety);
  closure('aandeel fase Herstel bereikt', c.shareReachedHerstel);
  const esc = (part: string, value: Figure) => lines.push({ section: 'escalaties', part, measure: 'aantal', value });
  esc('totaal', r.escalations.total);
  for (const l of ESCALATION_LEVELS) esc(`niveau ${l}`, r.escalations.byLevel[l]);
  for (const [cause, value] of Object.entries(r.escalations.byCause)) esc(cause === MAIL_CAUSE ? 'e-mail niet afgeleverd' : cause, value);
  lines.push(...distributionLines('overdrachten (R-24)', 'aanvraag tot bevestiging', 'dagen', r.handovers.daysToConfirm));
  lines.push({ section: 'overdrachten (R-24)', part: '', measure: 'nog open aan het eind', value: r.handovers.openAtEnd });
  lines.push({ section: 'overdrachten (R-24)', part: '', measure: 'ingetrokken', value: r.handovers.cancelled });
  const n = r.networkAtClosure;
  lines.push(...distributionLines('netwerk bij afsluiting (R-51)', 'actieve niet-professionele betrokkenen', 'personen', n.size));
  lines.push({
    section: 'netwerk bij afsluiting (R-51)',
    part: '',
    measure: `aandeel met minimaal ${n.minimum}`,
    value: n.shareAtLeastMinimum,
  });
  for (const phase of EXPECTED_PHASES) {
    const l = r.longerThanExpected[phase];
    lines.push({
      section: 'langer dan verwacht',
      part: PHASE_LABEL[phase],
      measure: `huishoudens (verwacht: ${l.expectedDays} dagen)`,
      value: l.households,
    });
  }
  for (const c of r.safetyByCohort) {
    const section = 'maanden tot veiligheid';
    lines.push({ section, part: `start ${c.cohort}`, measure: 'huishoudens', value: c.households });
    lines.push(...distributionLines(section, `start ${c.cohort}: directe veiligheid (R-18)`, 'maanden', c.directSafetyMonths));
    lines.push(...distributionLines(section, `start ${c.cohort}: stabiele veiligheid (R-39)`, 'maanden', c.stableSafetyMonths));
  }
  for (const f of r.scoresAfterClosure) {
    const section = 'scores na afsluiting';
    const part = `${followUpMomentLabel(f.moment)}: ${f.group}`;
    lines.push({ section, part, measure: 'huishoudens', value: f.households });
    lines.push({ section, part, measure: 'mediaan score', value: f.median });
  }
  for (const months of RE_REPORT_WINDOWS) {
    const f = r.reReports[months];
    const part = `binnen ${months} maanden na afsluiting`;
    const section = 'heraanmelding na afsluiting';
    lines.push({ section, part, measure: 'afgesloten huishoudens (termijn verstreken)', value: f.observed });
    lines.push({ section, part, measure: 'opnieuw aangemeld', value: f.reReported });
    lines.push({ section, part, measure: 'aandeel opnieuw aangemeld', value: f.share });
  }
  const late = (part: string, value: Figure) => lines.push({ section: 'later ingevoerd', part, measure: 'aantal', value });
  late('totaal', r.lateData.total);
  late('scores', r.lateData.scores);
  late('bewijs', r.lateData.evidence);
  for (const [organisation, value] of Object.entries(r.lateData.byOrganisation)) late(`ingevoerd door ${organisation}`, value);
  return lines;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueAndNote(value: Figure | string): [string, string] {
  if (typeof value === 'string') return [value, ''];
  if (value.suppressed) return ['', SUPPRESSED_NOTE];
  return value.value === null ? ['', NO_DATA_NOTE] : [String(value.value), ''];
}

/** The UTF-8 byte-order mark: without it Excel reads the file as Windows-1252 and mangles accents. */
export const UTF8_BOM = '\uFEFF';

/** The report as CSV, one line per figure; a suppressed figure has an empty value and a note. */
export function impactCsv(report: ImpactReport): string {
  const rows = [[...IMPACT_CSV_HEADER], ...reportLines(report).map((l) => [l.section, l.part, l.measure, ...valueAndNote(l.value)])];
  return UTF8_BOM + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
