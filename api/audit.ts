/**
 * The audit log (AVG: who saw or changed which family's data must be answerable). Every read and
 * write of a household through the API appends one JSON line: who (key id, professional,
 * organisation, role), what (method, route, household id, outcome status), when. No household
 * content: no names, scores or texts.
 *
 * Append-only and tamper-evident: every line carries the sha256 of the line before it, so changing
 * or deleting a line breaks the chain at that point, which `verify()` reports. The API only appends
 * and reads; nothing changes or removes a line. One API process writes one file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';

export const GENESIS = '0'.repeat(64);

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
  }),
  /** sha256 (hex) of the previous line; GENESIS for the first. */
  prev: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export type AuditRecord = Pick<AuditEntry, 'who' | 'what'>;

export type VerifyResult = { ok: true; entries: number; head: string } | { ok: false; entries: number; line: number; reason: string };

const sha256 = (line: string) => createHash('sha256').update(line, 'utf8').digest('hex');

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private seq: number,
    private prev: string,
    private readonly now: () => Date,
  ) {}

  /** Opens (or creates) `<dir>/audit.jsonl` and continues its chain. */
  static async open(dir: string, options: { file?: string; now?: () => Date } = {}): Promise<AuditLog> {
    mkdirSync(dir, { recursive: true });
    const path = resolve(dir, options.file ?? 'audit.jsonl');
    const fh = await open(path, 'a+', 0o600);
    const existing = lines(await readFile(path, 'utf8'));
    const last = existing.at(-1);
    let seq = 0;
    if (last) {
      const parsed = AuditEntry.safeParse(safeJson(last));
      seq = parsed.success ? parsed.data.seq : existing.length;
    }
    return new AuditLog(path, fh, seq, last ? sha256(last) : GENESIS, options.now ?? (() => new Date()));
  }

  /** Appends one entry; resolves once it is on disk. Appends are serialised to keep the chain. */
  append(record: AuditRecord): Promise<AuditEntry> {
    const next = this.tail.then(async () => {
      const entry: AuditEntry = { seq: this.seq + 1, at: this.now().toISOString(), who: record.who, what: record.what, prev: this.prev };
      const line = JSON.stringify(entry);
      await this.fh.write(line + '\n');
      await this.fh.datasync();
      this.seq = entry.seq;
      this.prev = sha256(line);
      return entry;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Entries after `after` (seq), optionally of one household, at most `limit`. */
  async read(options: { after?: number; limit?: number; householdId?: string } = {}): Promise<AuditEntry[]> {
    await this.tail;
    const out: AuditEntry[] = [];
    for (const line of lines(await readFile(this.path, 'utf8'))) {
      const parsed = AuditEntry.safeParse(safeJson(line));
      if (!parsed.success) continue;
      const e = parsed.data;
      if (options.after !== undefined && e.seq <= options.after) continue;
      if (options.householdId && e.what.householdId !== options.householdId) continue;
      out.push(e);
      if (options.limit && out.length >= options.limit) break;
    }
    return out;
  }

  /** Checks the whole chain: every line well-formed, numbered in order, and pointing at its predecessor. */
  async verify(): Promise<VerifyResult> {
    await this.tail;
    const result = verifyAuditText(await readFile(this.path, 'utf8'));
    // A chain cannot show lines cut from its end; the head this process wrote last can.
    if (result.ok && result.head !== this.prev)
      return { ok: false, entries: result.entries, line: result.entries, reason: 'het einde van het logboek ontbreekt of is vervangen' };
    return result;
  }

  /** The latest sequence number and line hash: anchor them elsewhere to detect truncation later. */
  head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.prev };
  }

  async close(): Promise<void> {
    await this.tail;
    await this.fh.close();
  }
}

export function verifyAuditText(text: string): VerifyResult {
  const all = lines(text);
  let prev = GENESIS;
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const parsed = AuditEntry.safeParse(safeJson(line));
    const fail = (reason: string): VerifyResult => ({ ok: false, entries: all.length, line: i + 1, reason });
    if (!parsed.success) return fail('regel is geen geldige auditregel');
    if (parsed.data.seq !== i + 1) return fail(`volgnummer ${parsed.data.seq}, verwacht ${i + 1}`);
    if (parsed.data.prev !== prev) return fail('hash van de vorige regel klopt niet (gewijzigd of verwijderd)');
    prev = sha256(line);
  }
  return { ok: true, entries: all.length, head: prev };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
