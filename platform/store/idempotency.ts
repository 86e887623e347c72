/**
 * Idempotency-Keys of commands: a repeated key with the same request is the same command (it runs
 * once); the same key with another request is refused rather than silently dropped. Keys are
 * stored hashed together with the caller, so they reveal neither the key nor who used it.
 */
import type { Database } from '../db/database';

export type KeyUse = 'new' | 'repeat' | 'conflict';

export class IdempotencyKeys {
  constructor(private readonly db: Database) {}

  async use(key: string, fingerprint: string): Promise<KeyUse> {
    const inserted = await this.db.query(
      'INSERT INTO idempotency_keys (key, fingerprint) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key',
      [key, fingerprint],
    );
    if (inserted.length) return 'new';
    const [row] = await this.db.query<{ fingerprint: string }>('SELECT fingerprint FROM idempotency_keys WHERE key = $1', [key]);
    return row?.fingerprint === fingerprint ? 'repeat' : 'conflict';
  }
}
