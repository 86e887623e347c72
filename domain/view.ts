/** The read model of one household, the same for the workflow's queries, the API and the dashboard. */
import { unmetCriteria, type Unmet } from './criteria';
import { duePlan, series, type DuePlan, type Remedy } from './deadlines';
import { SCORE_GROUPS, type HouseholdState, type ScoreGroup } from './model';
import type { ScorePage } from './history-pages';
import { METHOD, type Policy } from './policy';
import { consensusRun, latestScores, monthVerdict, riskRun, scoreRun, type MonthVerdict } from './scores';
import { importReviewLabel, reviewEndsAt } from './import-review';
import { lateEntries, scoreEnteredLate, type LateEntries } from './late-data';
import { involvedOrganisations, openHandovers } from './selectors';
import { addMonths, amsterdamDay, dutchMonthName, monthOf, monthsBetween, type MonthKey } from './time';

export interface PlannedItem {
  key: string;
  kind: string;
  rule: string;
  reason: string;
  /**
   * When the reminder mail really goes out: the next one of a repeating reminder (else the one
   * sent), moved into working hours past weekends and holidays, as the workflow sends it.
   */
  remindAt?: string;
  overdueAt?: string;
  level: number;
  meetingAt?: string;
  /** professionalIds of who must act. */
  responsible: string[];
  /** The short form that takes the cause away, when there is one. */
  remedy?: Remedy;
}

export interface HouseholdView {
  state: HouseholdState;
  unmet: Unmet[];
  plan: PlannedItem[];
  nextDeadline?: string;
  escalationLevel: number;
  runs: { dangerId: string; riskMonths: number; consensusMonths: number }[];
  organisations: string[];
  openHandover: boolean;
  asOf: string;
  /** Issue 22: scores and evidence entered after their month or date ("later ingevoerd"), with both dates. */
  late: LateEntries;
  /** Issue 22: while an import's review lasts, its end and the status label "geïmporteerd — in controle tot <datum>". */
  importReview?: { endsAt: string; label: string };
  /** Set by the API, which sends scores a page of months at a time: the months `state.scores` holds. */
  scorePage?: ScorePage;
  /** Set by the API (issue 22): the closed trajectory this household's intake was linked to, a re-report. */
  previousTrajectory?: PreviousTrajectory;
}

/** A re-report: the closed household a new intake was matched to, how, and when the intake came. */
export interface PreviousTrajectory {
  householdId: string;
  matchedBy: 'reference' | 'member';
  reportedAt: string;
}

function reminderMoment(first: string, everyDays: number | undefined, now: Date, policy: Policy): string | undefined {
  const { due, next } = series(first, everyDays, now, policy.workingHours);
  return next ?? due;
}

/** The view at `now`; the workflow passes the due plan it has just acted on, so a wake-up computes it once. */
export function householdView(s: HouseholdState, now: Date, policy: Policy, plan: DuePlan = duePlan(s, now, policy)): HouseholdView {
  const today = amsterdamDay(now);
  return {
    state: s,
    unmet: unmetCriteria(s, now, policy),
    plan: plan.levels.map(({ deadline: d, level }) => ({
      key: d.key,
      kind: d.kind,
      rule: d.rule,
      reason: d.reason,
      remindAt: d.remindAt && reminderMoment(d.remindAt, d.repeatDays, now, policy),
      overdueAt: d.overdueAt,
      level,
      meetingAt: d.meetingAt,
      responsible: d.responsible.map((p) => p.professionalId),
      remedy: d.remedy,
    })),
    nextDeadline: plan.nextWakeAt,
    // Derived levels, plus escalations recorded without a deadline (mail that could not be delivered).
    escalationLevel: Math.max(0, ...plan.levels.map((l) => l.level), ...s.escalations.filter((e) => !e.resolvedAt).map((e) => e.level)),
    runs: s.dangers.map((d) => ({
      dangerId: d.id,
      riskMonths: riskRun(s.scores, d.id, today),
      consensusMonths: consensusRun(s.scores, d.id, today),
    })),
    organisations: involvedOrganisations(s),
    openHandover: openHandovers(s).length > 0,
    asOf: now.toISOString(),
    late: lateEntries(s, policy),
    ...reviewOf(s, now),
  };
}

function reviewOf(s: HouseholdState, now: Date): Pick<HouseholdView, 'importReview'> {
  const endsAt = s.importReview ? reviewEndsAt(s.importReview) : undefined;
  const label = importReviewLabel(endsAt, now);
  return label && endsAt ? { importReview: { endsAt, label } } : {};
}

/** One danger's scores as people look at them: month by month per group, and the run that counts. */
export interface DangerScores {
  dangerId: string;
  priority: number;
  /** The threshold and run length this phase asks (R-39: 6 for 6 months; R-46: 7 for 2 evaluations). */
  rule: 'R-18' | 'R-39' | 'R-46';
  threshold: number;
  needed: number;
  run: number;
  months: {
    month: MonthKey;
    label: string;
    values: Record<ScoreGroup, number | null>;
    verdict: MonthVerdict;
    inRun: boolean;
    /** Issue 22: the groups whose score of this month was entered after it ("later ingevoerd"). */
    late: ScoreGroup[];
  }[];
  /** The latest score per group; `late`: entered after its month ("later ingevoerd", issue 22). */
  latest: Record<ScoreGroup, { value: number; date: string; late: boolean } | null>;
}

/**
 * The scores of every danger for charts and forms (the last `span` months, from the month the
 * danger was defined): the lowest score of each group per month, the month's verdict against the
 * phase's threshold, and which months make the current run. The browser draws; it counts nothing.
 */
export function dangerScores(s: HouseholdState, now: Date, policy: Policy, span = 18): DangerScores[] {
  const today = amsterdamDay(now);
  const current = monthOf(today);
  const rule = s.phase === 'herstel' ? 'R-46' : s.phase === 'risicogestuurd' ? 'R-39' : 'R-18';
  const threshold = rule === 'R-46' ? METHOD.stableScore : METHOD.safeScore;
  const needed = rule === 'R-46' ? policy.stableSafetyEvaluations : rule === 'R-39' ? policy.riskRunMonths : 1;
  return s.dangers.map((d) => {
    const run = scoreRun(s.scores, d.id, threshold, today);
    const first = [monthOf(d.definedAt), addMonths(current, -(span - 1))].sort().at(-1)!;
    const months: DangerScores['months'] = [];
    for (let m = first; m <= current; m = addMonths(m, 1)) {
      const values = Object.fromEntries(
        SCORE_GROUPS.map((g) => {
          const inMonth = s.scores.filter((x) => x.dangerId === d.id && x.group === g && monthOf(x.date) === m).map((x) => x.value);
          return [g, inMonth.length ? Math.min(...inMonth) : null];
        }),
      ) as Record<ScoreGroup, number | null>;
      const back = monthsBetween(m, current);
      const inRun = monthVerdict(s.scores, d.id, current, threshold, current) === 'counts' ? back < run : back >= 1 && back <= run;
      const late = SCORE_GROUPS.filter((g) =>
        s.scores.some((x) => x.dangerId === d.id && x.group === g && monthOf(x.date) === m && scoreEnteredLate(x)),
      );
      months.push({
        month: m,
        label: dutchMonthName(m),
        values,
        verdict: monthVerdict(s.scores, d.id, m, threshold, current),
        inRun,
        late,
      });
    }
    const latestByGroup = latestScores(s.scores, d.id);
    const latest = Object.fromEntries(
      SCORE_GROUPS.map((g) => {
        const x = latestByGroup[g];
        return [g, x ? { value: x.value, date: x.date, late: scoreEnteredLate(x) } : null];
      }),
    ) as DangerScores['latest'];
    return { dangerId: d.id, priority: d.priority, rule, threshold, needed, run, months, latest };
  });
}
