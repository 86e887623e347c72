/** The deadline plan: what is due, when, why, and how escalations climb (ROUTEKAART.md section 6). */
import { unmetCriteria } from '../../domain/criteria';
import { duePlan, levelAt, type Deadline } from '../../domain/deadlines';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { isWorkingDay } from '../../domain/calendar';
import { amsterdamDay } from '../../domain/time';
import { householdView } from '../../domain/view';
import { apply, household, PLANNER, REGISSEUR, scoreAll, VT } from '../support/state';

const plan = (s: HouseholdState, at: string) => duePlan(s, new Date(at), DEFAULT_POLICY);
const find = (s: HouseholdState, at: string, kind: string): Deadline | undefined => plan(s, at).deadlines.find((d) => d.kind === kind);

test('R-02: reminder after 2 working days, escalation after 5, ladder to level 3', () => {
  const s = household('2026-11-27T10:00:00.000Z'); // a Friday
  const d = find(s, '2026-11-27T10:00:00.000Z', 'eigenaar_ontbreekt')!;
  expect(d.remindAt).toBe('2026-12-01T08:00:00.000Z');
  expect(d.overdueAt).toBe('2026-12-04T08:00:00.000Z');
  expect(levelAt(d, new Date('2026-12-04T07:59:00Z')).level).toBe(0);
  expect(levelAt(d, new Date('2026-12-04T08:00:00Z')).level).toBe(1);
  expect(levelAt(d, new Date('2026-12-11T08:00:00Z')).level).toBe(2);
  expect(levelAt(d, new Date('2026-12-18T08:00:00Z')).level).toBe(3);
});

test('R-13: the child conversation is due 14 days after phase Veiligheid starts, and disappears once recorded', () => {
  const s = household('2026-03-02T10:00:00.000Z', { owner: VT });
  const d = find(s, '2026-03-02T10:00:00.000Z', 'kindgesprek')!;
  expect(d.overdueAt).toBe('2026-03-16T08:00:00.000Z');
  const done = apply(s, '2026-03-05T10:00:00.000Z', 'recordEvidence', VT, { item: 'kindgesprek', date: '2026-03-05', members: ['kind-1'] });
  expect(find(done, '2026-03-05T10:00:00.000Z', 'kindgesprek')).toBeUndefined();
});

test('R-13: the owner of phase Veiligheid, who runs the phase, is reminded together with the casusregisseur', () => {
  const s = household('2026-03-02T10:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
  expect(find(s, '2026-03-02T10:00:00.000Z', 'kindgesprek')!.responsible.map((p) => p.professionalId)).toEqual(['p-vt', 'p-regie']);
});

test('R-13: every child is spoken to; the reminder names who is still missing', () => {
  let s = household('2026-03-02T10:00:00.000Z', { owner: VT });
  s = apply(s, '2026-03-02T10:00:00.000Z', 'addHouseholdMember', VT, { ref: 'kind-2', isChild: true });
  s = apply(s, '2026-03-03T10:00:00.000Z', 'recordEvidence', VT, { item: 'kindgesprek', date: '2026-03-03', members: ['kind-1'] });
  expect(find(s, '2026-03-03T10:00:00.000Z', 'kindgesprek')!.reason).toContain('nog niet gesproken: kind-2');
});

test('R-24: an open handover reminds outgoing and incoming every 3 days and escalates after 7', () => {
  let s = household('2026-03-02T10:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, '2026-03-02T10:00:00.000Z', 'startHandover', REGISSEUR, {
    role: 'casusregisseur',
    to: PLANNER,
    reason: 'voorkeur_huishouden',
  });
  const p = plan(s, '2026-03-08T10:00:00.000Z');
  const h = p.deadlines.find((d) => d.kind === 'overdracht')!;
  expect(h.responsible.map((r) => r.professionalId)).toEqual(['p-regie', 'p-plan']);
  // Every 3 days from the request (Monday 11:00): Thursday 11:00; Sunday's falls on Monday 09:00 (inside working hours).
  expect(p.dueReminders.find((r) => r.deadline.kind === 'overdracht')?.at).toBe('2026-03-05T10:00:00.000Z');
  expect(p.nextWakeAt).toBe('2026-03-09T08:00:00.000Z');
  expect(levelAt(h, new Date('2026-03-09T10:00:00.000Z')).level).toBe(1);
});

test('R-24, never silent: a handover open for 60 days keeps the outgoing professional and, at level 3, the coordinator mailed weekly', () => {
  let s = household('2026-03-02T10:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, '2026-03-02T10:00:00.000Z', 'startHandover', REGISSEUR, { role: 'casusregisseur', to: PLANNER, reason: 'expertise' });
  const repeats = new Set<string>();
  for (let day = 22; day <= 60; day++) {
    const at = new Date(Date.parse('2026-03-02T10:00:00.000Z') + day * 86_400_000);
    const p = duePlan(s, at, DEFAULT_POLICY);
    expect(p.levels.find((l) => l.deadline.kind === 'overdracht')?.level).toBe(3);
    for (const r of p.dueRepeats) if (r.deadline.kind === 'overdracht') repeats.add(r.at);
  }
  // Level 3 on day 21 (23 March); repeats weekly from then on, all on working days inside working hours.
  // Level 3 on day 21 (Monday 23 March 11:00); repeated weekly, each inside working hours on a working day.
  expect([...repeats].sort()).toEqual([
    '2026-03-30T10:00:00.000Z',
    '2026-04-07T07:00:00.000Z', // Easter Monday 6 April is a holiday: Tuesday 09:00
    '2026-04-13T10:00:00.000Z',
    '2026-04-20T10:00:00.000Z',
    '2026-04-28T07:00:00.000Z', // Koningsdag 27 April: Tuesday 09:00
  ]);
  for (const at of repeats) expect(insideWorkingHours(at)).toBe(true);
  const level3 = duePlan(s, new Date('2026-04-14T10:00:00.000Z'), DEFAULT_POLICY).levels.find((l) => l.deadline.kind === 'overdracht')!;
  expect(level3.level).toBe(3);
});

test('R-25: a huisverbod without a veiligheidsplanner handover climbs the ladder in working hours before it ends', () => {
  let s = household('2026-03-02T10:00:00.000Z', { owner: VT });
  s = apply(s, '2026-03-02T10:00:00.000Z', 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '02:00', guidedBy: VT });
  const d = find(s, '2026-03-02T10:00:00.000Z', 'huisverbod')!;
  // Ends Thursday 12 March 02:00 (01:00 UTC). 48, 24 and 8 hours before fall on Tuesday 02:00, Wednesday 02:00 and
  // Wednesday 18:00: outside working hours, so each moves back to 16:00 of the working day before.
  expect(s.huisverbod?.endAt).toBe('2026-03-12T01:00:00.000Z');
  expect(d.ladder).toEqual(['2026-03-09T15:00:00.000Z', '2026-03-10T15:00:00.000Z', '2026-03-11T15:00:00.000Z']);
  expect(levelAt(d, new Date('2026-03-11T15:00:00.000Z')).level).toBe(3);
  // A confirmed handover to the veiligheidsplanner removes the cause.
  s = apply(s, '2026-03-03T10:00:00.000Z', 'startHandover', VT, {
    role: 'veiligheidsplanner',
    from: VT,
    to: PLANNER,
    reason: 'huisverbod',
  });
  s = apply(s, '2026-03-04T10:00:00.000Z', 'confirmHandover', PLANNER, {
    handoverId: s.handovers[0]!.id,
    startDate: '2026-03-04',
    householdPresent: true,
  });
  expect(find(s, '2026-03-04T10:00:00.000Z', 'huisverbod')).toBeUndefined();
});

describe('R-32 monthly scores in phase Risico gestuurd', () => {
  function risk(): HouseholdState {
    let s = household('2026-01-05T10:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR });
    s = apply(s, '2026-01-05T10:00:00.000Z', 'defineDanger', REGISSEUR, { statement: 'G', safetyGoal: 'D' });
    return apply(s, '2026-01-06T10:00:00.000Z', 'requestTransition', REGISSEUR, {
      to: 'risicogestuurd',
      justification: 'Test: direct door naar risico gestuurd.',
    });
  }

  test('a reminder on the 20th when the month is not yet scored; none once all three groups scored', () => {
    const s = risk();
    expect(find(s, '2026-02-03T10:00:00.000Z', 'score')?.remindAt).toBe('2026-02-20T08:00:00.000Z');
    expect(find(scoreAll(s, '2026-02-03', 'g1', 7), '2026-02-03T10:00:00.000Z', 'score')).toBeUndefined();
  });

  test('the plan shows when the reminder really goes out: the 20th of December 2026 is a Sunday, the mail goes on Monday 21st at 09:00', () => {
    const s = risk();
    const at = '2026-12-03T10:00:00.000Z';
    expect(find(s, at, 'score')?.remindAt).toBe('2026-12-20T08:00:00.000Z');
    const item = householdView(s, new Date(at), DEFAULT_POLICY).plan.find((p) => p.kind === 'score')!;
    expect(item.remindAt).toBe('2026-12-21T08:00:00.000Z');
    expect(isWorkingDay(amsterdamDay(new Date(item.remindAt!)))).toBe(true);
  });

  test('a month that ended unscored escalates until the danger is scored again', () => {
    const s = scoreAll(risk(), '2026-02-03', 'g1', 7);
    expect(find(s, '2026-03-25T10:00:00.000Z', 'scores_ontbreken')).toBeUndefined();
    const d = find(s, '2026-04-02T10:00:00.000Z', 'scores_ontbreken')!;
    expect(d.overdueAt).toBe('2026-04-01T07:00:00.000Z');
    expect(find(scoreAll(s, '2026-04-02', 'g1', 7), '2026-04-02T10:00:00.000Z', 'scores_ontbreken')).toBeUndefined();
  });

  test('scores falling below 6 escalate at once', () => {
    const s = scoreAll(risk(), '2026-02-03', 'g1', [7, 4, 7]);
    const d = find(s, '2026-02-03T10:00:00.000Z', 'scores_dalen')!;
    expect(levelAt(d, new Date('2026-02-03T10:00:00.000Z')).level).toBe(1);
  });

  test('the plan wakes the workflow at the next month boundary', () => {
    expect(plan(scoreAll(risk(), '2026-02-21', 'g1', 7), '2026-02-25T10:00:00.000Z').nextWakeAt! <= '2026-03-01T00:00:00.000Z').toBe(true);
  });
});

describe('meetings and stalling phases (R-36, R-48, R-49, R-62)', () => {
  function inRisk(at: string): HouseholdState {
    const s = household(at, { owner: VT, casusregisseur: REGISSEUR });
    return apply(s, at, 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: 'Test: direct naar risico gestuurd.' });
  }

  test('R-36: the next netwerkberaad is due 30 days after the last one, with an invite at 10:00', () => {
    let s = inRisk('2026-03-02T10:00:00.000Z');
    expect(find(s, '2026-03-02T10:00:00.000Z', 'netwerkberaad')?.meetingAt).toBe('2026-04-01T08:00:00.000Z');
    s = apply(s, '2026-03-20T10:00:00.000Z', 'recordEvidence', REGISSEUR, { item: 'netwerkberaad', date: '2026-03-20' });
    const d = find(s, '2026-03-20T10:00:00.000Z', 'netwerkberaad')!;
    // Due Sunday 19 April: the invite is for Monday 10:00.
    expect(d.meetingAt).toBe('2026-04-20T08:00:00.000Z');
    expect(d.remindAt).toBe('2026-04-12T07:00:00.000Z');
    expect(d.overdueAt).toBe('2026-04-26T07:00:00.000Z');
  });

  test('R-48 and R-49: in Herstel, the professionals meeting and the chair evaluation are planned until recorded', () => {
    let s = apply(inRisk('2026-03-02T10:00:00.000Z'), '2026-03-03T10:00:00.000Z', 'requestTransition', REGISSEUR, {
      to: 'herstel',
      justification: 'Test: door naar herstel.',
    });
    expect(find(s, '2026-03-03T10:00:00.000Z', 'professionaloverleg')?.meetingAt).toBe('2026-07-01T12:00:00.000Z');
    expect(find(s, '2026-03-03T10:00:00.000Z', 'evaluatie_netwerkvoorzitter')?.meetingAt).toBe('2026-06-01T08:00:00.000Z');
    s = apply(s, '2026-04-01T10:00:00.000Z', 'recordEvidence', REGISSEUR, { item: 'professionaloverleg', date: '2026-04-01' });
    s = apply(s, '2026-04-01T10:00:00.000Z', 'recordEvidence', REGISSEUR, { item: 'evaluatie_netwerkvoorzitter', date: '2026-04-01' });
    expect(find(s, '2026-04-01T10:00:00.000Z', 'professionaloverleg')).toBeUndefined();
    expect(find(s, '2026-04-01T10:00:00.000Z', 'evaluatie_netwerkvoorzitter')).toBeUndefined();
  });

  test('R-62: a phase taking longer than expected escalates (Veiligheid: 56 days)', () => {
    const s = household('2026-03-02T10:00:00.000Z', { owner: VT });
    const d = find(s, '2026-03-02T10:00:00.000Z', 'fase_duurt_lang')!;
    expect(d.overdueAt).toBe('2026-04-27T07:00:00.000Z');
    expect(levelAt(d, new Date('2026-05-04T07:00:00.000Z')).level).toBe(2);
    expect(levelAt(d, new Date('2026-05-11T07:00:00.000Z')).level).toBe(3);
  });

  test('nothing is planned for a closed household', () => {
    const s = apply(
      household('2026-03-02T10:00:00.000Z', { owner: VT, casusregisseur: REGISSEUR }),
      '2026-03-02T10:00:00.000Z',
      'requestTransition',
      REGISSEUR,
      { to: 'afgesloten', justification: 'Test: gesloten.' },
    );
    expect(plan(s, '2026-06-02T10:00:00.000Z').deadlines).toEqual([]);
  });
});

describe('R-60 controle and R-63 team consultation, in every phase after Afstemming', () => {
  // Phase Veiligheid starts Monday 2 March 2026; summer time starts 29 March, Easter Monday is 6 April.
  const T0 = '2026-03-02T10:00:00.000Z';
  const visit = { kind: 'onaangekondigd', by: 'netwerk' } as const;
  const controle = (s: HouseholdState, at: string, date: string) =>
    apply(s, at, 'recordEvidence', REGISSEUR, { item: 'controle', date, visit });
  const reminded = (s: HouseholdState, at: string, kind: string) => plan(s, at).dueReminders.find((r) => r.deadline.kind === kind)?.at;

  test('R-60: no reminder within 28 days of the phase start; then one, repeated weekly, and the ladder 14 days later', () => {
    const s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
    const d = find(s, T0, 'controle')!;
    expect(d).toMatchObject({ rule: 'R-60', key: 'R-60:controle:2026-03-30', remedy: { action: 'bewijs', ref: 'controle' } });
    expect(d.reason).toContain('nog geen controle');
    expect(d.responsible.map((p) => p.professionalId)).toEqual(['p-vt', 'p-regie']);
    expect(reminded(s, '2026-03-30T06:59:00.000Z', 'controle')).toBeUndefined();
    expect(reminded(s, '2026-03-30T07:00:00.000Z', 'controle')).toBe('2026-03-30T07:00:00.000Z');
    // A week later falls on Easter Monday: the repeat goes out on Tuesday at 09:00.
    expect(reminded(s, '2026-04-07T10:00:00.000Z', 'controle')).toBe('2026-04-07T07:00:00.000Z');
    // A duty, not a habit: the escalation ladder starts 14 days after the interval ended.
    expect(d.overdueAt).toBe('2026-04-13T07:00:00.000Z');
    expect(levelAt(d, new Date('2026-04-13T06:59:00.000Z')).level).toBe(0);
    expect(levelAt(d, new Date('2026-04-13T07:00:00.000Z')).level).toBe(1);
    expect(levelAt(d, new Date('2026-04-28T07:00:00.000Z')).level).toBe(3); // Koningsdag 27 April moves level 3 to Tuesday
  });

  test('R-60: a controle takes the reminder and the escalation away, and the interval starts again from it', () => {
    const s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
    expect(levelAt(find(s, '2026-04-14T10:00:00.000Z', 'controle')!, new Date('2026-04-14T10:00:00.000Z')).level).toBe(1);
    const after = controle(s, '2026-04-14T10:00:00.000Z', '2026-04-14');
    const d = find(after, '2026-04-14T10:00:00.000Z', 'controle')!;
    // A new cause (new key): the open escalation resolves; the next controle is due 28 days after this one.
    expect(d.key).toBe('R-60:controle:2026-05-12');
    expect(d.reason).toContain('De laatste controle van de veiligheidsafspraken was op 14 april 2026');
    expect(d.remindAt).toBe('2026-05-12T07:00:00.000Z');
    const p = plan(after, '2026-04-14T10:00:00.000Z');
    expect(p.levels.filter((l) => l.deadline.kind === 'controle').map((l) => l.level)).toEqual([0]);
    expect(p.dueReminders.filter((r) => r.deadline.kind === 'controle')).toEqual([]);
    expect(reminded(after, '2026-05-11T10:00:00.000Z', 'controle')).toBeUndefined();
    expect(reminded(after, '2026-05-12T10:00:00.000Z', 'controle')).toBe('2026-05-12T07:00:00.000Z');
  });

  test('R-60: the interval counts from the start of the current phase, not from a controle in the phase before', () => {
    let s = controle(household(T0, { owner: VT, casusregisseur: REGISSEUR }), '2026-03-20T10:00:00.000Z', '2026-03-20');
    expect(find(s, '2026-03-20T10:00:00.000Z', 'controle')!.key).toBe('R-60:controle:2026-04-17');
    s = apply(s, '2026-04-01T10:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: 'Test: door.' });
    expect(find(s, '2026-04-01T10:00:00.000Z', 'controle')!.key).toBe('R-60:controle:2026-04-29');
  });

  test('R-60 and R-63 wait for an owner: nothing in Afstemming', () => {
    const s = household(T0);
    expect(find(s, T0, 'controle')).toBeUndefined();
    expect(find(s, T0, 'teamoverleg')).toBeUndefined();
  });

  test('R-63: a reminder 21 days into each phase until that phase’s consultation is recorded; it never escalates', () => {
    let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
    const d = find(s, T0, 'teamoverleg')!;
    expect(d).toMatchObject({
      rule: 'R-63',
      key: 'R-63:teamoverleg:veiligheid:2026-03-02',
      remindAt: '2026-03-23T08:00:00.000Z',
      repeatDays: 14,
      remedy: { action: 'bewijs', ref: 'teamoverleg' },
    });
    expect(d.ladder).toBeUndefined();
    expect(reminded(s, '2026-03-23T07:59:00.000Z', 'teamoverleg')).toBeUndefined();
    expect(reminded(s, '2026-03-23T08:00:00.000Z', 'teamoverleg')).toBe('2026-03-23T08:00:00.000Z');
    // A habit: months later still a reminder (repeated every 14 days), never a level.
    const late = plan(s, '2026-04-20T10:00:00.000Z');
    expect(late.levels.find((l) => l.deadline.kind === 'teamoverleg')!.level).toBe(0);
    expect(late.dueReminders.find((r) => r.deadline.kind === 'teamoverleg')!.at).toBe('2026-04-20T08:00:00.000Z');

    s = apply(s, '2026-03-25T10:00:00.000Z', 'recordEvidence', REGISSEUR, { item: 'teamoverleg', date: '2026-03-24' });
    expect(find(s, '2026-03-25T10:00:00.000Z', 'teamoverleg')).toBeUndefined();
    // The next phase has its own consultation: the one of phase Veiligheid does not count for it.
    s = apply(s, '2026-04-01T10:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: 'Test: door.' });
    expect(find(s, '2026-04-01T10:00:00.000Z', 'teamoverleg')).toMatchObject({
      key: 'R-63:teamoverleg:risicogestuurd:2026-04-01',
      remindAt: '2026-04-22T07:00:00.000Z',
    });
  });

  test('neither R-60 nor R-63 is an exit criterion', () => {
    const s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
    const rules = unmetCriteria(s, new Date('2026-06-01T10:00:00.000Z'), DEFAULT_POLICY).map((u) => u.rule);
    expect(rules).not.toContain('R-60');
    expect(rules).not.toContain('R-63');
  });
});

/** Inside 09:00-17:00 Amsterdam on a working day. */
function insideWorkingHours(at: string): boolean {
  const d = new Date(at);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }).format(d));
  return isWorkingDay(amsterdamDay(d)) && hour >= 9 && hour < 17;
}
export { insideWorkingHours };
