/**
 * Impact measurement on hand-built read-model rows (test/support/impact-rows.ts): every
 * figure, the period's edges in Amsterdam time, the organisation filter, and cell-size suppression
 * (4 versus 5 households, and the figures that would give a suppressed one away). The CSV:
 * impact-csv.test.ts.
 */
import { MIN_CELL, SUPPRESSION_REASON } from '../../domain/disclosure';
import { quantile } from '../../domain/distribution';
import { impactReport } from '../../domain/impact-report';
import { DEFAULT_POLICY } from '../../domain/policy';
import {
  allSuppressed,
  at,
  closedHousehold,
  dist,
  empty,
  escalation,
  FROM,
  handover,
  household,
  ids,
  merge,
  phase,
  plus,
  Q1,
  rows,
  S,
  TO,
  v,
} from '../support/impact-rows';

test('MIN_CELL is 5 and a suppressed figure says why', () => {
  expect(MIN_CELL).toBe(5);
  expect(SUPPRESSION_REASON).toBe('minder dan 5 huishoudens');
  const r = impactReport(rows({ phases: ids(1).map((id) => phase(id, 'veiligheid', at('2026-01-02'), at('2026-01-12'))) }), Q1);
  expect(r.phaseDays.veiligheid.median).toEqual({ suppressed: true, reason: 'minder dan 5 huishoudens' });
});

test('quantiles interpolate linearly between ranks', () => {
  expect(quantile([], 0.5)).toBeNull();
  expect(quantile([7], 0.25)).toBe(7);
  expect(quantile([10, 20, 30, 40, 50, 60], 0.25)).toBe(22.5);
  expect(quantile([10, 20, 30, 40, 50, 60], 0.5)).toBe(35);
  expect(quantile([10, 20, 30, 40, 50, 60], 0.75)).toBe(47.5);
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
});

describe('time per phase', () => {
  test('calendar days of the periods that ended in the period; ongoing ones and those ending outside do not count', () => {
    const ended = [10, 20, 30, 40, 50, 60].map((days, i) =>
      phase(`hh-${i + 1}`, 'veiligheid', at('2026-01-05'), plus(at('2026-01-05'), days)),
    );
    const r = impactReport(
      rows({
        phases: [
          ...ended,
          phase('hh-7', 'veiligheid', at('2025-11-01'), at('2025-12-20')), // ended before
          phase('hh-8', 'veiligheid', at('2026-03-01'), at('2026-04-10')), // ended after
          phase('hh-9', 'veiligheid', at('2026-02-01'), null), // still running
        ],
      }),
      Q1,
    );
    expect(dist(r.phaseDays.veiligheid)).toEqual({ n: 6, min: 10, p25: 22.5, median: 35, p75: 47.5, max: 60 });
    expect(dist(r.phaseDays.herstel)).toEqual(empty);
  });

  test('the edges of the period are midnight in Amsterdam: from is included, to is not', () => {
    const onFrom = ids(5).map((id) => phase(id, 'herstel', at('2025-10-01'), FROM));
    const onTo = ids(5, 'late').map((id) => phase(id, 'herstel', at('2025-10-01'), TO));
    const r = impactReport(rows({ phases: [...onFrom, ...onTo] }), Q1);
    expect(v(r.phaseDays.herstel.n)).toBe(5);
    // 2025-10-01 09:00Z to 2026-01-01 00:00 Amsterdam: 92 calendar days.
    expect(v(r.phaseDays.herstel.median)).toBe(92);
  });

  test.each([
    [4, allSuppressed],
    [5, { n: 5, min: 20, p25: 20, median: 20, p75: 20, max: 20 }],
  ])('cell size: %i households', (n, expected) => {
    const r = impactReport(rows({ phases: ids(n).map((id) => phase(id, 'risicogestuurd', at('2026-01-10'), at('2026-01-30'))) }), Q1);
    expect(dist(r.phaseDays.risicogestuurd)).toEqual(expected);
  });

  test('five periods from fewer than five households are still suppressed', () => {
    const twice = ['hh-1', 'hh-1', 'hh-2', 'hh-3', 'hh-4'].map((id, i) =>
      phase(id, 'afstemming', at(`2026-01-0${i + 1}`), at(`2026-01-0${i + 2}`)),
    );
    expect(dist(impactReport(rows({ phases: twice }), Q1).phaseDays.afstemming)).toEqual(allSuppressed);
  });
});

describe('closures (R-46, R-50)', () => {
  const stable = (id: string) => closedHousehold(id, at('2026-02-10'), ['veiligheid', 'risicogestuurd', 'herstel'], 'criteria');
  const overrideAfterHerstel = (id: string) =>
    closedHousehold(id, at('2026-02-11'), ['veiligheid', 'risicogestuurd', 'herstel'], 'override');
  const overrideEarly = (id: string) => closedHousehold(id, at('2026-03-01'), ['veiligheid'], 'override');

  test('stable safety versus override, Herstel reached, and their shares', () => {
    const r = impactReport(
      merge(
        ...ids(5, 'a').map(stable),
        ...ids(5, 'b').map(overrideAfterHerstel),
        ...ids(5, 'c').map(overrideEarly),
        closedHousehold('before', at('2025-12-01'), ['herstel'], 'criteria'),
        closedHousehold('after', at('2026-04-02'), ['herstel'], 'criteria'),
      ),
      Q1,
    );
    expect(Object.fromEntries(Object.entries(r.closures).map(([k, f]) => [k, v(f)]))).toEqual({
      closed: 15,
      stableSafety: 5,
      override: 10,
      reachedHerstel: 10,
      shareStableSafety: 0.333,
      shareReachedHerstel: 0.667,
    });
  });

  test('a way of closing with 4 households suppresses the whole breakdown (it could be subtracted), not the total', () => {
    const r = impactReport(
      merge(...ids(5, 'a').map(stable), ...ids(5, 'b').map(overrideAfterHerstel), ...ids(4, 'c').map(overrideEarly)),
      Q1,
    );
    expect(v(r.closures.closed)).toBe(14);
    for (const f of [r.closures.stableSafety, r.closures.override, r.closures.reachedHerstel, r.closures.shareStableSafety])
      expect(v(f)).toBe(S);
  });

  test('every household closed the same way: shown (the other groups are 0)', () => {
    const r = impactReport(merge(...ids(5, 'a').map(stable)), Q1);
    expect([r.closures.closed, r.closures.stableSafety, r.closures.override, r.closures.shareStableSafety].map(v)).toEqual([5, 5, 0, 1]);
  });

  test('4 closed: suppressed; none closed: 0, shares without value', () => {
    expect(v(impactReport(merge(...ids(4, 'a').map(stable)), Q1).closures.closed)).toBe(S);
    const none = impactReport(rows({}), Q1).closures;
    expect([none.closed, none.stableSafety, none.shareStableSafety].map(v)).toEqual([0, 0, null]);
  });
});

describe('escalations raised in the period', () => {
  const e = (id: string, rule: string, level: number, date = '2026-02-01') => escalation(id, rule, level, at(date));

  test('per level and per cause, adding up to the total; raised outside the period not counted', () => {
    const r = impactReport(
      rows({
        escalations: [
          ...ids(6).map((id) => e(id, 'R-24', 1)),
          ...ids(5).map((id) => e(id, 'R-32', 2, '2026-03-15')),
          e('hh-1', 'R-13', 3, '2025-12-30'),
          e('hh-2', 'R-13', 3, '2026-04-01'),
        ],
      }),
      Q1,
    );
    expect(v(r.escalations.total)).toBe(11);
    expect([1, 2, 3].map((l) => v(r.escalations.byLevel[String(l) as '1']))).toEqual([6, 5, 0]);
    expect(Object.fromEntries(Object.entries(r.escalations.byCause).map(([k, f]) => [k, v(f)]))).toEqual({ 'R-24': 6, 'R-32': 5 });
  });

  test('a part under 5 households is suppressed, and the smallest other part too, so it cannot be subtracted', () => {
    const r = impactReport(
      rows({
        escalations: [
          ...ids(7).map((id) => e(id, 'R-24', 1)),
          ...ids(5).map((id) => e(id, 'R-32', 2)),
          ...ids(2).map((id) => e(id, 'R-13', 3)),
        ],
      }),
      Q1,
    );
    expect(v(r.escalations.total)).toBe(14);
    expect(['1', '2', '3'].map((l) => v(r.escalations.byLevel[l as '1']))).toEqual([7, S, S]);
    expect(Object.fromEntries(Object.entries(r.escalations.byCause).map(([k, f]) => [k, v(f)]))).toEqual({
      'R-13': S,
      'R-24': 7,
      'R-32': S,
    });
  });

  test('many escalations of fewer than 5 households are suppressed; undeliverable mail is its own cause', () => {
    const one = ids(6, 'x').map((k) => escalation('hh-1', 'R-32', 1, at('2026-02-01'), k));
    expect(v(impactReport(rows({ escalations: one }), Q1).escalations.total)).toBe(S);
    const mail = ids(5).map((id) => escalation(id, 'R-13', 3, at('2026-02-01'), `mail:${id}:R-13:niveau1`));
    expect(Object.keys(impactReport(rows({ escalations: mail }), Q1).escalations.byCause)).toEqual(['mail']);
  });
});

describe('handovers (R-24)', () => {
  test('days from request to confirmation, open at the end, cancelled', () => {
    const confirmed = [1, 2, 3, 4, 10].map((days, i) =>
      handover(`hh-${i + 1}`, at('2026-02-01'), { confirmedAt: plus(at('2026-02-01'), days) }),
    );
    const r = impactReport(
      rows({
        handovers: [
          ...confirmed,
          handover('old', at('2025-11-01'), { confirmedAt: at('2025-11-03') }),
          ...ids(4, 'open').map((id) => handover(id, at('2026-03-20'))),
          handover('open-5', at('2026-03-25'), { confirmedAt: at('2026-04-03') }), // confirmed after the period: open at its end
          handover('later', at('2026-04-05')),
          ...ids(2, 'cancel').map((id) => handover(id, at('2026-01-10'), { cancelledAt: at('2026-01-12') })),
        ],
      }),
      Q1,
    );
    expect(dist(r.handovers.daysToConfirm)).toEqual({ n: 5, min: 1, p25: 2, median: 3, p75: 4, max: 10 });
    expect(v(r.handovers.openAtEnd)).toBe(5);
    expect(v(r.handovers.cancelled)).toBe(S);
  });

  test('hours count as fractions of a day', () => {
    const r = impactReport(
      rows({ handovers: ids(5).map((id) => handover(id, at('2026-02-01', '09:00'), { confirmedAt: at('2026-02-01', '21:00') })) }),
      Q1,
    );
    expect(v(r.handovers.daysToConfirm.median)).toBe(0.5);
    expect(v(r.handovers.cancelled)).toBe(0);
  });
});

describe('network at closure (R-51)', () => {
  const closed = (sizes: number[]) =>
    merge(...sizes.map((n, i) => closedHousehold(`hh-${i + 1}`, at('2026-02-01'), ['herstel'], 'criteria', n)));

  test('size distribution and share with at least 3', () => {
    const r = impactReport(closed([3, 3, 4, 5, 6, 3]), Q1).networkAtClosure;
    expect(dist(r.size)).toEqual({ n: 6, min: 3, p25: 3, median: 3.5, p75: 4.75, max: 6 });
    expect(r.minimum).toBe(3);
    expect(v(r.shareAtLeastMinimum)).toBe(1);
  });

  test('one household below the norm: the share would reveal it, so it is suppressed', () => {
    const r = impactReport(closed([3, 3, 4, 5, 6, 1]), Q1).networkAtClosure;
    expect(v(r.size.median)).toBe(3.5);
    expect(v(r.shareAtLeastMinimum)).toBe(S);
    const mixed = impactReport(closed([0, 1, 2, 0, 1, 3, 4, 5, 3, 3]), Q1).networkAtClosure;
    expect(v(mixed.shareAtLeastMinimum)).toBe(0.5);
  });
});

describe('running longer than expected (policy.expectedPhaseDays)', () => {
  test('per phase, at the end of the period', () => {
    // Veiligheid: 56 days expected. Started Feb 4: 56 days by Apr 1 (not longer); started Feb 3: 57.
    const late = ids(5).map((id) => phase(id, 'veiligheid', at('2026-02-03'), null));
    const r = impactReport(
      rows({
        phases: [
          ...late,
          phase('on-time', 'veiligheid', at('2026-02-04'), null),
          // The phase at the end of the period counts, even when it ended later.
          phase('hh-6', 'veiligheid', at('2026-01-05'), at('2026-04-20')),
          phase('hh-6', 'risicogestuurd', at('2026-04-20'), null),
          ...ids(2, 'risk').map((id) => phase(id, 'risicogestuurd', at('2025-03-01'), null)),
          // Closed before the end: not running.
          phase('closed', 'herstel', at('2025-01-01'), at('2026-03-01')),
          phase('closed', 'afgesloten', at('2026-03-01'), null, 'override'),
        ],
      }),
      Q1,
    );
    expect(r.longerThanExpected.veiligheid).toEqual({ expectedDays: 56, households: { suppressed: false, value: 6 } });
    expect(v(r.longerThanExpected.risicogestuurd.households)).toBe(S);
    expect(v(r.longerThanExpected.herstel.households)).toBe(0);
    const strict = impactReport(rows({ phases: late }), Q1, {
      ...DEFAULT_POLICY,
      expectedPhaseDays: { ...DEFAULT_POLICY.expectedPhaseDays, veiligheid: 57 },
    });
    expect(v(strict.longerThanExpected.veiligheid.households)).toBe(0);
  });
});

test('organisation: households it is involved in or started, with only their rows', () => {
  const lt = ids(5, 'lt').map((id, i) =>
    household(id, i < 3 ? { organisations: ['veilig-thuis', 'lokaal-team'] } : { intakeOrganisation: 'lokaal-team', organisations: [] }),
  );
  const all = rows({
    households: lt,
    phases: [...lt, ...ids(5).map((id) => household(id))].map((h) =>
      phase(h.householdId, 'veiligheid', at('2026-01-02'), at('2026-01-12')),
    ),
  });
  expect(v(impactReport(all, Q1).phaseDays.veiligheid.n)).toBe(10);
  const mine = impactReport(all, { ...Q1, organisation: 'lokaal-team' });
  expect(mine.organisation).toBe('lokaal-team');
  expect(v(mine.phaseDays.veiligheid.n)).toBe(5);
  expect(v(impactReport(all, { ...Q1, organisation: 'ggz' }).phaseDays.veiligheid.n)).toBe(0);
});

test('a period must end after it starts', () => {
  expect(() => impactReport(rows({}), { from: '2026-04-01', to: '2026-04-01' })).toThrow(RangeError);
});
