/**
 * Follow-up after closure (issue 22), pure: what the follow-up of a closed household asks and
 * when, the form's one score and explanation per danger, and the impact figure "scores at closure
 * and 3 and 6 months after" on a hand-built fixture, medians by hand, with small-number suppression.
 */
import { SUPPRESSION_REASON, type Figure } from '../../domain/disclosure';
import { followUpPlan, parseFollowUpRef, readFollowUpForm, type FollowUpScoreRow } from '../../domain/follow-up';
import { impactReport } from '../../domain/impact-report';
import type { ImpactHouseholdRow, ImpactRows } from '../../domain/impact-rows';
import { reportLines } from '../../domain/impact-csv';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';

const Q1 = { from: '2026-01-01', to: '2026-04-01' };
const v = (f: Figure) => (f.suppressed ? 'onderdrukt' : f.value);

function closed(id: string, closedAt: string | null, organisation = 'veilig-thuis'): ImpactHouseholdRow {
  return {
    householdId: id,
    intakeOrganisation: organisation,
    organisations: [organisation],
    closedAt,
    activeSocialNetwork: 3,
    startedAt: '2025-01-01T09:00:00.000Z',
    directSafetyAt: null,
    stableSafetyAt: null,
  };
}

const score = (householdId: string, moment: number, group: string, value: number, dangerId = 'd-1'): FollowUpScoreRow => ({
  householdId,
  moment,
  group,
  dangerId,
  value,
});

/**
 * Six households closed in Q1 and one closed before it. At closure the household scored (per
 * danger) 7,7,8,6,7 and 9; at 3 months five of them answered (two dangers for hh-1); at 6 months
 * only four: that figure is suppressed. The network answered at closure only.
 */
function fixture(): ImpactRows {
  const households = [
    ...['hh-1', 'hh-2', 'hh-3', 'hh-4', 'hh-5'].map((id) => closed(id, '2026-02-10T10:00:00.000Z')),
    closed('hh-6', '2026-03-20T10:00:00.000Z', 'lokaal-team'),
    closed('hh-old', '2025-11-01T10:00:00.000Z'),
  ];
  const followUpScores = [
    score('hh-1', 0, 'huishouden', 7),
    score('hh-2', 0, 'huishouden', 7),
    score('hh-3', 0, 'huishouden', 8),
    score('hh-4', 0, 'huishouden', 6),
    score('hh-5', 0, 'huishouden', 7),
    score('hh-6', 0, 'huishouden', 9),
    ...['hh-1', 'hh-2', 'hh-3', 'hh-4', 'hh-5', 'hh-6'].map((id) => score(id, 0, 'netwerk', 8)),
    score('hh-1', 3, 'huishouden', 5),
    score('hh-1', 3, 'huishouden', 9, 'd-2'),
    score('hh-2', 3, 'huishouden', 6),
    score('hh-3', 3, 'huishouden', 8),
    score('hh-4', 3, 'huishouden', 4),
    score('hh-5', 3, 'huishouden', 7),
    ...['hh-1', 'hh-2', 'hh-3', 'hh-4'].map((id) => score(id, 6, 'huishouden', 8)),
    // Closed before the period: never counted in it.
    score('hh-old', 3, 'huishouden', 0),
    score('hh-old', 6, 'huishouden', 0),
  ];
  return { households, phases: [], escalations: [], handovers: [], lateEntries: [], followUpScores };
}

test('the impact figure: median per moment and group of the households closed in the period, small numbers suppressed', () => {
  const r = impactReport(fixture(), Q1, DEFAULT_POLICY);
  const table = r.scoresAfterClosure.map((f) => [f.moment, f.group, v(f.households), v(f.median)]);
  expect(table).toEqual([
    // 6,7,7,7,8,9: median (7+7)/2.
    [0, 'huishouden', 6, 7],
    [0, 'netwerk', 6, 8],
    // 4,5,6,7,8,9 (hh-1 has two dangers): median (6+7)/2; hh-old's 0 left out.
    [3, 'huishouden', 5, 6.5],
    [3, 'netwerk', 0, null],
    // Four households: suppressed, value and count alike.
    [6, 'huishouden', 'onderdrukt', 'onderdrukt'],
    [6, 'netwerk', 0, null],
  ]);
  const six = r.scoresAfterClosure.find((f) => f.moment === 6 && f.group === 'huishouden')!;
  expect(six.median).toEqual({ suppressed: true, reason: SUPPRESSION_REASON });
  // The CSV carries the same figures, suppressed ones marked.
  const lines = reportLines(r).filter((l) => l.section === 'scores na afsluiting');
  expect(lines.find((l) => l.part === '3 maanden na afsluiting: huishouden' && l.measure === 'mediaan score')!.value).toEqual({
    suppressed: false,
    value: 6.5,
  });
  expect(lines.find((l) => l.part === '6 maanden na afsluiting: huishouden' && l.measure === 'mediaan score')!.value).toEqual(six.median);
});

test('per organisation: only its households count, and five of them are too few at 6 months', () => {
  const r = impactReport(fixture(), { ...Q1, organisation: 'lokaal-team' }, DEFAULT_POLICY);
  const atClosure = r.scoresAfterClosure.find((f) => f.moment === 0 && f.group === 'huishouden')!;
  expect(v(atClosure.households)).toBe('onderdrukt');
  const vt = impactReport(fixture(), { ...Q1, organisation: 'veilig-thuis' }, DEFAULT_POLICY);
  expect(v(vt.scoresAfterClosure.find((f) => f.moment === 0 && f.group === 'huishouden')!.median)).toBe(7);
});

function closedState(over: Partial<HouseholdState> = {}): HouseholdState {
  const score = (group: 'huishouden' | 'netwerk' | 'professionals', value: number, date: string) => ({
    dangerId: 'd-1',
    group,
    value,
    observedBehaviour: `txt:${group}-${date}`,
    date,
    recordedAt: `${date}T10:00:00.000Z`,
    recordedBy: 'p-1',
  });
  return {
    householdId: 'hh-x',
    phase: 'afgesloten',
    closedAt: '2026-01-30T14:00:00.000Z',
    roles: { casusregisseur: { professionalId: 'p-regie', organisation: 'lokaal-team', since: '2025-01-01' } },
    dangers: [{ id: 'd-1', priority: 1, statement: 'txt:statement', safetyGoal: 'txt:goal', definedAt: '2025-01-01', revisions: 0 }],
    scores: [
      score('huishouden', 5, '2025-12-01'),
      score('huishouden', 7, '2026-01-05'),
      score('netwerk', 8, '2026-01-05'),
      score('professionals', 6, '2026-01-05'),
    ],
    ...over,
  } as unknown as HouseholdState;
}

test('the plan of a closed household: only with consent; the last household and network scores; working mornings at 3 and 6 months', () => {
  expect(followUpPlan(closedState(), DEFAULT_POLICY)).toBeUndefined();
  const policy = Policy.parse({ followUp: { consent: true } });
  expect(policy.followUp.linkDays).toBe(28);
  const plan = followUpPlan(closedState(), policy)!;
  expect(plan.recipient).toEqual({ professionalId: 'p-regie', organisation: 'lokaal-team' });
  expect(plan.closureScores.map((s) => [s.group, s.value])).toEqual([
    ['huishouden', 7],
    ['netwerk', 8],
  ]);
  // 30 January + 3 months is 30 April 2026 (a Thursday), 09:00 Amsterdam (summer time); + 6 months
  // is 30 July 2026 (a Thursday).
  expect(plan.requests).toEqual([
    { months: 3, at: '2026-04-30T07:00:00.000Z' },
    { months: 6, at: '2026-07-30T07:00:00.000Z' },
  ]);
  expect(followUpPlan(closedState({ phase: 'herstel', closedAt: undefined }), policy)).toBeUndefined();
});

test('the form takes one score (0-10) and a short explanation per danger, nothing else', () => {
  const dangers = [{ id: 'd-1' }, { id: 'd-2' }];
  expect(readFollowUpForm(dangers, { 'score_d-1': '0', 'toelichting_d-1': 'a', 'score_d-2': '10', 'toelichting_d-2': 'b' })).toEqual({
    answers: [
      { dangerId: 'd-1', value: 0, explanation: 'a' },
      { dangerId: 'd-2', value: 10, explanation: 'b' },
    ],
    errors: {},
  });
  const bad = readFollowUpForm(dangers, { 'score_d-1': '7.5', 'toelichting_d-1': 'x'.repeat(1001), 'score_d-2': ['3', '4'], extra: '1' });
  expect(bad.answers).toEqual([]);
  expect(Object.keys(bad.errors).sort()).toEqual(['_form', 'score_d-1', 'score_d-2', 'toelichting_d-1', 'toelichting_d-2']);
  expect(parseFollowUpRef('3:netwerk')).toEqual({ months: 3, group: 'netwerk' });
  expect(parseFollowUpRef('4:netwerk')).toBeUndefined();
  expect(parseFollowUpRef('3:professionals')).toBeUndefined();
});
