/**
 * Re-reports after closure (issue 22, R-61): a new intake linked to a closed trajectory, matched by
 * the intake organisation's reference or by a keyed hash of a member identifier. Only hashes are
 * kept (api/ids.ts memberKeyHash): household_member_keys opens no identifier to anyone without
 * ROUTEKAART_ID_SECRET. A closed trajectory stays closed; the link is a row here.
 */
import type { Database } from '../db/database';
import { iso } from '../db/database';

export type MatchedBy = 'reference' | 'member';

export interface ReReport {
  closedHouseholdId: string;
  newHouseholdId: string;
  matchedBy: MatchedBy;
  reportedAt: string;
}

export class ReReportStore {
  constructor(private readonly db: Database) {}

  /** Whether the read model knows the household as closed. */
  async isClosed(householdId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM household_summaries WHERE household_id = $1 AND closed_at IS NOT NULL`, [householdId]);
    return rows.length > 0;
  }

  /** The member key hashes of a new household; keeping them again changes nothing. */
  async keepMemberKeys(householdId: string, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    await this.db.query(`INSERT INTO household_member_keys (household_id, key_hash) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [
      householdId,
      [...new Set(hashes)],
    ]);
  }

  /** The most recently closed household (other than `except`) with one of these member key hashes. */
  async closedByMember(hashes: readonly string[], except: string): Promise<string | undefined> {
    if (hashes.length === 0) return undefined;
    const rows = await this.db.query<{ household_id: string }>(
      `SELECT s.household_id FROM household_summaries s
       WHERE s.closed_at IS NOT NULL AND s.household_id <> $2
         AND EXISTS (SELECT 1 FROM household_member_keys k WHERE k.household_id = s.household_id AND k.key_hash = ANY($1::text[]))
       ORDER BY s.closed_at DESC, s.household_id LIMIT 1`,
      [[...new Set(hashes)], except],
    );
    return rows[0]?.household_id;
  }

  /** Records the link; a repeated intake keeps the first one. */
  async record(r: ReReport): Promise<void> {
    await this.db.query(
      `INSERT INTO household_re_reports (new_household_id, closed_household_id, matched_by, reported_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (new_household_id) DO NOTHING`,
      [r.newHouseholdId, r.closedHouseholdId, r.matchedBy, r.reportedAt],
    );
  }

  /** The closed trajectory a household's intake was linked to, if any. */
  async previousOf(householdId: string): Promise<ReReport | undefined> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT new_household_id, closed_household_id, matched_by, reported_at FROM household_re_reports WHERE new_household_id = $1`,
      [householdId],
    );
    const r = rows[0];
    return r
      ? {
          newHouseholdId: String(r.new_household_id),
          closedHouseholdId: String(r.closed_household_id),
          matchedBy: r.matched_by as MatchedBy,
          reportedAt: iso(r.reported_at),
        }
      : undefined;
  }
}
