/**
 * Who may give a command, and the phase it moves to: a refused command changes nothing; roles change
 * hands by a warm handover; phase transitions and overrides; organisations
 * (section 5, R-64); the coordinator's decisions (section 6). Each refusal names its rule.
 */
import { NOT_INVOLVED } from '../../domain/command-checks';
import { applyCommand, validateCommand } from '../../domain/commands';
import type { Actor, HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { act, apply, household, PLANNER, refusal, REGISSEUR, started, VT } from '../support/state';

const T = '2026-03-02T09:00:00.000Z';
const NEW = { professionalId: 'p-new', organisation: 'jeugdformaat' };

test('a refused command leaves the state untouched', () => {
  const s = started(T);
  const before = JSON.stringify(s);
  refusal(() => apply(s, T, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: NEW }));
  expect(JSON.stringify(s)).toBe(before);
});

describe('R-24 warm handover', () => {
  test('a held role is not reassigned silently', () => {
    expect(refusal(() => apply(started(T), T, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: NEW })).rule).toBe(
      'R-24',
    );
  });

  test('the outgoing professional stays role holder until the incoming one confirms the start with the household', () => {
    let s = apply(started(T), T, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' });
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
    expect(
      refusal(() => apply(started(T), T, 'startHandover', VT, { role: 'veiligheidsplanner', to: NEW, reason: 'expertise' })).rule,
    ).toBe('R-24');
    const s = apply(started(T), T, 'startHandover', REGISSEUR, { role: 'veiligheidsplanner', to: NEW, reason: 'complexiteit' });
    expect(refusal(() => apply(s, T, 'startHandover', PLANNER, { role: 'veiligheidsplanner', to: VT, reason: 'expertise' })).rule).toBe(
      'R-24',
    );
  });
});

describe('phase transitions and overrides (R-50, R-52, R-62)', () => {
  test('unmet criteria refuse the transition with every rule listed', () => {
    const err = refusal(() => apply(started(T), T, 'requestTransition', REGISSEUR, { to: 'risicogestuurd' }));
    expect(err.unmet.map((u) => u.rule)).toEqual(expect.arrayContaining(['R-10', 'R-12', 'R-13', 'R-18']));
  });

  test('only the casusregisseur overrides, with a justification that is recorded', () => {
    expect(
      refusal(() => apply(started(T), T, 'requestTransition', VT, { to: 'risicogestuurd', justification: 'Crisis voorbij' })).rule,
    ).toBe('R-62');
    const applied = applyCommand(
      started(T),
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
    expect(refusal(() => apply(started(T), T, 'requestTransition', REGISSEUR, { to: 'herstel' })).rule).toBe('R-50');
    const s = apply(started(T), T, 'requestTransition', REGISSEUR, {
      to: 'afgesloten',
      justification: 'Gezin vertrokken naar andere regio, overgedragen.',
    });
    expect(s.phase).toBe('afgesloten');
    expect(s.overrides[0]!.unmet).toContain('R-50');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-01' })).rule).toBe('R-50');
  });
});

test('section 5: a role at an organisation not listed for the phase is allowed with a warning', () => {
  const s = apply(started(T), T, 'assignRole', REGISSEUR, {
    role: 'herstelbehandelaar',
    professional: { professionalId: 'p-x', organisation: 'school' },
  });
  expect(s.roles.herstelbehandelaar?.organisation).toBe('school');
  expect(s.warnings.map((w) => w.message).join()).toContain('school');
});

test('section 5: an organisation outside the regional list is refused (a typing error such as KS0)', () => {
  for (const organisation of ['KS0', 'L', 'sportclub']) {
    const err = refusal(() =>
      apply(started(T), T, 'assignRole', REGISSEUR, { role: 'herstelbehandelaar', professional: { professionalId: 'p-x', organisation } }),
    );
    expect(err.rule).toBe('sectie 5');
    expect(err.message).toContain(organisation);
    expect(
      refusal(() =>
        apply(started(T), T, 'startHandover', REGISSEUR, {
          role: 'casusregisseur',
          to: { professionalId: 'p-y', organisation },
          reason: 'expertise',
        }),
      ).rule,
    ).toBe('sectie 5');
  }
  expect(() => household(T, { owner: { professionalId: 'p-z', organisation: 'KS0' } })).toThrow(MethodRefusal);
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
    const s = started(T);
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
    let s = started(T);
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
    const s = apply(started(T), T, 'addHouseholdMember', outsider, { ref: 'kind-9', isChild: true });
    expect(s.members.map((m) => m.ref)).toContain('kind-9');
  });
});

describe("the coordinator's decisions (section 6, issue 20)", () => {
  const COORD = { professionalId: 'coordinator', organisation: 'regio-haaglanden', kind: 'coordinator' as const };
  const validate = (s: HouseholdState, type: Parameters<typeof validateCommand>[1], body: unknown, actor: Actor = COORD) =>
    validateCommand(s, type, body, actor, new Date(T), DEFAULT_POLICY);
  const overridden = () =>
    apply(started(T), T, 'requestTransition', REGISSEUR, {
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
    const s = started(T);
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
