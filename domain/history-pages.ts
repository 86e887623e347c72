/**
 * Long histories a page at a time (issue 19): a five-year household holds hundreds of scores with
 * long observed behaviour, and a reader asks for months of them, not for all. Scores come by whole
 * calendar months; the timeline (roles, handovers, phases) by position in time order.
 */
import type { HouseholdState, Score } from './model';
import { addMonths, monthOf, monthsBetween, type MonthKey } from './time';

/** Which months of scores a read asked for, both ends included. */
export interface MonthRange {
  from: MonthKey;
  to: MonthKey;
}

/** Which months of scores an answer holds, and where to continue. */
export interface ScorePage {
  /** The earliest month the answer holds (later than asked when the weight budget ran out). */
  from: MonthKey;
  to: MonthKey;
  /** The latest month before `from` with scores: ask it as `to` for the page before this one. */
  earlier?: MonthKey;
  /** Scores of the household in all months. */
  total: number;
}

/**
 * The scores of whole months from `range.to` back to `range.from`, newest month first, ending
 * before the month that would take the summed `weight` past `budget` (the newest month always
 * comes, so every page holds something). The scores keep the state's order.
 */
export function pageScores(
  scores: readonly Score[],
  range: MonthRange,
  weight: (s: Score) => number,
  budget: number,
): { scores: Score[]; page: ScorePage } {
  const byMonth = new Map<MonthKey, Score[]>();
  for (const s of scores) {
    const m = monthOf(s.date);
    if (m < range.from || m > range.to) continue;
    const month = byMonth.get(m) ?? [];
    month.push(s);
    byMonth.set(m, month);
  }
  let from = range.to;
  let used = 0;
  // Counted, not compared as strings: a month string outside YYYY-MM must not loop forever.
  const months = Math.max(0, monthsBetween(range.from, range.to) + 1);
  for (let i = 0, m = range.to; i < months; i++, m = addMonths(m, -1)) {
    const w = (byMonth.get(m) ?? []).reduce((sum, s) => sum + weight(s), 0);
    if (m !== range.to && used + w > budget) break;
    used += w;
    from = m;
  }
  const before = scores.map((s) => monthOf(s.date)).filter((m) => m < from);
  return {
    scores: scores.filter((s) => {
      const m = monthOf(s.date);
      return m >= from && m <= range.to;
    }),
    page: { from, to: range.to, earlier: before.length ? before.reduce((a, b) => (a > b ? a : b)) : undefined, total: scores.length },
  };
}

/** A position in the timeline: entries are ordered by time, then kind, then their place in their list. */
export interface TimelinePosition {
  at: string;
  kind: number;
  index: number;
}

const KINDS = ['phaseHistory', 'roleHistory', 'handovers'] as const;

export interface TimelinePage {
  phaseHistory: HouseholdState['phaseHistory'];
  roleHistory: HouseholdState['roleHistory'];
  handovers: HouseholdState['handovers'];
  /** The last entry of this page, when more follow. */
  next?: TimelinePosition;
}

const before = (a: TimelinePosition, b: TimelinePosition) =>
  a.at !== b.at ? a.at < b.at : a.kind !== b.kind ? a.kind < b.kind : a.index < b.index;

/**
 * Up to `size` timeline entries after `after` (from the start without it), oldest first. Entries
 * are only ever appended and their times never change, so a walk with `next` sees each entry once.
 */
export function pageTimeline(s: HouseholdState, after: TimelinePosition | undefined, size: number): TimelinePage {
  const entries = [
    ...s.phaseHistory.map((e, index) => ({ at: e.from, kind: 0, index })),
    ...s.roleHistory.map((e, index) => ({ at: e.from, kind: 1, index })),
    ...s.handovers.map((e, index) => ({ at: e.requestedAt, kind: 2, index })),
  ]
    .filter((p) => !after || before(after, p))
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  const taken = entries.slice(0, size);
  const pick = <K extends (typeof KINDS)[number]>(kind: K): HouseholdState[K] =>
    taken.filter((p) => KINDS[p.kind] === kind).map((p) => s[kind][p.index]!) as HouseholdState[K];
  return {
    phaseHistory: pick('phaseHistory'),
    roleHistory: pick('roleHistory'),
    handovers: pick('handovers'),
    next: entries.length > size ? taken.at(-1) : undefined,
  };
}
