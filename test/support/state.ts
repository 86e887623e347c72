/** Builders for domain tests: a household state at a given moment, commands applied in order. */
import { applyCommand } from '../../domain/commands';
import type { CommandInput } from '../../domain/schemas/commands';
import type { CommandType } from '../../domain/command-types';
import { initialState, type IntakeInput } from '../../domain/intake';
import type { EvidenceItem } from '../../domain/evidence-items';
import type { Actor, HouseholdState, ProfessionalRef } from '../../domain/model';
import { eligibleMembers } from '../../domain/selectors';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';

export const VT: ProfessionalRef = { professionalId: 'p-vt', organisation: 'veilig-thuis' };
export const REGISSEUR: ProfessionalRef = { professionalId: 'p-regie', organisation: 'lokaal-team' };
export const PLANNER: ProfessionalRef = { professionalId: 'p-plan', organisation: 'perspektief' };
export const act = (p: ProfessionalRef): Actor => ({ ...p, kind: 'professional' });

/** The intake every test household starts from: a family with one child, reported by the police. */
export function sampleIntake(reference: string, over: Partial<IntakeInput> = {}): IntakeInput {
  return {
    reference,
    source: 'instantie',
    reportingOrganisation: 'politie',
    members: [
      { ref: 'kind-1', isChild: true, vulnerableAdult: false },
      { ref: 'ouder-1', isChild: false, vulnerableAdult: false },
    ],
    localTeamOrGi: false,
    jeugdbeschermer: false,
    ...over,
  };
}

export function household(at: string, intake: Partial<IntakeInput> = {}, policy: Policy = DEFAULT_POLICY): HouseholdState {
  return initialState(
    { householdId: 'hh-unit', organisation: 'veilig-thuis', receivedAt: at, intake: sampleIntake('REF-1', intake) },
    new Date(at),
    policy,
  );
}

/** Applies a command at a moment; returns the new state (throws MethodRefusal when refused). */
export function apply<K extends CommandType>(
  s: HouseholdState,
  at: string,
  type: K,
  actor: ProfessionalRef,
  body: CommandInput<K>,
  policy: Policy = DEFAULT_POLICY,
): HouseholdState {
  return applyCommand(s, type, body, act(actor), new Date(at), policy);
}

/** A household in phase Veiligheid at `at`: VT owns the phase, REGISSEUR is casusregisseur, PLANNER veiligheidsplanner. */
export function started(at: string): HouseholdState {
  let s = household(at, { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, at, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  return s;
}

/** The MethodRefusal `fn` throws; anything else (another error, or no refusal at all) fails the test. */
export function refusal(fn: () => unknown): MethodRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof MethodRefusal) return err;
    throw err;
  }
  throw new Error('expected a MethodRefusal');
}

/** All three groups score one danger on a date. */
export function scoreAll(
  s: HouseholdState,
  date: string,
  dangerId: string,
  value: number | [number, number, number],
  actor: ProfessionalRef = REGISSEUR,
): HouseholdState {
  const values = Array.isArray(value) ? value : [value, value, value];
  let out = s;
  (['huishouden', 'netwerk', 'professionals'] as const).forEach((group, i) => {
    out = apply(out, `${date}T12:00:00.000Z`, 'recordScore', actor, {
      dangerId,
      group,
      value: values[i]!,
      observedBehaviour: `Waargenomen gedrag ${group} ${date}`,
      date,
    });
  });
  return out;
}

/** The body of a recordEvidence command; per-member items cover every eligible member. */
export function evidenceBody(s: HouseholdState, item: EvidenceItem, date: string): CommandInput<'recordEvidence'> {
  const members = eligibleMembers(s, item).map((m) => m.ref);
  return members.length ? { item, date, members } : { item, date };
}
