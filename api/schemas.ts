/**
 * Zod schemas of what the API answers, for the OpenAPI document. They are assembled from the
 * domain's own zod pieces (domain/model.ts); the compile-time checks below fail the build when the
 * domain's HouseholdState or HouseholdView changes without these following.
 */
import { z } from 'zod';
import { NOTIFICATION_KINDS } from '../domain/deadlines';
import {
  Danger,
  EscalationRecord,
  Evidence,
  Handover,
  HouseholdMember,
  Huisverbod,
  NetworkMember,
  OverrideRecord,
  Phase,
  PhaseHistoryEntry,
  ReportSource,
  Role,
  RoleHistoryEntry,
  RoleHolder,
  Score,
  Warning,
} from '../domain/schemas/model';
import type { PlannedItem } from '../domain/view';
import type { ReadView } from './access';

export const UnmetSchema = z.object({
  rule: z.string().meta({ example: 'R-18' }),
  message: z.string(),
});

export const HouseholdStateSchema = z
  .object({
    householdId: z.string(),
    intake: z.object({
      organisation: z.string(),
      /** Only for the intake organisation's own readers. */
      reference: z.string().optional().meta({ description: 'Alleen voor de intakeorganisatie zelf (R-64).' }),
      source: ReportSource,
      reportingOrganisation: z.string(),
      receivedAt: z.string(),
    }),
    startedAt: z.string(),
    phase: Phase,
    phaseStartedAt: z.string(),
    phaseHistory: z.array(PhaseHistoryEntry),
    localTeamOrGi: z.boolean(),
    jeugdbeschermer: z.boolean(),
    roles: z.partialRecord(Role, RoleHolder),
    roleHistory: z.array(RoleHistoryEntry),
    members: z.array(HouseholdMember),
    network: z.array(NetworkMember),
    dangers: z.array(Danger),
    scores: z.array(Score),
    evidence: z.array(Evidence),
    huisverbod: Huisverbod.optional(),
    handovers: z.array(Handover),
    escalations: z.array(EscalationRecord),
    overrides: z.array(OverrideRecord),
    warnings: z.array(Warning),
    notified: z.array(z.string()),
    closedAt: z.string().optional(),
    seq: z.number().int(),
  })
  .meta({ id: 'HouseholdState' });

export const PlannedItemSchema = z.object({
  key: z.string(),
  kind: z.string().meta({ description: `One of ${NOTIFICATION_KINDS.join(', ')}.` }),
  rule: z.string(),
  reason: z.string(),
  remindAt: z.string().optional(),
  overdueAt: z.string().optional(),
  level: z.number().int(),
  meetingAt: z.string().optional(),
  responsible: z.array(z.string()),
  remedy: z
    .object({
      action: z.enum(['evaluatie', 'overdracht_start', 'bewijs']),
      ref: z.string().optional(),
      for: z.array(z.string()).optional(),
    })
    .optional(),
});

const MonthKey = z.string().meta({ example: '2026-03', description: 'A calendar month, YYYY-MM (Europe/Amsterdam).' });

export const ScorePageSchema = z
  .object({
    from: MonthKey.meta({ description: 'The earliest month whose scores state.scores holds.' }),
    to: MonthKey.meta({ description: 'The latest month whose scores state.scores holds.' }),
    earlier: MonthKey.optional().meta({
      description: "The latest month before 'from' with scores: ask it as 'to' for the months before this page. Absent on the first page.",
    }),
    total: z.number().int().meta({ description: 'Scores of the household over all months.' }),
  })
  .meta({ id: 'ScorePage' });

export const HouseholdViewSchema = z
  .object({
    state: HouseholdStateSchema,
    unmet: z.array(UnmetSchema).meta({ description: 'Exit criteria of the current phase that do not hold yet, by rule id.' }),
    plan: z.array(PlannedItemSchema).meta({ description: 'The deadline plan: every reminder and escalation cause with its reason.' }),
    nextDeadline: z.string().optional(),
    escalationLevel: z.number().int(),
    runs: z.array(z.object({ dangerId: z.string(), riskMonths: z.number().int(), consensusMonths: z.number().int() })),
    organisations: z.array(z.string()).meta({ description: 'The organisations involved now (R-64); only they see the household.' }),
    openHandover: z.boolean(),
    asOf: z.string(),
    late: z
      .object({
        scores: z.array(z.object({ dangerId: z.string(), group: z.string(), date: z.string(), recordedAt: z.string() })),
        evidence: z.array(z.object({ item: z.string(), date: z.string(), recordedAt: z.string() })),
      })
      .meta({ description: "Scores and evidence entered after their month or date: 'later ingevoerd' (issue 22), observed and entered." }),
    importReview: z
      .object({ endsAt: z.string(), label: z.string().meta({ example: 'geïmporteerd — in controle tot 17 december 2026' }) })
      .optional()
      .meta({ description: 'Issue 22: present while an imported trajectory is in review (R-01); the ladder starts at its end.' }),
    scorePage: ScorePageSchema.optional().meta({
      description: [
        'state.scores holds whole calendar months of scores, not the whole history: by default the last 12 months, fewer when',
        'their observed behaviour passes 128 KB. This says which months, and where the months before them are.',
      ].join(' '),
    }),
    previousTrajectory: z
      .object({
        householdId: z.string(),
        matchedBy: z.enum(['reference', 'member']),
        reportedAt: z.string(),
      })
      .optional()
      .meta({
        description: [
          'Issue 22: this intake is a re-report. The id of the closed trajectory it was linked to, matched by the intake',
          "organisation's reference or by a member's memberKey (keyed hash), and when the new intake came. The closed one stays closed.",
        ].join(' '),
      }),
  })
  .meta({ id: 'HouseholdView' });

export const CriteriaSchema = z.object({ householdId: z.string(), phase: Phase, unmet: z.array(UnmetSchema) });
export const PlanSchema = z.object({
  householdId: z.string(),
  phase: Phase,
  plan: z.array(PlannedItemSchema),
  nextDeadline: z.string().optional(),
  escalationLevel: z.number().int(),
});
export const TimelineSchema = z.object({
  householdId: z.string(),
  roleHistory: z.array(RoleHistoryEntry).meta({ description: 'Who held which role when (R-24), on this page.' }),
  handovers: z.array(Handover).meta({ description: 'Handovers requested, on this page.' }),
  phaseHistory: z.array(PhaseHistoryEntry).meta({ description: 'Phases entered, on this page.' }),
  nextPageToken: z.string().optional().meta({ description: 'Present when later entries follow: pass it unchanged for the next page.' }),
});

// The build fails here when the domain's read model and these schemas drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const assertSame = <T extends true>(): T | undefined => undefined;
assertSame<Same<z.output<typeof HouseholdStateSchema>, ReadView['state']>>();
assertSame<Same<z.output<typeof PlannedItemSchema>, PlannedItem>>();
assertSame<Same<z.output<typeof HouseholdViewSchema>, ReadView>>();
