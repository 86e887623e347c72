/** The webhook delivery log: every event to an intake system and how its attempts went. */
import type { Database } from '../db/database';

export interface WebhookAttempt {
  eventId: string;
  organisation: string;
  householdId: string;
  type: string;
  /** HTTP status, when the receiver answered. */
  status?: number;
  /** A short reason (error code), never the receiver's body. */
  error?: string;
  delivered: boolean;
}

export class WebhookLog {
  constructor(private readonly db: Database) {}

  async record(a: WebhookAttempt): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (event_id, organisation, household_id, type, attempts, last_status, last_error, first_attempt_at, last_attempt_at, delivered_at)
       VALUES ($1, $2, $3, $4, 1, $5, $6, now(), now(), CASE WHEN $7 THEN now() END)
       ON CONFLICT (event_id) DO UPDATE SET
         attempts = webhook_deliveries.attempts + 1,
         last_status = EXCLUDED.last_status,
         last_error = EXCLUDED.last_error,
         last_attempt_at = now(),
         delivered_at = coalesce(webhook_deliveries.delivered_at, EXCLUDED.delivered_at)`,
      [a.eventId, a.organisation, a.householdId, a.type, a.status ?? null, a.error ?? null, a.delivered],
    );
  }

  async get(eventId: string): Promise<{ attempts: number; delivered: boolean; lastStatus: number | null } | undefined> {
    const [r] = await this.db.query<{ attempts: number; delivered_at: unknown; last_status: number | null }>(
      'SELECT attempts, delivered_at, last_status FROM webhook_deliveries WHERE event_id = $1',
      [eventId],
    );
    return r ? { attempts: Number(r.attempts), delivered: r.delivered_at !== null, lastStatus: r.last_status } : undefined;
  }
}
