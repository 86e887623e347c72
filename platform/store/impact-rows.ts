/**
 * The read model's rows for impact measurement, as domain/impact-rows.ts declares them:
 * exactly what domain/impact-report.ts needs for one period, optionally for one organisation.
 * Households that touch the period (started before its end, not closed before its start), all
 * their phases (a closure needs to know whether Herstel was reached, and the phase at the end of
 * the period may have started long before), the escalations raised in it, the late entries
 * entered in it, the handovers that were still open at its start or began in it, and the
 * follow-up scores of the households closed in it. One read-only snapshot, so the tables agree
 * with each other.
 */
import {
  periodInstants,
  type ImpactClosedRow,
  type ImpactEscalationRow,
  type ImpactHandoverRow,
  type ImpactHouseholdRow,
  type ImpactLateRow,
  type ImpactPhaseRow,
  type ImpactRows,
} from '../../domain/impact-rows';
import { addMonthsToDate } from '../../domain/time';
import { RE_REPORT_WINDOWS } from '../../domain/outcome';
import type { Database } from '../db/database';
import { iso } from '../db/database';

export interface ImpactFilter {
  /** Calendar dates in Amsterdam: [from, to). */
  from: string;
  to: string;
  /** Households this organisation is involved in, or whose intake it did. */
  organisation?: string;
}

/** The households in scope, as SQL with its parameters ($1 = start, $2 = end of the period). */
function scope(filter: ImpactFilter): { sql: string; params: unknown[] } {
  const { from, to } = periodInstants(filter);
  const params: unknown[] = [from, to];
  let sql = `SELECT household_id FROM household_summaries
             WHERE started_at < $2::timestamptz AND (closed_at IS NULL OR closed_at >= $1::timestamptz)`;
  if (filter.organisation !== undefined) {
    params.push(filter.organisation);
    sql += ` AND ($3 = ANY(organisations) OR intake_organisation = $3)`;
  }
  return { sql, params };
}

/**
 * Households closed before the end of the period and at most the longest re-report window before its
 * start (their windows end in the period), with the instants of the intakes linked to them.
 */
function closedRows(filter: ImpactFilter): [string, unknown[]] {
  const longest = Math.max(...RE_REPORT_WINDOWS);
  const { to } = periodInstants(filter);
  const { from } = periodInstants({ from: addMonthsToDate(filter.from, -longest), to: filter.to });
  const params: unknown[] = [from, to];
  let sql = `SELECT s.household_id, s.intake_organisation, s.organisations, s.closed_at,
                    EXISTS (SELECT 1 FROM household_phases p WHERE p.household_id = s.household_id AND p.via = 'import') AS imported,
                    COALESCE((SELECT array_agg(r.reported_at ORDER BY r.reported_at) FROM household_re_reports r
                              WHERE r.closed_household_id = s.household_id), '{}') AS re_reported_at
             FROM household_summaries s
             WHERE s.closed_at IS NOT NULL AND s.closed_at >= $1::timestamptz AND s.closed_at < $2::timestamptz`;
  if (filter.organisation !== undefined) {
    params.push(filter.organisation);
    sql += ` AND ($3 = ANY(s.organisations) OR s.intake_organisation = $3)`;
  }
  return [sql + ' ORDER BY s.household_id', params];
}

const nullableIso = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

export class ImpactStore {
  constructor(private readonly db: Database) {}

  async rows(filter: ImpactFilter): Promise<ImpactRows> {
    const { sql: inScope, params } = scope(filter);
    return this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const households = await tx.query<Record<string, unknown>>(
        `SELECT household_id, intake_organisation, organisations, closed_at, active_social_network, started_at,
                to_char(direct_safety_on, 'YYYY-MM-DD') AS direct_safety_on, to_char(stable_safety_on, 'YYYY-MM-DD') AS stable_safety_on
         FROM household_summaries WHERE household_id IN (${inScope}) ORDER BY household_id`,
        params,
      );
      const phases = await tx.query<Record<string, unknown>>(
        `SELECT household_id, phase, started_at, ended_at, via
         FROM household_phases WHERE household_id IN (${inScope}) ORDER BY household_id, started_at, ended_at NULLS LAST`,
        params,
      );
      const escalations = await tx.query<Record<string, unknown>>(
        `SELECT household_id, key, rule, level, raised_at
         FROM household_escalations
         WHERE household_id IN (${inScope}) AND raised_at >= $1::timestamptz AND raised_at < $2::timestamptz
         ORDER BY household_id, raised_at, key`,
        params,
      );
      const handovers = await tx.query<Record<string, unknown>>(
        `SELECT household_id, id, requested_at, confirmed_at, cancelled_at
         FROM household_handovers
         WHERE household_id IN (${inScope}) AND requested_at < $2::timestamptz
           AND (confirmed_at IS NULL OR confirmed_at >= $1::timestamptz)
           AND (cancelled_at IS NULL OR cancelled_at >= $1::timestamptz)
         ORDER BY household_id, requested_at, id`,
        params,
      );
      // Issue 22: scores at closure and 3 and 6 months after, of the households closed in the period.
      const followUp = await tx.query<Record<string, unknown>>(
        `SELECT household_id, moment, score_group, danger_id, value
         FROM follow_up_scores
         WHERE household_id IN (${inScope})
           AND household_id IN (SELECT household_id FROM household_summaries
                                WHERE closed_at >= $1::timestamptz AND closed_at < $2::timestamptz)
         ORDER BY household_id, moment, score_group, danger_id`,
        params,
      );
      const closed = await tx.query<Record<string, unknown>>(...closedRows(filter));
      const late = await tx.query<Record<string, unknown>>(
        `SELECT household_id, kind, organisation, entered_at
         FROM household_late_entries
         WHERE household_id IN (${inScope}) AND entered_at >= $1::timestamptz AND entered_at < $2::timestamptz
         ORDER BY household_id, entered_at, entry`,
        params,
      );
      return {
        closed: closed.map(toClosed),
        households: households.map(toHousehold),
        phases: phases.map(toPhase),
        escalations: escalations.map(toEscalation),
        handovers: handovers.map(toHandover),
        followUpScores: followUp.map((r) => ({
          householdId: String(r.household_id),
          moment: Number(r.moment),
          group: String(r.score_group),
          dangerId: String(r.danger_id),
          value: Number(r.value),
        })),
        lateEntries: late.map(toLate),
      };
    });
  }
}

function toClosed(r: Record<string, unknown>): ImpactClosedRow {
  return {
    householdId: String(r.household_id),
    intakeOrganisation: String(r.intake_organisation),
    organisations: r.organisations as string[],
    closedAt: iso(r.closed_at),
    imported: r.imported === true,
    reReportedAt: (r.re_reported_at as unknown[]).map(iso),
  };
}

function toHousehold(r: Record<string, unknown>): ImpactHouseholdRow {
  return {
    householdId: String(r.household_id),
    intakeOrganisation: String(r.intake_organisation),
    organisations: r.organisations as string[],
    closedAt: nullableIso(r.closed_at),
    activeSocialNetwork: Number(r.active_social_network),
    startedAt: iso(r.started_at),
    directSafetyAt: (r.direct_safety_on as string | null) ?? null,
    stableSafetyAt: (r.stable_safety_on as string | null) ?? null,
  };
}

function toPhase(r: Record<string, unknown>): ImpactPhaseRow {
  return {
    householdId: String(r.household_id),
    phase: String(r.phase),
    startedAt: iso(r.started_at),
    endedAt: nullableIso(r.ended_at),
    via: String(r.via),
  };
}

function toEscalation(r: Record<string, unknown>): ImpactEscalationRow {
  return {
    householdId: String(r.household_id),
    key: String(r.key),
    rule: String(r.rule),
    level: Number(r.level),
    raisedAt: iso(r.raised_at),
  };
}

function toHandover(r: Record<string, unknown>): ImpactHandoverRow {
  return {
    householdId: String(r.household_id),
    id: String(r.id),
    requestedAt: iso(r.requested_at),
    confirmedAt: nullableIso(r.confirmed_at),
    cancelledAt: nullableIso(r.cancelled_at),
  };
}

function toLate(r: Record<string, unknown>): ImpactLateRow {
  return {
    householdId: String(r.household_id),
    kind: String(r.kind) === 'evidence' ? 'evidence' : 'score',
    organisation: String(r.organisation),
    enteredAt: iso(r.entered_at),
  };
}
