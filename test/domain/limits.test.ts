/**
 * The household's growth is bounded by meaning (domain/limits.ts): each kind of record has its own
 * limit, refused with its rule id before any byte budget is near, and the byte budget itself only
 * holds back commands that record something. Handovers, roles, the huisverbod, phase changes,
 * closure and escalation acknowledgements are never refused for size.
 */
import { COORDINATOR_COMMANDS } from '../../domain/coordinator-commands';
import { applyCommand, validateCommand } from '../../domain/commands';
import { COMMAND_TYPES, type CommandType } from '../../domain/command-types';
import { type CommandInput } from '../../domain/schemas/commands';
import { LIMIT_RULES, LIMITS, stateBytes } from '../../domain/limits';
import { EVIDENCE_ITEMS, type EvidenceItem, type EvidenceSpec } from '../../domain/evidence-items';
import type { HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { RECORD_COMMANDS } from '../../domain/record-commands';
import { MethodRefusal } from '../../domain/refusal';
import { SAFETY_COMMANDS } from '../../domain/safety-commands';
import { PLAN_COMMANDS } from '../../domain/plan-commands';
import { addDays, addMonths } from '../../domain/time';
import { householdView } from '../../domain/view';
import { act, evidenceBody, household, PLANNER, REGISSEUR, VT } from '../support/state';

const T0 = '2026-01-05T09:00:00.000Z';
const NEW: ProfessionalRef = { professionalId: 'p-new', organisation: 'jeugdformaat' };
/** What the API puts in the state instead of a text: a reference of fixed length. */
const ref = (i: number) => `txt:${String(i).padStart(22, '0')}`;

/** As the workflow does it: the validator (limits included) first, then the handler. */
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

/** The refusal of a command, asserting that the state it was given did not change. */
function refused<K extends CommandType>(
  s: HouseholdState,
  at: string,
  type: K,
  who: ProfessionalRef,
  body: CommandInput<K>,
): MethodRefusal {
  const before = JSON.stringify(s);
  try {
    command(s, at, type, who, body);
  } catch (err) {
    expect(JSON.stringify(s)).toBe(before);
    if (err instanceof MethodRefusal) return err;
    throw err;
  }
  throw new Error(`expected ${type} to be refused`);
}

function started(): HouseholdState {
  let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
  s = command(s, T0, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  return command(s, T0, 'defineDanger', REGISSEUR, { statement: ref(1), safetyGoal: ref(2) });
}

test('every command is either a recording command (held to the limits), one towards safety (never refused for size), a self-bounded plan command or a coordinator decision (bounded per item)', () => {
  const kinds = [...RECORD_COMMANDS, ...SAFETY_COMMANDS, ...PLAN_COMMANDS, ...COORDINATOR_COMMANDS];
  expect(new Set(kinds).size).toBe(kinds.length);
  expect([...kinds].sort()).toEqual([...COMMAND_TYPES].sort());
  expect(SAFETY_COMMANDS).toEqual(
    expect.arrayContaining(['startHandover', 'confirmHandover', 'cancelHandover', 'assignRole', 'requestTransition', 'registerHuisverbod']),
  );
});

describe('limits per kind, each refused with its rule id and nothing changed', () => {
  test('evidence per item: a one-off item at most 12 times, a recurring one (controle) at most 120 times', () => {
    let s = started();
    for (let i = 0; i < LIMITS.evidence.perItem; i++) {
      const at = `${addDays('2026-01-05', i)}T10:00:00.000Z`;
      s = command(s, at, 'recordEvidence', REGISSEUR, { item: 'genogram', date: at.slice(0, 10), note: ref(i) });
    }
    const at = '2026-02-01T10:00:00.000Z';
    const r = refused(s, at, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-02-01' });
    expect(r.rule).toBe(LIMIT_RULES.evidencePerItem);
    expect(r.message).toMatch(/Genogram .*12 keer/);
    // Another item is not affected.
    command(s, at, 'recordEvidence', REGISSEUR, { item: 'netwerkkaart', date: '2026-02-01' });

    for (let i = 0; i < LIMITS.evidence.perRecurringItem; i++) {
      const day = addDays('2026-02-01', i);
      s = command(s, `${day}T10:00:00.000Z`, 'recordEvidence', REGISSEUR, {
        item: 'controle',
        date: day,
        visit: { kind: 'onaangekondigd', by: 'netwerk' },
      });
    }
    const later = `${addDays('2026-02-01', 200)}T10:00:00.000Z`;
    const body = { item: 'controle' as const, date: later.slice(0, 10), visit: { kind: 'gepland' as const, by: 'netwerk' as const } };
    expect(refused(s, later, 'recordEvidence', REGISSEUR, body).rule).toBe(LIMIT_RULES.evidencePerItem);
  });

  test('evidence per member: the same child in one per-member item at most 6 times', () => {
    let s = command(started(), T0, 'addHouseholdMember', REGISSEUR, { ref: 'kind-2', isChild: true });
    for (let i = 0; i < LIMITS.evidence.perMemberPerItem; i++) {
      const day = addDays('2026-01-05', i);
      s = command(s, `${day}T10:00:00.000Z`, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: day, members: ['kind-1'] });
    }
    const at = '2026-01-20T10:00:00.000Z';
    const r = refused(s, at, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-01-20', members: ['kind-2', 'kind-1'] });
    expect(r.rule).toBe(LIMIT_RULES.evidencePerMember);
    expect(r.message).toContain("'kind-1'");
    // The other child can still be spoken to.
    command(s, at, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-01-20', members: ['kind-2'] });
  });

  test('evidence per day: at most 20 records on one day, the next day again', () => {
    let s = started();
    const items = Object.keys(EVIDENCE_ITEMS).filter((i) => !['controle', 'kindgesprek', 'veilig_voorwerp', 'woord_en_beeld'].includes(i));
    const at = '2026-01-06T10:00:00.000Z';
    for (let i = 0; i < LIMITS.evidence.perDay; i++)
      s = command(s, at, 'recordEvidence', REGISSEUR, evidenceBody(s, items[i] as EvidenceItem, '2026-01-06'));
    const r = refused(s, at, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-01-05' });
    expect(r.rule).toBe(LIMIT_RULES.evidencePerDay);
    expect(r.message).toContain('20 bewijsstukken');
    command(s, '2026-01-07T10:00:00.000Z', 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-01-05' });
  });

  test('network size: at most 60 people', () => {
    let s = started();
    for (let i = 0; i < LIMITS.network; i++) s = command(s, T0, 'addNetworkMember', REGISSEUR, { id: `n-${i}`, kind: 'sociaal' });
    const r = refused(s, T0, 'addNetworkMember', REGISSEUR, { id: 'n-extra', kind: 'sociaal' });
    expect(r.rule).toBe(LIMIT_RULES.network);
    // Changing who is in it still works.
    command(s, T0, 'updateNetworkMember', REGISSEUR, { id: 'n-1', chair: true });
  });

  test('household members: at most 20', () => {
    let s = started();
    for (let i = s.members.length; i < LIMITS.members; i++)
      s = command(s, T0, 'addHouseholdMember', REGISSEUR, { ref: `lid-${i}`, isChild: false });
    expect(refused(s, T0, 'addHouseholdMember', REGISSEUR, { ref: 'lid-extra', isChild: false }).rule).toBe(LIMIT_RULES.members);
  });
});

/** Ten years of monthly scores for four dangers by three groups, every evidence limit and the network filled. */
function everythingFilled(): HouseholdState {
  let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
  s = command(s, T0, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  for (let i = s.members.length; i < LIMITS.members; i++)
    s = applyCommand(s, 'addHouseholdMember', { ref: `kind-${i}`, isChild: true }, act(REGISSEUR), new Date(T0), DEFAULT_POLICY);
  for (let d = 0; d < 4; d++)
    s = command(s, T0, 'defineDanger', REGISSEUR, { statement: ref(d), safetyGoal: ref(10 + d), scaleQuestion: ref(20 + d) });
  for (let i = 0; i < LIMITS.network; i++)
    s = command(s, T0, 'addNetworkMember', REGISSEUR, {
      id: `netwerklid-${String(i).padStart(3, '0')}`,
      kind: 'sociaal',
      safetyPersonFor: ['kind-1'],
    });
  let n = 100;
  for (let m = 0; m < 120; m++) {
    const month = addMonths('2026-01', m);
    const at = `${month}-15T10:00:00.000Z`;
    for (const d of s.dangers)
      for (const group of ['huishouden', 'netwerk', 'professionals'] as const)
        s = applyCommand(
          s,
          'recordScore',
          { dangerId: d.id, group, value: 7, observedBehaviour: ref(n++), date: `${month}-15` },
          act(REGISSEUR),
          new Date(at),
          DEFAULT_POLICY,
        );
  }
  const end = '2035-12-20';
  for (const item of Object.keys(EVIDENCE_ITEMS) as EvidenceItem[]) {
    const spec: EvidenceSpec = EVIDENCE_ITEMS[item];
    const times = spec.throughout || item === 'netwerkberaad' ? LIMITS.evidence.perRecurringItem : LIMITS.evidence.perItem;
    for (let i = 0; i < times; i++) {
      const body = { ...evidenceBody(s, item, addDays('2026-01-05', i * 30)), note: ref(n++) };
      if (item === 'controle') Object.assign(body, { visit: { kind: 'gepland', by: 'netwerk' } });
      // Per-member items name one member at a time, in turn, as the per-member limit allows.
      if (body.members) body.members = [body.members[i % body.members.length]!];
      s = applyCommand(s, 'recordEvidence', body, act(REGISSEUR), new Date(`${end}T10:00:00.000Z`), DEFAULT_POLICY);
    }
  }
  return s;
}

test('ten years of monthly scores with every limit filled stay below the byte budget: the limits bind first', () => {
  const s = everythingFilled();
  expect(s.scores).toHaveLength(4 * 3 * 120);
  expect(s.network).toHaveLength(LIMITS.network);
  const bytes = stateBytes(s);
  expect(bytes).toBeLessThan(LIMITS.stateBytes);
  // And below Temporal's 512 KB payload warning, with the view (what a query returns) under 2 MB.
  expect(LIMITS.stateBytes).toBeLessThan(512 * 1024);
  expect(stateBytes(householdView(s, new Date('2035-12-20T10:00:00.000Z'), DEFAULT_POLICY))).toBeLessThan(2 * 1024 * 1024);
});

describe('over the byte budget (a household grown before these limits): recording stops, safety never does', () => {
  /** A state already past the budget, as the flood of issue 19 left it: 3,000 scores in one month. */
  function overBudget(): HouseholdState {
    const s = started();
    const filler = Array.from({ length: 3_000 }, (_, i) => ({
      dangerId: 'g1',
      group: 'netwerk' as const,
      value: 7,
      observedBehaviour: ref(i),
      date: '2026-01-05',
      recordedAt: T0,
      recordedBy: 'p-regie',
    }));
    s.scores.push(...filler);
    s.escalations.push({ key: 'R-13:kind-1', rule: 'R-13', level: 1, raisedAt: T0, levelSince: T0, reason: 'R-13 te laat' });
    expect(stateBytes(s)).toBeGreaterThan(LIMITS.stateBytes);
    return s;
  }

  test('a command that records something is refused with limiet:omvang and a Dutch message', () => {
    const r = refused(overBudget(), T0, 'addNetworkMember', REGISSEUR, { id: 'n-1', kind: 'sociaal' });
    expect(r.rule).toBe(LIMIT_RULES.stateBytes);
    expect(r.message).toMatch(/boven de grens van 450000 bytes.*afsluiten blijven mogelijk/);
  });

  test('handover start, confirmation and cancellation, roles, huisverbod and its extension, acknowledgement and closure all go through', () => {
    let s = overBudget();
    s = command(s, T0, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' });
    s = command(s, T0, 'confirmHandover', NEW, { handoverId: s.handovers.at(-1)!.id, startDate: '2026-01-05', householdPresent: true });
    s = command(s, T0, 'startHandover', REGISSEUR, { role: 'casusregisseur', to: PLANNER, reason: 'voorkeur_huishouden' });
    s = command(s, T0, 'cancelHandover', REGISSEUR, { handoverId: s.handovers.at(-1)!.id, justification: ref(9) });
    s = command(s, T0, 'assignRole', REGISSEUR, { role: 'herstelbehandelaar', professional: NEW });
    s = command(s, T0, 'registerHuisverbod', REGISSEUR, { startDate: '2026-01-05', startTime: '08:00', guidedBy: VT });
    s = command(s, T0, 'extendHuisverbod', REGISSEUR, { endDate: '2026-01-25' });
    s = command(s, T0, 'acknowledgeEscalation', REGISSEUR, { key: 'R-13:kind-1', plan: ref(10) });
    s = command(s, T0, 'requestTransition', REGISSEUR, { to: 'afgesloten', justification: ref(11) });
    expect(s.phase).toBe('afgesloten');
    expect(s.roles.veiligheidsplanner?.professionalId).toBe('p-new');
  });
});

test('a start-and-cancel loop of handovers keeps only the last 10 cancelled ones in the state', () => {
  let s = started();
  const sizes: number[] = [];
  for (let i = 0; i < 40; i++) {
    const at = new Date(Date.parse(T0) + i * 60_000).toISOString();
    s = command(s, at, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' });
    s = command(s, at, 'cancelHandover', PLANNER, { handoverId: s.handovers.at(-1)!.id, justification: ref(i) });
    // Without the warnings: the workflow keeps the last 20 of those (workflows/steps.ts pruneHistory).
    sizes.push(stateBytes({ ...s, warnings: [] }));
  }
  expect(s.handovers.filter((h) => h.cancelledAt)).toHaveLength(LIMITS.cancelledHandoversKept);
  expect(s.handovers.at(-1)!.id).not.toBe(s.handovers.at(-2)!.id);
  // Flat once the kept ones are full (ids grow by a digit at most).
  expect(sizes.at(-1)! - sizes[LIMITS.cancelledHandoversKept + 1]!).toBeLessThan(100);
});
