/**
 * What the mail activities share between worker processes: which mail was sent (the sent-log,
 * one row per idempotency key and address) and the queue of reminders for daily digests.
 *
 * A mail is claimed before it is sent (an atomic insert, or taking over a claim whose lease ran
 * out because its attempt died), marked sent once the SMTP server accepted it, and released when
 * sending failed. Two workers never send the same mail at the same time; the one window left is a
 * crash between the server's acceptance and the mark, after which a retry sends that mail once
 * more with the same Message-ID (README, "Mail exactly once").
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database';
import { iso } from '../db/database';

export type Claim = { kind: 'claimed'; token: string } | { kind: 'sent' } | { kind: 'busy'; until: string };

export interface DigestRow<E> {
  key: string;
  entry: E;
}

export class MailStore {
  constructor(private readonly db: Database) {}

  async isSent(key: string): Promise<boolean> {
    const rows = await this.db.query("SELECT 1 FROM mail_sent WHERE key = $1 AND state = 'sent'", [key]);
    return rows.length > 0;
  }

  /** Claims a mail for one attempt for `leaseMs`; tells when it was sent already or another attempt holds it. */
  async claim(m: { key: string; idempotencyKey: string; recipient: string; messageId: string; leaseMs: number }): Promise<Claim> {
    const token = randomUUID();
    const rows = await this.db.query<{ claimed_by: string; state: string; claimed_until: unknown }>(
      `INSERT INTO mail_sent (key, idempotency_key, recipient, message_id, state, claimed_by, claimed_until)
       VALUES ($1, $2, $3, $4, 'sending', $5, now() + make_interval(secs => $6::double precision))
       ON CONFLICT (key) DO UPDATE
         SET claimed_by = EXCLUDED.claimed_by, claimed_until = EXCLUDED.claimed_until
         WHERE mail_sent.state = 'sending' AND mail_sent.claimed_until < now()
       RETURNING claimed_by, state, claimed_until`,
      [m.key, m.idempotencyKey, m.recipient, m.messageId, token, m.leaseMs / 1000],
    );
    if (rows[0]?.claimed_by === token) return { kind: 'claimed', token };
    const [current] = await this.db.query<{ state: string; claimed_until: unknown }>(
      'SELECT state, claimed_until FROM mail_sent WHERE key = $1',
      [m.key],
    );
    if (!current) return this.claim(m); // released in between: try again
    return current.state === 'sent' ? { kind: 'sent' } : { kind: 'busy', until: iso(current.claimed_until) };
  }

  /**
   * The server accepted the mail; a digest also marks the queue entries it delivered. One
   * statement (one round trip, atomic by itself): this is the crash window, kept as short as the
   * database allows.
   */
  async markSent(key: string, token: string, delivered: string[] = []): Promise<void> {
    await this.db.query(
      `WITH marked AS (
         UPDATE mail_sent SET state = 'sent', sent_at = now(), delivered = $3::text[] WHERE key = $1 AND claimed_by = $2 RETURNING key
       )
       UPDATE digest_queue SET delivered_by = $1 WHERE key = ANY($3::text[])`,
      [key, token, delivered],
    );
  }

  /** Sending failed: let the next attempt claim it at once. */
  async release(key: string, token: string): Promise<void> {
    await this.db.query("DELETE FROM mail_sent WHERE key = $1 AND claimed_by = $2 AND state = 'sending'", [key, token]);
  }

  async isQueued(key: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM digest_queue WHERE key = $1', [key])).length > 0;
  }

  /** Queues a reminder for a digest; false when it was queued already. */
  async queueDigest<E>(key: string, professionalId: string, organisation: string, entry: E): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO digest_queue (key, professional_id, organisation, entry, queued_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, professionalId, organisation, JSON.stringify(entry)],
    );
    return rows.length > 0;
  }

  /** Digest entries not yet delivered, oldest first. */
  async pendingDigests<E>(): Promise<DigestRow<E>[]> {
    const rows = await this.db.query<{ key: string; entry: unknown }>(
      'SELECT key, entry FROM digest_queue WHERE delivered_by IS NULL ORDER BY queued_at, key',
    );
    return rows.map((r) => ({ key: r.key, entry: (typeof r.entry === 'string' ? JSON.parse(r.entry) : r.entry) as E }));
  }
}
