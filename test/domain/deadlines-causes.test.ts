/**
 * Each cause of the deadline plan on its own (domain/deadlines/*.ts): called directly with a small
 * state, it is due when its rule says, absent once the rule is satisfied, and it cites its rule.
 */
import { CAUSES, deadlines, levelAt, type Cause, type Deadline } from '../../domain/deadlines';
import { chairEvaluationCause } from '../../domain/deadlines/chair-evaluation';
import { childConversationCause } from '../../domain/deadlines/child-conversation';
import { controleCause } from '../../domain/deadlines/controle';
import { handoverCause, handoverNotices } from '../../domain/deadlines/handover';
import { huisverbodCause } from '../../domain/deadlines/huisverbod';
import { networkMeetingCause } from '../../domain/deadlines/network-meeting';
import { ownerCause } from '../../domain/deadlines/owner';
import { phaseDurationCause } from '../../domain/deadlines/phase-duration';
import { professionalsMeetingCause } from '../../domain/deadlines/professionals-meeting';
import { scoresCause } from '../../domain/deadlines/scores';
import { teamConsultationCause } from '../../domain/deadlines/team-consultation';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apply, household, PLANNER, REGISSEUR, scoreAll, VT } from '../support/state';

// Monday 2 March 2026, 11:00 Amsterdam: no holiday within two weeks either side.
const T0 = '2026-03-02T10:00:00.000Z';
const run = (cause: Cause, s: HouseholdState, at: string): Deadline[] => cause(s, new Date(at), DEFAULT_POLICY);
const only = (cause: Cause, s: HouseholdState, at: string): Deadline => {
  const out = run(cause, s, at);
  expect(out).toHaveLength(1);
  return out[0]!;
};
/** The level a cause has reached at an instant. */
const level = (d: Deadline, at: string) => levelAt(d, new Date(at)).level;

/** Phase Veiligheid with owner and casusregisseur, from T0. */
const safety = () => household(T0, { owner: VT, casusregisseur: REGISSEUR });
/** Phase Risico gestuurd from T0 (an override), with one danger g1. */
function risk(): HouseholdState {
  const s = apply(safety(), T0, 'defineDanger', REGISSEUR, { statement: 'Gevaar', safetyGoal: 'Doel' });
  return apply(s, T0, 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: 'Test: direct naar risico gestuurd.' });
}
/** Phase Herstel from 3 March (an override). */
const recovery = () =>
  apply(risk(), '2026-03-03T10:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'herstel', justification: 'Test: door naar herstel.' });
const evidence = (s: HouseholdState, item: string, date: string) =>
  apply(s, `${date}T10:00:00.000Z`, 'recordEvidence', REGISSEUR, { item, date } as never);

test('R-02 ownerCause: due while Afstemming has no owner (reminder after 2, ladder after 5 working days); absent with one', () => {
  const s = household(T0);
  const d = only(ownerCause, s, T0);
  expect(d).toMatchObject({
    rule: 'R-02',
    key: 'R-02:eigenaar',
    remindAt: '2026-03-04T08:00:00.000Z',
    overdueAt: '2026-03-09T08:00:00.000Z',
  });
  expect(level(d, '2026-03-09T07:59:00.000Z')).toBe(0);
  expect(level(d, '2026-03-09T08:00:00.000Z')).toBe(1);
  expect(run(ownerCause, apply(s, T0, 'assignRole', VT, { role: 'eigenaar_veiligheid', professional: VT }), T0)).toEqual([]);
});

test('R-13 childConversationCause: due 14 days into Veiligheid; absent once every child is spoken to', () => {
  const s = safety();
  const d = only(childConversationCause, s, T0);
  expect(d).toMatchObject({ rule: 'R-13', overdueAt: '2026-03-16T08:00:00.000Z', remedy: { action: 'bewijs', ref: 'kindgesprek' } });
  expect(d.key.startsWith('R-13:')).toBe(true);
  const spoken = apply(s, '2026-03-05T10:00:00.000Z', 'recordEvidence', VT, {
    item: 'kindgesprek',
    date: '2026-03-05',
    members: ['kind-1'],
  });
  expect(run(childConversationCause, spoken, '2026-03-05T10:00:00.000Z')).toEqual([]);
  expect(run(childConversationCause, household(T0), T0)).toEqual([]); // Afstemming: not yet
});

describe('R-32, R-39, R-46 scoresCause', () => {
  test('R-32: a reminder on the 20th while this month is unscored; absent once all three groups scored', () => {
    const d = only(scoresCause, risk(), '2026-03-03T10:00:00.000Z');
    expect(d).toMatchObject({ rule: 'R-32', kind: 'score', key: 'R-32:score:g1:2026-03', remindAt: '2026-03-20T08:00:00.000Z' });
    expect(run(scoresCause, scoreAll(risk(), '2026-03-03', 'g1', 7), '2026-03-03T10:00:00.000Z')).toEqual([]);
  });

  test('R-32 / R-39: a month that ended unscored (after the grace month) escalates from the 1st until scored again', () => {
    const s = scoreAll(risk(), '2026-03-03', 'g1', 7);
    const missing = run(scoresCause, s, '2026-05-02T10:00:00.000Z').find((d) => d.kind === 'scores_ontbreken')!;
    expect(missing).toMatchObject({ rule: 'R-32', key: 'R-32:ontbreekt:g1:2026-04', overdueAt: '2026-05-01T07:00:00.000Z' });
    expect(run(scoresCause, scoreAll(s, '2026-05-02', 'g1', 7), '2026-05-02T10:00:00.000Z')).toEqual([]);
  });

  test('R-39 (R-46 in Herstel): a score under 6 escalates at once; absent when the latest scores are 6 or more', () => {
    const low = scoreAll(risk(), '2026-03-03', 'g1', [7, 5, 7]);
    const d = only(scoresCause, low, '2026-03-03T12:00:00.000Z');
    expect(d).toMatchObject({ rule: 'R-39', kind: 'scores_dalen', key: 'R-39:daling:g1:2026-03-03' });
    expect(level(d, '2026-03-03T12:00:00.000Z')).toBe(1);
    expect(run(scoresCause, scoreAll(low, '2026-03-04', 'g1', 6), '2026-03-04T12:00:00.000Z')).toEqual([]);
    const inRecovery = scoreAll(recovery(), '2026-03-04', 'g1', [7, 5, 7]);
    expect(only(scoresCause, inRecovery, '2026-03-04T12:00:00.000Z').rule).toBe('R-46');
  });

  test('not in Veiligheid', () => {
    expect(run(scoresCause, safety(), T0)).toEqual([]);
  });
});

test('R-36 / R-46 networkMeetingCause: a netwerkberaad a month after the last one; recording one moves it on', () => {
  const s = risk();
  const d = only(networkMeetingCause, s, T0);
  expect(d).toMatchObject({ rule: 'R-36', key: 'R-36:netwerkberaad:2026-04-01', meetingAt: '2026-04-01T08:00:00.000Z' });
  expect(level(d, '2026-04-08T07:00:00.000Z')).toBe(1);
  // The one due on 1 April is satisfied by a netwerkberaad: the next is a new cause, a month later.
  const met = evidence(s, 'netwerkberaad', '2026-03-25');
  expect(run(networkMeetingCause, met, '2026-03-25T10:00:00.000Z').map((x) => x.key)).toEqual(['R-36:netwerkberaad:2026-04-24']);
  expect(only(networkMeetingCause, recovery(), '2026-03-03T10:00:00.000Z').rule).toBe('R-46');
  expect(run(networkMeetingCause, safety(), T0)).toEqual([]);
});

test('R-49 chairEvaluationCause: planned in Herstel; absent once the evaluation is recorded', () => {
  const s = recovery();
  const d = only(chairEvaluationCause, s, '2026-03-03T10:00:00.000Z');
  expect(d).toMatchObject({ rule: 'R-49', kind: 'evaluatie_netwerkvoorzitter', meetingAt: '2026-06-01T08:00:00.000Z' });
  expect(d.key.startsWith('R-49:')).toBe(true);
  expect(run(chairEvaluationCause, evidence(s, 'evaluatie_netwerkvoorzitter', '2026-04-01'), '2026-04-01T10:00:00.000Z')).toEqual([]);
  expect(run(chairEvaluationCause, risk(), T0)).toEqual([]);
});

test('R-48 professionalsMeetingCause: planned in Herstel at 14:00; absent once the meeting is recorded', () => {
  const s = recovery();
  const d = only(professionalsMeetingCause, s, '2026-03-03T10:00:00.000Z');
  expect(d).toMatchObject({ rule: 'R-48', kind: 'professionaloverleg', meetingAt: '2026-07-01T12:00:00.000Z' });
  expect(d.key.startsWith('R-48:')).toBe(true);
  expect(run(professionalsMeetingCause, evidence(s, 'professionaloverleg', '2026-04-01'), '2026-04-01T10:00:00.000Z')).toEqual([]);
  expect(run(professionalsMeetingCause, risk(), T0)).toEqual([]);
});

test('R-60 controleCause: due 28 days into the phase, the ladder 14 days later; a controle satisfies it and starts again', () => {
  const s = safety();
  const d = only(controleCause, s, T0);
  expect(d).toMatchObject({ rule: 'R-60', key: 'R-60:controle:2026-03-30', remindAt: '2026-03-30T07:00:00.000Z' });
  expect(d.overdueAt).toBe('2026-04-13T07:00:00.000Z');
  const checked = apply(s, '2026-03-20T10:00:00.000Z', 'recordEvidence', REGISSEUR, {
    item: 'controle',
    date: '2026-03-20',
    visit: { kind: 'gepland', by: 'netwerk' },
  });
  expect(run(controleCause, checked, '2026-03-20T10:00:00.000Z').map((x) => x.key)).toEqual(['R-60:controle:2026-04-17']);
  expect(run(controleCause, household(T0), T0)).toEqual([]); // Afstemming
});

test('R-63 teamConsultationCause: a reminder 21 days into the phase, never a ladder; absent once recorded', () => {
  const s = safety();
  const d = only(teamConsultationCause, s, T0);
  expect(d).toMatchObject({ rule: 'R-63', key: 'R-63:teamoverleg:veiligheid:2026-03-02', remindAt: '2026-03-23T08:00:00.000Z' });
  expect(d.ladder).toBeUndefined();
  expect(run(teamConsultationCause, evidence(s, 'teamoverleg', '2026-03-10'), '2026-03-10T10:00:00.000Z')).toEqual([]);
  expect(run(teamConsultationCause, household(T0), T0)).toEqual([]); // Afstemming
});

test('R-24 handoverCause: an open handover reminds both professionals, escalates after 7 days; absent once the start is confirmed', () => {
  const s = apply(safety(), T0, 'startHandover', REGISSEUR, { role: 'casusregisseur', to: PLANNER, reason: 'expertise' });
  const d = only(handoverCause, s, T0);
  const id = s.handovers[0]!.id;
  expect(d).toMatchObject({
    rule: 'R-24',
    key: `R-24:overdracht:${id}`,
    remindAt: '2026-03-05T10:00:00.000Z',
    overdueAt: '2026-03-09T10:00:00.000Z',
    remedy: { action: 'overdracht_start', ref: id, for: ['p-plan'] },
  });
  expect(d.responsible.map((p) => p.professionalId)).toEqual(['p-regie', 'p-plan']);
  const started = apply(s, '2026-03-04T10:00:00.000Z', 'confirmHandover', PLANNER, {
    handoverId: id,
    startDate: '2026-03-04',
    householdPresent: true,
  });
  expect(run(handoverCause, started, '2026-03-04T10:00:00.000Z')).toEqual([]);
});

test('R-25 huisverbodCause: the ladder runs back from the end in working hours; absent once the planner has started', () => {
  const s = apply(household(T0, { owner: VT }), T0, 'registerHuisverbod', VT, {
    startDate: '2026-03-02',
    startTime: '02:00',
    guidedBy: VT,
  });
  const d = only(huisverbodCause, s, T0);
  expect(d).toMatchObject({ rule: 'R-25', urgentBefore: '2026-03-12T01:00:00.000Z' });
  expect(d.key.startsWith('R-25:')).toBe(true);
  expect(d.ladder).toEqual(['2026-03-09T15:00:00.000Z', '2026-03-10T15:00:00.000Z', '2026-03-11T15:00:00.000Z']);
  let done = apply(s, '2026-03-03T10:00:00.000Z', 'startHandover', VT, {
    role: 'veiligheidsplanner',
    from: VT,
    to: PLANNER,
    reason: 'huisverbod',
  });
  done = apply(done, '2026-03-04T10:00:00.000Z', 'confirmHandover', PLANNER, {
    handoverId: done.handovers[0]!.id,
    startDate: '2026-03-04',
    householdPresent: true,
  });
  expect(run(huisverbodCause, done, '2026-03-04T10:00:00.000Z')).toEqual([]);
});

test('R-62 phaseDurationCause: Veiligheid is expected to take 56 days; a new phase starts a new cause; none in Afstemming', () => {
  const d = only(phaseDurationCause, safety(), T0);
  expect(d).toMatchObject({ rule: 'R-62', key: 'R-62:fase:veiligheid:2026-03-02', overdueAt: '2026-04-27T07:00:00.000Z' });
  expect(run(phaseDurationCause, risk(), T0).map((x) => x.key)).toEqual(['R-62:fase:risicogestuurd:2026-03-02']);
  expect(run(phaseDurationCause, household(T0), T0)).toEqual([]);
});

test('deadlines() only combines the causes, in their order, and nothing once the household is closed', () => {
  const s = apply(safety(), T0, 'startHandover', REGISSEUR, { role: 'casusregisseur', to: PLANNER, reason: 'expertise' });
  const now = new Date(T0);
  expect(deadlines(s, now, DEFAULT_POLICY)).toEqual(CAUSES.flatMap((c) => c(s, now, DEFAULT_POLICY)));
  const closed = apply(s, T0, 'requestTransition', REGISSEUR, { to: 'afgesloten', justification: 'Test: gesloten.' });
  expect(deadlines(closed, now, DEFAULT_POLICY)).toEqual([]);
});

describe('R-24 said out loud: the handover notices', () => {
  const base = {
    id: 'h1',
    role: 'casusregisseur' as const,
    from: { professionalId: 'p-a', organisation: 'lokaal-team' },
    to: { professionalId: 'p-b', organisation: 'jeugdformaat' },
    reason: 'expertise' as const,
    requestedAt: '2026-03-03T09:00:00.000Z',
    requestedBy: 'p-a',
  };
  test('a request not yet told goes to the incoming; a start not yet told to the outgoing; told ones and withdrawn ones never again', () => {
    expect(handoverNotices({ handovers: [base] }).map((n) => n.step)).toEqual(['gevraagd']);
    expect(handoverNotices({ handovers: [{ ...base, requestNoticed: true }] })).toEqual([]);
    const started = { ...base, requestNoticed: true, confirmedAt: '2026-03-05T09:00:00.000Z', startDate: '2026-03-05' };
    expect(handoverNotices({ handovers: [started] }).map((n) => n.step)).toEqual(['gestart']);
    expect(handoverNotices({ handovers: [{ ...started, startNoticed: true }] })).toEqual([]);
    expect(handoverNotices({ handovers: [{ ...base, cancelledAt: '2026-03-04T09:00:00.000Z' }] })).toEqual([]);
  });
});
