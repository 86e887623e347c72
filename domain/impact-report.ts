/**
 * Impact measurement across households: time per phase, how trajectories end, escalations,
 * handovers, the network at closure, trajectories running longer than expected and
 * late data (issue 22),
 * computed from the read model's rows for a period [from, to). Pure: the rows (./impact-rows) come
 * from platform/store/impact-rows.ts (or are built by hand in tests). Every figure passes the
 * disclosure control of ./disclosure before it is published (spreads and shares: ./distribution);
 * ./impact-csv turns the report into lines.
 */
import { countCell, cell, protectBreakdown, protectTogether, publish, type Figure } from './disclosure';
import { distribution, share, type Distribution } from './distribution';
import { scoresAfterClosure, type FollowUpFigure } from './follow-up';
import {
  forOrganisation,
  periodInstants,
  startedInRoutekaart,
  type ImpactEscalationRow,
  type ImpactHouseholdRow,
  type ImpactPhaseRow,
  type ImpactRows,
  type ImpactScope,
} from './impact-rows';
import { reReportSharesInPeriod, safetyTimingByCohort, type CohortTiming, type ReReportFigure, type ReReportWindow } from './outcome';
import { DEFAULT_POLICY, type Policy } from './policy';
import { amsterdamDay, DAY_MS, daysBetween, type IsoDate } from './time';

// ---------------------------------------------------------------------------------------------
// Output

export const MEASURED_PHASES = ['afstemming', 'veiligheid', 'risicogestuurd', 'herstel'] as const;
export type MeasuredPhase = (typeof MEASURED_PHASES)[number];
/** Phases with an expected duration in the policy. */
export const EXPECTED_PHASES = ['veiligheid', 'risicogestuurd', 'herstel'] as const;
export type ExpectedPhase = (typeof EXPECTED_PHASES)[number];
export const ESCALATION_LEVELS = ['1', '2', '3'] as const;
/** The cause of an escalation about undeliverable mail (its key starts with 'mail:'), not a method rule. */
export const MAIL_CAUSE = 'mail';

export interface ImpactReport {
  period: { from: IsoDate; to: IsoDate };
  organisation: string | null;
  /** Imported trajectories left out ("alleen in Routekaart gestart"). */
  startedInRoutekaartOnly: boolean;
  /** Calendar days (Amsterdam) of the phase periods that ended in the period, per phase. */
  phaseDays: Record<MeasuredPhase, Distribution>;
  /** Trajectories closed in the period. */
  closures: {
    closed: Figure;
    /** Closed from Herstel with every criterion met (phase change via 'criteria'): stable safety. */
    stableSafety: Figure;
    /** Closed with an override of the criteria, from any phase. */
    override: Figure;
    /** Closed after reaching phase Herstel at some point, whichever way they closed. */
    reachedHerstel: Figure;
    shareStableSafety: Figure;
    shareReachedHerstel: Figure;
  };
  /** Escalations raised in the period, by the highest level they reached and by cause (rule id, or 'mail'). */
  escalations: {
    total: Figure;
    byLevel: Record<(typeof ESCALATION_LEVELS)[number], Figure>;
    byCause: Record<string, Figure>;
  };
  /** handovers. */
  handovers: {
    /** Days (elapsed, 24 h) from request to confirmation, of the handovers confirmed in the period. */
    daysToConfirm: Distribution;
    /** Requested before the end of the period and neither confirmed nor cancelled by then. */
    openAtEnd: Figure;
    cancelled: Figure;
  };
  /** active non-professional people at closure, of the households closed in the period. */
  networkAtClosure: {
    size: Distribution;
    minimum: number;
    shareAtLeastMinimum: Figure;
  };
  /** Households whose phase at the end of the period had lasted longer than the policy expects. */
  longerThanExpected: Record<ExpectedPhase, { expectedDays: number; households: Figure }>;
  /** Months to direct and stable safety of the households that started in the period, per start month (./outcome). */
  safetyByCohort: CohortTiming[];
  /**
   * Issue 22: of the households closed in the period (with the follow-up's consent), the median
   * score at closure and 3 and 6 months after, per group (household, network).
   */
  scoresAfterClosure: FollowUpFigure[];
  /**
   * Issue 22: of the closed households whose 3-, 6- or 12-month window after closure ended in the period, how
   * many were reported again (a new intake linked to them) within the window, and the share (./outcome).
   */
  reReports: Record<ReReportWindow, ReReportFigure>;
  /** Issue 22: scores and evidence entered late ("later ingevoerd") in the period, region-wide and per organisation that entered them. */
  lateData: {
    total: Figure;
    scores: Figure;
    evidence: Figure;
    byOrganisation: Record<string, Figure>;
  };
}

// ---------------------------------------------------------------------------------------------
// The period

interface Bounds {
  from: IsoDate;
  to: IsoDate;
  fromMs: number;
  toMs: number;
}

function bounds(scope: ImpactScope): Bounds {
  const at = periodInstants(scope);
  const b = { from: scope.from, to: scope.to, fromMs: Date.parse(at.from), toMs: Date.parse(at.to) };
  if (!(b.fromMs < b.toMs)) throw new RangeError(`Impact period must have from < to (got ${scope.from} .. ${scope.to}).`);
  return b;
}

function within(at: string | null, b: Bounds): boolean {
  if (at === null) return false;
  const t = Date.parse(at);
  return t >= b.fromMs && t < b.toMs;
}

function before(at: string | null, ms: number): boolean {
  return at !== null && Date.parse(at) < ms;
}

function day(at: string): IsoDate {
  return amsterdamDay(new Date(at));
}

// ---------------------------------------------------------------------------------------------
// One function per figure

/** Calendar days of the periods of `phase` that ended in the period. */
function phaseDurations(rows: ImpactRows, b: Bounds, phase: MeasuredPhase): Distribution {
  const ended = rows.phases.filter((p) => p.phase === phase && within(p.endedAt, b));
  return distribution(ended.map((p) => ({ householdId: p.householdId, value: daysBetween(day(p.startedAt), day(p.endedAt!)) })));
}

function closedInPeriod(rows: ImpactRows, b: Bounds): ImpactHouseholdRow[] {
  return rows.households.filter((h) => within(h.closedAt, b));
}

/** How a closed household closed, and whether it reached phase Herstel before. */
function closureOf(rows: ImpactRows, householdId: string): { via: string; reachedHerstel: boolean } {
  const own = rows.phases.filter((p) => p.householdId === householdId);
  const closing = own.filter((p) => p.phase === 'afgesloten').sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
  return { via: closing?.via ?? 'onbekend', reachedHerstel: own.some((p) => p.phase === 'herstel') };
}

/** closed with stable safety (criteria, after Herstel) versus by override; reached Herstel at all. */
function closureOutcomes(rows: ImpactRows, b: Bounds): ImpactReport['closures'] {
  const closed = closedInPeriod(rows, b).map((h) => closureOf(rows, h.householdId));
  const n = closed.length;
  const stable = closed.filter((c) => c.via === 'criteria' && c.reachedHerstel).length;
  const override = closed.filter((c) => c.via === 'override').length;
  const herstel = closed.filter((c) => c.reachedHerstel).length;
  const cells = {
    stableSafety: cell(stable, stable),
    override: cell(override, override),
    reachedHerstel: cell(herstel, herstel),
    shareStableSafety: cell(share(stable, n), n),
    shareReachedHerstel: cell(share(herstel, n), n),
  };
  // Closed, stable, override and Herstel together give every group (way of closing x Herstel reached).
  const groupSizes = new Map<string, number>();
  for (const c of closed) {
    const group = `${c.via}:${c.reachedHerstel}`;
    groupSizes.set(group, (groupSizes.get(group) ?? 0) + 1);
  }
  protectTogether([...groupSizes.values()], Object.values(cells));
  return {
    closed: publish(cell(n, n)),
    stableSafety: publish(cells.stableSafety),
    override: publish(cells.override),
    reachedHerstel: publish(cells.reachedHerstel),
    shareStableSafety: publish(cells.shareStableSafety),
    shareReachedHerstel: publish(cells.shareReachedHerstel),
  };
}

/** The cause of an escalation: its rule, or 'mail' when it is about mail that could not be delivered. */
export function escalationCause(e: Pick<ImpactEscalationRow, 'key' | 'rule'>): string {
  return e.key.startsWith('mail:') ? MAIL_CAUSE : e.rule;
}

/** Escalations raised in the period, by level and by cause; both breakdowns add up to the total. */
function escalationsRaised(rows: ImpactRows, b: Bounds): ImpactReport['escalations'] {
  const raised = rows.escalations.filter((e) => within(e.raisedAt, b));
  const total = countCell(raised);
  const levels = ESCALATION_LEVELS.map((l) => countCell(raised.filter((e) => String(Math.min(3, Math.max(1, e.level))) === l)));
  const causes = [...new Set(raised.map(escalationCause))].sort();
  const byCause = causes.map((c) => countCell(raised.filter((e) => escalationCause(e) === c)));
  protectBreakdown(total, levels);
  protectBreakdown(total, byCause);
  return {
    total: publish(total),
    byLevel: Object.fromEntries(ESCALATION_LEVELS.map((l, i) => [l, publish(levels[i]!)])) as ImpactReport['escalations']['byLevel'],
    byCause: Object.fromEntries(causes.map((c, i) => [c, publish(byCause[i]!)])),
  };
}

/** days from request to confirmation of the handovers confirmed in the period. */
function handoverDurations(rows: ImpactRows, b: Bounds): Distribution {
  const confirmed = rows.handovers.filter((h) => within(h.confirmedAt, b));
  return distribution(
    confirmed.map((h) => ({ householdId: h.householdId, value: (Date.parse(h.confirmedAt!) - Date.parse(h.requestedAt)) / DAY_MS })),
  );
}

/** handovers still open at the end of the period. */
function handoversOpenAtEnd(rows: ImpactRows, b: Bounds): Figure {
  const open = rows.handovers.filter(
    (h) => before(h.requestedAt, b.toMs) && !before(h.confirmedAt, b.toMs) && !before(h.cancelledAt, b.toMs),
  );
  return publish(countCell(open));
}

function handoversCancelled(rows: ImpactRows, b: Bounds): Figure {
  return publish(countCell(rows.handovers.filter((h) => within(h.cancelledAt, b))));
}

/** active non-professional network of the households closed in the period. */
function networkAtClosure(rows: ImpactRows, b: Bounds, minimum: number): ImpactReport['networkAtClosure'] {
  const closed = closedInPeriod(rows, b);
  const enough = closed.filter((h) => h.activeSocialNetwork >= minimum).length;
  const shareCell = cell(share(enough, closed.length), closed.length);
  protectTogether([enough, closed.length - enough], [shareCell]);
  return {
    size: distribution(closed.map((h) => ({ householdId: h.householdId, value: h.activeSocialNetwork }))),
    minimum,
    shareAtLeastMinimum: publish(shareCell),
  };
}

/** The phase each household was in at the end of the period (none if it had not started yet). */
function phaseAtEnd(rows: ImpactRows, b: Bounds): ImpactPhaseRow[] {
  const latest = new Map<string, ImpactPhaseRow>();
  for (const p of rows.phases) {
    if (!before(p.startedAt, b.toMs) || before(p.endedAt, b.toMs)) continue;
    const seen = latest.get(p.householdId);
    if (!seen || Date.parse(p.startedAt) > Date.parse(seen.startedAt)) latest.set(p.householdId, p);
  }
  return [...latest.values()];
}

/** Running households whose phase at the end of the period has lasted longer than expected. */
function longerThanExpected(rows: ImpactRows, b: Bounds, policy: Policy): ImpactReport['longerThanExpected'] {
  const atEnd = phaseAtEnd(rows, b);
  const count = (phase: ExpectedPhase) => {
    const expectedDays = policy.expectedPhaseDays[phase];
    const late = atEnd.filter((p) => p.phase === phase && daysBetween(day(p.startedAt), b.to) > expectedDays);
    return { expectedDays, households: publish(countCell(late)) };
  };
  return { veiligheid: count('veiligheid'), risicogestuurd: count('risicogestuurd'), herstel: count('herstel') };
}

/**
 * Issue 22: how often data arrives late, entered in the period, by kind and by the organisation that
 * entered it; each breakdown adds up to the total and is protected like the escalations'.
 */
function lateData(rows: ImpactRows, b: Bounds): ImpactReport['lateData'] {
  const entered = rows.lateEntries.filter((l) => within(l.enteredAt, b));
  const total = countCell(entered);
  const kinds = [countCell(entered.filter((l) => l.kind === 'score')), countCell(entered.filter((l) => l.kind === 'evidence'))];
  const organisations = [...new Set(entered.map((l) => l.organisation))].sort();
  const byOrganisation = organisations.map((o) => countCell(entered.filter((l) => l.organisation === o)));
  protectBreakdown(total, kinds);
  protectBreakdown(total, byOrganisation);
  return {
    total: publish(total),
    scores: publish(kinds[0]!),
    evidence: publish(kinds[1]!),
    byOrganisation: Object.fromEntries(organisations.map((o, i) => [o, publish(byOrganisation[i]!)])),
  };
}

// ---------------------------------------------------------------------------------------------

/** The impact report of a period (and optionally one organisation), every small figure suppressed. */
export function impactReport(rows: ImpactRows, scope: ImpactScope, policy: Policy = DEFAULT_POLICY): ImpactReport {
  const b = bounds(scope);
  const mine = startedInRoutekaart(forOrganisation(rows, scope.organisation), scope.startedInRoutekaartOnly);
  return {
    period: { from: scope.from, to: scope.to },
    organisation: scope.organisation ?? null,
    startedInRoutekaartOnly: scope.startedInRoutekaartOnly === true,
    phaseDays: {
      afstemming: phaseDurations(mine, b, 'afstemming'),
      veiligheid: phaseDurations(mine, b, 'veiligheid'),
      risicogestuurd: phaseDurations(mine, b, 'risicogestuurd'),
      herstel: phaseDurations(mine, b, 'herstel'),
    },
    closures: closureOutcomes(mine, b),
    escalations: escalationsRaised(mine, b),
    handovers: {
      daysToConfirm: handoverDurations(mine, b),
      openAtEnd: handoversOpenAtEnd(mine, b),
      cancelled: handoversCancelled(mine, b),
    },
    networkAtClosure: networkAtClosure(mine, b, policy.minimumActiveSocialNetwork),
    longerThanExpected: longerThanExpected(mine, b, policy),
    safetyByCohort: safetyTimingByCohort(mine.households.filter((h) => within(h.startedAt, b))),
    scoresAfterClosure: scoresAfterClosure(new Set(closedInPeriod(mine, b).map((h) => h.householdId)), mine.followUpScores ?? []),
    reReports: reReportSharesInPeriod(mine.closed ?? [], scope.from, scope.to),
    lateData: lateData(mine, b),
  };
}
