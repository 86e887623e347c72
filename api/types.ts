/**
 * The shapes of the household list (GET /api/v1/households) and the region-wide counts, from the
 * read model (platform/store/summaries.ts). The coordinators' dashboard is built on exactly these
 * shapes: change them only together with api/dashboard.
 */
import { z } from 'zod';
import { Phase, Ref } from '../domain/schemas/model';
import { PageToken } from './paging';

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
  phaseStartedAt: z.string(),
  status: z.enum(['running', 'completed']),
  /** Issue 22: when an imported trajectory's review ends ("geïmporteerd — in controle tot"); null for intakes. */
  importReviewEndsAt: z.string().nullable(),
  /** The intake system's own reference: only for the intake organisation itself (issue 22, R-64). */
  reference: z.string().optional(),
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

/** A whole number written plainly: no hex, exponent, sign or spaces (the document says integer, so does this). */
export const Int = (min: number, max: number) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${String(max).length}}$`), `Een geheel getal van ${min} tot en met ${max}.`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({ type: 'integer', minimum: min, maximum: max });

export const HouseholdListQuery = z.object({
  phase: Phase.optional(),
  /** Households this organisation is involved in. */
  organisation: Ref.optional(),
  /** professionalId of the casusregisseur. */
  casusregisseur: Ref.optional(),
  /** Minimum escalation level. */
  escalationLevel: Int(0, 3).optional(),
  openHandover: BoolParam.optional(),
  overdue: BoolParam.optional(),
  /** running (default), closed (ended) or all. */
  status: z.enum(['running', 'closed', 'all']).default('running'),
  pageSize: Int(1, 500).default(100),
  nextPageToken: PageToken.optional(),
});
export type HouseholdListQuery = z.infer<typeof HouseholdListQuery>;

/** Counts of running households across everything the caller may see (not per page). */
export const HouseholdCounts = z
  .object({
    total: z.number().int(),
    byPhase: z.record(z.string(), z.number().int()),
    escalated: z.number().int(),
    byLevel: z.record(z.string(), z.number().int()),
    openHandovers: z.number().int(),
    overdue: z.number().int(),
  })
  .meta({ id: 'HouseholdCounts' });
