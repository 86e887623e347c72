/** Commands the method refuses, each naming its rule; a refused command changes nothing. */
import { NOT_INVOLVED } from '../../domain/command-checks';
import { applyCommand, validateCommand } from '../../domain/commands';
import { unmetCriteria } from '../../domain/criteria';
import { MethodRefusal } from '../../domain/refusal';
import type { Actor, HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { act, apply, household, PLANNER, REGISSEUR, VT } from '../support/state';

const T = '2026-03-02T09:00:00.000Z';
const NEW = { professionalId: 'p-new', organisation: 'jeugdformaat' };

function refusal(fn: () => unknown): MethodRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof MethodRefusal) return err;
    throw err;
  }
  throw new Error('expected a MethodRefusal');
}

function started(): HouseholdState {
  let s = household(T, { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, T, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  return s;
}

test('a refused command leaves the state untouched', () => {
  const s = started();
  const before = JSON.stringify(s);
  refusal(() => apply(s, T, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: NEW }));
  expect(JSON.stringify(s)).toBe(before);
});

describe('R-24 warm handover', () => {
  test('a held role is not reassigned silently', () => {
    expect(refusal(() => apply(started(), T, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: NEW })).rule).toBe(
      'R-24',
    );
  });

  test('the outgoing professional stays role holder until the incoming one confirms the start with the household', () => {
    let s = apply(started(), T, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' });
    expect(s.roles.veiligheidsplanner?.professionalId).toBe('p-plan');
    const id = s.handovers[0]!.id;
    expect(
      refusal(() => apply(s, T, 'confirmHandover', PLANNER, { handoverId: id, startDate: '2026-03-02', householdPresent: true })).rule,
    ).toBe('R-24');
    expect(
      refusal(() => apply(s, T, 'confirmHandover', NEW, { handoverId: id, startDate: '2026-03-02', householdPresent: false })).rule,
    ).toBe('R-24');
    s = apply(s, T, 'confirmHandover', NEW, { handoverId: id, startDate: '2026-03-02', householdPresent: true });
    expect(s.roles.veiligheidsplanner?.professionalId).toBe('p-new');
    const history = s.roleHistory.filter((h) => h.role === 'veiligheidsplanner');
    expect(history.map((h) => [h.professionalId, h.to !== undefined, h.via])).toEqual([
      ['p-plan', true, 'toewijzing'],
      ['p-new', false, 'overdracht'],
    ]);
  });

  test('only the holder (or the casusregisseur) starts a handover; one at a time per role', () => {
    expect(refusal(() => apply(started(), T, 'startHandover', VT, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' })).rule).toBe(
      'R-24',
    );
    const s = apply(started(), T, 'startHandover', REGISSEUR, { role: 'veiligheidsplanner', to: NEW, reason: 'complexiteit' });
    expect(refusal(() => apply(s, T, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: VT, reason: 'expertise' })).rule).toBe(
      'R-24',
    );
  });
});

describe('R-25 huisverbod', () => {
  const guide = { professionalId: 'p-hv', organisation: 'crisisdienst-huisverboden' };
  test('10 days by default, extendable to at most 28 days in total; it ends at the hour it took effect', () => {
    let s = apply(started(), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '02:15', guidedBy: guide });
    expect(s.huisverbod).toMatchObject({ endDate: '2026-03-12', endAt: '2026-03-12T01:15:00.000Z' });
    s = apply(s, T, 'extendHuisverbod', VT, { endDate: '2026-03-30' });
    // Summer time by then: 02:15 in Amsterdam is 00:15 UTC.
    expect(s.huisverbod).toMatchObject({ endDate: '2026-03-30', endAt: '2026-03-30T00:15:00.000Z' });
    expect(refusal(() => apply(s, T, 'extendHuisverbod', VT, { endDate: '2026-03-31' })).rule).toBe('R-25');
  });

  test('without a time, the start of the day counts (warnings early rather than late); not in the future', () => {
    const s = apply(started(), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', guidedBy: guide });
    expect(s.huisverbod).toMatchObject({ startTime: '00:00', endAt: '2026-03-11T23:00:00.000Z' });
    expect(
      refusal(() => apply(started(), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '11:00', guidedBy: guide })).rule,
    ).toBe('R-25');
  });
});

describe('R-31 dangers', () => {
  test('at most four, in priority order', () => {
    let s = started();
    for (let i = 1; i <= 4; i++) s = apply(s, T, 'defineDanger', REGISSEUR, { statement: `Gevaar ${i}`, safetyGoal: `Doel ${i}` });
    expect(refusal(() => apply(s, T, 'defineDanger', REGISSEUR, { statement: 'Vijfde', safetyGoal: 'Doel' })).rule).toBe('R-31');
    s = apply(s, T, 'reviseDanger', REGISSEUR, { dangerId: s.dangers[3]!.id, priority: 1 });
    expect(s.dangers.map((d) => d.statement)).toEqual(['Gevaar 4', 'Gevaar 1', 'Gevaar 2', 'Gevaar 3']);
    expect(s.dangers.map((d) => d.priority)).toEqual([1, 2, 3, 4]);
  });
});

describe('scores (R-18 / R-39 reading)', () => {
  test('observed behaviour is required, the date may not be in the future, the danger must exist', () => {
    const s = apply(started(), T, 'defineDanger', REGISSEUR, { statement: 'G', safetyGoal: 'D' });
    const base = {
      dangerId: 'g1',
      group: 'netwerk' as const,
      value: 7,
      observedBehaviour: 'Oma ziet dat vader rustig blijft',
      date: '2026-03-02',
    };
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, observedBehaviour: '  ' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '2026-03-03' })).rule).toBe('R-18');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '0000-01-01' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '2026-02-30' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, dangerId: 'g9' })).rule).toBe('R-31');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, value: 11 })).rule).toBe('invoer');
    expect(apply(s, T, 'recordScore', REGISSEUR, base).scores).toHaveLength(1);
  });
});

describe('phase transitions and overrides (R-50, R-52, R-62)', () => {
  test('unmet criteria refuse the transition with every rule listed', () => {
    const err = refusal(() => apply(started(), T, 'requestTransition', REGISSEUR, { to: 'risicogestuurd' }));
    expect(err.unmet.map((u) => u.rule)).toEqual(expect.arrayContaining(['R-10', 'R-12', 'R-13', 'R-18']));
  });

  test('only the casusregisseur overrides, with a justification that is recorded', () => {
    expect(
      refusal(() => apply(started(), T, 'requestTransition', VT, { to: 'risicogestuurd', justification: 'Crisis voorbij' })).rule,
    ).toBe('R-62');
    const applied = applyCommand(
      started(),
      'requestTransition',
      { to: 'risicogestuurd', justification: 'Gezin verhuist; veiligheid geborgd door oma.' },
      act(REGISSEUR),
      new Date(T),
      DEFAULT_POLICY,
    );
    expect(applied.phase).toBe('risicogestuurd');
    expect(applied.overrides[0]).toMatchObject({ by: 'p-regie', from: 'veiligheid', to: 'risicogestuurd' });
    expect(applied.overrides[0]!.unmet).toContain('R-13');
  });

  test('phases are not skipped; closing early is an override that names R-50', () => {
    expect(refusal(() => apply(started(), T, 'requestTransition', REGISSEUR, { to: 'herstel' })).rule).toBe('R-50');
    const s = apply(started(), T, 'requestTransition', REGISSEUR, {
      to: 'afgesloten',
      justification: 'Gezin vertrokken naar andere regio, overgedragen.',
    });
    expect(s.phase).toBe('afgesloten');
    expect(s.overrides[0]!.unmet).toContain('R-50');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-01' })).rule).toBe('R-50');
  });
});

test('section 5: a role at an organisation not listed for the phase is allowed with a warning', () => {
  const s = apply(started(), T, 'assignRole', REGISSEUR, {
    role: 'herstelbehandelaar',
    professional: { professionalId: 'p-x', organisation: 'school' },
  });
  expect(s.roles.herstelbehandelaar?.organisation).toBe('school');
  expect(s.warnings.map((w) => w.message).join()).toContain('school');
});

test('section 5: an organisation outside the regional list is refused (a typing error such as KS0)', () => {
  for (const organisation of ['KS0', 'L', 'sportclub']) {
    const err = refusal(() =>
      apply(started(), T, 'assignRole', REGISSEUR, { role: 'herstelbehandelaar', professional: { professionalId: 'p-x', organisation } }),
    );
    expect(err.rule).toBe('sectie 5');
    expect(err.message).toContain(organisation);
    expect(
      refusal(() =>
        apply(started(), T, 'startHandover', REGISSEUR, {
          role: 'casusregisseur',
          to: { professionalId: 'p-y', organisation },
          reason: 'expertise',
        }),
      ).rule,
    ).toBe('sectie 5');
  }
  expect(() => household(T, { owner: { professionalId: 'p-z', organisation: 'KS0' } })).toThrow(MethodRefusal);
});

describe('nothing is backdated into a run or a criterion (R-18, R-39, R-46)', () => {
  const LATER = '2026-09-15T09:00:00.000Z';
  function risk(): HouseholdState {
    let s = apply(started(), LATER, 'requestTransition', REGISSEUR, {
      to: 'risicogestuurd',
      justification: 'Test: direct naar risico gestuurd.',
    });
    s = apply(s, LATER, 'defineDanger', REGISSEUR, { statement: 'G', safetyGoal: 'D' });
    return s;
  }
  const score = (date: string) => ({ dangerId: 'g1', group: 'huishouden' as const, value: 8, observedBehaviour: 'Rustig', date });

  test('a score counts from the month its danger was defined, not before (R-39)', () => {
    const s = risk();
    const err = refusal(() => apply(s, LATER, 'recordScore', REGISSEUR, score('2026-08-20')));
    expect(err.rule).toBe('R-39');
    expect(err.message).toContain('15 september 2026');
    expect(apply(s, LATER, 'recordScore', REGISSEUR, score('2026-09-01')).scores).toHaveLength(1);
  });

  test('no score or evidence from before the trajectory started', () => {
    const s = started();
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-01' })).rule).toBe('R-10');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2001-01-01' })).rule).toBe('R-10');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '1999-12-31' })).rule).toBe('invoer');
  });
});

describe('per child (R-13, R-16, R-37)', () => {
  function twoChildren(): HouseholdState {
    return apply(started(), T, 'addHouseholdMember', REGISSEUR, { ref: 'kind-2', isChild: true });
  }

  test('a child conversation names the children spoken to; each child must be spoken to', () => {
    const s = twoChildren();
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02' })).rule).toBe('R-13');
    expect(
      refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['ouder-1'] })).rule,
    ).toBe('R-13');
    const one = apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['kind-1'] });
    expect(unmetCriteria(one, new Date(T), DEFAULT_POLICY).find((u) => u.rule === 'R-13')?.message).toContain('kind-2');
    const both = apply(one, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['kind-2'] });
    expect(unmetCriteria(both, new Date(T), DEFAULT_POLICY).map((u) => u.rule)).not.toContain('R-13');
  });

  test('items that are not per member refuse members', () => {
    expect(
      refusal(() => apply(started(), T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-02', members: ['kind-1'] })).rule,
    ).toBe('R-10');
  });
});

describe('R-60: a controle says how the visit was made, and only a controle does', () => {
  const visit = { kind: 'gepland', by: 'netwerk' } as const;

  test('a controle without its visit is refused beside the field; with it, the visit is kept', () => {
    const err = refusal(() => apply(started(), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02' }));
    expect([err.rule, err.field]).toEqual(['R-60', 'visit']);
    expect(err.message).toContain('gepland of onaangekondigd');
    const s = apply(started(), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02', visit });
    expect(s.evidence).toEqual([expect.objectContaining({ item: 'controle', visit, phase: 'veiligheid' })]);
  });

  test('a visit on any other item is refused beside the field', () => {
    for (const item of ['genogram', 'teamoverleg', 'netwerkberaad'] as const) {
      const err = refusal(() => apply(started(), T, 'recordEvidence', REGISSEUR, { item, date: '2026-03-02', visit }));
      expect([item, err.rule, err.field]).toEqual([item, 'R-60', 'visit']);
    }
  });

  test('a visit outside the vocabulary is invalid input, in Dutch with the rule', () => {
    const bad = { kind: 'aangekondigd', by: 'buurman' } as unknown as typeof visit;
    const err = refusal(() => apply(started(), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02', visit: bad }));
    expect(err.rule).toBe('invoer');
    expect(err.message).toContain('visit.kind: Kies of het bezoek gepland of onaangekondigd was (R-60).');
    expect(err.message).toContain('visit.by: Kies wie controleerde: het netwerk of een professional (R-60).');
  });

  test('R-63: a team consultation is plain dated evidence', () => {
    const s = apply(started(), T, 'recordEvidence', REGISSEUR, { item: 'teamoverleg', date: '2026-03-02' });
    expect(s.evidence.map((e) => [e.item, e.date, e.visit])).toEqual([['teamoverleg', '2026-03-02', undefined]]);
  });
});

describe('R-62: who decides a phase transition', () => {
  test('in phase Veiligheid the owner of the phase may end it, as the refusal text says', () => {
    // The planner is involved but neither owns the phase nor directs the case.
    const s = apply(household(T, { owner: VT }), T, 'assignRole', VT, { role: 'veiligheidsplanner', professional: PLANNER });
    // Not the criteria, but the person: the owner is refused for unmet criteria, not for being the owner.
    expect(refusal(() => apply(s, T, 'requestTransition', VT, { to: 'risicogestuurd' })).rule).not.toBe('R-62');
    expect(refusal(() => apply(s, T, 'requestTransition', PLANNER, { to: 'risicogestuurd' })).rule).toBe('R-62');
  });
});

describe('R-64: only organisations involved now change a household (the validator checks it)', () => {
  const outsider = { professionalId: 'p-out', organisation: 'jeugdformaat' };
  const validate = (s: HouseholdState, type: Parameters<typeof validateCommand>[1], who: ProfessionalRef, body: unknown) =>
    validateCommand(s, type, body, act(who), new Date(T), DEFAULT_POLICY);

  test('a professional of an organisation not involved is refused, and nothing changes', () => {
    const s = started();
    const before = JSON.stringify(s);
    const err = refusal(() => validate(s, 'addHouseholdMember', outsider, { ref: 'kind-9', isChild: true }));
    expect(err.rule).toBe('R-64');
    expect(err.message).toBe(NOT_INVOLVED);
    expect(JSON.stringify(s)).toBe(before);
    // An involved organisation passes the same check, and the command's own rules still apply.
    expect(() => validate(s, 'addHouseholdMember', REGISSEUR, { ref: 'kind-9', isChild: true })).not.toThrow();
    expect(refusal(() => validate(s, 'recordScore', REGISSEUR, {})).rule).toBe('invoer');
  });

  test('the incoming side of an open handover is involved and may confirm it; who handed over is not any more', () => {
    let s = started();
    s = apply(s, T, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: outsider, reason: 'expertise' });
    const handoverId = s.handovers.at(-1)!.id;
    const confirm = { handoverId, startDate: '2026-03-02', householdPresent: true };
    expect(() => validate(s, 'confirmHandover', outsider, confirm)).not.toThrow();
    s = apply(s, T, 'confirmHandover', outsider, confirm);
    expect(s.roles.veiligheidsplanner).toMatchObject(outsider);
    // PLANNER's organisation holds no role any more and is not the intake organisation.
    expect(refusal(() => validate(s, 'addHouseholdMember', PLANNER, { ref: 'kind-9', isChild: true })).rule).toBe('R-64');
  });

  test("the check is the validator's only: a recorded command by an organisation no longer involved still applies on replay", () => {
    const s = apply(started(), T, 'addHouseholdMember', outsider, { ref: 'kind-9', isChild: true });
    expect(s.members.map((m) => m.ref)).toContain('kind-9');
  });
});

describe('R-01 import: history states its own dates, consistently', () => {
  const imported = (over: object) =>
    household(T, {
      owner: VT,
      import: {
        startDate: '2026-01-05',
        phase: 'risicogestuurd',
        phaseStartDate: '2026-02-01',
        roles: [],
        dangers: [{ id: 'd-1', priority: 1, statement: 'G', safetyGoal: 'D', definedAt: '2026-02-01', revisions: 0 }],
        scores: [],
        evidence: [],
        network: [],
        ...over,
      },
    });

  test('R-60: imported controles carry their visit, and nothing else does', () => {
    const visit = { kind: 'onaangekondigd', by: 'professional' } as const;
    const missing = refusal(() =>
      imported({
        evidence: [
          { item: 'genogram', date: '2026-02-02' },
          { item: 'controle', date: '2026-02-03' },
        ],
      }),
    );
    expect([missing.rule, missing.field]).toEqual(['R-60', 'import.evidence.1.visit']);
    const misplaced = refusal(() => imported({ evidence: [{ item: 'genogram', date: '2026-02-02', visit }] }));
    expect([misplaced.rule, misplaced.field]).toEqual(['R-60', 'import.evidence.0.visit']);
    expect(imported({ evidence: [{ item: 'controle', date: '2026-02-03', visit }] }).evidence).toEqual([
      expect.objectContaining({ item: 'controle', visit, phase: 'risicogestuurd', recordedBy: 'import' }),
    ]);
  });

  test('nothing dated before the trajectory started; no score before its danger was defined', () => {
    expect(refusal(() => imported({ evidence: [{ item: 'genogram', date: '2025-12-01' }] })).rule).toBe('R-01');
    const early = [{ dangerId: 'd-1', group: 'netwerk', value: 7, observedBehaviour: 'x', date: '2026-01-20' }];
    expect(refusal(() => imported({ scores: early })).rule).toBe('R-39');
    expect(imported({ scores: [{ ...early[0], date: '2026-02-03' }] }).scores).toHaveLength(1);
  });
});

describe("the coordinator's decisions (section 6, issue 20)", () => {
  const COORD = { professionalId: 'coordinator', organisation: 'regio-haaglanden', kind: 'coordinator' as const };
  const validate = (s: HouseholdState, type: Parameters<typeof validateCommand>[1], body: unknown, actor: Actor = COORD) =>
    validateCommand(s, type, body, actor, new Date(T), DEFAULT_POLICY);
  const overridden = () =>
    apply(started(), T, 'requestTransition', REGISSEUR, {
      to: 'risicogestuurd',
      justification: 'Gezin verhuist; veiligheid geborgd door oma.',
    });

  test('R-62: the coordinator agrees or not with an override, once; the phase and roles stay', () => {
    const s = overridden();
    const at = s.overrides[0]!.at;
    expect(() => validate(s, 'reviewOverride', { at, decision: 'niet_akkoord', note: 'Eerst een netwerkberaad.' })).not.toThrow();
    const reviewed = applyCommand(
      s,
      'reviewOverride',
      { at, decision: 'niet_akkoord', note: 'Eerst een netwerkberaad.' },
      COORD,
      new Date(T),
      DEFAULT_POLICY,
    );
    expect(reviewed.overrides[0]!.review).toEqual({ at: T, by: 'coordinator', decision: 'niet_akkoord', note: 'Eerst een netwerkberaad.' });
    expect([reviewed.phase, reviewed.roles]).toEqual([s.phase, s.roles]);
    expect(refusal(() => validate(reviewed, 'reviewOverride', { at, decision: 'akkoord', note: 'Toch goed.' })).rule).toBe('R-62');
    expect(refusal(() => validate(s, 'reviewOverride', { at: '2026-01-01T00:00:00.000Z', decision: 'akkoord', note: 'x' })).field).toBe(
      'at',
    );
  });

  test('only the coordinator decides, and the coordinator gives no other command (R-64)', () => {
    const s = overridden();
    const at = s.overrides[0]!.at;
    expect(refusal(() => validate(s, 'reviewOverride', { at, decision: 'akkoord', note: 'Goed.' }, act(REGISSEUR))).rule).toBe('sectie 6');
    expect(refusal(() => validate(s, 'recordEvidence', { item: 'genogram', date: '2026-03-02' })).rule).toBe('R-64');
  });

  test('a decision after an escalation at level 3 only, kept with the escalation', () => {
    const s = started();
    s.escalations.push({ key: 'R-13:kindgesprek:x', rule: 'R-13', level: 2, raisedAt: T, levelSince: T, reason: 'Kind niet gesproken' });
    expect(refusal(() => validate(s, 'decideEscalation', { key: 'R-13:kindgesprek:x', decision: 'Ik bel de teamleider.' })).rule).toBe(
      'sectie 6',
    );
    s.escalations[0]!.level = 3;
    const decided = applyCommand(
      s,
      'decideEscalation',
      { key: 'R-13:kindgesprek:x', decision: 'Ik bel de teamleider.' },
      COORD,
      new Date(T),
      DEFAULT_POLICY,
    );
    expect(decided.escalations[0]!.decisions).toEqual([{ at: T, by: 'coordinator', decision: 'Ik bel de teamleider.' }]);
    expect(refusal(() => validate(s, 'decideEscalation', { key: 'onbekend', decision: 'x' })).field).toBe('key');
  });
});

describe('ending a huisverbod and closing a danger (issue 20)', () => {
  test('R-25: a huisverbod lifted early ends then; the handover to the veiligheidsplanner stays due; not twice, not in the future', () => {
    let s = apply(started(), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '08:00', guidedBy: NEW });
    s = apply(s, '2026-03-05T10:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-05' });
    expect(s.huisverbod).toMatchObject({
      endDate: '2026-03-05',
      endAt: '2026-03-05T10:00:00.000Z',
      ended: { date: '2026-03-05', by: 'p-vt' },
    });
    expect(refusal(() => apply(s, '2026-03-05T11:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-05' })).rule).toBe('R-25');
    const running = apply(started(), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '08:00', guidedBy: NEW });
    expect(refusal(() => apply(running, '2026-03-05T10:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-09' })).field).toBe('date');
  });

  test('R-31: a danger that no longer applies is closed with its reason; its id is never handed out again; the last one stays', () => {
    let s = apply(started(), T, 'defineDanger', REGISSEUR, { statement: 'A', safetyGoal: 'a' });
    s = apply(s, T, 'defineDanger', REGISSEUR, { statement: 'B', safetyGoal: 'b' });
    const [first, second] = s.dangers.map((d) => d.id);
    s = apply(s, T, 'closeDanger', REGISSEUR, { dangerId: first!, reason: 'Vader is verhuisd naar het buitenland.' });
    expect(s.dangers.map((d) => [d.id, d.priority])).toEqual([[second, 1]]);
    expect(s.closedDangers).toEqual([expect.objectContaining({ closedBy: 'p-regie', reason: 'Vader is verhuisd naar het buitenland.' })]);
    const next = apply(s, T, 'defineDanger', REGISSEUR, { statement: 'C', safetyGoal: 'c' });
    expect(next.dangers.map((d) => d.id)).not.toContain(first);
    expect(refusal(() => apply(s, T, 'closeDanger', REGISSEUR, { dangerId: second!, reason: 'x' })).rule).toBe('R-31');
  });
});
