/**
 * Outcome measures across households (R-61, issue 22): do families stay safe after closure
 * (re-report within 3, 6 and 12 months), and how long direct safety and stable safety
 * (R-39 run, R-46) take, per start cohort. Pure: rows come from the read model or a test.
 * Every figure passes the disclosure control of ./disclosure before it is published.
 */
import { cell, protectTogether, publish, type Figure } from './disclosure';
import { distribution, type Distribution } from './distribution';
import { SCORE_GROUPS, type HouseholdState } from './model';
import { METHOD, type Policy } from './policy';
import { addMonths, addMonthsToDate, amsterdamDay, firstDayOf, monthOf, monthsBetween, type IsoDate, type MonthKey } from './time';

export const RE_REPORT_WINDOWS = [3, 6, 12] as const;
export type ReReportWindow = (typeof RE_REPORT_WINDOWS)[number];

/** A closed household and, if any, when it was reported again (a new intake linked to it). */
export interface ClosedHouseholdRow {
  householdId: string;
  closedAt: string;
  /** Instants of the new intakes linked to this closed trajectory (by reference or member key). */
  reReportedAt: string[];
}

export interface ReReportFigure {
  /** Closed households whose whole window has passed by the reference day: the denominator. */
  observed: Figure;
  reReported: Figure;
  share: Figure;
}

function day(at: string): IsoDate {
  return amsterdamDay(new Date(at));
}

/**
 * Share of closed households re-reported within `months` of closure. Only closures whose window
 * has fully passed by `asOf` count, so a recent closure never lowers the share just by being young.
 */
export function reReportWithin(rows: readonly ClosedHouseholdRow[], months: ReReportWindow, asOf: IsoDate): ReReportFigure {
  const observed = rows.filter((r) => addMonthsToDate(day(r.closedAt), months) <= asOf);
  const again = observed.filter((r) => {
    const end = addMonthsToDate(day(r.closedAt), months);
    return r.reReportedAt.some((at) => Date.parse(at) > Date.parse(r.closedAt) && day(at) < end);
  }).length;
  const n = observed.length;
  const cells = { reReported: cell(again, again), share: cell(n === 0 ? null : Math.round((again / n) * 1000) / 1000, n) };
  // The share with the total reveals both groups, so both must be large enough.
  protectTogether([again, n - again], Object.values(cells));
  return { observed: publish(cell(n, n)), reReported: publish(cells.reReported), share: publish(cells.share) };
}

export function reReportShares(rows: readonly ClosedHouseholdRow[], asOf: IsoDate): Record<ReReportWindow, ReReportFigure> {
  return { 3: reReportWithin(rows, 3, asOf), 6: reReportWithin(rows, 6, asOf), 12: reReportWithin(rows, 12, asOf) };
}

/**
 * The re-report shares a report of the period [from, to) shows (issue 22): per window, the closed
 * households whose window ended in the period (closure + months after `from`, at most `to`), so
 * every household counted was observed for the whole window and a year's report answers "how many
 * families closed were re-reported within a year" for the windows that ended in it.
 */
export function reReportSharesInPeriod(
  rows: readonly ClosedHouseholdRow[],
  from: IsoDate,
  to: IsoDate,
): Record<ReReportWindow, ReReportFigure> {
  const endedIn = (months: ReReportWindow) =>
    rows.filter((r) => {
      const end = addMonthsToDate(day(r.closedAt), months);
      return end > from && end <= to;
    });
  return { 3: reReportWithin(endedIn(3), 3, to), 6: reReportWithin(endedIn(6), 6, to), 12: reReportWithin(endedIn(12), 12, to) };
}

/** A household's intake and the instants it first reached direct and stable safety (null: not yet). */
export interface SafetyTimingRow {
  householdId: string;
  /** Intake (for imports: the import), which fixes the start cohort. */
  startedAt: string;
  directSafetyAt: string | null;
  stableSafetyAt: string | null;
}

export interface CohortTiming {
  /** The month of intake, e.g. '2026-03'. */
  cohort: string;
  households: Figure;
  directSafetyMonths: Distribution;
  stableSafetyMonths: Distribution;
}

/** Calendar months from the month of intake to the month the safety was first reached. */
function monthsTo(startedAt: string, reachedAt: string): number {
  return monthsBetween(monthOf(day(startedAt)), monthOf(day(reachedAt)));
}

/** months to direct and to stable safety, medians and quartiles per start cohort. */
export function safetyTimingByCohort(rows: readonly SafetyTimingRow[]): CohortTiming[] {
  const cohorts = [...new Set(rows.map((r) => monthOf(day(r.startedAt))))].sort();
  return cohorts.map((cohort) => {
    const own = rows.filter((r) => monthOf(day(r.startedAt)) === cohort);
    const measured = (pick: (r: SafetyTimingRow) => string | null) =>
      own.flatMap((r) => {
        const at = pick(r);
        return at === null ? [] : [{ householdId: r.householdId, value: monthsTo(r.startedAt, at) }];
      });
    return {
      cohort,
      households: publish(cell(own.length, own.length)),
      directSafetyMonths: distribution(measured((r) => r.directSafetyAt)),
      stableSafetyMonths: distribution(measured((r) => r.stableSafetyAt)),
    };
  });
}

/** The months (oldest first) in which every danger has all three groups' scores at `threshold` or higher. */
function monthsAllAtLeast(s: Pick<HouseholdState, 'dangers' | 'scores'>, threshold: number): MonthKey[] {
  if (s.dangers.length === 0) return [];
  const months = [...new Set(s.scores.map((x) => monthOf(x.date)))].sort();
  return months.filter((m) =>
    s.dangers.every((d) =>
      SCORE_GROUPS.every((g) => {
        const inMonth = s.scores.filter((x) => x.dangerId === d.id && x.group === g && monthOf(x.date) === m);
        return inMonth.length > 0 && inMonth.every((x) => x.value >= threshold);
      }),
    ),
  );
}

/**
 * When a household first reached safety, as the first day of the month: direct safety is the first
 * month all groups scored every danger at 6 or more (R-18's consensus on 6); stable safety is the
 * first month of the first unbroken run of `riskRunMonths` (6) such months (R-39). Null while not reached.
 */
export function safetyReached(
  s: Pick<HouseholdState, 'dangers' | 'scores'>,
  policy: Pick<Policy, 'riskRunMonths'>,
): { directSafetyAt: IsoDate | null; stableSafetyAt: IsoDate | null } {
  const safe = monthsAllAtLeast(s, METHOD.safeScore);
  const stable = safe.find((m) => Array.from({ length: policy.riskRunMonths }, (_, i) => addMonths(m, i)).every((n) => safe.includes(n)));
  return { directSafetyAt: safe[0] ? firstDayOf(safe[0]) : null, stableSafetyAt: stable ? firstDayOf(stable) : null };
}
