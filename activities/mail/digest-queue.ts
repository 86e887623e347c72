/**
 * Reminders (level 0) for professionals who asked for a daily digest (directory `digest: true`)
 * wait here, one JSON line each, until `sendDigests` bundles them. Escalations and meeting
 * invites never wait. Entries hold pseudonymous ids and the workflow's Dutch reason only.
 */
import type { ProfessionalRef } from '../../domain/model';
import type { MailKind } from './templates';
import { appendLine, JsonlTail } from './jsonl';

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
  private readonly tail: JsonlTail<DigestEntry>;

  constructor(readonly file: string) {
    this.tail = new JsonlTail(file, (e) => {
      if (typeof e.k === 'string' && !this.entries.has(e.k)) this.entries.set(e.k, e);
    });
  }

  refresh(): void {
    this.tail.refresh();
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
