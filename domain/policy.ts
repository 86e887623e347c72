/**
 * The method's numbers: the fixed ones (METHOD) and every duration with its default (DEFAULT_POLICY),
 * as plain data the workflow reads without a schema. The policy's bounds are in ./schemas/policy.
 */
import type { Policy } from './schemas/policy';

export type { Policy } from './schemas/policy';

/**
 * The method's fixed numbers: set by law or by ROUTEKAART.md itself, not by a deployment.
 */
export const METHOD = {
  /** at most four danger statements. */
  maxDangers: 4,
  /** a huisverbod lasts 10 days and can be extended to at most 28. */
  huisverbodDays: 10,
  huisverbodMaxDays: 28,
  /** "at least 6"; R-46: "at least 7". */
  safeScore: 6,
  stableScore: 7,
  /** agreements carried out for at least half a year. */
  agreementsMonths: 6,
} as const;

/**
 * Every duration of the method in one place. Defaults are ROUTEKAART.md's own numbers where the
 * method gives one, otherwise the default it names as configurable. Deployments override any
 * field (ROUTEKAART_POLICY as JSON, checked by ./schemas/policy); tests use short ones. A plain
 * object, so the workflow reads it without building a schema (worker/bundle.ts). Its type is the
 * literal's (annotating it with Policy would be circular); withPolicyDefaults proves it a Policy.
 */
export const DEFAULT_POLICY = {
  /** reminder and escalation when coordination has no owner, in working days. */
  ownerReminderWorkingDays: 2,
  ownerEscalationWorkingDays: 5,
  ownerReminderEveryDays: 1,
  /** the child or vulnerable adult is spoken to within 2 weeks of phase Veiligheid. */
  childConversationDays: 14,
  childConversationReminderDaysBefore: 3,
  /** day of the month on which a reminder goes out when a danger is not yet scored. */
  scoreReminderDayOfMonth: 20,
  scoreReminderEveryDays: 7,
  /** reminders for an open handover repeat; escalation when open too long. */
  handoverReminderEveryDays: 3,
  handoverEscalationDays: 7,
  /** reminder before a huisverbod ends without a veiligheidsplanner; levels 1..3 this many hours before its end. */
  huisverbodReminderDaysBefore: 4,
  huisverbodLadderHoursBefore: [48, 24, 8] as [number, number, number],
  huisverbodReminderEveryDays: 1,
  /** network meeting and evaluation at least monthly in risk-driven and recovery. */
  networkMeetingEveryDays: 30,
  meetingReminderDaysBefore: 7,
  meetingEscalationDaysAfter: 7,
  /** evaluation of the network chair's role, days after recovery started. */
  chairEvaluationAfterDays: 90,
  /** R-48: professionals' meeting before closure, days after recovery started. */
  professionalsMeetingAfterDays: 120,
  /**
   * in Veiligheid, Risico gestuurd and Herstel a controle visit (planned or unannounced) is
   * expected at least this often, counted from the phase start or the last controle; four weeks,
   * as the monthly rhythm of scores and network meetings.
   */
  controleEveryDays: 28,
  /** the reminder repeats this often while no controle is recorded after the interval. */
  controleReminderEveryDays: 7,
  /** escalation this many days after the interval ended without a controle. */
  controleEscalationDaysAfter: 14,
  /**
   * Issue 21, R-20: a missed check of an agreement reminds the member who checks first (through the
   * address of their personal log link), and the casusregisseur this many working days later. 0: the
   * casusregisseur at once (what households started before this rule keep).
   */
  monitoringMemberFirstDays: 2,
  /** days after a phase starts by which the household has been discussed with the team or other organisations. */
  teamConsultationAfterDays: 21,
  /** the reminder repeats this often until the phase's team consultation is recorded (it never escalates). */
  teamConsultationReminderEveryDays: 14,
  /** Expected duration of each phase; longer raises the "phase stalls" escalation. */
  expectedPhaseDays: { veiligheid: 56, risicogestuurd: 365, herstel: 183 },
  /** reminder this many days before a phase reaches its expected duration. */
  phaseStallReminderDaysBefore: 14,
  /** Days after a cause becomes overdue at which escalation levels 1, 2 and 3 are reached. */
  escalationLadderDays: [0, 7, 14] as [number, number, number],
  /** While a cause stays open after escalating, its escalation is repeated this often (nobody left without mail). */
  escalationRepeatDays: 7,
  /** Mail goes out inside these hours (Amsterdam) on working days, or on every day (a 24/7 crisis service). */
  workingHours: { from: 9, until: 17, everyDay: false },
  /** thresholds and run lengths. */
  riskRunMonths: 6,
  stableSafetyEvaluations: 2,
  /** minimum trajectory length before closing without a justification. */
  minimumTrajectoryMonths: 12,
  /** non-professional people actively involved before closure. */
  minimumActiveSocialNetwork: 3,
  /** Issue 22: an imported case is "geïmporteerd — in controle" this many days: no escalation, one summary mail; 0: no review, imported history escalates as it stands. */
  importReviewDays: 14,
  /** Issue 22: evidence entered more than this many days after its date is marked "later ingevoerd". */
  lateEvidenceDays: 7,
  /**
   * Issue 22: follow-up after closure. With `consent` (the region's agreement with families, default
   * off) closing a household starts its follow-up: at 3 and 6 months after closure one score per
   * danger is asked of household and network through a single-use link valid `linkDays` days.
   */
  followUp: { consent: false, linkDays: 28 },
  /** Mail delivery is retried this long before it counts as failed and is escalated (nothing lost). */
  mailRetryHours: 26,
  /** One delivery attempt may take this long; a worker that dies mid-attempt is retried by another after it. */
  mailAttemptSeconds: 120,
  /** Issue 21: entries one personal log link may add per 24 hours; more is refused until the day has passed. */
  logLinkEntriesPerDay: 20,
  /** Issue 21: a personal log link holds at most this long, and never past the household's closure. */
  logLinkMaxDays: 365,
};

/**
 * A stored policy (already parsed when the household started) with defaults for fields added since:
 * a plain merge, so a workflow woken after cache eviction does not run the schema on every wake-up.
 */
export function withPolicyDefaults(stored: Partial<Policy>): Policy {
  return {
    ...DEFAULT_POLICY,
    ...stored,
    expectedPhaseDays: { ...DEFAULT_POLICY.expectedPhaseDays, ...stored.expectedPhaseDays },
    workingHours: { ...DEFAULT_POLICY.workingHours, ...stored.workingHours },
    followUp: { ...DEFAULT_POLICY.followUp, ...stored.followUp },
  };
}
