/**
 * The read model's writer: one row per household, written by its workflow (idempotent by sequence
 * number, so an older write never overwrites a newer one), plus its phases, escalations and
 * handovers and late entries for impact measurement (platform/store/impact-rows.ts reads those).
 */
import type { HouseholdSummary } from '../../domain/summary';
import type { Database } from '../db/database';

export class SummaryWriter {
  constructor(private readonly db: Database) {}

  /**
   * Writes a household's row and its history; a row older than the stored one changes nothing.
   * `referenceRef` is the keyed reference of the encrypted intake reference (never the reference).
   */
  async write(s: HouseholdSummary, referenceRef: string | null = null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const written = await tx.query(
        `INSERT INTO household_summaries (household_id, seq, intake_organisation, organisations, phase, casusregisseur, escalation_level,
           next_deadline, open_handover, overdue, run_months, active_social_network, started_at, phase_started_at, closed_at, status, updated_at,
           professionals, tasks, reference_ref, direct_safety_on, stable_safety_on, alias_ref, alias_key, import_review_ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now(), $17, $18, $19, $20, $21, $22, $23, $24)
         ON CONFLICT (household_id) DO UPDATE SET
           seq = EXCLUDED.seq, intake_organisation = EXCLUDED.intake_organisation, organisations = EXCLUDED.organisations,
           phase = EXCLUDED.phase, casusregisseur = EXCLUDED.casusregisseur, escalation_level = EXCLUDED.escalation_level,
           next_deadline = EXCLUDED.next_deadline, open_handover = EXCLUDED.open_handover, overdue = EXCLUDED.overdue,
           run_months = EXCLUDED.run_months, active_social_network = EXCLUDED.active_social_network,
           started_at = EXCLUDED.started_at, phase_started_at = EXCLUDED.phase_started_at, closed_at = EXCLUDED.closed_at,
           status = EXCLUDED.status, updated_at = now(), professionals = EXCLUDED.professionals, tasks = EXCLUDED.tasks,
           reference_ref = coalesce(EXCLUDED.reference_ref, household_summaries.reference_ref),
           direct_safety_on = EXCLUDED.direct_safety_on, stable_safety_on = EXCLUDED.stable_safety_on,
           alias_ref = EXCLUDED.alias_ref, alias_key = EXCLUDED.alias_key,
           import_review_ends_at = EXCLUDED.import_review_ends_at
         WHERE household_summaries.seq < EXCLUDED.seq
         RETURNING household_id`,
        [
          s.householdId,
          s.seq,
          s.intakeOrganisation,
          s.organisations,
          s.phase,
          s.casusregisseur,
          s.escalationLevel,
          s.nextDeadline,
          s.openHandover,
          s.overdue,
          s.runMonths,
          s.activeSocialNetwork,
          s.startedAt,
          s.phaseStartedAt,
          s.closedAt,
          s.closedAt ? 'completed' : 'running',
          s.professionals,
          JSON.stringify(s.tasks),
          referenceRef,
          s.directSafetyAt,
          s.stableSafetyAt,
          s.aliasRef,
          s.aliasKey,
          s.importReviewEndsAt,
        ],
      );
      if (written.length === 0) return false;
      for (const p of s.phases) {
        await tx.query(
          `INSERT INTO household_phases (household_id, phase, started_at, ended_at, via) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (household_id, phase, started_at) DO UPDATE SET ended_at = EXCLUDED.ended_at, via = EXCLUDED.via`,
          [s.householdId, p.phase, p.startedAt, p.endedAt, p.via],
        );
      }
      for (const e of s.escalations) {
        await tx.query(
          `INSERT INTO household_escalations (household_id, key, rule, level, raised_at, level_since, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (household_id, key, raised_at) DO UPDATE SET level = EXCLUDED.level, level_since = EXCLUDED.level_since, resolved_at = EXCLUDED.resolved_at`,
          [s.householdId, e.key, e.rule, e.level, e.raisedAt, e.levelSince, e.resolvedAt],
        );
      }
      for (const h of s.handovers) {
        await tx.query(
          `INSERT INTO household_handovers (household_id, id, role, reason, requested_at, confirmed_at, cancelled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (household_id, id) DO UPDATE SET confirmed_at = EXCLUDED.confirmed_at, cancelled_at = EXCLUDED.cancelled_at`,
          [s.householdId, h.id, h.role, h.reason, h.requestedAt, h.confirmedAt, h.cancelledAt],
        );
      }
      // A correction entered on time replaces a late score: its row goes.
      await tx.query(`DELETE FROM household_late_entries WHERE household_id = $1 AND NOT (entry = ANY($2::text[]))`, [
        s.householdId,
        s.lateEntries.map((l) => l.entry),
      ]);
      for (const l of s.lateEntries) {
        await tx.query(
          `INSERT INTO household_late_entries (household_id, entry, kind, organisation, observed_on, entered_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (household_id, entry) DO UPDATE SET organisation = EXCLUDED.organisation, observed_on = EXCLUDED.observed_on,
             entered_at = EXCLUDED.entered_at`,
          [s.householdId, l.entry, l.kind, l.organisation, l.observedOn, l.enteredAt],
        );
      }
      return true;
    });
  }
}
