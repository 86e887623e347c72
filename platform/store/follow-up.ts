/**
 * Follow-up after closure (issue 22) in our database: the links sent (by the hash of their nonce,
 * as used action links, so the table opens no link) with the dangers their page shows, and the
 * scores: the last before closure and those given through a link. Explanations are texts of the
 * household (platform/store/texts.ts): here only their references.
 */
import type { ClosureScore, FollowUpDanger, FollowUpGroup } from '../../domain/follow-up';
import type { Database, Sql } from '../db/database';

/** What one follow-up link asks, as registered when its mail was made. */
export interface FollowUpRequest {
  householdId: string;
  months: number;
  group: FollowUpGroup;
  dangers: FollowUpDanger[];
  expiresAt: string;
}

export interface FollowUpScore {
  dangerId: string;
  value: number;
  textRef: string;
}

export class FollowUpStore {
  constructor(private readonly db: Database) {}

  /** Registers a link (idempotent: a retried mail makes the same link, keyed by the same nonce). */
  async register(nonceHash: string, r: FollowUpRequest, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO follow_up_requests (nonce_hash, household_id, months, score_group, dangers, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (nonce_hash) DO NOTHING`,
      [nonceHash, r.householdId, r.months, r.group, JSON.stringify(r.dangers), r.expiresAt, now.toISOString()],
    );
  }

  async request(nonceHash: string): Promise<FollowUpRequest | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(
      'SELECT household_id, months, score_group, dangers, expires_at FROM follow_up_requests WHERE nonce_hash = $1',
      [nonceHash],
    );
    if (!row) return undefined;
    return {
      householdId: String(row.household_id),
      months: Number(row.months),
      group: row.score_group as FollowUpGroup,
      dangers: row.dangers as FollowUpDanger[],
      expiresAt: new Date(row.expires_at as string).toISOString(),
    };
  }

  /** The last scores before closure (moment 0); kept once, whatever retries happen. */
  async recordClosure(householdId: string, scores: ClosureScore[], now: Date): Promise<void> {
    for (const s of scores) await insertScore(this.db, householdId, 0, s.group, s, now);
  }

  /** The scores of one link, in one transaction: all or nothing. */
  async recordAnswers(householdId: string, months: number, group: FollowUpGroup, scores: FollowUpScore[], now: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const s of scores) await insertScore(tx, householdId, months, group, s, now);
    });
  }

  /** The scores of one household (tests and operators). */
  async scores(householdId: string): Promise<(FollowUpScore & { moment: number; group: string })[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT moment, score_group, danger_id, value, text_ref FROM follow_up_scores WHERE household_id = $1
       ORDER BY moment, score_group, danger_id`,
      [householdId],
    );
    return rows.map((r) => ({
      moment: Number(r.moment),
      group: String(r.score_group),
      dangerId: String(r.danger_id),
      value: Number(r.value),
      textRef: String(r.text_ref),
    }));
  }
}

/** One score; a second one for the same household, moment, group and danger changes nothing. */
async function insertScore(db: Sql, householdId: string, moment: number, group: string, s: FollowUpScore, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO follow_up_scores (household_id, moment, score_group, danger_id, value, text_ref, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [householdId, moment, group, s.dangerId, s.value, s.textRef, now.toISOString()],
  );
}
