/**
 * Every command the household workflow accepts, as zod schemas: the API validates request bodies
 * with them and the workflow's update validators check them again. Their types name each command.
 * Each schema is built on first use. The workflow loads this module only to validate a command
 * (workflows/bodies.ts), never when a household is merely loaded or woken (issue 23).
 */
import { z } from 'zod';
import type { CommandType } from '../command-types';
import { LIMITS } from '../limits';
import { METHOD } from '../policy';
import { MethodRefusal } from '../refusal';
import { ControleVisit, EvidenceItem } from './evidence-items';
import {
  GiApproval,
  HouseholdMember,
  IsoDateSchema,
  Phase,
  ProfessionalRef,
  Ref,
  Role,
  OptionalText,
  ScoreGroup,
  Text,
  TimeOfDaySchema,
} from './model';
import { HANDOVER_REASONS } from '../model';
import { LogOutcome, PlanVersionInput } from './safety-plan';

const text = Text;
const max = LIMITS.text;

const { maxDangers: MAX_DANGERS, huisverbodDays: HUISVERBOD_DAYS, huisverbodMaxDays: HUISVERBOD_MAX_DAYS } = METHOD;

const builders = {
  recordScore: () =>
    z.object({
      dangerId: Ref,
      group: ScoreGroup,
      value: z.number().int().min(0).max(10),
      observedBehaviour: text(max.observedBehaviour),
      date: IsoDateSchema,
    }),
  defineDanger: () =>
    z.object({
      statement: text(max.statement),
      safetyGoal: text(max.safetyGoal),
      scaleQuestion: OptionalText(max.scaleQuestion),
      priority: z.number().int().min(1).max(MAX_DANGERS).optional(),
    }),
  reviseDanger: () =>
    z.object({
      dangerId: Ref,
      statement: text(max.statement).optional(),
      safetyGoal: text(max.safetyGoal).optional(),
      scaleQuestion: OptionalText(max.scaleQuestion),
      priority: z.number().int().min(1).max(MAX_DANGERS).optional(),
    }),
  assignRole: () => z.object({ role: Role, professional: ProfessionalRef }),
  addHouseholdMember: () => HouseholdMember,
  addNetworkMember: () =>
    z.object({
      id: Ref,
      kind: z.enum(['sociaal', 'professioneel']),
      safetyPersonFor: z.array(Ref).default([]),
      chair: z.boolean().default(false),
    }),
  updateNetworkMember: () =>
    z.object({
      id: Ref,
      active: z.boolean().optional(),
      safetyPersonFor: z.array(Ref).optional(),
      chair: z.boolean().optional(),
    }),
  recordEvidence: () =>
    z.object({
      item: EvidenceItem,
      date: IsoDateSchema,
      /** Required for items recorded per child or protected person (R-13 kindgesprek, R-16 veilig voorwerp, R-37 Woord en Beeld). */
      members: z.array(Ref).min(1).max(20).optional(),
      note: OptionalText(max.evidenceNote),
      giApproval: GiApproval.optional(),
      /** R-60: required for `controle` (planned or unannounced, by the network or a professional), refused for other items. */
      visit: ControleVisit.optional(),
    }),
  registerHuisverbod: () =>
    z.object({
      startDate: IsoDateSchema,
      /** Time the order took effect (Amsterdam); it ends at that time. Without it 00:00 counts, so warnings come early rather than late. */
      startTime: TimeOfDaySchema.default('00:00'),
      days: z.number().int().min(1).max(HUISVERBOD_MAX_DAYS).default(HUISVERBOD_DAYS),
      guidedBy: ProfessionalRef,
    }),
  extendHuisverbod: () => z.object({ endDate: IsoDateSchema }),
  /** Issue 20: the huisverbod was lifted before its end (R-25: the handover to the veiligheidsplanner stays due). */
  endHuisverbod: () => z.object({ date: IsoDateSchema }),
  /** Issue 20: a danger that no longer applies leaves the analysis, with the reason (R-31). */
  closeDanger: () => z.object({ dangerId: Ref, reason: text(max.statement) }),
  startHandover: () =>
    z.object({
      role: Role,
      to: ProfessionalRef,
      /** Only when the role is vacant: who hands over (e.g. the professional who guided the huisverbod). */
      from: ProfessionalRef.optional(),
      reason: z.enum(HANDOVER_REASONS),
    }),
  confirmHandover: () =>
    z.object({
      handoverId: Ref,
      startDate: IsoDateSchema,
      /** R-24: the start is confirmed together with the household. */
      householdPresent: z.boolean(),
    }),
  cancelHandover: () => z.object({ handoverId: Ref, justification: text(max.cancelJustification) }),
  requestTransition: () =>
    z.object({
      to: Phase,
      /** Override (casusregisseur only): proceeds despite unmet criteria, recorded and escalated. */
      justification: text(max.transitionJustification).optional(),
    }),
  /** Section 6: who is escalated to says what they will do; the coordinator sees it with the escalation. */
  acknowledgeEscalation: () => z.object({ key: z.string().min(1).max(200), plan: text(max.escalationPlan) }),
  /** Issue 20, section 6: the coordinator agrees or not with an override (by its moment), with a note. */
  reviewOverride: () =>
    z.object({ at: z.string().min(1).max(40), decision: z.enum(['akkoord', 'niet_akkoord']), note: text(max.escalationPlan) }),
  /** Issue 20, section 6: the coordinator's decision after a level-3 escalation. */
  decideEscalation: () => z.object({ key: z.string().min(1).max(200), decision: text(max.escalationPlan) }),
  /** Issue 22: the casusregisseur has checked an imported case; its review ends now (domain/confirm-import.ts). */
  confirmImport: () => z.object({}),
  /** Issue 21: a new plan, or with planId a new version of it (R-15, R-16, R-31, R-41, R-44). */
  recordPlanVersion: () => PlanVersionInput.extend({ planId: Ref.optional() }),
  endorsePlan: () => z.object({ planId: Ref, version: z.number().int().min(1), date: IsoDateSchema }),
  approvePlan: () => z.object({ planId: Ref, version: z.number().int().min(1), date: IsoDateSchema }),
  addLogEntry: () =>
    z.object({
      agreementId: Ref,
      date: IsoDateSchema,
      outcome: LogOutcome,
      score: z.number().int().min(0).max(10).optional(),
      note: OptionalText(2000),
    }),
} as const satisfies { readonly [K in CommandType]: () => z.ZodType };

type Schemas = { readonly [K in CommandType]: ReturnType<(typeof builders)[K]> };

/** Builds one schema on its first read and keeps it: later reads cost a property lookup. */
function builtOnFirstUse(): Schemas {
  const schemas = {} as Schemas;
  for (const key of Object.keys(builders) as (keyof typeof builders)[]) {
    Object.defineProperty(schemas, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const schema = builders[key]();
        Object.defineProperty(schemas, key, { value: schema, enumerable: true });
        return schema;
      },
    });
  }
  return schemas;
}

export const CommandSchemas: Schemas = builtOnFirstUse();

export type CommandBody<K extends CommandType> = z.infer<(typeof CommandSchemas)[K]>;
export type CommandInput<K extends CommandType> = z.input<(typeof CommandSchemas)[K]>;

/** A command's body as the method reads it (defaults filled in, texts trimmed), or a refusal naming each field that is wrong. */
export function parseCommand<K extends CommandType>(type: K, input: unknown): CommandBody<K> {
  const parsed = CommandSchemas[type].safeParse(input);
  if (!parsed.success)
    throw new MethodRefusal(
      'invoer',
      `Ongeldige invoer: ${parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as CommandBody<K>;
}

/**
 * What the workflow's update validator admits: a body that is already in the form parseCommand
 * gives (the API and the pages send nothing else). The update handler then applies the body exactly
 * as it stands in the history, without a schema, and a replay applies the same.
 */
export function normalCommand<K extends CommandType>(type: K, input: unknown): CommandBody<K> {
  const body = parseCommand(type, input);
  if (!sameJson(body, input))
    throw new MethodRefusal(
      'invoer',
      `Ongeldige invoer: de opdracht '${type}' is niet in de vorm die de API stuurt (ontbrekende standaardwaarden, spaties of onbekende velden).`,
    );
  return body;
}

/** Equal as JSON: the same values, keys in any order, an absent key the same as one that is undefined. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
