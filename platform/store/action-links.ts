/**
 * Action links work once. A link's nonce (inside its signed claims, so the same whatever the
 * token's spelling) is consumed in one atomic INSERT before its commands run: of two uses at the
 * same moment, in one process or two, exactly one wins and the other runs nothing. Only a hash of
 * the nonce is kept, so the table reveals no link. The commands carry update ids derived from the
 * same hash, so a crash between consuming and running cannot run them twice either.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database';

/** The key of one link's use: derived from its nonce, never from how the token happens to be spelled. */
export function nonceKey(nonce: string): string {
  return createHash('sha256').update(`routekaart/action-link-nonce/v1\n${nonce}`, 'utf8').digest('base64url');
}

export class UsedActionLinks {
  constructor(private readonly db: Database) {}

  async isUsed(key: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM used_action_links WHERE nonce_hash = $1', [key])).length > 0;
  }

  /** Consumes the link; false when it already was (another tab, request or process came first). */
  async consume(key: string): Promise<boolean> {
    const rows = await this.db.query('INSERT INTO used_action_links (nonce_hash) VALUES ($1) ON CONFLICT DO NOTHING RETURNING nonce_hash', [
      key,
    ]);
    return rows.length > 0;
  }

  /**
   * Gives a consumed link back, for the one case where certainly nothing ran: the workflow refused
   * its first command (a refused update writes nothing). The person can then correct and try again.
   */
  async release(key: string): Promise<void> {
    await this.db.query('DELETE FROM used_action_links WHERE nonce_hash = $1', [key]);
  }
}
