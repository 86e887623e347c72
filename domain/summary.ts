/**
 * The read model's row of one household: what the coordinators' list sorts and filters on, and
 * what impact measurement (R-61) counts across households. Ids, dates, levels and counts only.
 * The workflow writes it after every change, numbered by `seq`, so a late write of an older row
 * never overwrites a newer one.
 */
import { activeSocialNetwork } from './selectors';
import { involvedProfessionals } from './selectors';
import { reviewEndsAt } from './import-review';
import { lateEntryRows, type LateEntryRow } from './late-data';
import { safetyReached } from './outcome';
import { DEFAULT_POLICY, type Policy } from './policy';
import type { HouseholdView, PlannedItem } from './view';

export interface HouseholdSummary {
  householdId: string;
  seq: number;
  intakeOrganisation: string;
  organisations: string[];
  phase: string;
  casusregisseur: string | null;
  escalationLevel: number;
  nextDeadline: string | null;
  openHandover: boolean;
  overdue: boolean;
  /** The shortest current score run over the dangers (R-39 in risicogestuurd, R-46 in herstel). */
  runMonths: number;
  activeSocialNetwork: number;
  startedAt: string;
  phaseStartedAt: string;
  closedAt: string | null;
  /** First day of the first month of direct safety and of stable safety (R-39 run): impact's months to safety. */
  directSafetyAt: string | null;
  stableSafetyAt: string | null;
  phases: { phase: string; startedAt: string; endedAt: string | null; via: string }[];
  escalations: { key: string; rule: string; level: number; raisedAt: string; levelSince: string; resolvedAt: string | null }[];
  /** professionalIds involved now (role holders, both sides of an open handover, the huisverbod's professional). */
  professionals: string[];
  /** What is planned, due or escalated, and for whom: the professionals' task lists. */
  tasks: Task[];
  /** The intake system's reference; the read model stores only a keyed reference to it (encrypted text). */
  intakeReference: string;
  /** Issue 20: the alias's text reference (encrypted in our database) and its keyed hash for the search. */
  aliasRef: string | null;
  aliasKey: string | null;
  handovers: { id: string; role: string; reason: string; requestedAt: string; confirmedAt: string | null; cancelledAt: string | null }[];
  /** Issue 22: when the review of an imported trajectory ends (confirmed or not); null for intakes. */
  importReviewEndsAt: string | null;
  /** Issue 22: scores and evidence entered late ("later ingevoerd"), per organisation that entered them. */
  lateEntries: LateEntryRow[];
}

export interface Task {
  key: string;
  kind: string;
  rule: string;
  reason: string;
  level: number;
  /** From when it asks attention: the (first) reminder, or when it became overdue. */
  dueAt: string | null;
  overdueAt: string | null;
  responsible: string[];
  remedy?: PlannedItem['remedy'];
}

/**
 * The phase periods impact counts. An imported trajectory is counted from its import: the
 * time before it was not spent in Routekaart, so periods that ended before the import are left
 * out and the one running at the import starts there, marked via 'import' (issue 22).
 */
export function countedPhases(s: HouseholdView['state']): HouseholdSummary['phases'] {
  const rows = s.phaseHistory.map((p) => ({ phase: p.phase, startedAt: p.from, endedAt: p.to ?? null, via: p.via }));
  // Only an import starts the trajectory before the intake was received (domain/intake.ts).
  const importedAt = s.startedAt !== s.intake.receivedAt ? s.intake.receivedAt : null;
  if (importedAt === null) return rows;
  const at = Date.parse(importedAt);
  return rows
    .filter((p) => p.endedAt === null || Date.parse(p.endedAt) > at)
    .map((p) => (Date.parse(p.startedAt) < at ? { ...p, startedAt: importedAt, via: 'import' } : p));
}

export function householdSummary(
  view: HouseholdView,
  seq: number,
  policy: Pick<Policy, 'riskRunMonths'> = DEFAULT_POLICY,
): HouseholdSummary {
  const s = view.state;
  const runs = view.runs.map((r) => (s.phase === 'herstel' ? r.consensusMonths : r.riskMonths));
  return {
    householdId: s.householdId,
    seq,
    intakeOrganisation: s.intake.organisation,
    organisations: view.organisations,
    phase: s.phase,
    casusregisseur: s.roles.casusregisseur?.professionalId ?? null,
    escalationLevel: view.escalationLevel,
    nextDeadline: view.nextDeadline ?? null,
    openHandover: view.openHandover,
    overdue: view.escalationLevel > 0,
    runMonths: runs.length ? Math.min(...runs) : 0,
    activeSocialNetwork: activeSocialNetwork(s),
    startedAt: s.startedAt,
    phaseStartedAt: s.phaseStartedAt,
    closedAt: s.closedAt ?? null,
    ...safetyReached(s, policy),
    phases: countedPhases(s),
    escalations: s.escalations.map((e) => ({
      key: e.key,
      rule: e.rule,
      level: e.level,
      raisedAt: e.raisedAt,
      levelSince: e.levelSince,
      resolvedAt: e.resolvedAt ?? null,
    })),
    professionals: [...new Set(involvedProfessionals(s).map((p) => p.professionalId))].sort(),
    tasks: view.plan.map((p) => ({
      key: p.key,
      kind: p.kind,
      rule: p.rule,
      reason: p.reason,
      level: p.level,
      dueAt: p.remindAt ?? p.overdueAt ?? null,
      overdueAt: p.overdueAt ?? null,
      responsible: p.responsible,
      remedy: p.remedy,
    })),
    intakeReference: s.intake.reference,
    aliasRef: s.intake.alias ?? null,
    aliasKey: s.intake.aliasKey ?? null,
    handovers: s.handovers.map((h) => ({
      id: h.id,
      role: h.role,
      reason: h.reason,
      requestedAt: h.requestedAt,
      confirmedAt: h.confirmedAt ?? null,
      cancelledAt: h.cancelledAt ?? null,
    })),
    importReviewEndsAt: s.importReview ? reviewEndsAt(s.importReview) : null,
    lateEntries: lateEntryRows(s, view.late),
  };
}
