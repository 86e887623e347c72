/**
 * The workflow's read-model row, written to Routekaart's database as a local activity after every
 * change: one marker in history, no task-queue round trip. The writer ignores a row older than the
 * one it has, so retries and out-of-order writes are harmless.
 */
import type { HouseholdSummary } from '../domain/summary';
import type { SummaryWriter } from '../platform/store/summary-writer';
import { textRefOf } from '../platform/store/texts';

export interface ReadModelDeps {
  summaries: SummaryWriter;
  /** Keys text references (platform/store/texts.ts textRefKey): the row names the intake reference only by it. */
  textRefKey: Buffer;
}

export function createReadModelActivities(deps: ReadModelDeps) {
  return {
    async recordSummary(summary: HouseholdSummary): Promise<void> {
      const { intakeReference, ...row } = summary;
      await deps.summaries.write({ ...row, intakeReference: '' }, textRefOf(deps.textRefKey, summary.householdId, intakeReference));
    },
  };
}
