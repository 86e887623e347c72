/**
 * The policy as a zod schema: what a deployment may set (ROUTEKAART_POLICY) and what a household
 * starts with. Each field's default and meaning is in ../policy (DEFAULT_POLICY); this adds the bounds.
 */
import { z } from 'zod';
import { DEFAULT_POLICY } from '../policy';

export const Policy = z.object({
  ownerReminderWorkingDays: z.number().int().min(0).default(DEFAULT_POLICY.ownerReminderWorkingDays),
  ownerEscalationWorkingDays: z.number().int().min(0).default(DEFAULT_POLICY.ownerEscalationWorkingDays),
  ownerReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.ownerReminderEveryDays),
  childConversationDays: z.number().int().min(1).default(DEFAULT_POLICY.childConversationDays),
  childConversationReminderDaysBefore: z.number().int().min(0).default(DEFAULT_POLICY.childConversationReminderDaysBefore),
  scoreReminderDayOfMonth: z.number().int().min(1).max(28).default(DEFAULT_POLICY.scoreReminderDayOfMonth),
  scoreReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.scoreReminderEveryDays),
  handoverReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.handoverReminderEveryDays),
  handoverEscalationDays: z.number().int().min(1).default(DEFAULT_POLICY.handoverEscalationDays),
  huisverbodReminderDaysBefore: z.number().int().min(0).default(DEFAULT_POLICY.huisverbodReminderDaysBefore),
  huisverbodLadderHoursBefore: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0)])
    .refine(([a, b, c]) => a >= b && b >= c, 'Levels come in order: hours before the end decrease.')
    .default(DEFAULT_POLICY.huisverbodLadderHoursBefore),
  huisverbodReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.huisverbodReminderEveryDays),
  networkMeetingEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.networkMeetingEveryDays),
  meetingReminderDaysBefore: z.number().int().min(0).default(DEFAULT_POLICY.meetingReminderDaysBefore),
  meetingEscalationDaysAfter: z.number().int().min(0).default(DEFAULT_POLICY.meetingEscalationDaysAfter),
  chairEvaluationAfterDays: z.number().int().min(1).default(DEFAULT_POLICY.chairEvaluationAfterDays),
  professionalsMeetingAfterDays: z.number().int().min(1).default(DEFAULT_POLICY.professionalsMeetingAfterDays),
  controleEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.controleEveryDays),
  controleReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.controleReminderEveryDays),
  controleEscalationDaysAfter: z.number().int().min(0).default(DEFAULT_POLICY.controleEscalationDaysAfter),
  monitoringMemberFirstDays: z.number().int().min(0).max(14).default(DEFAULT_POLICY.monitoringMemberFirstDays),
  teamConsultationAfterDays: z.number().int().min(1).default(DEFAULT_POLICY.teamConsultationAfterDays),
  teamConsultationReminderEveryDays: z.number().int().min(1).default(DEFAULT_POLICY.teamConsultationReminderEveryDays),
  expectedPhaseDays: z
    .object({
      veiligheid: z.number().int().min(1).default(DEFAULT_POLICY.expectedPhaseDays.veiligheid),
      risicogestuurd: z.number().int().min(1).default(DEFAULT_POLICY.expectedPhaseDays.risicogestuurd),
      herstel: z.number().int().min(1).default(DEFAULT_POLICY.expectedPhaseDays.herstel),
    })
    .default(DEFAULT_POLICY.expectedPhaseDays),
  phaseStallReminderDaysBefore: z.number().int().min(0).default(DEFAULT_POLICY.phaseStallReminderDaysBefore),
  escalationLadderDays: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).default(DEFAULT_POLICY.escalationLadderDays),
  escalationRepeatDays: z.number().int().min(1).default(DEFAULT_POLICY.escalationRepeatDays),
  workingHours: z
    .object({
      from: z.number().int().min(0).max(23),
      until: z.number().int().min(1).max(24),
      everyDay: z.boolean().default(DEFAULT_POLICY.workingHours.everyDay),
    })
    .refine((h) => h.until - h.from >= 2, 'Working hours span at least two hours.')
    .default(DEFAULT_POLICY.workingHours),
  riskRunMonths: z.number().int().min(1).default(DEFAULT_POLICY.riskRunMonths),
  stableSafetyEvaluations: z.number().int().min(1).default(DEFAULT_POLICY.stableSafetyEvaluations),
  minimumTrajectoryMonths: z.number().int().min(0).default(DEFAULT_POLICY.minimumTrajectoryMonths),
  minimumActiveSocialNetwork: z.number().int().min(0).default(DEFAULT_POLICY.minimumActiveSocialNetwork),
  importReviewDays: z.number().int().min(0).default(DEFAULT_POLICY.importReviewDays),
  lateEvidenceDays: z.number().int().min(0).default(DEFAULT_POLICY.lateEvidenceDays),
  followUp: z
    .object({
      consent: z.boolean().default(DEFAULT_POLICY.followUp.consent),
      linkDays: z.number().int().min(1).max(90).default(DEFAULT_POLICY.followUp.linkDays),
    })
    .default(DEFAULT_POLICY.followUp),
  mailRetryHours: z.number().min(1).default(DEFAULT_POLICY.mailRetryHours),
  mailAttemptSeconds: z.number().int().min(5).max(600).default(DEFAULT_POLICY.mailAttemptSeconds),
  logLinkEntriesPerDay: z.number().int().min(1).default(DEFAULT_POLICY.logLinkEntriesPerDay),
  logLinkMaxDays: z.number().int().min(1).default(DEFAULT_POLICY.logLinkMaxDays),
});
export type Policy = z.infer<typeof Policy>;
