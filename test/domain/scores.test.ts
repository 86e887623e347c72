import { consensusRun, monthVerdict, riskRun } from '../../domain/scores';
import type { Score } from '../../domain/model';

const groups = ['huishouden', 'netwerk', 'professionals'] as const;
function month(date: string, v: number | [number, number, number], dangerId = 'g1'): Score[] {
  const values = Array.isArray(v) ? v : [v, v, v];
  return groups.map((group, i) => ({
    dangerId,
    group,
    value: values[i]!,
    observedBehaviour: 'gedrag',
    date,
    recordedAt: `${date}T10:00:00Z`,
    recordedBy: 'p',
  }));
}
const months = (start: number, n: number, v: number, year = 2026) =>
  Array.from({ length: n }, (_, i) => month(`${year}-${String(start + i).padStart(2, '0')}-10`, v)).flat();

describe('R-39 run of months at 6 or more', () => {
  test('six consecutive counting months give a run of six', () => {
    expect(riskRun(months(1, 6, 6), 'g1', '2026-06-20')).toBe(6);
  });

  test('the current month is open until it counts or breaks', () => {
    const scores = months(1, 5, 7);
    expect(riskRun(scores, 'g1', '2026-06-05')).toBe(5); // June open: run ends with May
    expect(riskRun([...scores, ...month('2026-06-03', 7)], 'g1', '2026-06-05')).toBe(6);
  });

  test('a score below 6 in the current month breaks the run at once', () => {
    const scores = [...months(1, 5, 7), { ...month('2026-06-02', 5)[0]! }];
    expect(riskRun(scores, 'g1', '2026-06-05')).toBe(0);
  });

  test('one group below 6 breaks the month even when the others score high', () => {
    expect(monthVerdict(month('2026-03-10', [8, 8, 5]), 'g1', '2026-03', 6, '2026-05')).toBe('breaks');
  });

  test('a dip to 5 in month 6 restarts the run; six more months are needed', () => {
    const scores = [...months(1, 5, 7), ...month('2026-06-10', 5), ...months(7, 6, 7)];
    expect(riskRun(scores, 'g1', '2026-06-20')).toBe(0);
    expect(riskRun(scores, 'g1', '2026-11-20')).toBe(5);
    expect(riskRun(scores, 'g1', '2026-12-20')).toBe(6);
  });

  test('a month in which not all three groups scored breaks the run once it ended', () => {
    const partial = month('2026-03-10', 8).slice(0, 2); // professionals missing
    const scores = [...months(1, 2, 7), ...partial, ...months(4, 3, 7)];
    expect(monthVerdict(scores, 'g1', '2026-03', 6, '2026-06')).toBe('breaks');
    expect(riskRun(scores, 'g1', '2026-06-20')).toBe(3);
  });

  test('a month with no score at all breaks the run', () => {
    const scores = [...months(1, 3, 7), ...months(5, 2, 7)];
    expect(riskRun(scores, 'g1', '2026-06-20')).toBe(2);
  });

  test('runs count per danger', () => {
    const scores = [...months(1, 6, 7), ...month('2026-06-10', 7, 'g2')];
    expect(riskRun(scores, 'g1', '2026-06-20')).toBe(6);
    expect(riskRun(scores, 'g2', '2026-06-20')).toBe(1);
  });

  test('runs cross a year boundary', () => {
    const scores = [...months(10, 3, 7, 2025), ...months(1, 3, 7, 2026)];
    expect(riskRun(scores, 'g1', '2026-03-15')).toBe(6);
  });
});

describe('R-46 consensus run at 7 or more', () => {
  test('a 6 is not consensus', () => {
    const scores = [...months(1, 1, 7), ...month('2026-02-10', [7, 6, 7])];
    expect(consensusRun(scores, 'g1', '2026-02-20')).toBe(0);
    expect(riskRun(scores, 'g1', '2026-02-20')).toBe(2);
  });
  test('two consecutive consensus months', () => {
    expect(consensusRun(months(3, 2, 8), 'g1', '2026-04-20')).toBe(2);
  });
});
