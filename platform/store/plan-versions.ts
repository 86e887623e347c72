/**
 * Every version of a household's safety plans as it was recorded (issue 21). The workflow keeps
 * only facts (ids, kinds, dates); the printable plan, the child's version and the comparison need
 * the whole version, so it is kept here: the body with its texts as references to household_texts,
 * and the body itself encrypted too (it names members by their refs), bound to household, plan and
 * version so a row moved elsewhere does not decrypt.
 */
import type { Database } from '../db/database';
import { bytes } from '../db/database';
import type { Keyring } from '../keyring';

const aad = (householdId: string, planId: string, version: number) =>
  Buffer.from(`routekaart/plan-version/v1\n${householdId}\n${planId}\n${version}`, 'utf8');

export class PlanVersions {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring,
  ) {}

  /** Keeps a version once: the same version again (a retried command) changes nothing. */
  async put(householdId: string, planId: string, version: number, body: unknown, at: Date): Promise<void> {
    const { keyId, data } = this.keyring.encrypt(Buffer.from(JSON.stringify(body), 'utf8'), aad(householdId, planId, version));
    await this.db.query(
      `INSERT INTO plan_versions (household_id, plan_id, version, key_id, ciphertext, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (household_id, plan_id, version) DO NOTHING`,
      [householdId, planId, version, keyId, data, at.toISOString()],
    );
  }

  /** The body of one version as it was recorded (texts as references), or undefined. */
  async get(householdId: string, planId: string, version: number): Promise<unknown> {
    const rows = await this.db.query<{ key_id: string; ciphertext: unknown }>(
      'SELECT key_id, ciphertext FROM plan_versions WHERE household_id = $1 AND plan_id = $2 AND version = $3',
      [householdId, planId, version],
    );
    const row = rows[0];
    if (!row) return undefined;
    return JSON.parse(this.keyring.decrypt(row.key_id, bytes(row.ciphertext), aad(householdId, planId, version)).toString('utf8'));
  }

  /** The versions kept of one plan, oldest first. */
  async versions(householdId: string, planId: string): Promise<number[]> {
    const rows = await this.db.query<{ version: number }>(
      'SELECT version FROM plan_versions WHERE household_id = $1 AND plan_id = $2 ORDER BY version',
      [householdId, planId],
    );
    return rows.map((r) => Number(r.version));
  }
}
