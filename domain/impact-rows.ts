/**
 * The input of impact measurement: the read model's rows (platform/db/schema.ts), only the
 * columns impact needs, as platform/store/impact-rows.ts reads them for a period (or a test builds
 * them by hand); the scope of a report; and which rows a scope counts (one organisation's
 * households, or only those started in Routekaart). Timestamps are ISO instants.
 */
import type { FollowUpScoreRow } from './follow-up';
import type { ClosedHouseholdRow } from './outcome';
import { amsterdamInstant, type IsoDate } from './time';

/** household_summaries */
export interface ImpactHouseholdRow {
  householdId: string;
  intakeOrganisation: string;
  organisations: string[];
  closedAt: string | null;
  activeSocialNetwork: number;
  /** Intake (the start cohort), and the first day of direct and stable safety, if reached. */
  startedAt: string;
  directSafetyAt: IsoDate | null;
  stableSafetyAt: IsoDate | null;
}

/** household_phases: `via` says how the phase was entered ('start', 'criteria', 'override', 'import'). */
export interface ImpactPhaseRow {
  householdId: string;
  phase: string;
  startedAt: string;
  endedAt: string | null;
  via: string;
}

/** household_escalations: `level` is the highest level the escalation reached (as last written). */
export interface ImpactEscalationRow {
  householdId: string;
  key: string;
  rule: string;
  level: number;
  raisedAt: string;
}

/** household_handovers */
export interface ImpactHandoverRow {
  householdId: string;
  id: string;
  requestedAt: string;
  confirmedAt: string | null;
  cancelledAt: string | null;
}

/**
 * household_summaries closed before the end of the period, with the intakes linked to them as
 * re-reports (household_re_reports, issue 22). Closures up to 12 months before the period count:
 * their windows end in it.
 */
export interface ImpactClosedRow extends ClosedHouseholdRow {
  intakeOrganisation: string;
  organisations: string[];
  /** Started by an import (its first phase row is via 'import'). */
  imported: boolean;
}

/** household_late_entries (issue 22): a score or evidence entered late, by the organisation that entered it. */
export interface ImpactLateRow {
  householdId: string;
  kind: 'score' | 'evidence';
  organisation: string;
  enteredAt: string;
}

export interface ImpactRows {
  households: ImpactHouseholdRow[];
  phases: ImpactPhaseRow[];
  escalations: ImpactEscalationRow[];
  handovers: ImpactHandoverRow[];
  /** follow_up_scores (issue 22): absent where nothing was followed up. */
  followUpScores?: FollowUpScoreRow[];
  /** For the re-report shares; absent: none. */
  closed?: ImpactClosedRow[];
  lateEntries: ImpactLateRow[];
}

/** Calendar dates in Amsterdam: from 00:00 on `from` up to (not including) 00:00 on `to`. */
export interface ImpactScope {
  from: IsoDate;
  to: IsoDate;
  /** Only households this organisation is involved in or started (intake). */
  organisation?: string;
  /** "Alleen in Routekaart gestart": leave out imported trajectories (issue 22). */
  startedInRoutekaartOnly?: boolean;
}

/** The instants the period runs between: 00:00 in Amsterdam on `from` and on `to`. */
export function periodInstants(scope: Pick<ImpactScope, 'from' | 'to'>): { from: string; to: string } {
  return { from: amsterdamInstant(scope.from, 0), to: amsterdamInstant(scope.to, 0) };
}

/** Households the organisation is involved in or started, with only their rows. */
export function forOrganisation(rows: ImpactRows, organisation: string | undefined): ImpactRows {
  if (organisation === undefined) return rows;
  const households = rows.households.filter((h) => h.organisations.includes(organisation) || h.intakeOrganisation === organisation);
  const ids = new Set(households.map((h) => h.householdId));
  const mine = <T extends { householdId: string }>(list: T[]) => list.filter((r) => ids.has(r.householdId));
  const closed = rows.closed?.filter((h) => h.organisations.includes(organisation) || h.intakeOrganisation === organisation);
  return {
    households,
    phases: mine(rows.phases),
    escalations: mine(rows.escalations),
    handovers: mine(rows.handovers),
    followUpScores: mine(rows.followUpScores ?? []),
    closed,
    lateEntries: mine(rows.lateEntries),
  };
}

/** Leaves out imported trajectories: their first counted phase row is marked via 'import' (domain/summary.ts). */
export function startedInRoutekaart(rows: ImpactRows, only: boolean | undefined): ImpactRows {
  if (!only) return rows;
  const imported = new Set(rows.phases.filter((p) => p.via === 'import').map((p) => p.householdId));
  const mine = <T extends { householdId: string }>(list: T[]) => list.filter((r) => !imported.has(r.householdId));
  return {
    households: mine(rows.households),
    phases: mine(rows.phases),
    escalations: mine(rows.escalations),
    handovers: mine(rows.handovers),
    followUpScores: mine(rows.followUpScores ?? []),
    closed: rows.closed?.filter((h) => !h.imported),
    lateEntries: mine(rows.lateEntries),
  };
}
