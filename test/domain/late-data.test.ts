/**
 * Late data, marked (issue 22): a November score entered on 4 December still counts, but the view
 * marks it "later ingevoerd" with both dates; evidence counts as late after `lateEvidenceDays`.
 */
import { duePlan } from '../../domain/deadlines/plan';
import { evidenceEnteredLate, LATE_LABEL, lateMark, scoreEnteredLate } from '../../domain/late-data';
import { DEFAULT_POLICY } from '../../domain/policy';
import { dangerScores, householdView } from '../../domain/view';
import { apply, household, REGISSEUR, VT } from '../support/state';

function withDanger() {
  let s = household('2026-11-02T09:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, '2026-11-02T10:00:00.000Z', 'defineDanger', REGISSEUR, { statement: 'Gevaar', safetyGoal: 'Doel' });
  return s;
}

const score = (date: string) => ({ dangerId: 'g1', group: 'huishouden' as const, value: 6, observedBehaviour: 'Rustig', date });

test('a November score entered on 4 December is marked late in the view, with both dates; on time it is not', () => {
  let s = withDanger();
  const dangerId = s.dangers[0]!.id;
  s = apply(s, '2026-11-20T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score('2026-11-20'), dangerId });
  s = apply(s, '2026-12-04T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score('2026-11-28'), dangerId, group: 'netwerk' });
  const view = householdView(s, new Date('2026-12-04T11:00:00.000Z'), DEFAULT_POLICY);
  expect(view.late.scores).toEqual([{ dangerId, group: 'netwerk', date: '2026-11-28', recordedAt: '2026-12-04T10:00:00.000Z' }]);
  // Still counted for the method: the score is in the state.
  expect(s.scores.filter((x) => x.date === '2026-11-28')).toHaveLength(1);
});

test('the month boundary is Amsterdam time, and imported history is never late', () => {
  // 30 November 23:30 UTC is already 1 December in Amsterdam.
  expect(scoreEnteredLate({ date: '2026-11-30', recordedAt: '2026-11-30T23:30:00.000Z', recordedBy: 'p' })).toBe(true);
  expect(scoreEnteredLate({ date: '2026-11-30', recordedAt: '2026-11-30T22:30:00.000Z', recordedBy: 'p' })).toBe(false);
  expect(scoreEnteredLate({ date: '2026-01-30', recordedAt: '2026-11-30T10:00:00.000Z', recordedBy: 'import' })).toBe(false);
});

test('evidence is late only after lateEvidenceDays', () => {
  const days = DEFAULT_POLICY.lateEvidenceDays;
  const at = (d: string) => `${d}T10:00:00.000Z`;
  expect(evidenceEnteredLate({ date: '2026-03-02', recordedAt: at('2026-03-09'), recordedBy: 'p' }, DEFAULT_POLICY)).toBe(days < 7);
  expect(evidenceEnteredLate({ date: '2026-03-02', recordedAt: at('2026-03-20'), recordedBy: 'p' }, DEFAULT_POLICY)).toBe(true);
  expect(
    evidenceEnteredLate({ date: '2026-03-02', recordedAt: at('2026-03-20'), recordedBy: 'p' }, { ...DEFAULT_POLICY, lateEvidenceDays: 30 }),
  ).toBe(false);
});

test('the score chart data marks the late group of its month', () => {
  let s = withDanger();
  const dangerId = s.dangers[0]!.id;
  s = apply(s, '2026-12-04T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score('2026-11-28'), dangerId });
  const [chart] = dangerScores(s, new Date('2026-12-04T11:00:00.000Z'), DEFAULT_POLICY);
  expect(chart!.months.find((m) => m.month === '2026-11')?.late).toEqual(['huishouden']);
  expect(chart!.months.find((m) => m.month === '2026-12')?.late).toEqual([]);
  // The latest scores (shown next to the evaluation form) carry the mark too.
  expect(chart!.latest.huishouden).toEqual({ value: 6, date: '2026-11-28', late: true });
  expect(chart!.latest.netwerk).toBeNull();
});

test('a mail that shows a low score marks it when it was entered late, with both dates (R-39)', () => {
  let s = withDanger();
  const dangerId = s.dangers[0]!.id;
  s = { ...s, phase: 'risicogestuurd' };
  s = apply(s, '2026-12-04T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score('2026-11-28'), dangerId, value: 4, group: 'netwerk' });
  const low = duePlan(s, new Date('2026-12-04T11:00:00.000Z'), DEFAULT_POLICY).deadlines.find((d) => d.kind === 'scores_dalen');
  expect(low?.reason).toContain('netwerk scoort 4 (van 28 november 2026, later ingevoerd op 4 december 2026)');
  s = apply(s, '2026-12-05T10:00:00.000Z', 'recordScore', REGISSEUR, { ...score('2026-12-05'), dangerId, value: 3, group: 'netwerk' });
  const onTime = duePlan(s, new Date('2026-12-05T11:00:00.000Z'), DEFAULT_POLICY).deadlines.find((d) => d.kind === 'scores_dalen');
  expect(onTime?.reason).toContain('netwerk scoort 3,');
  expect(onTime?.reason).not.toContain(LATE_LABEL);
});

test('lateMark is empty on time', () => {
  expect(lateMark({ date: '2026-11-28', recordedAt: '2026-11-28T10:00:00.000Z' }, false)).toBe('');
});
