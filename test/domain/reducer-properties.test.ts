/**
 * Properties of the command reducer over random sequences of commands (fast-check): a refused
 * command never changes the state it was given, and every accepted command leaves a state that
 * keeps the method's invariants.
 */
import fc from 'fast-check';
import { COMMAND_TYPES, type CommandType } from '../../domain/command-types';
import { applyCommand } from '../../domain/commands';
import { LIMITS, stateBytes } from '../../domain/limits';
import { ROLES, type Actor, type HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY, METHOD } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { isOpenHandover } from '../../domain/selectors';
import { addDays, amsterdamDay, monthOf } from '../../domain/time';
import { household } from '../support/state';

const T0 = '2026-03-02T09:00:00.000Z';
const PROS = [
  { professionalId: 'p-vt', organisation: 'veilig-thuis' },
  { professionalId: 'p-regie', organisation: 'lokaal-team' },
  { professionalId: 'p-plan', organisation: 'perspektief' },
  { professionalId: 'p-x', organisation: 'KS0' },
];
const pro = fc.constantFrom(...PROS);
const day = fc.integer({ min: -40, max: 400 }).map((n) => addDays('2026-03-02', n));
const text = fc.oneof(fc.constant('Waargenomen: rustig'), fc.constant('   '), fc.string({ maxLength: 20 }));
const ref = fc.constantFrom('g1', 'g2', 'g3', 'g9', 'kind-1', 'ouder-1', 'oma', 'o1', 'o2', 'nb-1');

const bodies: { [K in CommandType]: fc.Arbitrary<unknown> } = {
  recordScore: fc.record({
    dangerId: ref,
    group: fc.constantFrom('huishouden', 'netwerk', 'professionals', 'x'),
    value: fc.integer({ min: -1, max: 11 }),
    observedBehaviour: text,
    date: day,
  }),
  defineDanger: fc.record({ statement: text, safetyGoal: text, priority: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }) }),
  reviseDanger: fc.record({
    dangerId: ref,
    priority: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    statement: fc.option(text, { nil: undefined }),
  }),
  assignRole: fc.record({ role: fc.constantFrom(...ROLES), professional: pro }),
  addHouseholdMember: fc.record({ ref, isChild: fc.boolean(), vulnerableAdult: fc.boolean() }),
  addNetworkMember: fc.record({
    id: ref,
    kind: fc.constantFrom('sociaal', 'professioneel'),
    safetyPersonFor: fc.array(ref, { maxLength: 2 }),
    chair: fc.boolean(),
  }),
  updateNetworkMember: fc.record({
    id: ref,
    active: fc.option(fc.boolean(), { nil: undefined }),
    chair: fc.option(fc.boolean(), { nil: undefined }),
  }),
  recordEvidence: fc.record({
    item: fc.constantFrom(
      'genogram',
      'kindgesprek',
      'netwerkberaad',
      'direct_veiligheidsplan',
      'veilig_voorwerp',
      'stresstest',
      'controle',
      'teamoverleg',
    ),
    date: day,
    members: fc.option(fc.array(ref, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    visit: fc.option(
      fc.record({ kind: fc.constantFrom('gepland', 'onaangekondigd', 'x'), by: fc.constantFrom('netwerk', 'professional', 'x') }),
      { nil: undefined },
    ),
  }),
  registerHuisverbod: fc.record({ startDate: day, startTime: fc.constantFrom('00:00', '02:30', '23:59', '25:00'), guidedBy: pro }),
  extendHuisverbod: fc.record({ endDate: day }),
  startHandover: fc.record({
    role: fc.constantFrom(...ROLES),
    to: pro,
    from: fc.option(pro, { nil: undefined }),
    reason: fc.constantFrom('expertise', 'huisverbod', 'x'),
  }),
  confirmHandover: fc.record({ handoverId: ref, startDate: day, householdPresent: fc.boolean() }),
  cancelHandover: fc.record({ handoverId: ref, justification: text }),
  acknowledgeEscalation: fc.record({ key: fc.constantFrom('R-13:kindgesprek:2026-03-02', 'x'), plan: text }),
  confirmImport: fc.constant({}),
  endHuisverbod: fc.record({ date: day }),
  closeDanger: fc.record({ dangerId: ref, reason: text }),
  reviewOverride: fc.record({
    at: fc.constantFrom('2026-03-02T10:00:00.000Z', 'x'),
    decision: fc.constantFrom('akkoord', 'niet_akkoord', 'x'),
    note: text,
  }),
  decideEscalation: fc.record({ key: fc.constantFrom('R-13:kindgesprek:2026-03-02', 'x'), decision: text }),
  recordPlanVersion: fc.record({
    kind: fc.constantFrom('direct', 'stabiel', 'herstel'),
    planId: fc.option(fc.constantFrom('plan-1', 'plan-2'), { nil: undefined }),
    dangers: fc.array(
      fc.record({
        dangerId: ref,
        whenItGoesWrong: text,
        agreements: fc.array(
          fc.record({
            id: ref,
            what: text,
            who: fc.array(ref, { maxLength: 2 }),
            when: text,
            monitoring: fc.record({ by: ref, everyDays: fc.integer({ min: 0, max: 14 }), informs: fc.array(ref, { maxLength: 2 }) }),
          }),
          { maxLength: 2 },
        ),
      }),
      { maxLength: 2 },
    ),
    children: fc.array(fc.record({ member: ref, safetyPerson: ref }), { maxLength: 2 }),
    network: fc.array(fc.record({ memberId: ref, role: text }), { maxLength: 2 }),
  }),
  endorsePlan: fc.record({ planId: fc.constantFrom('plan-1', 'plan-2'), version: fc.integer({ min: 1, max: 3 }), date: day }),
  approvePlan: fc.record({ planId: fc.constantFrom('plan-1', 'plan-2'), version: fc.integer({ min: 1, max: 3 }), date: day }),
  addLogEntry: fc.record({ agreementId: ref, date: day, outcome: fc.constantFrom('goed_gegaan', 'misgegaan', 'x') }),
  requestTransition: fc.record({
    to: fc.constantFrom('afstemming', 'veiligheid', 'risicogestuurd', 'herstel', 'afgesloten'),
    justification: fc.option(text, { nil: undefined }),
  }),
};

const command = fc
  .constantFrom(...COMMAND_TYPES)
  .chain((type) => fc.record({ type: fc.constant(type), body: bodies[type], actor: pro, daysLater: fc.integer({ min: 0, max: 20 }) }));

/** What must hold after every accepted command. */
function invariants(s: HouseholdState, now: Date): void {
  const start = amsterdamDay(new Date(s.startedAt));
  const today = amsterdamDay(now);
  expect(s.dangers.length).toBeLessThanOrEqual(METHOD.maxDangers);
  expect(s.dangers.map((d) => d.priority)).toEqual(s.dangers.map((_, i) => i + 1));
  expect(new Set(s.dangers.map((d) => d.id)).size).toBe(s.dangers.length);
  for (const x of s.scores) {
    const danger = s.dangers.find((d) => d.id === x.dangerId);
    expect(danger).toBeDefined();
    expect(x.date >= start && x.date <= today).toBe(true);
    expect(monthOf(x.date) >= monthOf(danger!.definedAt)).toBe(true);
    expect(x.value >= 0 && x.value <= 10 && x.observedBehaviour.trim().length > 0).toBe(true);
  }
  for (const e of s.evidence) expect(e.date >= start && e.date <= today).toBe(true);
  // every controle says how the visit was made, and no other item carries a visit.
  for (const e of s.evidence) expect(e.visit !== undefined).toBe(e.item === 'controle');
  for (const role of ROLES) {
    const holder = s.roles[role];
    const open = s.roleHistory.filter((h) => h.role === role && !h.to);
    expect(open.length).toBe(holder ? 1 : 0);
    if (holder) expect(open[0]!.professionalId).toBe(holder.professionalId);
    expect(s.handovers.filter((h) => h.role === role && isOpenHandover(h)).length).toBeLessThanOrEqual(1);
  }
  expect(s.phaseHistory.filter((p) => !p.to).map((p) => p.phase)).toEqual([s.phase]);
  if (s.huisverbod) expect(s.huisverbod.endAt > new Date(`${s.huisverbod.startDate}T00:00:00Z`).toISOString().slice(0, 10)).toBe(true);
  for (const p of Object.values(s.roles)) expect(p!.organisation).not.toBe('KS0');
  expect(stateBytes(s)).toBeLessThanOrEqual(LIMITS.stateBytes);
}

test('refused commands change nothing; accepted commands keep the invariants', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), fc.boolean(), (commands, withOwner) => {
      let s = household(T0, withOwner ? { owner: PROS[0], casusregisseur: PROS[1] } : {});
      let t = Date.parse(T0);
      for (const c of commands) {
        t += c.daysLater * 86_400_000;
        const now = new Date(t);
        const before = JSON.stringify(s);
        const actor: Actor = { ...c.actor, kind: 'professional' };
        try {
          const next = applyCommand(s, c.type, c.body, actor, now, DEFAULT_POLICY);
          expect(JSON.stringify(s)).toBe(before); // the input is never mutated, even when accepted
          invariants(next, now);
          s = next;
        } catch (err) {
          if (!(err instanceof MethodRefusal)) throw err;
          expect(JSON.stringify(s)).toBe(before);
          expect(err.rule).toMatch(/^(R-\d\d|invoer|sectie [56]|limiet)$/);
          expect(err.message.length).toBeGreaterThan(5);
        }
      }
    }),
    { numRuns: 300 },
  );
});
