/**
 * Issue 22: impact counts how often data arrives late ("later ingevoerd"), region-wide and per
 * organisation that entered it, with the small-number suppression; the CSV and the read-model row
 * of a household carry it.
 */
import { impactCsv } from '../../domain/impact-csv';
import { impactReport } from '../../domain/impact-report';
import type { ImpactHouseholdRow, ImpactLateRow, ImpactRows } from '../../domain/impact-rows';
import { lateEntryRows, UNKNOWN_ORGANISATION } from '../../domain/late-data';
import { DEFAULT_POLICY } from '../../domain/policy';
import { householdSummary } from '../../domain/summary';
import { householdView } from '../../domain/view';
import { apply, household as state, REGISSEUR, VT } from '../support/state';

const Q1 = { from: '2026-01-01', to: '2026-04-01' };
const v = (f: { suppressed: boolean; value?: number | null }) => (f.suppressed ? 'onderdrukt' : f.value);

function household(id: string, organisations: string[]): ImpactHouseholdRow {
  return {
    householdId: id,
    intakeOrganisation: 'veilig-thuis',
    organisations,
    closedAt: null,
    activeSocialNetwork: 0,
    startedAt: '2025-06-01T09:00:00.000Z',
    directSafetyAt: null,
    stableSafetyAt: null,
  };
}
const late = (householdId: string, organisation: string, enteredAt: string, kind: ImpactLateRow['kind'] = 'score'): ImpactLateRow => ({
  householdId,
  kind,
  organisation,
  enteredAt,
});

/**
 * Fixture: 6 households with lokaal-team, each one late score in February (and hh-1 a second one);
 * 5 households with ggz, each one late evidence in March; 2 with wijkteam (too few); one late
 * score in December (outside the period).
 */
function fixture(): ImpactRows {
  const lt = Array.from({ length: 6 }, (_, i) => `lt-${i + 1}`);
  const gz = Array.from({ length: 5 }, (_, i) => `gz-${i + 1}`);
  const wt = ['wt-1', 'wt-2'];
  return {
    households: [
      ...lt.map((id) => household(id, ['veilig-thuis', 'lokaal-team'])),
      ...gz.map((id) => household(id, ['veilig-thuis', 'ggz'])),
      ...wt.map((id) => household(id, ['veilig-thuis', 'wijkteam'])),
    ],
    phases: [],
    escalations: [],
    handovers: [],
    lateEntries: [
      ...lt.map((id) => late(id, 'lokaal-team', '2026-02-04T10:00:00.000Z')),
      late('lt-1', 'lokaal-team', '2026-03-03T10:00:00.000Z'),
      ...gz.map((id) => late(id, 'ggz', '2026-03-10T10:00:00.000Z', 'evidence')),
      ...wt.map((id) => late(id, 'wijkteam', '2026-02-10T10:00:00.000Z')),
      late('lt-2', 'lokaal-team', '2025-12-04T10:00:00.000Z'),
    ],
  };
}

test('late data per organisation and region-wide: counted in the period, under 5 households suppressed (and one more part)', () => {
  const r = impactReport(fixture(), Q1);
  // 7 + 5 + 2 entered in the period; December's is outside.
  expect(v(r.lateData.total)).toBe(14);
  expect(v(r.lateData.scores)).toBe(9);
  expect(v(r.lateData.evidence)).toBe(5);
  // wijkteam has 2 households: suppressed; the smallest other part (ggz, 5) too, so it cannot be subtracted.
  expect(Object.fromEntries(Object.entries(r.lateData.byOrganisation).map(([o, f]) => [o, v(f)]))).toEqual({
    ggz: 'onderdrukt',
    'lokaal-team': 7,
    wijkteam: 'onderdrukt',
  });
});

test('one organisation sees its households only; with 5 households its late count shows', () => {
  const r = impactReport(fixture(), { ...Q1, organisation: 'ggz' });
  expect(v(r.lateData.total)).toBe(5);
  expect(v(r.lateData.evidence)).toBe(5);
  expect(r.lateData.byOrganisation).toEqual({ ggz: { suppressed: false, value: 5 } });
  const few = impactReport(fixture(), { ...Q1, organisation: 'wijkteam' });
  expect(few.lateData.total.suppressed).toBe(true);
});

test('the CSV has the late counts per organisation, suppressed ones with a note', () => {
  const csv = impactCsv(impactReport(fixture(), Q1));
  expect(csv).toContain('later ingevoerd,totaal,aantal,14,\r\n');
  expect(csv).toContain('later ingevoerd,ingevoerd door lokaal-team,aantal,7,\r\n');
  expect(csv).toContain('later ingevoerd,ingevoerd door wijkteam,aantal,,onderdrukt: minder dan 5 huishoudens\r\n');
});

test('the read-model row lists a late score by the organisation of who entered it; on time it is not listed', () => {
  let s = state('2026-11-02T09:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, '2026-11-02T10:00:00.000Z', 'defineDanger', REGISSEUR, { statement: 'Gevaar', safetyGoal: 'Doel' });
  const dangerId = s.dangers[0]!.id;
  const score = { dangerId, value: 6, observedBehaviour: 'Rustig' };
  s = apply(s, '2026-11-20T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score, group: 'huishouden', date: '2026-11-20' });
  s = apply(s, '2026-12-04T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score, group: 'netwerk', date: '2026-11-28' });
  const view = householdView(s, new Date('2026-12-04T11:00:00.000Z'), DEFAULT_POLICY);
  const rows = householdSummary(view, 1).lateEntries;
  expect(rows).toEqual([
    {
      entry: `score:${dangerId}:netwerk:2026-11`,
      kind: 'score',
      organisation: s.roles.casusregisseur!.organisation,
      observedOn: '2026-11-28',
      enteredAt: '2026-12-04T10:00:00.000Z',
    },
  ]);
  expect(rows[0]!.organisation).not.toBe(UNKNOWN_ORGANISATION);
  expect(lateEntryRows(s, { scores: [], evidence: [] })).toEqual([]);
});
