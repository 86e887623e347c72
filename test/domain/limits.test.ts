/**
 * The household's state is bounded by design: a five-year trajectory with monthly scores for four
 * dangers by three groups, evidence and handovers stays far below the budget, and a command that
 * would pass a limit is refused with the limit named, leaving a state that still reads.
 */
import { applyCommand } from '../../domain/commands';
import { LIMITS, stateBytes } from '../../domain/limits';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { addMonths } from '../../domain/time';
import { householdView } from '../../domain/view';
import { act, apply, household, PLANNER, REGISSEUR, VT } from '../support/state';

/** What the API puts in the state instead of a text: a reference of fixed length. */
const ref = (i: number) => `txt:${String(i).padStart(22, '0')}`;

function fiveYears(): HouseholdState {
  const t0 = '2026-01-05T09:00:00.000Z';
  let s = household(t0, { owner: VT, casusregisseur: REGISSEUR });
  for (let d = 0; d < 4; d++)
    s = apply(s, t0, 'defineDanger', REGISSEUR, { statement: ref(d), safetyGoal: ref(100 + d), scaleQuestion: ref(200 + d) });
  s = apply(s, t0, 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: ref(300) });
  let n = 1000;
  for (let m = 0; m < 60; m++) {
    const month = addMonths('2026-01', m);
    const at = `${month}-15T10:00:00.000Z`;
    for (const d of s.dangers) {
      for (const group of ['huishouden', 'netwerk', 'professionals'] as const) {
        s = apply(s, at, 'recordScore', REGISSEUR, { dangerId: d.id, group, value: 7, observedBehaviour: ref(n++), date: `${month}-15` });
      }
    }
    s = apply(s, at, 'recordEvidence', REGISSEUR, { item: 'netwerkberaad', date: `${month}-15`, note: ref(n++) });
    if (m % 6 === 0) {
      // A handover every half year, confirmed: roles change hands and the history grows.
      const [from, to] = m % 12 === 0 ? [REGISSEUR, PLANNER] : [PLANNER, REGISSEUR];
      s = apply(s, at, 'startHandover', from, { role: 'veiligheidsplanner', to, from, reason: 'expertise' });
      s = apply(s, at, 'confirmHandover', to, { handoverId: s.handovers.at(-1)!.id, startDate: `${month}-15`, householdPresent: true });
    }
  }
  return s;
}

test('a five-year trajectory stays below 256 KB: texts are references, everything else is ids and dates', () => {
  const s = fiveYears();
  expect(s.scores).toHaveLength(720);
  const bytes = stateBytes(s);
  expect(bytes).toBeLessThan(256 * 1024);
  expect(bytes).toBeLessThan(LIMITS.stateBytes);
});

test('at the limit: the command that would pass it is refused, naming it, and the household still reads', () => {
  let s = fiveYears();
  const at = '2031-01-10T10:00:00.000Z';
  let refused: MethodRefusal | undefined;
  for (let i = 0; i < 5_000 && !refused; i++) {
    try {
      s = applyCommand(
        s,
        'recordScore',
        { dangerId: 'g1', group: 'netwerk', value: 8, observedBehaviour: ref(90_000 + i), date: '2031-01-10' },
        act(REGISSEUR),
        new Date(at),
        DEFAULT_POLICY,
      );
    } catch (err) {
      if (!(err instanceof MethodRefusal)) throw err;
      refused = err;
    }
  }
  expect(refused?.rule).toBe('limiet');
  expect(refused?.message).toMatch(/grens van (3000 scores|\d+ bytes)/);
  expect(stateBytes(s)).toBeLessThanOrEqual(LIMITS.stateBytes);
  // Far below Temporal's 2 MB payload limit, and the view (what a query returns) computes.
  const view = householdView(s, new Date(at), DEFAULT_POLICY);
  expect(stateBytes(view)).toBeLessThan(1024 * 1024);
  // Commands that do not grow the state still work: the household is not stuck.
  const revised = applyCommand(s, 'reviseDanger', { dangerId: 'g2', priority: 1 }, act(REGISSEUR), new Date(at), DEFAULT_POLICY);
  expect(revised.dangers[0]!.id).toBe('g2');
});
