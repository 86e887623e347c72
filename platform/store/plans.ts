/**
 * The safety plan's versions in full and the safety log's entries (issue 21). The workflow keeps
 * only facts (ids, kinds, dates, who checks how often); what a version and an entry say lives here.
 * Bodies hold ids and references to household_texts only, so this store holds no readable
 * content: the texts stay encrypted there and are opened per answer (api/household-service.ts).
 */
import { createHash } from 'node:crypto';
import type { LogOutcome, PlanKind, PlanVersionInput } from '../../domain/safety-plan';
import type { Database } from '../db/database';
import { iso } from '../db/database';

/** A version as stored: the input as the casusregisseur wrote it, its texts as references. */
export interface StoredPlanVersion {
  planId: string;
  version: number;
  kind: PlanKind;
  body: PlanVersionInput;
  recordedAt: string;
  recordedBy: string;
}

export interface LogEntry {
  /** Position in the log (paging cursor): later entries have higher numbers. */
  seq: number;
  agreementId: string;
  date: string;
  outcome: LogOutcome;
  score?: number;
  /** Reference to the note in household_texts (a text once opened for an answer). */
  note?: string;
  writtenBy: string;
  writtenAt: string;
}

export type NewLogEntry = Omit<LogEntry, 'seq'>;

export class PlanStore {
  constructor(private readonly db: Database) {}

  /** Keeps a version; the same version again (a retried command) changes nothing. */
  async keepVersion(householdId: string, v: StoredPlanVersion): Promise<void> {
    await this.db.query(
      `INSERT INTO household_plan_versions (household_id, plan_id, version, kind, body, recorded_at, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (household_id, plan_id, version) DO NOTHING`,
      [householdId, v.planId, v.version, v.kind, JSON.stringify(v.body), v.recordedAt, v.recordedBy],
    );
  }

  async version(householdId: string, planId: string, version: number): Promise<StoredPlanVersion | undefined> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT plan_id, version, kind, body, recorded_at, recorded_by FROM household_plan_versions
       WHERE household_id = $1 AND plan_id = $2 AND version = $3`,
      [householdId, planId, version],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      planId: String(r.plan_id),
      version: Number(r.version),
      kind: r.kind as PlanKind,
      body: (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as PlanVersionInput,
      recordedAt: iso(r.recorded_at),
      recordedBy: String(r.recorded_by),
    };
  }

  /** The versions of a plan kept whole, oldest first. */
  async versions(householdId: string, planId: string): Promise<number[]> {
    const rows = await this.db.query<{ version: number }>(
      'SELECT version FROM household_plan_versions WHERE household_id = $1 AND plan_id = $2 ORDER BY version',
      [householdId, planId],
    );
    return rows.map((r) => Number(r.version));
  }

  /**
   * Adds an entry once: `key` names the command that wrote it (a retried command with the same key
   * adds nothing). Answers whether it was new.
   */
  async addEntry(householdId: string, key: string, e: NewLogEntry): Promise<boolean> {
    const id = createHash('sha256')
      .update(JSON.stringify([householdId, key]))
      .digest('base64url');
    const rows = await this.db.query(
      `INSERT INTO household_log_entries
         (id, household_id, agreement_id, entry_date, outcome, score, note_ref, written_by, written_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING seq`,
      [id, householdId, e.agreementId, e.date, e.outcome, e.score ?? null, e.note ?? null, e.writtenBy, e.writtenAt],
    );
    return rows.length > 0;
  }

  /** Entries newest first, at most `limit`, before position `before` when given. */
  async entries(householdId: string, limit: number, before?: number): Promise<LogEntry[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT seq, agreement_id, to_char(entry_date, 'YYYY-MM-DD') AS date, outcome, score, note_ref, written_by, written_at
       FROM household_log_entries WHERE household_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
       ORDER BY seq DESC LIMIT $3`,
      [householdId, before ?? null, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      agreementId: String(r.agreement_id),
      date: String(r.date),
      outcome: r.outcome as LogOutcome,
      ...(r.score === null || r.score === undefined ? {} : { score: Number(r.score) }),
      ...(r.note_ref === null || r.note_ref === undefined ? {} : { note: String(r.note_ref) }),
      writtenBy: String(r.written_by),
      writtenAt: iso(r.written_at),
    }));
  }
}
