/**
 * The audit log (AVG: who saw or changed which family's data must be answerable). Every read and
 * write of a household through the API adds one entry: who (key id, professional, organisation,
 * role), what (method, route, household id, outcome status), when. No household content.
 *
 * One hash chain across every API process: each line carries its number and the sha256 of the
 * line before it, the number is the primary key, and the table is append-only (a trigger refuses
 * UPDATE, DELETE and TRUNCATE for every role; the application's role has no such privilege
 * either). Verification pages through the chain, never all at once.
 *
 * Appending costs one statement (issue 23: it was five, with an advisory lock, on every request).
 * A process remembers the head it last wrote or read and numbers its lines after it; when another
 * process wrote in between, the primary key refuses the whole statement, the process reads the
 * head again and renumbers. So the chain never forks and has no gaps, whichever process wins.
 * Within a process, appends that arrive while one is being written wait and go out together in
 * the next statement: one commit for many requests.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { valuesOf, type Database } from '../db/database';

export const GENESIS = '0'.repeat(64);
/** Lines one statement writes at most (4 parameters each). */
const MAX_BATCH = 200;
/** Rounds of renumbering after another process wrote first, before the append fails (503). */
const MAX_ROUNDS = 20;
/** PostgreSQL's unique_violation: another process took the number. */
const UNIQUE_VIOLATION = '23505';

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

  /** The chain's last line as this process knows it; undefined: read it from the database first. */
  private known: { seq: number; hash: string } | undefined;
  private waiting: { record: AuditRecord; done: (entry: AuditEntry | Error) => void }[] = [];
  private writing = false;

  /** Appends one entry; resolves once it is committed. */
  async append(record: AuditRecord): Promise<AuditEntry> {
    const result = await new Promise<AuditEntry | Error>((done) => {
      this.waiting.push({ record, done });
      void this.drain();
    });
    this.onAppend?.(!(result instanceof Error));
    if (result instanceof Error) throw result;
    return result;
  }

  /** Writes what is waiting, a batch per statement, one statement at a time. */
  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const entries = await this.write(batch.map((b) => b.record));
          batch.forEach((b, i) => b.done(entries[i]!));
        } catch (err) {
          for (const b of batch) b.done(err instanceof Error ? err : new Error(String(err)));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(records: AuditRecord[]): Promise<AuditEntry[]> {
    for (let round = 1; ; round++) {
      const head = this.known ?? (await this.head());
      const at = this.now().toISOString();
      let prev = head;
      const rows = records.map((record) => {
        const entry: AuditEntry = { seq: prev.seq + 1, at, who: record.who, what: record.what, prev: prev.hash };
        const line = JSON.stringify(entry);
        prev = { seq: entry.seq, hash: sha256(line) };
        return { entry, line, hash: prev.hash };
      });
      this.known = undefined;
      try {
        const { values, params } = valuesOf(rows.map((r) => [r.entry.seq, r.entry.what.householdId ?? null, r.line, r.hash]));
        await this.db.query(`INSERT INTO audit_log (seq, household_id, line, hash) ${values}`, params);
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION && round < MAX_ROUNDS) continue;
        throw err;
      }
      this.known = prev;
      return rows.map((r) => r.entry);
    }
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
