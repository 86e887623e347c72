/**
 * Late data, marked (issue 22): a score or evidence entered after its month or date still counts
 * for the method, but it carries both dates (`date` observed, `recordedAt` entered) and is shown as
 * "later ingevoerd". The one rule for what counts as late; imported history is never late.
 */
import type { Evidence, HouseholdState, Score } from './model';
import type { Policy } from './policy';
import { amsterdamDay, daysBetween, monthOf } from './time';

export const LATE_LABEL = 'later ingevoerd';

/** A score is late when the Amsterdam month it was entered in comes after the month it scores. */
export function scoreEnteredLate(x: Pick<Score, 'date' | 'recordedAt' | 'recordedBy'>): boolean {
  if (x.recordedBy === 'import') return false;
  return monthOf(amsterdamDay(new Date(x.recordedAt))) > monthOf(x.date);
}

/** Evidence is late when entered more than the policy's `lateEvidenceDays` after its date. */
export function evidenceEnteredLate(e: Pick<Evidence, 'date' | 'recordedAt' | 'recordedBy'>, policy: Policy): boolean {
  if (e.recordedBy === 'import') return false;
  return daysBetween(e.date, amsterdamDay(new Date(e.recordedAt))) > policy.lateEvidenceDays;
}

export interface LateEntries {
  scores: { dangerId: string; group: string; date: string; recordedAt: string }[];
  evidence: { item: string; date: string; recordedAt: string }[];
}

/** Every late entry of the household, with when it was observed and when it was entered. */
export function lateEntries(s: HouseholdState, policy: Policy): LateEntries {
  return {
    scores: s.scores
      .filter(scoreEnteredLate)
      .map((x) => ({ dangerId: x.dangerId, group: x.group, date: x.date, recordedAt: x.recordedAt })),
    evidence: s.evidence
      .filter((e) => evidenceEnteredLate(e, policy))
      .map((e) => ({ item: e.item, date: e.date, recordedAt: e.recordedAt })),
  };
}
