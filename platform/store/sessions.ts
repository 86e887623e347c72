/**
 * Dashboard sessions, kept in our database so that logging out ends a session everywhere at once
 * and every API process agrees. The browser holds a random session id; the table holds only its
 * sha256, so reading the table opens no session. A session ends when it is revoked (logout, a new
 * login from the same browser), after SESSION_LIMITS.idleMs without a request, and in any case
 * SESSION_LIMITS.absoluteMs after the login.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database';

/** The one place for how long a dashboard session lasts. */
export const SESSION_LIMITS = {
  /** Without a request for this long, the session is over. */
  idleMs: 30 * 60_000,
  /** However active, a session ends this long after its login. */
  absoluteMs: 8 * 3_600_000,
} as const;

/** A fresh session id for the cookie: 256 random bits. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

function idHash(sessionId: string): string {
  return createHash('sha256').update(`routekaart/dashboard-session/v2\n${sessionId}`, 'utf8').digest('base64url');
}

export class SessionStore {
  constructor(private readonly db: Database) {}

  /** Records a new session of this key, and forgets sessions too old to be valid anyway. */
  async create(sessionId: string, keyId: string, now: Date): Promise<void> {
    await this.db.query('DELETE FROM dashboard_sessions WHERE created_at <= $1', [new Date(now.getTime() - SESSION_LIMITS.absoluteMs)]);
    await this.db.query('INSERT INTO dashboard_sessions (id_hash, key_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [
      idHash(sessionId),
      keyId,
      now,
    ]);
  }

  /**
   * The key id of a live session, and the session's idle clock restarted; undefined when the
   * session is unknown, revoked, idle too long or past its absolute end. One statement, so two
   * processes never disagree about a session that is just expiring.
   */
  async touch(sessionId: string, now: Date): Promise<string | undefined> {
    const [row] = await this.db.query<{ key_id: string }>(
      `UPDATE dashboard_sessions SET last_seen_at = $2
       WHERE id_hash = $1 AND revoked_at IS NULL AND last_seen_at > $3 AND created_at > $4
       RETURNING key_id`,
      [idHash(sessionId), now, new Date(now.getTime() - SESSION_LIMITS.idleMs), new Date(now.getTime() - SESSION_LIMITS.absoluteMs)],
    );
    return row?.key_id;
  }

  /** Ends the session for good (logout, or a new login replacing it). */
  async revoke(sessionId: string, now: Date): Promise<void> {
    await this.db.query('UPDATE dashboard_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [
      idHash(sessionId),
      now,
    ]);
  }
}
