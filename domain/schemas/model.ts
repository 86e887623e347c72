/**
 * The household's state and vocabulary as zod schemas: what the API accepts and documents (the
 * wire contract). The names, labels and the state's shape are in ../model, which imports these as
 * types only. Only the API, the update validators and the checked commands (../commands) build them.
 */
import { z } from 'zod';
import { ControleVisit, EvidenceItem } from './evidence-items';
import { LIMITS } from '../limits';
import { EARLIEST_DATE, HANDOVER_REASONS, PHASES, REPORT_SOURCES, ROLES, SCORE_GROUPS, textTooLong } from '../model';

export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const ScoreGroup = z.enum(SCORE_GROUPS);
export type ScoreGroup = z.infer<typeof ScoreGroup>;

/** Pseudonymous identifiers only: never names, birth dates or BSN (personal data stays out). No spaces, none trimmed. */
const ref = z
  .string()
  .min(1, 'Verplicht veld.')
  .max(64, 'Maximaal 64 tekens.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'Alleen letters, cijfers en . _ : - (een referentie, geen naam).');
export const Ref = ref;

/** A calendar date that exists (format date), in the years 2000-2999; the document says the same. */
export const IsoDateSchema = z
  .string()
  .regex(/^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, `Een datum als JJJJ-MM-DD, vanaf ${EARLIEST_DATE}.`)
  // Runs after a failed pattern too (zod checks on): never throw for malformed input.
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'Geen bestaande datum.')
  .meta({ format: 'date', description: `A calendar date YYYY-MM-DD that exists, from ${EARLIEST_DATE} on.` });

/** Free text: spaces at the start and end are left out first, then the length counts; at least one visible character. */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Verplicht veld.')
    .max(max, textTooLong(max))
    .regex(/\S/, 'Verplicht veld.')
    .meta({
      description: `Text of at most ${max} characters after leading and trailing whitespace is removed; at least one visible character.`,
    });

/** Optional free text, trimmed first (empty after trimming is allowed). */
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, textTooLong(max))
    .optional()
    .meta({ description: `Text of at most ${max} characters after leading and trailing whitespace is removed.` });

/** A wall-clock time HH:MM in Amsterdam. */
export const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Tijd als UU:MM (00:00 tot 23:59).');

/** A professional is known by a pseudonymous id and an organisation id; addresses live in the directory. */
export const ProfessionalRef = z.object({ professionalId: ref, organisation: ref });
export type ProfessionalRef = z.infer<typeof ProfessionalRef>;

export const ReportSource = z.enum(REPORT_SOURCES);

export const HouseholdMember = z.object({
  ref,
  isChild: z.boolean(),
  vulnerableAdult: z.boolean().default(false),
  /** Issue 20: the first name, stored encrypted (the state holds its text reference); for involved organisations only. */
  firstName: OptionalText(LIMITS.text.firstName).meta({
    description:
      'Optional first name, as people know the member; stored encrypted, shown only to involved organisations, never in ids, search attributes or logs.',
  }),
  /** Age at intake, where the intake gives it. */
  age: z.number().int().min(0).max(120).optional().meta({ description: 'Optional age in years at intake.' }),
});
export type HouseholdMember = z.infer<typeof HouseholdMember>;

export const NetworkMember = z.object({
  id: ref,
  kind: z.enum(['sociaal', 'professioneel']),
  active: z.boolean(),
  /** the children (member refs) this person is veiligheidspersoon for. */
  safetyPersonFor: z.array(ref),
  /** chairs or co-chairs the netwerkberaad. */
  chair: z.boolean(),
  since: IsoDateSchema,
});
export type NetworkMember = z.infer<typeof NetworkMember>;

export const Danger = z.object({
  id: ref,
  /** 1 = highest (R-31: priority order). */
  priority: z.number().int().min(1).max(4),
  statement: Text(LIMITS.text.statement),
  safetyGoal: Text(LIMITS.text.safetyGoal),
  scaleQuestion: OptionalText(LIMITS.text.scaleQuestion),
  definedAt: IsoDateSchema,
  revisions: z.number().int().min(0),
});
export type Danger = z.infer<typeof Danger>;

export const Score = z.object({
  dangerId: ref,
  group: ScoreGroup,
  value: z.number().int().min(0).max(10),
  observedBehaviour: Text(LIMITS.text.observedBehaviour),
  date: IsoDateSchema,
  recordedAt: z.string(),
  recordedBy: ref,
});
export type Score = z.infer<typeof Score>;

/** a safety plan needs the jeugdbeschermer's approval when a GI is involved. */
export const GiApproval = z.object({ approvedBy: Text(LIMITS.text.approvedBy), date: IsoDateSchema });

export const Evidence = z.object({
  item: EvidenceItem,
  date: IsoDateSchema,
  /** For items recorded per member: the members it concerns. */
  members: z.array(ref).max(20).optional(),
  note: OptionalText(LIMITS.text.evidenceNote),
  giApproval: GiApproval.optional(),
  /** only for `controle`, and required there. */
  visit: ControleVisit.optional(),
  phase: Phase,
  recordedAt: z.string(),
  recordedBy: ref,
});
export type Evidence = z.infer<typeof Evidence>;

export const RoleHolder = ProfessionalRef.extend({ since: z.string() });
export type RoleHolder = z.infer<typeof RoleHolder>;

export const RoleHistoryEntry = ProfessionalRef.extend({
  role: Role,
  from: z.string(),
  to: z.string().optional(),
  via: z.enum(['toewijzing', 'overdracht', 'intake']),
});
export type RoleHistoryEntry = z.infer<typeof RoleHistoryEntry>;

export const Handover = z.object({
  id: ref,
  role: Role,
  from: ProfessionalRef,
  to: ProfessionalRef,
  reason: z.enum(HANDOVER_REASONS),
  requestedAt: z.string(),
  requestedBy: ref,
  /** set only when the incoming professional confirms the start with the household present. */
  confirmedAt: z.string().optional(),
  startDate: IsoDateSchema.optional(),
  cancelledAt: z.string().optional(),
  /** Why it was cancelled (a stored text's reference in the workflow, the text in the API). */
  cancelJustification: z.string().optional(),
  /** R-24 mails sent: the request to the incoming professional, the start to the outgoing one (workflows/steps.ts). */
  requestNoticed: z.boolean().optional(),
  startNoticed: z.boolean().optional(),
});
export type Handover = z.infer<typeof Handover>;

export const Huisverbod = z.object({
  startDate: IsoDateSchema,
  /** Wall-clock time in Amsterdam the order took effect; it ends at the same time. */
  startTime: TimeOfDaySchema,
  endDate: IsoDateSchema,
  /** The instant the huisverbod ends: the ladder of R-25 is planned back from it. */
  endAt: z.string(),
  /** The professional who guides the huisverbod and must hand over. */
  guidedBy: ProfessionalRef,
  extensions: z.array(z.object({ endDate: IsoDateSchema, recordedAt: z.string() })),
  /** Issue 20: lifted before its end (the day it ended, when recorded). */
  ended: z.object({ date: IsoDateSchema, recordedAt: z.string(), by: ref }).optional(),
});
export type Huisverbod = z.infer<typeof Huisverbod>;

export const EscalationRecord = z.object({
  key: z.string(),
  rule: z.string(),
  level: z.number().int().min(1).max(3),
  raisedAt: z.string(),
  levelSince: z.string(),
  /** When the workflow recorded the current level (later than levelSince for a case that arrives overdue). */
  levelNotedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  reason: z.string(),
  /** A responsible professional (or lead) acknowledged it with a short plan the coordinator sees. */
  acknowledgements: z.array(z.object({ at: z.string(), by: ref, level: z.number().int().min(1).max(3), plan: z.string() })).optional(),
  /** Issue 20: what the coordinator decided after a level-3 escalation (the text a reference); noticed: the casusregisseur was mailed. */
  decisions: z.array(z.object({ at: z.string(), by: ref, decision: z.string(), noticed: z.boolean().optional() })).optional(),
});
export type EscalationRecord = z.infer<typeof EscalationRecord>;

export const OverrideRecord = z.object({
  at: z.string(),
  by: ref,
  from: Phase,
  to: Phase,
  unmet: z.array(z.string()),
  justification: z.string(),
  /** The regional coordinator was sent the notice (inside working hours). */
  coordinatorNotified: z.boolean().optional(),
  /** Issue 20: the coordinator's review of the override: agreed or not, with a note (a text reference); noticed: its author was mailed. */
  review: z
    .object({ at: z.string(), by: ref, decision: z.enum(['akkoord', 'niet_akkoord']), note: z.string(), noticed: z.boolean().optional() })
    .optional(),
});
export type OverrideRecord = z.infer<typeof OverrideRecord>;

export const Warning = z.object({ at: z.string(), rule: z.string(), message: z.string() });
export type Warning = z.infer<typeof Warning>;

export const PhaseHistoryEntry = z.object({
  phase: Phase,
  from: z.string(),
  to: z.string().optional(),
  via: z.enum(['start', 'criteria', 'override', 'import']),
});
export type PhaseHistoryEntry = z.infer<typeof PhaseHistoryEntry>;

/** Who issues a command; set by the API from the caller's credentials, never from the body. */
export const Actor = z.object({
  professionalId: ref,
  organisation: ref,
  kind: z.enum(['intake', 'professional', 'coordinator']),
});
export type Actor = z.infer<typeof Actor>;
