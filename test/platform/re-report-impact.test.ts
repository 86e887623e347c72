/**
 * Issue 22: re-report within 3, 6 and 12 months of closure, from real rows (SummaryWriter and
 * ReReportStore on the embedded PGlite) through ImpactStore into the impact report and its CSV.
 * The 12-month share is counted by hand on the same fixture; small numbers stay suppressed.
 */
import type { Figure } from '../../domain/disclosure';
import { impactCsv } from '../../domain/impact-csv';
import { impactReport } from '../../domain/impact-report';
import type { Database } from '../../platform/db/database';
import { ImpactStore } from '../../platform/store/impact-rows';
import { ReReportStore } from '../../platform/store/re-reports';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { freshDatabase } from '../support/database';
import { householdRow } from '../support/summary';

const YEAR = { from: '2026-01-01', to: '2027-01-01' };
const at = (date: string) => `${date}T09:00:00.000Z`;
const v = (f: Figure) => (f.suppressed ? 'onderdrukt' : f.value);

/** id, day of closure, days of the new intakes linked to it; lokaal-team is involved in c01-c05. */
const CLOSED: [string, string, string[]][] = [
  ['c01', '2025-02-01', ['2025-04-15']], // within 3, 6 and 12 months
  ['c02', '2025-02-01', ['2026-03-01']], // after the 12 months
  ['c03', '2025-03-01', ['2025-08-01']], // within 6 and 12
  ['c04', '2025-04-01', ['2026-03-31']], // the last day of the 12 months
  ['c05', '2025-05-01', []],
  ['c06', '2025-05-01', ['2025-04-01']], // before the closure: not a re-report of it
  ['c07', '2025-06-01', ['2025-11-01']], // within 6 and 12
  ['c08', '2025-06-01', []],
  ['c09', '2025-07-01', ['2026-07-01']], // the first day after the 12 months
  ['c10', '2025-08-01', []],
  ['c11', '2025-09-01', ['2025-09-20']], // within 3, 6 and 12
  ['c12', '2025-10-01', []], // imported
  ['c13', '2024-11-01', ['2024-12-01']], // its 12 months ended before the year
  ['c14', '2026-02-01', ['2026-02-10']], // its 3 and 6 months ended in the year, its 12 not
];

let db: Database;

beforeAll(async () => {
  db = await freshDatabase();
  const summaries = new SummaryWriter(db);
  const reReports = new ReReportStore(db);
  for (const [id, closedOn, again] of CLOSED) {
    const lokaal = ['c01', 'c02', 'c03', 'c04', 'c05'].includes(id);
    const closedAt = at(closedOn);
    expect(
      await summaries.write(
        householdRow(id, {
          phase: 'afgesloten',
          organisations: lokaal ? ['veilig-thuis', 'lokaal-team'] : ['veilig-thuis'],
          startedAt: at('2024-06-03'),
          phaseStartedAt: closedAt,
          closedAt,
          phases: [
            { phase: 'afstemming', startedAt: at('2024-06-03'), endedAt: closedAt, via: id === 'c12' ? 'import' : 'start' },
            { phase: 'afgesloten', startedAt: closedAt, endedAt: null, via: 'override' },
          ],
        }),
      ),
    ).toBe(true);
    for (const [i, day] of again.entries())
      await reReports.record({ newHouseholdId: `${id}-new-${i}`, closedHouseholdId: id, matchedBy: 'reference', reportedAt: at(day) });
  }
});

afterAll(async () => {
  await db?.close();
});

/** By hand: closed in 2025 (so the 12 months ended in 2026), re-reported after closure and before the same day a year later. */
function byHand(): { observed: number; reReported: number } {
  const observed = CLOSED.filter(([, closedOn]) => closedOn.startsWith('2025-') && closedOn > '2025-01-01');
  const oneYearLater = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;
  const reReported = observed.filter(([, closedOn, again]) => again.some((d) => d > closedOn && d < oneYearLater(closedOn)));
  return { observed: observed.length, reReported: reReported.length };
}

test('the 12-month share computed by hand and by the report on the same rows', async () => {
  const hand = byHand();
  expect(hand).toEqual({ observed: 12, reReported: 5 });
  const rows = await new ImpactStore(db).rows(YEAR);
  expect(rows.closed?.find((c) => c.householdId === 'c01')).toEqual({
    householdId: 'c01',
    intakeOrganisation: 'veilig-thuis',
    organisations: ['veilig-thuis', 'lokaal-team'],
    closedAt: at('2025-02-01'),
    imported: false,
    reReportedAt: [at('2025-04-15')],
  });
  const r = impactReport(rows, YEAR);
  expect([r.reReports[12].observed, r.reReports[12].reReported, r.reReports[12].share].map(v)).toEqual([
    hand.observed,
    hand.reReported,
    Math.round((hand.reReported / hand.observed) * 1000) / 1000,
  ]);
  // The 6-month windows that ended in 2026: closures after 1 July 2025 (c10-c12) and c14, four households: all suppressed.
  expect([r.reReports[6].observed, r.reReports[6].reReported, r.reReports[6].share].map(v)).toEqual([
    'onderdrukt',
    'onderdrukt',
    'onderdrukt',
  ]);
  // The CSV carries the same figures.
  const csv = impactCsv(r);
  expect(csv).toContain('heraanmelding na afsluiting,binnen 12 maanden na afsluiting,opnieuw aangemeld,5,\r\n');
  expect(csv).toContain('heraanmelding na afsluiting,binnen 12 maanden na afsluiting,aandeel opnieuw aangemeld,0.417,\r\n');
});

test('suppression holds: one organisation with 3 of 5 re-reported shows neither the count nor the share', async () => {
  const filter = { ...YEAR, organisation: 'lokaal-team' };
  const r = impactReport(await new ImpactStore(db).rows(filter), filter);
  // c01-c05: 5 observed, 3 re-reported (c01, c03, c04) and 2 not; either group under 5 would reveal the families.
  expect([r.reReports[12].observed, r.reReports[12].reReported, r.reReports[12].share].map(v)).toEqual([5, 'onderdrukt', 'onderdrukt']);
  expect(impactCsv(r)).toContain('heraanmelding na afsluiting,binnen 12 maanden na afsluiting,aandeel opnieuw aangemeld,,onderdrukt');
});

test("'alleen in Routekaart gestart' leaves the imported closure out of the re-report shares", async () => {
  const scope = { ...YEAR, startedInRoutekaartOnly: true };
  const rows = await new ImpactStore(db).rows(scope);
  expect(rows.closed?.filter((c) => c.imported).map((c) => c.householdId)).toEqual(['c12']);
  const r = impactReport(rows, scope);
  expect([r.reReports[12].observed, r.reReports[12].reReported, r.reReports[12].share].map(v)).toEqual([11, 5, 0.455]);
});
