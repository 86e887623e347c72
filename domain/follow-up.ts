/**
 * Follow-up after closure (issue 22): do the scores hold once Routekaart has let go? With the
 * policy's consent setting, a closed household gets a small follow-up of its own. At 3 and 6
 * months after closure, household and network are each asked for one score (0-10) per danger
 * with a short explanation, through a narrow single-use link; the closed trajectory stays closed.
 * The impact report compares the scores at closure with those after it.
 *
 * Pure: what the follow-up asks (from the state at closure), when, and the figures over stored
 * scores. The workflow (workflows/follow-up.ts) only sleeps and asks; the page stores the answers.
 */
import { nextWorkingMoment } from './calendar';
import { cell, distinct, publish, type Figure } from './disclosure';
import type { HouseholdState, ProfessionalRef } from './model';
import type { Policy } from './policy';
import { addMonthsToDate, amsterdamDay, morningOf, type IsoDate } from './time';

/** Months after closure at which a score is asked. */
export const FOLLOW_UP_MONTHS = [3, 6] as const;
/** The moments the impact report compares: 0 is the last score before closure. */
export const FOLLOW_UP_MOMENTS = [0, ...FOLLOW_UP_MONTHS] as const;
export type FollowUpMoment = (typeof FOLLOW_UP_MOMENTS)[number];
/** Who is asked: the household and its network (the professionals have let go). */
export const FOLLOW_UP_GROUPS = ['huishouden', 'netwerk'] as const;
export type FollowUpGroup = (typeof FOLLOW_UP_GROUPS)[number];
/** "A short explanation": at most this many characters. */
export const FOLLOW_UP_EXPLANATION_MAX = 1_000;

/** A danger as the follow-up page shows it: its statement by text reference (encrypted in our database). */
export interface FollowUpDanger {
  id: string;
  priority: number;
  statementRef: string;
}

/** The last score before closure of one danger and group, with its text reference. */
export interface ClosureScore {
  dangerId: string;
  group: FollowUpGroup;
  value: number;
  textRef: string;
  date: IsoDate;
}

/** One request: a mail with a link per group, at a working moment `months` after closure. */
export interface FollowUpRequestPlan {
  months: (typeof FOLLOW_UP_MONTHS)[number];
  at: string;
}

/** The follow-up workflow's input: ids, text references and dates only (no names, no texts). */
export interface FollowUpPlan {
  householdId: string;
  closedAt: string;
  /** The casusregisseur at closure, who passes the links on; absent: the coordinator receives them. */
  recipient?: ProfessionalRef;
  dangers: FollowUpDanger[];
  closureScores: ClosureScore[];
  requests: FollowUpRequestPlan[];
  linkDays: number;
}

/** The morning `months` after the closure day (Amsterdam), moved to the next working moment. */
export function followUpRequestAt(closedAt: string, months: number, workingHours: Policy['workingHours']): string {
  const day = addMonthsToDate(amsterdamDay(new Date(closedAt)), months);
  return nextWorkingMoment(morningOf(day, workingHours.from), workingHours);
}

/**
 * What the follow-up of a closed household asks and when; undefined without the policy's consent,
 * before closure, or without dangers to score.
 */
export function followUpPlan(s: HouseholdState, policy: Policy): FollowUpPlan | undefined {
  if (!policy.followUp.consent || s.phase !== 'afgesloten' || !s.closedAt || s.dangers.length === 0) return undefined;
  const closureScores: ClosureScore[] = [];
  for (const d of s.dangers)
    for (const group of FOLLOW_UP_GROUPS) {
      const last = s.scores
        .filter((x) => x.dangerId === d.id && x.group === group)
        .sort((a, b) => (a.date === b.date ? a.recordedAt.localeCompare(b.recordedAt) : a.date.localeCompare(b.date)))
        .at(-1);
      if (last) closureScores.push({ dangerId: d.id, group, value: last.value, textRef: last.observedBehaviour, date: last.date });
    }
  const holder = s.roles.casusregisseur;
  return {
    householdId: s.householdId,
    closedAt: s.closedAt,
    recipient: holder && { professionalId: holder.professionalId, organisation: holder.organisation },
    dangers: s.dangers.map((d) => ({ id: d.id, priority: d.priority, statementRef: d.statement })),
    closureScores,
    requests: FOLLOW_UP_MONTHS.map((months) => ({ months, at: followUpRequestAt(s.closedAt!, months, policy.workingHours) })),
    linkDays: policy.followUp.linkDays,
  };
}

/** What one follow-up link asks: this household, this moment, this group. Carried in the link's `ref`. */
export function followUpRef(months: number, group: FollowUpGroup): string {
  return `${months}:${group}`;
}

export function parseFollowUpRef(ref: string | undefined): { months: number; group: FollowUpGroup } | undefined {
  const m = /^(3|6):(huishouden|netwerk)$/.exec(ref ?? '');
  return m ? { months: Number(m[1]), group: m[2] as FollowUpGroup } : undefined;
}

// ---------------------------------------------------------------------------------------------
// The form: one score (0-10) and a short explanation per danger, nothing else.

export type FollowUpAnswer = { dangerId: string; value: number; explanation: string };

export const scoreField = (dangerId: string) => `score_${dangerId}`;
export const explanationField = (dangerId: string) => `toelichting_${dangerId}`;

/** The answers of a posted form, or the Dutch problem per field ('_form' for the form as a whole). */
export function readFollowUpForm(
  dangers: readonly Pick<FollowUpDanger, 'id'>[],
  form: Record<string, unknown>,
): { answers: FollowUpAnswer[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const allowed = new Set(dangers.flatMap((d) => [scoreField(d.id), explanationField(d.id)]));
  if (Object.keys(form).some((k) => !allowed.has(k)))
    errors._form = 'Dit formulier neemt alleen één score en een korte toelichting per gevaar aan.';
  const answers: FollowUpAnswer[] = [];
  for (const d of dangers) {
    const raw = form[scoreField(d.id)];
    const text = form[explanationField(d.id)];
    const value = typeof raw === 'string' && /^(10|[0-9])$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    if (value === undefined) errors[scoreField(d.id)] = 'Kies een score van 0 tot en met 10.';
    const explanation = typeof text === 'string' ? text.trim() : '';
    if (!explanation) errors[explanationField(d.id)] = 'Licht de score kort toe.';
    else if (explanation.length > FOLLOW_UP_EXPLANATION_MAX)
      errors[explanationField(d.id)] = `Houd de toelichting kort: hooguit ${FOLLOW_UP_EXPLANATION_MAX} tekens.`;
    if (value !== undefined && explanation && explanation.length <= FOLLOW_UP_EXPLANATION_MAX)
      answers.push({ dangerId: d.id, value, explanation });
  }
  return { answers: Object.keys(errors).length ? [] : answers, errors };
}

// ---------------------------------------------------------------------------------------------
// The impact figure: scores at closure and 3 and 6 months after.

/** follow_up_scores: one score per household, moment, group and danger. */
export interface FollowUpScoreRow {
  householdId: string;
  moment: number;
  group: string;
  dangerId: string;
  value: number;
}

export interface FollowUpFigure {
  /** Months after closure; 0: the last score before closure. */
  moment: FollowUpMoment;
  group: FollowUpGroup;
  /** Households with at least one score at this moment from this group. */
  households: Figure;
  /** Median of the scores (every danger of those households), suppressed below the minimum cell. */
  median: Figure;
}

/** The moment in Dutch, for the report's page and CSV. */
export function followUpMomentLabel(moment: number): string {
  return moment === 0 ? 'bij afsluiting' : `${moment} maanden na afsluiting`;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

/**
 * The median score per moment and group of the households in `closed` (those closed in the
 * period), each figure over its own households and suppressed below the minimum cell
 * (domain/disclosure.ts). Households that did not answer simply have no score at that moment.
 */
export function scoresAfterClosure(closed: ReadonlySet<string>, rows: readonly FollowUpScoreRow[]): FollowUpFigure[] {
  const out: FollowUpFigure[] = [];
  for (const moment of FOLLOW_UP_MOMENTS)
    for (const group of FOLLOW_UP_GROUPS) {
      const mine = rows.filter((r) => closed.has(r.householdId) && r.moment === moment && r.group === group);
      const households = distinct(mine);
      const values = mine.map((r) => r.value).sort((a, b) => a - b);
      out.push({
        moment,
        group,
        households: publish(cell(households, households)),
        median: publish(cell(median(values), households)),
      });
    }
  return out;
}
