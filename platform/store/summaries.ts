/**
 * The read model's queries (its rows are written by ./summary-writer.ts): the coordinators' list,
 * sorted by urgency across all households with keyset paging, the region-wide counts, the weekly
 * overview, the operators' figures and a professional's households with their tasks. Temporal's
 * visibility stays for operators.
 */
import type { Task } from '../../domain/summary';
import type { Database } from '../db/database';
import { iso } from '../db/database';

export interface ListFilter {
  phase?: string;
  organisation?: string;
  casusregisseur?: string;
  escalationLevel?: number;
  openHandover?: boolean;
  overdue?: boolean;
  status: 'running' | 'closed' | 'all';
  /**
   * A search: households with these ids (derived from an intake reference, never the reference
   * itself) or with this keyed hash of their alias.
   */
  search?: { householdIds: string[]; aliasKey?: string };
}

/** What a caller may see (R-64): everything, households its organisation is involved in, or those it started. */
export interface Visibility {
  organisation?: string;
  intakeOrganisation?: string;
}

/** Where the next page starts: after this household in urgency order. */
export interface Cursor {
  level: number;
  deadline: string | null;
  id: string;
}

export interface ListItem {
  householdId: string;
  phase: string;
  organisations: string[];
  intakeOrganisation: string;
  casusregisseur: string | null;
  escalationLevel: number;
  runMonths: number;
  nextDeadline: string | null;
  openHandover: boolean;
  overdue: boolean;
  startedAt: string;
  phaseStartedAt: string;
  status: 'running' | 'completed';
  /** Issue 22: when an imported trajectory's review ends ("geïmporteerd — in controle tot"); null for intakes. */
  importReviewEndsAt: string | null;
}

/** The coordinators' week (ROUTEKAART.md section 6): what is stuck, escalated or not yet handed over. */
export interface WeeklyOverview {
  counts: Counts;
  /** Escalated to the organisation lead or the coordinator (level 2 and 3), most urgent first. */
  escalated: ListItem[];
  /** The phase has lasted longer than the policy expects (R-62). */
  stuck: (ListItem & { phaseDays: number })[];
  /** Warm handovers not yet started (R-24), oldest first. */
  openHandovers: { householdId: string; role: string; requestedAt: string }[];
}

/** What operators watch (platform/metrics.ts): across all running households. */
export interface OperationalFigures {
  byPhase: Record<string, number>;
  byLevel: Record<string, number>;
  /** Tasks whose reminder time has come and that are not overdue yet. */
  due: number;
  overdue: number;
  openHandovers: number;
  oldestHandoverSeconds: number;
}

export interface TaskRow extends ListItem {
  tasks: Task[];
  referenceRef: string | null;
}

export interface Counts {
  total: number;
  byPhase: Record<string, number>;
  escalated: number;
  byLevel: Record<string, number>;
  openHandovers: number;
  overdue: number;
}

interface Row {
  household_id: string;
  phase: string;
  organisations: string[];
  intake_organisation: string;
  casusregisseur: string | null;
  escalation_level: number;
  run_months: number;
  next_deadline: unknown;
  open_handover: boolean;
  overdue: boolean;
  started_at: unknown;
  phase_started_at: unknown;
  closed_at: unknown;
  import_review_ends_at: unknown;
}

/** WHERE clauses and parameters for a filter and a caller's visibility. */
function where(filter: Partial<ListFilter>, visible: Visibility, params: unknown[]): string[] {
  const clauses: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (filter.status === 'running') clauses.push('closed_at IS NULL');
  if (filter.status === 'closed') clauses.push('closed_at IS NOT NULL');
  if (visible.organisation) clauses.push(`${p(visible.organisation)} = ANY(organisations)`);
  if (visible.intakeOrganisation) clauses.push(`intake_organisation = ${p(visible.intakeOrganisation)}`);
  if (filter.phase) clauses.push(`phase = ${p(filter.phase)}`);
  if (filter.organisation) clauses.push(`${p(filter.organisation)} = ANY(organisations)`);
  if (filter.casusregisseur) clauses.push(`casusregisseur = ${p(filter.casusregisseur)}`);
  if (filter.escalationLevel !== undefined) clauses.push(`escalation_level >= ${p(filter.escalationLevel)}`);
  if (filter.openHandover !== undefined) clauses.push(`open_handover = ${p(filter.openHandover)}`);
  if (filter.overdue !== undefined) clauses.push(`overdue = ${p(filter.overdue)}`);
  if (filter.search)
    clauses.push(
      filter.search.aliasKey
        ? `(household_id = ANY(${p(filter.search.householdIds)}) OR alias_key = ${p(filter.search.aliasKey)})`
        : `household_id = ANY(${p(filter.search.householdIds)})`,
    );
  return clauses;
}

export class SummaryStore {
  constructor(private readonly db: Database) {}

  /** One page, most urgent first (escalation level, then the next deadline), across all households. */
  async list(
    filter: ListFilter,
    visible: Visibility,
    pageSize: number,
    after?: Cursor,
  ): Promise<{ items: ListItem[]; next?: Cursor; referenceRefs: Map<string, string>; aliasRefs: Map<string, string> }> {
    const params: unknown[] = [];
    const clauses = where(filter, visible, params);
    if (after) {
      const l = `$${params.push(after.level)}`;
      const d = `$${params.push(after.deadline ?? 'infinity')}::timestamptz`;
      const i = `$${params.push(after.id)}`;
      clauses.push(
        `(escalation_level < ${l} OR (escalation_level = ${l} AND (sort_deadline > ${d} OR (sort_deadline = ${d} AND household_id > ${i}))))`,
      );
    }
    const rows = await this.db.query<Row & { reference_ref: string | null; alias_ref: string | null }>(
      `SELECT household_id, phase, organisations, intake_organisation, casusregisseur, escalation_level, run_months, next_deadline,
              open_handover, overdue, started_at, phase_started_at, closed_at, import_review_ends_at, reference_ref, alias_ref
       FROM household_summaries ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
       ORDER BY escalation_level DESC, sort_deadline, household_id
       LIMIT $${params.push(pageSize + 1)}`,
      params,
    );
    const items = rows.slice(0, pageSize).map(toItem);
    const last = items.at(-1);
    // Issue 22: the intake reference's text reference, opened by the API for the intake organisation only.
    const referenceRefs = new Map(
      rows.slice(0, pageSize).flatMap((r) => (r.reference_ref ? [[r.household_id, r.reference_ref] as const] : [])),
    );
    // Issue 20: the alias's text reference, opened by the pages for whoever may see the row.
    const aliasRefs = new Map(rows.slice(0, pageSize).flatMap((r) => (r.alias_ref ? [[r.household_id, r.alias_ref] as const] : [])));
    return {
      referenceRefs,
      aliasRefs,
      items,
      next: rows.length > pageSize && last ? { level: last.escalationLevel, deadline: last.nextDeadline, id: last.householdId } : undefined,
    };
  }

  /** Region-wide (or organisation-wide) counts of running households. */
  async counts(visible: Visibility): Promise<Counts> {
    const params: unknown[] = [];
    const clauses = where({ status: 'running' }, visible, params);
    const rows = await this.db.query<{ phase: string; level: number; n: number; handovers: number; overdue: number }>(
      `SELECT phase, escalation_level AS level, count(*)::int AS n,
              count(*) FILTER (WHERE open_handover)::int AS handovers, count(*) FILTER (WHERE overdue)::int AS overdue
       FROM household_summaries WHERE ${clauses.join(' AND ')} GROUP BY phase, escalation_level`,
      params,
    );
    const c: Counts = { total: 0, byPhase: {}, escalated: 0, byLevel: {}, openHandovers: 0, overdue: 0 };
    for (const r of rows) {
      const n = Number(r.n);
      c.total += n;
      c.byPhase[r.phase] = (c.byPhase[r.phase] ?? 0) + n;
      c.byLevel[String(r.level)] = (c.byLevel[String(r.level)] ?? 0) + n;
      if (Number(r.level) > 0) c.escalated += n;
      c.openHandovers += Number(r.handovers);
      c.overdue += Number(r.overdue);
    }
    return c;
  }

  /** At most `limit` of each list; the counts are over everything. */
  async weekly(now: Date, expectedPhaseDays: Record<string, number>, limit = 25): Promise<WeeklyOverview> {
    const phases = Object.keys(expectedPhaseDays);
    const [counts, escalated, stuck, openHandovers] = await Promise.all([
      this.counts({}),
      this.list({ status: 'running', escalationLevel: 2 }, {}, limit),
      this.db.query<Row & { phase_days: number }>(
        `SELECT s.household_id, s.phase, s.organisations, s.intake_organisation, s.casusregisseur, s.escalation_level, s.run_months,
                s.next_deadline, s.open_handover, s.overdue, s.started_at, s.phase_started_at, s.closed_at, s.import_review_ends_at,
                floor(extract(epoch FROM ($1::timestamptz - s.phase_started_at)) / 86400)::int AS phase_days
         FROM household_summaries s
         JOIN unnest($2::text[], $3::int[]) AS e(expected_phase, days) ON e.expected_phase = s.phase
         WHERE s.closed_at IS NULL AND s.phase_started_at < $1::timestamptz - make_interval(days => e.days)
         ORDER BY s.phase_started_at, s.household_id LIMIT $4`,
        [now.toISOString(), phases, phases.map((p) => expectedPhaseDays[p]), limit],
      ),
      this.db.query<{ household_id: string; role: string; requested_at: unknown }>(
        `SELECT h.household_id, h.role, h.requested_at FROM household_handovers h
         JOIN household_summaries s ON s.household_id = h.household_id
         WHERE s.closed_at IS NULL AND h.confirmed_at IS NULL AND h.cancelled_at IS NULL
         ORDER BY h.requested_at, h.household_id LIMIT $1`,
        [limit],
      ),
    ]);
    return {
      counts,
      escalated: escalated.items,
      stuck: stuck.map((r) => ({ ...toItem(r), phaseDays: Number(r.phase_days) })),
      openHandovers: openHandovers.map((h) => ({ householdId: h.household_id, role: h.role, requestedAt: iso(h.requested_at) })),
    };
  }

  async operational(now: Date): Promise<OperationalFigures> {
    const t = now.toISOString();
    const [groups, tasks, handovers] = await Promise.all([
      this.db.query<{ phase: string; level: number; n: number }>(
        `SELECT phase, escalation_level AS level, count(*)::int AS n FROM household_summaries WHERE closed_at IS NULL GROUP BY phase, escalation_level`,
      ),
      this.db.query<{ due: number; overdue: number }>(
        `SELECT count(*) FILTER (WHERE t->>'overdueAt' IS NOT NULL AND (t->>'overdueAt')::timestamptz <= $1::timestamptz)::int AS overdue,
                count(*) FILTER (WHERE t->>'dueAt' IS NOT NULL AND (t->>'dueAt')::timestamptz <= $1::timestamptz
                                 AND (t->>'overdueAt' IS NULL OR (t->>'overdueAt')::timestamptz > $1::timestamptz))::int AS due
         FROM household_summaries s CROSS JOIN LATERAL jsonb_array_elements(s.tasks) t WHERE s.closed_at IS NULL`,
        [t],
      ),
      this.db.query<{ n: number; oldest: unknown }>(
        `SELECT count(*)::int AS n, min(h.requested_at) AS oldest FROM household_handovers h
         JOIN household_summaries s ON s.household_id = h.household_id
         WHERE s.closed_at IS NULL AND h.confirmed_at IS NULL AND h.cancelled_at IS NULL`,
      ),
    ]);
    const f: OperationalFigures = { byPhase: {}, byLevel: {}, due: 0, overdue: 0, openHandovers: 0, oldestHandoverSeconds: 0 };
    for (const g of groups) {
      f.byPhase[g.phase] = (f.byPhase[g.phase] ?? 0) + Number(g.n);
      f.byLevel[String(g.level)] = (f.byLevel[String(g.level)] ?? 0) + Number(g.n);
    }
    f.due = Number(tasks[0]?.due ?? 0);
    f.overdue = Number(tasks[0]?.overdue ?? 0);
    f.openHandovers = Number(handovers[0]?.n ?? 0);
    const oldest = handovers[0]?.oldest;
    if (oldest) f.oldestHandoverSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso(oldest))) / 1000));
    return f;
  }

  /** The running households a professional is involved in, with their tasks and the intake reference's text reference. */
  async involving(professionalId: string): Promise<TaskRow[]> {
    const rows = await this.db.query<Row & { tasks: unknown; reference_ref: string | null }>(
      `SELECT household_id, phase, organisations, intake_organisation, casusregisseur, escalation_level, run_months, next_deadline,
              open_handover, overdue, started_at, phase_started_at, closed_at, import_review_ends_at, tasks, reference_ref
       FROM household_summaries WHERE closed_at IS NULL AND $1 = ANY(professionals)
       ORDER BY escalation_level DESC, sort_deadline, household_id LIMIT 500`,
      [professionalId],
    );
    return rows.map((r) => ({
      ...toItem(r),
      tasks: (typeof r.tasks === 'string' ? JSON.parse(r.tasks) : r.tasks) as Task[],
      referenceRef: r.reference_ref,
    }));
  }
}

function toItem(r: Row): ListItem {
  return {
    householdId: r.household_id,
    phase: r.phase,
    organisations: r.organisations,
    intakeOrganisation: r.intake_organisation,
    casusregisseur: r.casusregisseur,
    escalationLevel: Number(r.escalation_level),
    runMonths: Number(r.run_months),
    nextDeadline: r.next_deadline === null ? null : iso(r.next_deadline),
    openHandover: r.open_handover,
    overdue: r.overdue,
    startedAt: iso(r.started_at),
    phaseStartedAt: iso(r.phase_started_at),
    status: r.closed_at === null ? 'running' : 'completed',
    importReviewEndsAt: r.import_review_ends_at === null || r.import_review_ends_at === undefined ? null : iso(r.import_review_ends_at),
  };
}
