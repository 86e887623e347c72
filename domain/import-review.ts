/**
 * Calm imports (issue 22, R-01): a running case imported from another system starts "geïmporteerd
 * — in controle" for the policy's review period. During it nothing escalates and nothing lies in
 * the past: what was already overdue at import is due on the next working day and climbs the
 * ladder only from the end of the review (or from the casusregisseur's confirmation, if earlier).
 * The one place of this rule: `deadlines()` passes every cause through `calmForImport`.
 */
import { nextWorkingDay, nextWorkingMoment } from './calendar';
import type { HouseholdState, ProfessionalRef } from './model';
import type { Policy } from './policy';
import { addDays, addDaysToInstant, amsterdamDay, dutchDate, morningOf } from './time';
import type { Deadline } from './deadlines/types';

/** What an imported household remembers of its review: when it arrived, and when the review ends. */
export interface ImportReview {
  receivedAt: string;
  /** The end of the review period, inside working hours. */
  endsAt: string;
  /** The casusregisseur confirmed the import: the review ended then. */
  confirmedAt?: string;
}

/** The review of an import received at `receivedAt`: `importReviewDays` later, moved into working hours. */
export function startImportReview(receivedAt: string, policy: Policy): ImportReview {
  return { receivedAt, endsAt: nextWorkingMoment(addDaysToInstant(receivedAt, policy.importReviewDays), policy.workingHours) };
}

/** The instant the review ends: the confirmation when earlier than the period's end. */
export function reviewEndsAt(review: ImportReview): string {
  return review.confirmedAt && review.confirmedAt < review.endsAt ? review.confirmedAt : review.endsAt;
}

/** "geïmporteerd — in controle" while the review lasts. */
export function inImportReview(s: HouseholdState, now: Date): boolean {
  return s.importReview !== undefined && now.toISOString() < reviewEndsAt(s.importReview);
}

/** The status label of an imported household while its review lasts (issue 22; `endsAt` as reviewEndsAt gives it); nothing after it. */
export function importReviewLabel(endsAt: string | null | undefined, now: Date): string | undefined {
  if (!endsAt || now.toISOString() >= endsAt) return undefined;
  return `geïmporteerd — in controle tot ${dutchDate(amsterdamDay(new Date(endsAt)))}`;
}

/** The first working day after the import: the due day of everything that was overdue at import. */
export function firstDueDayAfterImport(review: ImportReview): string {
  return nextWorkingDay(addDays(amsterdamDay(new Date(review.receivedAt)), 1));
}

/** The Amsterdam hour of an instant, to keep a meeting's hour when its day moves. */
function amsterdamHour(at: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }).format(new Date(at));
  return Number(hour);
}

/** The deadlines that were already overdue when the household was imported: the summary mail's items. */
export function overdueAtImport(s: HouseholdState, list: readonly Deadline[]): Deadline[] {
  if (!s.importReview) return [];
  return list.filter((d) => d.overdueBeforeImport !== undefined);
}

/**
 * One deadline as the review allows it: its ladder counted from the review's end when it became
 * overdue before then (level 0 during the review), and no overdue date, reminder ("mijn taken"
 * shows it as due) or meeting before the first working day after the import.
 */
export function calmForImport(d: Deadline, s: HouseholdState, policy: Policy): Deadline {
  const review = s.importReview;
  if (!review) return d;
  const endsAt = reviewEndsAt(review);
  const dueDay = firstDueDayAfterImport(review);
  const dueAt = morningOf(dueDay, policy.workingHours.from);
  const calm: Deadline = { ...d };
  if (d.overdueAt !== undefined && d.overdueAt < endsAt) {
    const [a, b, c] = policy.escalationLadderDays.map((days) => nextWorkingMoment(addDaysToInstant(endsAt, days), policy.workingHours));
    if (d.ladder) calm.ladder = [a!, b!, c!];
    if (d.overdueAt < dueAt) calm.overdueAt = dueAt;
    // Overdue at import: the summary mail names it; its own reminder waits for the review's end.
    if (d.overdueAt <= review.receivedAt) calm.overdueBeforeImport = d.overdueAt;
  }
  if (calm.overdueBeforeImport !== undefined && d.remindAt !== undefined && d.remindAt < dueAt) calm.remindAt = dueAt;
  if (d.meetingAt !== undefined && d.meetingAt < dueAt) calm.meetingAt = morningOf(dueDay, amsterdamHour(d.meetingAt));
  return calm;
}

/** The one summary mail of an import: what is still missing, each with its rule, to whoever runs the trajectory. */
export interface ImportSummary {
  key: string;
  rule: string;
  reason: string;
  /** The day of the import: imported dates are days, shown without a clock time. */
  since: string;
  /** The casusregisseur, else the owner of phase Veiligheid; none: the intake organisation's lead hears. */
  responsible: ProfessionalRef[];
}

/** The summary of an import while its review lasts, or nothing when nothing was overdue at import. */
export function importSummary(s: HouseholdState, list: readonly Deadline[], now: Date): ImportSummary | undefined {
  if (!s.importReview || !inImportReview(s, now)) return undefined;
  const items = overdueAtImport(s, list);
  if (!items.length) return undefined;
  const holder = s.roles.casusregisseur ?? s.roles.eigenaar_veiligheid;
  const due = dutchDate(firstDueDayAfterImport(s.importReview));
  const lines = items.map((d) => `${d.rule}: ${d.reason}`);
  return {
    key: `${s.householdId}:import:samenvatting`,
    rule: 'R-01',
    reason: `Dit ontbreekt nog (${items.length}), met de regel erbij; alles is te doen vanaf ${due}: ${lines.join(' | ')}`,
    since: amsterdamDay(new Date(s.importReview.receivedAt)),
    responsible: holder ? [{ professionalId: holder.professionalId, organisation: holder.organisation }] : [],
  };
}

/** During the review a cause overdue at import is told only in the summary mail, never by its own reminder. */
export function heldForImportSummary(s: HouseholdState, d: Deadline, now: Date): boolean {
  return d.overdueBeforeImport !== undefined && inImportReview(s, now);
}
