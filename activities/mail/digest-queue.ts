/**
 * Reminders (level 0) for professionals who asked for a daily digest (directory `digest: true`)
 * wait here, one JSON line each, until `sendDigests` bundles them. Escalations and meeting
 * invites never wait. Entries hold pseudonymous ids and the workflow's Dutch reason only.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ProfessionalRef } from '../../domain/model';
import type { MailKind } from './templates';
import { appendLine } from './sent-log';

export interface DigestEntry {
  /** Same key as the sent-log's: sha256 of idempotency key and address. */
  k: string;
  idempotencyKey: string;
  householdId: string;
  kind: MailKind;
  rule: string;
  reason: string;
  since: string;
  phase: string;
  professional: ProfessionalRef;
  queuedAt: string;
}

export class DigestQueue {
  private readonly entries = new Map<string, DigestEntry>();
  private offset = 0;
  private rest = '';

  constructor(readonly file: string) {}

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
        for (const line of lines) {
          if (!line.trim()) continue;
          try {
            const e = JSON.parse(line) as DigestEntry;
            if (typeof e.k === 'string' && !this.entries.has(e.k)) this.entries.set(e.k, e);
          } catch {
            // torn line from a crash: that entry was never acknowledged, its activity retries
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  has(k: string): boolean {
    if (this.entries.has(k)) return true;
    this.refresh();
    return this.entries.has(k);
  }

  append(entry: DigestEntry): void {
    appendLine(this.file, JSON.stringify(entry));
    this.entries.set(entry.k, entry);
  }

  all(): DigestEntry[] {
    this.refresh();
    return [...this.entries.values()];
  }
}
