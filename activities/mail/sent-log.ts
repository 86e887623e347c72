/**
 * The sent-log: an append-only JSON-lines file in the worker's store, one line per mail that the
 * SMTP server (or the outbox) accepted, fsync'ed before the activity goes on. It holds no
 * addresses or names: the key is a hash of idempotency key and address, the recipient is named
 * by its pseudonymous reference.
 * Several worker processes sharing one data directory see each other's lines before every send.
 */
import { appendLine, JsonlTail } from './jsonl';

export interface SentLogEntry {
  /** sha256 hex of idempotency key and lower-cased address (see sentKey in compose.ts). */
  k: string;
  idempotencyKey: string;
  /** Pseudonymous recipient reference: professionalId, `lead:<org>`, 'coordinator' or `digest:<id>`. */
  to: string;
  messageId: string;
  at: string;
  /** Only for digests: the queue keys this digest delivered. */
  delivered?: string[];
}

export class SentLog {
  private readonly keys = new Set<string>();
  private readonly delivered = new Set<string>();
  private readonly tail: JsonlTail<Partial<SentLogEntry>>;

  constructor(readonly file: string) {
    this.tail = new JsonlTail(file, (e) => {
      if (typeof e.k === 'string') this.keys.add(e.k);
      for (const d of e.delivered ?? []) this.delivered.add(d);
    });
  }

  /** Reads the lines appended since the last look (by this or another process). */
  refresh(): void {
    this.tail.refresh();
  }

  has(k: string): boolean {
    if (this.keys.has(k)) return true;
    this.refresh();
    return this.keys.has(k);
  }

  /** Digest queue entries already delivered in a digest. */
  wasDelivered(queueKey: string): boolean {
    this.refresh();
    return this.delivered.has(queueKey);
  }

  /**
   * Appends one entry and fsyncs it. Remembered in memory first, so that even when the disk
   * write fails this process does not send the mail again.
   */
  append(entry: SentLogEntry): void {
    this.keys.add(entry.k);
    for (const d of entry.delivered ?? []) this.delivered.add(d);
    appendLine(this.file, JSON.stringify(entry));
  }
}
