/**
 * When the escalation ladder's levels fall (ROUTEKAART.md section 6), and the shapes every cause
 * shares: a cause overdue at an instant, and a planned meeting. Every level lands inside working
 * hours, so nobody is mailed at night or on a holiday.
 */
import { nextWorkingDay, nextWorkingMoment, previousWorkingMoment } from '../calendar';
import type { HouseholdState } from '../model';
import type { Policy } from '../policy';
import { responsibleProfessionals } from '../selectors';
import { addDays, addDaysToInstant, amsterdamDay, morningOf, type IsoDate } from '../time';
import type { Deadline } from './types';

const HOUR_MS = 3_600_000;

/** The Amsterdam calendar day of an instant. */
export const dayOf = (iso: string): IsoDate => amsterdamDay(new Date(iso));

/** The day the current phase started: intervals of the phase count from it. */
export const phaseStartDay = (s: HouseholdState): IsoDate => dayOf(s.phaseStartedAt);

/** The usual ladder: levels 1..3 at `overdueAt` plus the policy's days, each moved into working hours. */
export function ladderFrom(overdueAt: string, policy: Policy): [string, string, string] {
  const [a, b, c] = policy.escalationLadderDays.map((days) => nextWorkingMoment(addDaysToInstant(overdueAt, days), policy.workingHours));
  return [a!, b!, c!];
}

/** A cause overdue from `overdueAt`, climbing the usual ladder from then on. */
export function overdue(overdueAt: string, policy: Policy): Pick<Deadline, 'overdueAt' | 'ladder'> {
  return { overdueAt, ladder: ladderFrom(overdueAt, policy) };
}

/**
 * the huisverbod ends at an instant; every level must arrive inside working hours and before
 * it, so the ladder is planned back from the end. A level whose moment has already passed when
 * the huisverbod is registered is reached at once (the coordinator hears at once).
 */
export function ladderBefore(endAt: string, policy: Policy): [string, string, string] {
  const [h1, h2, h3] = policy.huisverbodLadderHoursBefore;
  const back = (at: number) => previousWorkingMoment(new Date(at).toISOString(), policy.workingHours);
  // From the coordinator's level backwards, each level at least an hour before the next, so each gets its own mail.
  const l3 = back(Date.parse(endAt) - h3 * HOUR_MS);
  const l2 = back(Math.min(Date.parse(endAt) - h2 * HOUR_MS, Date.parse(l3) - HOUR_MS));
  const l1 = back(Math.min(Date.parse(endAt) - h1 * HOUR_MS, Date.parse(l2) - HOUR_MS));
  return [l1, l2, l3];
}

/**
 * A meeting: an invite for `hour` on the due date (moved to a working day),
 * a reminder before it and the ladder after it, for whoever runs the trajectory now.
 */
export function meetingDeadline(
  s: HouseholdState,
  policy: Policy,
  dueDate: IsoDate,
  hour: number,
  d: Pick<Deadline, 'key' | 'kind' | 'rule' | 'reason' | 'remedy'>,
): Deadline {
  return {
    ...d,
    remindAt: morningOf(addDays(dueDate, -policy.meetingReminderDaysBefore)),
    ...overdue(morningOf(addDays(dueDate, policy.meetingEscalationDaysAfter)), policy),
    responsible: responsibleProfessionals(s),
    meetingAt: morningOf(nextWorkingDay(dueDate), hour),
  };
}
