/**
 * Action links work once. A link is marked used after its commands ran; only the sha256 of the
 * token is kept, so the table reveals no link. The commands themselves carry an update id derived
 * from the same hash, so a crash between running them and marking the link runs nothing twice.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database';

export function tokenHash(token: string): string {
  return createHash('sha256').update(`routekaart/action-link-use/v1\n${token}`, 'utf8').digest('base64url');
}

export class UsedActionLinks {
  constructor(private readonly db: Database) {}

  async isUsed(hash: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM used_action_links WHERE token_hash = $1', [hash])).length > 0;
  }

  /** Marks the link used; false when it already was (another tab or process came first). */
  async markUsed(hash: string): Promise<boolean> {
    const rows = await this.db.query('INSERT INTO used_action_links (token_hash) VALUES ($1) ON CONFLICT DO NOTHING RETURNING token_hash', [
      hash,
    ]);
    return rows.length > 0;
  }
}
