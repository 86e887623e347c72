/**
 * The audit log (AVG: who saw or changed which family's data must be answerable). Every read and
 * write of a household through the API adds one entry: who (key id, professional, organisation,
 * role), what (method, route, household id, outcome status), when. No household content.
 *
 * One hash chain across every API process: appends are serialised by an advisory lock inside
 * their transaction, each line carries the sha256 of the line before it, and the table is
 * append-only (a trigger refuses UPDATE, DELETE and TRUNCATE for every role; the application's
 * role has no such privilege either). Verification pages through the chain, never all at once.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/database';

export const GENESIS = '0'.repeat(64);
const APPEND_LOCK = 72_746_102;

export const AuditWho = z.object({
  keyId: z.string().optional(),
  /** The `sub` of a signed e-mail link (a professionalId, 'coordinator' or 'lead:<organisation>'). */
  link: z.string().optional(),
  organisation: z.string().optional(),
  role: z.enum(['intake', 'professional', 'coordinator', 'link']).optional(),
  professionalId: z.string().optional(),
});

export const AuditEntry = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  /** null: no valid credentials were presented (a refused attempt). */
  who: AuditWho.nullable(),
  what: z.object({
    method: z.string(),
    route: z.string(),
    householdId: z.string().optional(),
    status: z.number().int(),
    /** Refused attempts written as one line: how many in this batch. */
    count: z.number().int().optional(),
    /** Several households read at once (the codec server's decode): their ids, never names. */
    households: z.array(z.string()).optional(),
    /** Why a request or a signed link was refused ('unauthenticated', 'forged', 'variant', 'used', ...): a code, never what was presented. */
    reason: z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
  }),
  /** sha256 (hex) of the previous line; GENESIS for the first. */
  prev: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type AuditRecord = Pick<AuditEntry, 'who' | 'what'>;

export type VerifyResult = { ok: true; entries: number; head: string } | { ok: false; entries: number; seq: number; reason: string };

const sha256 = (line: string) => createHash('sha256').update(line, 'utf8').digest('hex');

interface Row {
  seq: number;
  line: string;
  hash: string;
}

export class AuditStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Told of every append and whether it committed (platform/metrics.ts counts them). */
  onAppend?: (committed: boolean) => void;

  /** Appends one entry; resolves once it is committed. */
  async append(record: AuditRecord): Promise<AuditEntry> {
    try {
      const entry = await this.write(record);
      this.onAppend?.(true);
      return entry;
    } catch (err) {
      this.onAppend?.(false);
      throw err;
    }
  }

  private write(record: AuditRecord): Promise<AuditEntry> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const [last] = await tx.query<Row>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const entry: AuditEntry = {
        seq: (last ? Number(last.seq) : 0) + 1,
        at: this.now().toISOString(),
        who: record.who,
        what: record.what,
        prev: last?.hash ?? GENESIS,
      };
      const line = JSON.stringify(entry);
      await tx.query('INSERT INTO audit_log (seq, household_id, line, hash) VALUES ($1, $2, $3, $4)', [
        entry.seq,
        entry.what.householdId ?? null,
        line,
        sha256(line),
      ]);
      return entry;
    });
  }

  /** Entries after `after` (seq), optionally of one household, at most `limit`, oldest first. */
  async page(options: { after?: number; limit: number; householdId?: string }): Promise<AuditEntry[]> {
    const rows = await this.db.query<Row>(
      `SELECT seq, line, hash FROM audit_log
       WHERE seq > $1 AND ($2::text IS NULL OR household_id = $2)
       ORDER BY seq LIMIT $3`,
      [options.after ?? 0, options.householdId ?? null, options.limit],
    );
    return rows.map((r) => AuditEntry.parse(JSON.parse(r.line)));
  }

  /** The latest sequence number and line hash: anchor them elsewhere to detect a cut-off end later. */
  async head(): Promise<{ seq: number; hash: string }> {
    const [last] = await this.db.query<Row>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  /** Checks the links of entries `from`..`to` and to the entry before them: the chain around one page. */
  async verifyRange(from: number, to: number): Promise<VerifyResult> {
    const rows = await this.db.query<Row>('SELECT seq, line, hash FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq', [
      Math.max(1, from - 1),
      to,
    ]);
    let prev: string | undefined = from <= 1 ? GENESIS : undefined;
    let expected = Math.max(1, from - 1);
    for (const r of rows) {
      const fail = (reason: string): VerifyResult => ({ ok: false, entries: rows.length, seq: Number(r.seq), reason });
      if (Number(r.seq) !== expected) return fail(`volgnummer ${r.seq}, verwacht ${expected}`);
      const parsed = AuditEntry.safeParse(safeJson(r.line));
      if (!parsed.success || sha256(r.line) !== r.hash) return fail('de regel is gewijzigd');
      if (prev !== undefined && parsed.data.prev !== prev) return fail('hash van de vorige regel klopt niet (gewijzigd of verwijderd)');
      prev = r.hash;
      expected++;
    }
    return { ok: true, entries: rows.length, head: prev ?? GENESIS };
  }

  /**
   * Checks the whole chain in pages: every line well-formed, numbered without gaps, hashed as
   * stored, and pointing at its predecessor. Memory stays bounded whatever the length.
   */
  async verify(pageSize = 5_000): Promise<VerifyResult> {
    let prev = GENESIS;
    let expected = 1;
    for (;;) {
      const rows = await this.db.query<Row>('SELECT seq, line, hash FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2', [
        expected,
        pageSize,
      ]);
      for (const r of rows) {
        const fail = (reason: string): VerifyResult => ({ ok: false, entries: expected - 1, seq: Number(r.seq), reason });
        if (Number(r.seq) !== expected) return fail(`volgnummer ${r.seq}, verwacht ${expected}`);
        const parsed = AuditEntry.safeParse(safeJson(r.line));
        if (!parsed.success || parsed.data.seq !== expected) return fail('regel is geen geldige auditregel');
        if (sha256(r.line) !== r.hash) return fail('de regel is gewijzigd');
        if (parsed.data.prev !== prev) return fail('hash van de vorige regel klopt niet (gewijzigd of verwijderd)');
        prev = r.hash;
        expected++;
      }
      if (rows.length < pageSize) return { ok: true, entries: expected - 1, head: prev };
    }
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
