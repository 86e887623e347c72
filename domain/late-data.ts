/**
 * Late data, marked (issue 22): a score or evidence entered after its month or date still counts
 * for the method, but it carries both dates (`date` observed, `recordedAt` entered) and is shown as
 * "later ingevoerd". The one rule for what counts as late; imported history is never late.
 */
import type { Evidence, HouseholdState, Score } from './model';
import type { Policy } from './policy';
import { amsterdamDay, daysBetween, dutchDate, monthOf } from './time';

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

/** The mark where one entry is shown (mails, pages): " (van <datum>, later ingevoerd op <datum>)", or '' when on time. */
export function lateMark(x: Pick<Score, 'date' | 'recordedAt'>, late: boolean): string {
  return late ? ` (van ${dutchDate(x.date)}, ${LATE_LABEL} op ${dutchDate(amsterdamDay(new Date(x.recordedAt)))})` : '';
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

/** One late entry as impact counts it: which organisation entered it, and when. No values, no texts. */
export interface LateEntryRow {
  /** Stable per slot: a score's danger, group and month, or evidence's item, date and entry instant. */
  entry: string;
  kind: 'score' | 'evidence';
  /** The organisation of the professional who entered it ('onbekend' when no role history names them). */
  organisation: string;
  observedOn: string;
  enteredAt: string;
}

export const UNKNOWN_ORGANISATION = 'onbekend';

/** The organisation a professional worked for when entering data at `at`: from the roles they held. */
export function organisationAt(s: HouseholdState, professionalId: string, at: string): string {
  const held = s.roleHistory.filter((r) => r.professionalId === professionalId);
  const then = held.find((r) => r.from <= at && (r.to === undefined || at < r.to)) ?? held.at(-1);
  const other = s.handovers.flatMap((h) => [h.from, h.to]).find((p) => p.professionalId === professionalId);
  return then?.organisation ?? other?.organisation ?? UNKNOWN_ORGANISATION;
}

/**
 * The household's late entries for the read model (platform/store/summary-writer.ts), attributed to
 * the organisation of whoever entered them. `late` is the view's list (already judged with the policy).
 */
export function lateEntryRows(s: HouseholdState, late: LateEntries): LateEntryRow[] {
  const scores = late.scores.map((x) => {
    const by = s.scores.find((y) => y.dangerId === x.dangerId && y.group === x.group && y.date === x.date && y.recordedAt === x.recordedAt);
    return {
      entry: `score:${x.dangerId}:${x.group}:${monthOf(x.date)}`,
      kind: 'score' as const,
      organisation: by ? organisationAt(s, by.recordedBy, x.recordedAt) : UNKNOWN_ORGANISATION,
      observedOn: x.date,
      enteredAt: x.recordedAt,
    };
  });
  const evidence = late.evidence.map((e) => {
    const by = s.evidence.find((y) => y.item === e.item && y.date === e.date && y.recordedAt === e.recordedAt);
    return {
      entry: `evidence:${e.item}:${e.date}:${e.recordedAt}`,
      kind: 'evidence' as const,
      organisation: by ? organisationAt(s, by.recordedBy, e.recordedAt) : UNKNOWN_ORGANISATION,
      observedOn: e.date,
      enteredAt: e.recordedAt,
    };
  });
  return [...scores, ...evidence];
}
