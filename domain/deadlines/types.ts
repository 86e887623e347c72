/** The vocabulary of the deadline plan: what a cause asks for, and the kinds of notification it leads to. */
import type { HouseholdState, ProfessionalRef } from '../model';
import type { Policy } from '../policy';

export const NOTIFICATION_KINDS = [
  'eigenaar_ontbreekt',
  'kindgesprek',
  'score',
  'scores_ontbreken',
  'scores_dalen',
  'overdracht',
  'huisverbod',
  'netwerkberaad',
  'evaluatie_netwerkvoorzitter',
  'professionaloverleg',
  'fase_duurt_lang',
  'controle',
  'teamoverleg',
  'import_samenvatting', // issue 22, R-01: what an imported case still lacks, once
  'misgegaan', // issue 21, R-16 / R-20: a log entry "misgegaan" reaches the casusregisseur the same working day
  'logboek_herinnering', // issue 21, R-20: a missed check reaches the member who checks first, by their log link
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type Level = 0 | 1 | 2 | 3;

export interface Deadline {
  /** Stable identity of the cause; part of every idempotency key. */
  key: string;
  kind: NotificationKind;
  rule: string;
  /** Dutch: what is due and why. */
  reason: string;
  /** First reminder; repeated every `repeatDays` while the cause lasts and nothing is escalated. */
  remindAt?: string;
  repeatDays?: number;
  /** Since when the cause is overdue (shown in mails). */
  overdueAt?: string;
  /** Issue 22: overdue already when the household was imported, since this instant (before Routekaart knew the case). */
  overdueBeforeImport?: string;
  /** The instants levels 1, 2 and 3 are reached, inside working hours and in order. */
  ladder?: readonly [string, string, string];
  /** Who must act (level 0 and 1). */
  responsible: ProfessionalRef[];
  /**
   * Issue 21: household or network members (refs) reminded through their personal log link instead
   * of professionals; their address lives with the link, never in the workflow. Such a deadline
   * never escalates: the professionals' own deadline for the same cause does.
   */
  members?: string[];
  /** Meetings go out with a calendar invite at this time. */
  meetingAt?: string;
  /** when no working moment is left before this instant, its mail goes out at once, at any hour. */
  urgentBefore?: string;
  /** What a professional can record to take the cause away, as a short form (mail action links). */
  remedy?: Remedy;
}

/** A form that takes a cause away: scores, the incoming professional's start, or one evidence item. */
export interface Remedy {
  action: 'evaluatie' | 'overdracht_start' | 'bewijs';
  /** The handover id, or the evidence item. */
  ref?: string;
  /** Only these professionals may use it (the incoming professional of a handover). */
  for?: string[];
}

/**
 * One cause of section 6: the deadlines its rule asks for in this state (none when the rule is
 * satisfied or does not apply in this phase). Independent of now except for month boundaries.
 */
export type Cause = (s: HouseholdState, now: Date, policy: Policy) => Deadline[];
