/**
 * Scores a correction replaced. A danger has one score per group per calendar month in the
 * workflow (R-18, R-39, R-46 read that current value); a later score for the same slot replaces it,
 * and the earlier one is kept here with who recorded it and when. Its observed behaviour stays in
 * household_texts and is named here by reference only, so this table holds no readable content.
 */
import { createHash } from 'node:crypto';
import type { Score } from '../../domain/model';
import { monthOf } from '../../domain/time';
import type { Database } from '../db/database';
import { iso } from '../db/database';

export interface CorrectedScore {
  dangerId: string;
  group: Score['group'];
  /** The calendar month (Europe/Amsterdam) of the slot, 'YYYY-MM'. */
  month: string;
  value: number;
  date: string;
  /** The reference of the observed behaviour in household_texts. */
  textRef: string;
  recordedAt: string;
  recordedBy: string;
  /** When the correction that replaced it was handled. */
  correctedAt: string;
}

export class ScoreCorrections {
  constructor(private readonly db: Database) {}

  /** Keeps a replaced score; keeping the same one again (a retried command) changes nothing. */
  async keep(householdId: string, score: Score, correctedAt: Date): Promise<void> {
    const id = createHash('sha256')
      .update(
        JSON.stringify([
          householdId,
          score.dangerId,
          score.group,
          score.date,
          score.value,
          score.observedBehaviour,
          score.recordedAt,
          score.recordedBy,
        ]),
      )
      .digest('base64url');
    await this.db.query(
      `INSERT INTO household_score_corrections
         (id, household_id, danger_id, score_group, month, value, evaluated_on, text_ref, recorded_at, recorded_by, corrected_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
      [
        id,
        householdId,
        score.dangerId,
        score.group,
        monthOf(score.date),
        score.value,
        score.date,
        score.observedBehaviour,
        score.recordedAt,
        score.recordedBy,
        correctedAt.toISOString(),
      ],
    );
  }

  /** The replaced scores of one household, oldest recording first. */
  async list(householdId: string): Promise<CorrectedScore[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT danger_id, score_group, month, value, to_char(evaluated_on, 'YYYY-MM-DD') AS date, text_ref, recorded_at, recorded_by, corrected_at
       FROM household_score_corrections WHERE household_id = $1 ORDER BY recorded_at, corrected_at`,
      [householdId],
    );
    return rows.map((r) => ({
      dangerId: String(r.danger_id),
      group: r.score_group as Score['group'],
      month: String(r.month),
      value: Number(r.value),
      date: String(r.date),
      textRef: String(r.text_ref),
      recordedAt: iso(r.recorded_at),
      recordedBy: String(r.recorded_by),
      correctedAt: iso(r.corrected_at),
    }));
  }
}
