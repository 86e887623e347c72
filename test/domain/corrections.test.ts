/**
 * One score per danger, group and calendar month (Europe/Amsterdam): a later score for the same
 * slot is a correction that replaces the current value. The flood of issue 19 (one key, 1,500
 * scores for one slot) therefore leaves the state as large as one score did, and the household
 * can still hand over and close afterwards.
 */
import { applyCommand, validateCommand } from '../../domain/commands';
import type { CommandInput } from '../../domain/schemas/commands';
import type { CommandType } from '../../domain/command-types';
import { initialState } from '../../domain/intake';
import { stateBytes } from '../../domain/limits';
import type { HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { correctedScore, latestScores, monthVerdict, riskRun } from '../../domain/scores';
import { act, household, PLANNER, REGISSEUR, sampleIntake, scoreAll, VT } from '../support/state';

const T0 = '2026-01-05T09:00:00.000Z';
const NEW: ProfessionalRef = { professionalId: 'p-new', organisation: 'jeugdformaat' };
const ref = (i: number) => `txt:${String(i).padStart(22, '0')}`;

function command<K extends CommandType>(
  s: HouseholdState,
  at: string,
  type: K,
  who: ProfessionalRef,
  body: CommandInput<K>,
): HouseholdState {
  validateCommand(s, type, body, act(who), new Date(at), DEFAULT_POLICY);
  return applyCommand(s, type, body, act(who), new Date(at), DEFAULT_POLICY);
}

function started(): HouseholdState {
  let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
  s = command(s, T0, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  return command(s, T0, 'defineDanger', REGISSEUR, { statement: ref(1), safetyGoal: ref(2) });
}

test('the flood: 1,500 scores for one danger, group and month from one key leave the state flat; handover and closure still work', () => {
  let s = started();
  const sizes: number[] = [];
  for (let i = 0; i < 1_500; i++) {
    // One a second, dated anywhere in January, any value: as a hostile client would.
    const at = new Date(Date.parse('2026-01-25T12:00:00.000Z') + i * 1000).toISOString();
    const date = `2026-01-${String(5 + (i % 20)).padStart(2, '0')}`;
    s = command(s, at, 'recordScore', REGISSEUR, {
      dangerId: 'g1',
      group: 'netwerk',
      value: i % 11,
      observedBehaviour: ref(1000 + i),
      date,
    });
    sizes.push(stateBytes(s));
  }
  expect(s.scores).toHaveLength(1);
  expect(s.scores[0]).toMatchObject({ value: 1_499 % 11, observedBehaviour: ref(2499), recordedBy: 'p-regie' });
  // Every score after the first is a correction of equal size: the state does not grow.
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(40);

  const at = '2026-01-31T10:00:00.000Z';
  s = command(s, at, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' });
  s = command(s, at, 'confirmHandover', NEW, { handoverId: s.handovers.at(-1)!.id, startDate: '2026-01-31', householdPresent: true });
  expect(s.roles.veiligheidsplanner?.professionalId).toBe('p-new');
  s = command(s, at, 'requestTransition', REGISSEUR, { to: 'afgesloten', justification: ref(3) });
  expect(s.phase).toBe('afgesloten');
});

test('another month, group or danger is a new score, not a correction', () => {
  let s = command(started(), T0, 'defineDanger', REGISSEUR, { statement: ref(3), safetyGoal: ref(4) });
  const score = (group: 'netwerk' | 'huishouden', dangerId: string, date: string) =>
    ({ dangerId, group, value: 7, observedBehaviour: ref(date.length), date }) as const;
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, score('netwerk', 'g1', '2026-01-31'));
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, score('netwerk', 'g1', '2026-02-01'));
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, score('huishouden', 'g1', '2026-02-01'));
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, score('netwerk', 'g2', '2026-02-01'));
  expect(s.scores).toHaveLength(4);
});

test('the month is the evaluation date’s calendar month: 31 January and 1 February are two slots', () => {
  let s = started();
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, {
    dangerId: 'g1',
    group: 'netwerk',
    value: 5,
    observedBehaviour: ref(5),
    date: '2026-01-31',
  });
  s = command(s, '2026-02-02T10:00:00.000Z', 'recordScore', REGISSEUR, {
    dangerId: 'g1',
    group: 'netwerk',
    value: 8,
    observedBehaviour: ref(6),
    date: '2026-02-01',
  });
  expect(s.scores.map((x) => x.date)).toEqual(['2026-01-31', '2026-02-01']);
});

test('a correction replaces the current value: R-18, R-39 and R-46 read it, and the replaced score keeps who and when', () => {
  let s = started();
  s = scoreAll(s, '2026-01-20', 'g1', [7, 4, 7]);
  expect(monthVerdict(s.scores, 'g1', '2026-01', 6, '2026-02')).toBe('breaks');
  const before = s.scores;
  const correction = { dangerId: 'g1', group: 'netwerk' as const, value: 7, observedBehaviour: ref(7), date: '2026-01-22' };
  const earlier = correctedScore(before, correction);
  expect(earlier).toMatchObject({ value: 4, recordedBy: 'p-regie', recordedAt: '2026-01-20T12:00:00.000Z', date: '2026-01-20' });
  s = command(s, '2026-01-23T10:00:00.000Z', 'recordScore', PLANNER, correction);
  expect(s.scores).toHaveLength(3);
  expect(monthVerdict(s.scores, 'g1', '2026-01', 6, '2026-02')).toBe('counts');
  expect(riskRun(s.scores, 'g1', '2026-02-10')).toBe(1);
  expect(latestScores(s.scores, 'g1').netwerk).toMatchObject({ value: 7, recordedBy: 'p-plan', recordedAt: '2026-01-23T10:00:00.000Z' });
});

test('an import with several scores for one slot keeps the latest by date as the current value', () => {
  const s = initialState(
    {
      householdId: 'hh-import',
      organisation: 'veilig-thuis',
      receivedAt: '2026-03-02T09:00:00.000Z',
      intake: sampleIntake('REF-IMPORT', {
        owner: VT,
        casusregisseur: REGISSEUR,
        import: {
          startDate: '2026-01-05',
          phase: 'veiligheid',
          phaseStartDate: '2026-01-05',
          roles: [],
          dangers: [{ id: 'g1', priority: 1, statement: ref(1), safetyGoal: ref(2), definedAt: '2026-01-05', revisions: 0 }],
          scores: [
            { dangerId: 'g1', group: 'netwerk', value: 8, observedBehaviour: ref(11), date: '2026-02-20' },
            { dangerId: 'g1', group: 'netwerk', value: 3, observedBehaviour: ref(12), date: '2026-02-03' },
            { dangerId: 'g1', group: 'netwerk', value: 6, observedBehaviour: ref(13), date: '2026-01-10' },
          ],
          evidence: [],
          network: [],
        },
      }),
    },
    new Date('2026-03-02T09:00:00.000Z'),
    DEFAULT_POLICY,
  );
  expect(s.scores.map((x) => [x.date, x.value])).toEqual([
    ['2026-01-10', 6],
    ['2026-02-20', 8],
  ]);
});
