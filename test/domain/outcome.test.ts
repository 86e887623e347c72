/**
 * Outcome measures (R-61, issue 22) on hand-built rows: re-report within 3, 6 and 12 months of
 * closure (the 12-month share worked out by hand), months to direct and stable safety
 * per start cohort, imported time left out of phase durations, and the small-number
 * suppression on every new figure.
 */
import { MIN_CELL, type Figure } from '../../domain/disclosure';
import { impactReport } from '../../domain/impact-report';
import type { ImpactPhaseRow } from '../../domain/impact-rows';
import {
  reReportShares,
  reReportWithin,
  safetyReached,
  safetyTimingByCohort,
  type ClosedHouseholdRow,
  type SafetyTimingRow,
} from '../../domain/outcome';
import { countedPhases } from '../../domain/summary';
import { impactCsv } from '../../domain/impact-csv';
import { household, VT } from '../support/state';

const S = 'onderdrukt';
const v = (f: Figure) => (f.suppressed ? S : f.value);
const at = (date: string) => `${date}T09:00:00.000Z`;

function closed(id: string, closedOn: string, reReportedOn: string[] = []): ClosedHouseholdRow {
  return { householdId: id, closedAt: at(closedOn), reReportedAt: reReportedOn.map(at) };
}

/** Twelve households closed in 2025; who came back, and when, is listed per household. */
const FIXTURE: ClosedHouseholdRow[] = [
  closed('a', '2025-01-10', ['2025-02-20']), // 1 month later: within 3, 6 and 12
  closed('b', '2025-02-01', ['2025-06-15']), // 4.5 months: within 6 and 12
  closed('c', '2025-02-15', ['2025-09-01']), // 6.5 months: within 12
  closed('d', '2025-03-01', ['2026-02-27']), // 12 months minus 2 days: within 12
  closed('e', '2025-03-10', ['2026-03-10']), // exactly 12 months: outside the window
  closed('f', '2025-04-01', ['2025-04-20']), // within 3, 6, 12
  closed('g', '2025-04-05'),
  closed('h', '2025-05-01'),
  closed('i', '2025-05-20'),
  closed('j', '2025-06-01'),
  closed('k', '2025-06-30'),
  closed('l', '2025-07-01'),
  // Closed too recently for a whole 12-month window by 2026-07-01: not observed for 12 months.
  closed('m', '2025-08-01', ['2025-08-15']),
];
const AS_OF = '2026-07-01';

describe('re-report after closure', () => {
  test('the 12-month share equals the count by hand: 5 of 12 observed households (a, b, c, d, f)', () => {
    // By hand: closures up to 2025-07-01 (12 months before AS_OF) are a..l = 12; m is too recent.
    // Re-reported before closure + 12 months: a, b, c, d, f (e comes back on the day the window ends).
    const byHand = { observed: 12, reReported: 5, share: Math.round((5 / 12) * 1000) / 1000 };
    const r = reReportWithin(FIXTURE, 12, AS_OF);
    expect({ observed: v(r.observed), reReported: v(r.reReported), share: v(r.share) }).toEqual(byHand);
    expect(v(r.share)).toBe(0.417);
  });

  test('a re-report before closure does not count, and a young closure is not observed yet', () => {
    const rows = [...FIXTURE.slice(6, 12), closed('x', '2025-05-01', ['2025-04-01']), closed('y', '2026-05-01', ['2026-05-02'])];
    const r = reReportWithin(rows, 12, AS_OF);
    expect(v(r.observed)).toBe(7);
    expect(v(r.reReported)).toBe(0);
    expect(v(r.share)).toBe(0);
  });

  test(`suppression: fewer than ${MIN_CELL} re-reported (or not) households hide the count and the share`, () => {
    const shares = reReportShares(FIXTURE, AS_OF);
    // 3 months: a, f, m re-reported (3 households) of 13 observed: those 3 would be recognisable.
    expect(v(shares[3].observed)).toBe(13);
    expect(v(shares[3].reReported)).toBe(S);
    expect(v(shares[3].share)).toBe(S);
    // 6 months: a, b, f, m is still too few to show.
    expect(v(shares[6].reReported)).toBe(S);
    expect(v(shares[6].share)).toBe(S);
    // 12 months: 5 re-reported and 7 not: shown.
    expect(v(shares[12].share)).toBe(0.417);
    // Five of each group: shown.
    const five = [
      ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => closed(id, '2025-01-01', ['2025-03-01'])),
      ...['q1', 'q2', 'q3', 'q4', 'q5'].map((id) => closed(id, '2025-01-01')),
    ];
    const shown = reReportWithin(five, 3, AS_OF);
    expect([v(shown.observed), v(shown.reReported), v(shown.share)]).toEqual([10, 5, 0.5]);
    // And four observed households hide everything.
    const four = reReportWithin(five.slice(0, 4), 3, AS_OF);
    expect([v(four.observed), v(four.reReported), v(four.share)]).toEqual([S, S, S]);
  });
});

describe('months to direct and stable safety per start cohort', () => {
  function timing(id: string, started: string, direct: string | null, stable: string | null): SafetyTimingRow {
    return { householdId: id, startedAt: at(started), directSafetyAt: direct && at(direct), stableSafetyAt: stable && at(stable) };
  }
  const rows = [
    // Cohort 2026-01: direct safety after 1, 2, 2, 3, 5 months; stable safety for three only.
    timing('a', '2026-01-05', '2026-02-10', '2026-09-01'),
    timing('b', '2026-01-10', '2026-03-01', '2026-10-01'),
    timing('c', '2026-01-20', '2026-03-15', null),
    timing('d', '2026-01-25', '2026-04-01', '2026-11-01'),
    timing('e', '2026-01-31', '2026-06-01', null),
    // Cohort 2026-02: only two households.
    timing('f', '2026-02-02', '2026-03-01', null),
    timing('g', '2026-02-03', null, null),
  ];

  test('medians and quartiles of the calendar months from intake to safety', () => {
    const [jan, feb] = safetyTimingByCohort(rows);
    expect(jan!.cohort).toBe('2026-01');
    expect(v(jan!.households)).toBe(5);
    // Sorted 1, 2, 2, 3, 5: p25 = 2, median = 2, p75 = 3 (PERCENTILE.INC).
    const d = jan!.directSafetyMonths;
    expect([v(d.n), v(d.p25), v(d.median), v(d.p75), v(d.max)]).toEqual([5, 2, 2, 3, 5]);
    // Stable safety reached by three of the five households: too few to show.
    expect(v(jan!.stableSafetyMonths.median)).toBe(S);
    expect(feb!.cohort).toBe('2026-02');
    expect(v(feb!.households)).toBe(S);
    expect(v(feb!.directSafetyMonths.median)).toBe(S);
  });
});

test('the impact report shows months to safety for the households that started in its period, per cohort, also in the CSV', () => {
  const row = (id: string, started: string, direct: string | null) => ({
    householdId: id,
    intakeOrganisation: 'veilig-thuis',
    organisations: ['veilig-thuis'],
    closedAt: null,
    activeSocialNetwork: 0,
    startedAt: at(started),
    directSafetyAt: direct,
    stableSafetyAt: null,
  });
  const households = [
    ...['a', 'b', 'c', 'd', 'e'].map((id, i) => row(id, '2026-01-10', `2026-0${2 + i}-01`)),
    row('old', '2025-06-01', '2025-07-01'), // started before the period: not in a cohort of it
  ];
  const r = impactReport(
    { households, phases: [], escalations: [], handovers: [], lateEntries: [] },
    { from: '2026-01-01', to: '2026-04-01' },
  );
  expect(r.safetyByCohort.map((c) => c.cohort)).toEqual(['2026-01']);
  expect(v(r.safetyByCohort[0]!.directSafetyMonths.median)).toBe(3);
  const csv = impactCsv(r);
  expect(csv).toContain('maanden tot veiligheid,start 2026-01: directe veiligheid (R-18),mediaan (maanden),3,');
  expect(csv).toContain('maanden tot veiligheid,start 2026-01: stabiele veiligheid (R-39),aantal,0,');
});

describe('imported trajectories are counted from their import', () => {
  const T = '2026-03-02T09:00:00.000Z';
  const state = household(T, {
    owner: VT,
    import: {
      startDate: '2026-01-05',
      phase: 'veiligheid',
      phaseStartDate: '2026-02-01',
      roles: [],
      dangers: [],
      scores: [],
      evidence: [],
      network: [],
    },
  });

  test('the months before the import are no phase period in the read model', () => {
    // The state keeps the intake system's history (afstemming from 5 January, veiligheid from 1 February) ...
    expect(state.phaseHistory.map((p) => p.phase)).toEqual(['afstemming', 'veiligheid']);
    // ... but impact counts only from the import: no afstemming, veiligheid from 2 March, marked 'import'.
    expect(countedPhases(state)).toEqual([{ phase: 'veiligheid', startedAt: T, endedAt: null, via: 'import' }]);
  });

  test('a direct intake keeps its phases as they are', () => {
    const direct = household(T);
    expect(countedPhases(direct)).toEqual([{ phase: 'afstemming', startedAt: T, endedAt: null, via: 'start' }]);
  });

  test('phase durations leave out imported time, and "alleen in Routekaart gestart" leaves out imports', () => {
    const ids = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const own: ImpactPhaseRow[] = ids.map((id) => ({
      householdId: id,
      phase: 'veiligheid',
      startedAt: at('2026-01-05'),
      endedAt: at('2026-01-15'),
      via: 'criteria',
    }));
    // Five imports into veiligheid on 2026-01-10 (their intake-system start long before) that left it on 2026-01-12.
    const imports: ImpactPhaseRow[] = ids.map((id) => ({
      householdId: `i-${id}`,
      phase: 'veiligheid',
      startedAt: at('2026-01-10'),
      endedAt: at('2026-01-12'),
      via: 'import',
    }));
    const households = [...ids, ...ids.map((id) => `i-${id}`)].map((id) => ({
      householdId: id,
      intakeOrganisation: 'veilig-thuis',
      organisations: ['veilig-thuis'],
      closedAt: null,
      activeSocialNetwork: 0,
      startedAt: at('2025-01-01'),
      directSafetyAt: null,
      stableSafetyAt: null,
    }));
    const all = { households, phases: [...own, ...imports], escalations: [], handovers: [], lateEntries: [] };
    const scope = { from: '2026-01-01', to: '2026-02-01' };
    const everyone = impactReport(all, scope).phaseDays.veiligheid;
    expect([v(everyone.n), v(everyone.min), v(everyone.max)]).toEqual([10, 2, 10]);
    const startedHere = impactReport(all, { ...scope, startedInRoutekaartOnly: true }).phaseDays.veiligheid;
    expect([v(startedHere.n), v(startedHere.min), v(startedHere.max)]).toEqual([5, 10, 10]);
  });
});

describe('when safety was first reached, from the scores (R-18, R-39)', () => {
  const groups = ['huishouden', 'netwerk', 'professionals'] as const;
  const month = (m: string, value: number, low: (typeof groups)[number] | null = null) =>
    groups.map((group) => ({ dangerId: 'g1', group, date: `${m}-10`, value: group === low ? 5 : value }));
  const scores = (list: ReturnType<typeof month>[]) =>
    list.flat().map((x) => ({ ...x, explanation: 'x', recordedAt: `${x.date}T10:00:00.000Z`, recordedBy: 'p' }));
  const dangers = [{ id: 'g1' }];
  const policy = { riskRunMonths: 6 };

  test('direct safety is the first month all groups score 6 or more; stable the start of six such months in a row', () => {
    const s = {
      dangers,
      scores: scores([
        month('2026-01', 4),
        month('2026-02', 6, 'netwerk'), // the network's 5: not yet
        month('2026-03', 6), // direct safety
        month('2026-04', 7),
        month('2026-05', 6, 'professionals'), // run broken
        ...['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'].map((m) => month(m, 7)),
      ]),
    };
    expect(safetyReached(s as never, policy)).toEqual({ directSafetyAt: '2026-03-01', stableSafetyAt: '2026-06-01' });
  });

  test('a run of five months is no stable safety yet', () => {
    const s = { dangers, scores: scores(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].map((m) => month(m, 7))) };
    expect(safetyReached(s as never, policy)).toEqual({ directSafetyAt: '2026-06-01', stableSafetyAt: null });
  });
});
