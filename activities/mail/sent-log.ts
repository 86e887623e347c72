/**
 * The sent-log: an append-only JSON-lines file in the worker's store, one line per mail that the
 * SMTP server (or the outbox) accepted, fsync'ed before the activity goes on. It holds no
 * addresses or names: the key is a hash of idempotency key and address, the recipient is named
 * by its pseudonymous reference.
 *
 * The file is read incrementally (from the last offset), so several worker processes sharing one
 * data directory see each other's lines before every send.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SentLogEntry {
  /** sha256 hex of idempotency key and lower-cased address (see sentKey in ../mail.ts). */
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
  private offset = 0;
  private rest = '';

  constructor(readonly file: string) {}

  /** Reads the lines appended since the last look (by this or another process). */
  refresh(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        // Replaced or truncated by an operator: read it again from the start (keys only grow).
        this.offset = 0;
        this.rest = '';
      }
      const chunk = Buffer.alloc(64 * 1024);
      while (this.offset < size) {
        const n = readSync(fd, chunk, 0, chunk.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.rest += chunk.subarray(0, n).toString('utf8');
        const lines = this.rest.split('\n');
        this.rest = lines.pop() ?? '';
        for (const line of lines) this.take(line);
      }
    } finally {
      closeSync(fd);
    }
  }

  private take(line: string): void {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as Partial<SentLogEntry>;
      if (typeof e.k === 'string') this.keys.add(e.k);
      for (const d of e.delivered ?? []) this.delivered.add(d);
    } catch {
      // A line torn by a crash mid-write: nothing was recorded by it.
    }
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

/** Appends one line durably; starts on a fresh line if a crash left a torn one. */
export function appendLine(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const created = !existsSync(file);
  const fd = openSync(file, 'a+');
  try {
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, `${prefix}${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // A new file's directory entry must reach the disk too, or the whole log can vanish on a crash.
  if (created) fsyncDir(dirname(file));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
