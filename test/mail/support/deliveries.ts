/**
 * What a burst of mail delivered, seen from both ends: the mails the SMTP receiver accepted and
 * the sent-log's rows. It tells lost mails (marked sent but never accepted, or accepted but never
 * marked), duplicates (a Message-ID accepted more than once), any mail that came twice under two
 * Message-IDs, and how long each mail spent between the server's acceptance and its mark (the
 * crash window). Used by test/multi/processes.test.ts and the kill-burst benchmark figure.
 */
import { readMail } from './mime';
import type { ReceivedMail } from './smtp';

export interface SentRow {
  message_id: string;
  sent_at: Date | string;
}

export interface DeliveryTally {
  /** Mails marked sent (distinct Message-IDs). */
  mails: number;
  /** Mails the server accepted, copies included. */
  received: number;
  /** Copies beyond the first of a Message-ID. */
  duplicates: number;
  /** Marked sent, never accepted by the server: lost. */
  markedNotReceived: string[];
  /** Accepted by the server, never marked sent. */
  receivedNotMarked: string[];
  /** One mail (household, kind, rule, level, recipients) that arrived under more than one Message-ID. */
  splitMails: string[];
  /** Milliseconds from the server's acceptance of the marked copy to its mark. */
  windowMs: { p50: number; p99: number; max: number };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export function tallyDeliveries(received: ReceivedMail[], sent: SentRow[]): DeliveryTally {
  const acceptances = new Map<string, number[]>();
  const idsOfMail = new Map<string, Set<string>>();
  for (const r of received) {
    const mail = readMail(r.raw);
    acceptances.set(mail.messageId, [...(acceptances.get(mail.messageId) ?? []), r.acceptedAt]);
    const h = (name: string) => mail.header(name) ?? '';
    const identity = [
      h('x-routekaart-household'),
      h('x-routekaart-kind'),
      h('x-routekaart-rule'),
      h('x-routekaart-level'),
      r.envelopeTo.join(','),
    ];
    const key = identity.join('|');
    idsOfMail.set(key, (idsOfMail.get(key) ?? new Set()).add(mail.messageId));
  }
  const marked = new Set(sent.map((r) => r.message_id));
  // The copy that was marked is the last one accepted before the mark (1 ms of clock rounding allowed).
  const windows = sent
    .filter((r) => acceptances.has(r.message_id))
    .map((r) => {
      const markedAt = new Date(r.sent_at).getTime();
      const all = acceptances.get(r.message_id)!;
      const before = all.filter((t) => t <= markedAt + 1);
      return markedAt - Math.max(...(before.length ? before : all));
    })
    .sort((a, b) => a - b);
  return {
    mails: marked.size,
    received: received.length,
    duplicates: received.length - acceptances.size,
    markedNotReceived: [...marked].filter((id) => !acceptances.has(id)),
    receivedNotMarked: [...acceptances.keys()].filter((id) => !marked.has(id)),
    splitMails: [...idsOfMail].filter(([, ids]) => ids.size > 1).map(([key]) => key),
    windowMs: { p50: quantile(windows, 0.5), p99: quantile(windows, 0.99), max: windows.at(-1) ?? 0 },
  };
}

/** One line for a test's output or a log. */
export function describeTally(t: DeliveryTally): string {
  const rate = t.mails ? ((t.duplicates / t.mails) * 100).toFixed(2) : '0';
  return (
    `${t.mails} mails, ${t.duplicates} duplicate(s) (${rate} %), ${t.markedNotReceived.length} lost; ` +
    `accepted-to-marked ms p50 ${t.windowMs.p50}, p99 ${t.windowMs.p99}, max ${t.windowMs.max}`
  );
}
