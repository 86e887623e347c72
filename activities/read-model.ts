/**
 * The workflow's read-model row, written to Routekaart's database as a local activity after every
 * change: one marker in history, no task-queue round trip. The store ignores a row older than the
 * one it has, so retries and out-of-order writes are harmless.
 */
import type { HouseholdSummary } from '../domain/summary';
import type { SummaryStore } from '../platform/store/summaries';

export interface ReadModelDeps {
  summaries: SummaryStore;
}

export function createReadModelActivities(deps: ReadModelDeps) {
  return {
    async recordSummary(summary: HouseholdSummary): Promise<void> {
      await deps.summaries.write(summary);
    },
  };
}
