/**
 * The due plan: from the causes and a "now", what is due now and the next moment to look again.
 * Escalation levels are derived from the time since a cause became overdue, so an escalation
 * resolves by itself when its cause is gone. Every mail goes out inside working hours; while a
 * cause stays open nobody responsible is left without mail: reminders repeat, and an escalation
 * is repeated at its level until the cause is gone.
 */
import { nextWorkingMoment, type WorkingHours } from '../calendar';
import type { HouseholdState } from '../model';
import type { Policy } from '../policy';
import { addDaysToInstant, addMonths, amsterdamDay, DAY_MS, firstDayOf, monthOf, morningOf } from '../time';
import { heldForImportSummary } from '../import-review';
import { deadlines } from './causes';
import type { Deadline, Level } from './types';

export interface DuePlan {
  deadlines: Deadline[];
  /** Reminders whose time has come (latest instance of each repeating one), inside working hours. */
  dueReminders: { deadline: Deadline; at: string }[];
  /** Current escalation level per cause (0: none). */
  levels: { deadline: Deadline; level: Level; since?: string }[];
  /** Escalations repeated at their level while the cause stays open (latest instance). */
  dueRepeats: { deadline: Deadline; level: Level; at: string }[];
  /** The next instant at which something in the plan changes; undefined when nothing is planned. */
  nextWakeAt?: string;
  /** Mail may go out now: inside working hours. Outside them, what is due waits for the next working moment. */
  mailNow: boolean;
}

/** May the mail about this cause go out now? Inside working hours, or at once when waiting would pass its urgent end. */
export function mayMail(plan: DuePlan, d: Deadline, now: Date, policy: Policy): boolean {
  if (plan.mailNow) return true;
  const t = now.toISOString();
  return d.urgentBefore !== undefined && t < d.urgentBefore && nextWorkingMoment(t, policy.workingHours) >= d.urgentBefore;
}

/** Escalation level of a cause at `now`: 0 before it is overdue, then 1..3 along its ladder. */
export function levelAt(d: Deadline, now: Date): { level: Level; since?: string; next?: string } {
  if (!d.ladder) return { level: 0 };
  const t = now.toISOString();
  const ladder: readonly string[] = d.ladder;
  const reached = ladder.filter((at) => at <= t).length as Level;
  return { level: reached, since: ladder[reached - 1], next: ladder[reached] };
}

/**
 * A series of instants `first`, `first + every`, ... each moved into working hours: the latest
 * one at or before now, and the first one after. Two instants that land on the same working
 * moment (Saturday and Sunday both become Monday 09:00) are one mail.
 */
export function series(first: string, everyDays: number | undefined, now: Date, hours: WorkingHours): { due?: string; next?: string } {
  const at = (k: number) => nextWorkingMoment(addDaysToInstant(first, k * (everyDays ?? 0)), hours);
  const t = now.toISOString();
  if (!everyDays) {
    const only = at(0);
    return only <= t ? { due: only } : { next: only };
  }
  const k = Math.max(0, Math.floor((now.getTime() - Date.parse(first)) / (everyDays * DAY_MS)));
  let due: string | undefined;
  for (let j = k; j >= 0 && !due; j--) if (at(j) <= t) due = at(j);
  let next = at(k);
  for (let j = k + 1; next <= t; j++) next = at(j);
  return { due, next };
}

/** Everything due now and the next moment to look again. */
export function duePlan(s: HouseholdState, now: Date, policy: Policy): DuePlan {
  const list = deadlines(s, now, policy);
  const hours = policy.workingHours;
  const t = now.toISOString();
  const opensAt = nextWorkingMoment(t, hours);
  const plan: DuePlan = { deadlines: list, dueReminders: [], levels: [], dueRepeats: [], mailNow: opensAt === t };
  const wakes: string[] = [];
  for (const d of list) {
    const l = levelAt(d, now);
    plan.levels.push({ deadline: d, level: l.level, since: l.since });
    if (l.next) wakes.push(l.next);
    if (l.level === 0 && d.remindAt && !heldForImportSummary(s, d, now)) {
      const r = series(d.remindAt, d.repeatDays, now, hours);
      if (r.due) plan.dueReminders.push({ deadline: d, at: r.due });
      if (r.next) wakes.push(r.next);
    }
    // Never silent (R-24, section 6): an open escalation is repeated at its level (the coordinator hears again at level 3).
    if (l.level > 0 && l.since) {
      const r = series(addDaysToInstant(l.since, policy.escalationRepeatDays), policy.escalationRepeatDays, now, hours);
      if (r.due) plan.dueRepeats.push({ deadline: d, level: l.level, at: r.due });
      if (r.next) wakes.push(r.next);
    }
  }
  // Outside working hours, what is due waits for the office to open.
  // A "misgegaan" log entry (issue 21) waits for the office too, and no longer.
  const waiting = plan.dueReminders.length || plan.dueRepeats.length || plan.levels.some((l) => l.level > 0) || s.wrongPending?.length;
  if (!plan.mailNow && waiting) wakes.push(opensAt);
  // Month boundaries change the plan (a new month needs scores, R-32).
  if (s.phase === 'risicogestuurd' || s.phase === 'herstel') {
    wakes.push(morningOf(firstDayOf(addMonths(monthOf(amsterdamDay(now)), 1)), 0));
  }
  plan.nextWakeAt = wakes.filter((w) => w > t).sort()[0];
  return plan;
}
