/**
 * The shapes of the household list (GET /api/v1/households), built from the search attributes of
 * workflows/messages.ts. The coordinators' dashboard is built on exactly this shape: change it only
 * together with api/dashboard.
 */
import { z } from 'zod';
import { Phase, Ref } from '../domain/model';

export const EXECUTION_STATUSES = [
  'running',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'continued_as_new',
  'timed_out',
  'paused',
  'unknown',
] as const;

export const HouseholdSummary = z.object({
  householdId: z.string(),
  phase: Phase,
  /** The organisations involved now. */
  organisations: z.array(z.string()),
  intakeOrganisation: z.string(),
  /** professionalId of the casusregisseur, null while nobody holds the role. */
  casusregisseur: z.string().nullable(),
  /** 0 = nothing overdue; 1..3 = the escalation ladder (professional, organisation lead, coordinator). */
  escalationLevel: z.number().int().min(0).max(3),
  /** The shortest current score run over the dangers (R-39 in risicogestuurd, R-46 in herstel), in months. */
  runMonths: z.number().int().min(0),
  /** The next reminder or escalation moment (ISO instant), null when nothing is planned. */
  nextDeadline: z.string().nullable(),
  openHandover: z.boolean(),
  overdue: z.boolean(),
  /** Start of the trajectory (R-52 counts from here). */
  startedAt: z.string(),
  /** Start of the current phase (R-61: time per phase). */
  phaseStartedAt: z.string().nullable(),
  status: z.enum(EXECUTION_STATUSES),
});
export type HouseholdSummary = z.infer<typeof HouseholdSummary>;

export const HouseholdList = z.object({
  items: z.array(HouseholdSummary),
  /** Pass as `nextPageToken` for the next page; absent on the last page. */
  nextPageToken: z.string().optional(),
});
export type HouseholdList = z.infer<typeof HouseholdList>;

const BoolParam = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .meta({ description: "'true' or 'false'." });

export const HouseholdListQuery = z.object({
  phase: Phase.optional(),
  /** Households this organisation is involved in. */
  organisation: Ref.optional(),
  /** professionalId of the casusregisseur. */
  casusregisseur: Ref.optional(),
  /** Minimum escalation level. */
  escalationLevel: z.coerce.number().int().min(0).max(3).optional(),
  openHandover: BoolParam.optional(),
  overdue: BoolParam.optional(),
  /** running (default), closed (ended for good) or all. */
  status: z.enum(['running', 'closed', 'all']).default('running'),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  nextPageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(4096)
    .optional(),
});
export type HouseholdListQuery = z.infer<typeof HouseholdListQuery>;
