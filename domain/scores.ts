/**
 * The score runs of, exactly as "Precise meaning of the score rules" in
 * ROUTEKAART.md: a month counts for a danger when all three groups scored it that month and every
 * score was at or above the threshold; a month below the threshold or one that ended without all
 * three groups breaks the run. The current month is still open unless it already broke.
 *
 * A danger has one score per group per month: a later score for the same danger, group and month
 * is a correction that replaces the current value (the earlier one is kept in Routekaart's
 * database), so "every score of the month" is the current value of each group.
 */
import { SCORE_GROUPS, type Score } from './model';
import { METHOD } from './policy';
import { addMonths, monthOf, type IsoDate, type MonthKey } from './time';

export type MonthVerdict = 'counts' | 'breaks' | 'open';

export function monthVerdict(
  scores: readonly Score[],
  dangerId: string,
  month: MonthKey,
  threshold: number,
  currentMonth: MonthKey,
): MonthVerdict {
  const inMonth = scores.filter((s) => s.dangerId === dangerId && monthOf(s.date) === month);
  if (inMonth.some((s) => s.value < threshold)) return 'breaks';
  const allGroups = SCORE_GROUPS.every((g) => inMonth.some((s) => s.group === g));
  if (allGroups) return 'counts';
  return month === currentMonth ? 'open' : 'breaks';
}

/** Length of the current run of counting months for one danger. */
export function scoreRun(scores: readonly Score[], dangerId: string, threshold: number, today: IsoDate): number {
  const current = monthOf(today);
  const verdict = monthVerdict(scores, dangerId, current, threshold, current);
  if (verdict === 'breaks') return 0;
  const own = scores.filter((s) => s.dangerId === dangerId);
  if (own.length === 0) return 0;
  const earliest = own.reduce((m, s) => (monthOf(s.date) < m ? monthOf(s.date) : m), current);
  let run = verdict === 'counts' ? 1 : 0;
  for (let month = addMonths(current, -1); month >= earliest; month = addMonths(month, -1)) {
    if (monthVerdict(scores, dangerId, month, threshold, current) !== 'counts') break;
    run++;
  }
  return run;
}

/** run of months at 6 or more. */
export function riskRun(scores: readonly Score[], dangerId: string, today: IsoDate): number {
  return scoreRun(scores, dangerId, METHOD.safeScore, today);
}

/** run of consensus months at 7 or more. */
export function consensusRun(scores: readonly Score[], dangerId: string, today: IsoDate): number {
  return scoreRun(scores, dangerId, METHOD.stableScore, today);
}

/** Latest score per group for a danger (by evaluation date, then by recording time). */
export function latestScores(scores: readonly Score[], dangerId: string): Partial<Record<(typeof SCORE_GROUPS)[number], Score>> {
  const out: Partial<Record<(typeof SCORE_GROUPS)[number], Score>> = {};
  for (const s of scores) {
    if (s.dangerId !== dangerId) continue;
    const prev = out[s.group];
    if (!prev || s.date > prev.date || (s.date === prev.date && s.recordedAt >= prev.recordedAt)) out[s.group] = s;
  }
  return out;
}

/** Does the danger have a complete set of scores (all three groups) in this month? */
export function scoredInMonth(scores: readonly Score[], dangerId: string, month: MonthKey): boolean {
  return SCORE_GROUPS.every((g) => scores.some((s) => s.dangerId === dangerId && s.group === g && monthOf(s.date) === month));
}

/** Is this the same slot (danger, group, calendar month in Europe/Amsterdam) as the new score's? */
export function sameSlot(a: Pick<Score, 'dangerId' | 'group' | 'date'>, b: Pick<Score, 'dangerId' | 'group' | 'date'>): boolean {
  return a.dangerId === b.dangerId && a.group === b.group && monthOf(a.date) === monthOf(b.date);
}

/** The current score a new one for the same slot corrects, if there is one. */
export function correctedScore(scores: readonly Score[], next: Pick<Score, 'dangerId' | 'group' | 'date'>): Score | undefined {
  return scores.find((s) => sameSlot(s, next));
}

/** One score per slot, in the order first recorded; a later score for a slot replaces the earlier one. */
export function currentScores<T extends Pick<Score, 'dangerId' | 'group' | 'date'>>(scores: readonly T[]): T[] {
  const slots = new Map<string, T>();
  for (const s of scores) {
    const key = `${s.dangerId}\n${s.group}\n${monthOf(s.date)}`;
    // A key set again keeps its place in the Map: a correction stays where its slot was first recorded.
    slots.set(key, s);
  }
  return [...slots.values()];
}
