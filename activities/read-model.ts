/**
 * The workflow's read-model row, written to Routekaart's database as a local activity after every
 * change: one marker in history, no task-queue round trip. The writer ignores a row older than the
 * one it has, so retries and out-of-order writes are harmless.
 */
import type { HouseholdSummary } from '../domain/summary';
import type { SummaryWriter } from '../platform/store/summary-writer';
import { textRefOf } from '../platform/store/texts';
import type { WebhookDeps } from './webhook';

export interface ReadModelDeps {
  summaries: SummaryWriter;
  /** Keys text references (platform/store/texts.ts textRefKey): the row names the intake reference only by it. */
  textRefKey: Buffer;
  /** The same endpoints the webhook activity delivers to: only whether there is one matters here. */
  endpoints: WebhookDeps['endpoints'];
}

/** What one step of the household workflow records: its new row, if it changed, and who its webhook events are for. */
export interface StepRecord {
  summary?: HouseholdSummary;
  organisations: string[];
}

export function createReadModelActivities(deps: ReadModelDeps) {
  const write = async (summary: HouseholdSummary) => {
    const { intakeReference, ...row } = summary;
    await deps.summaries.write({ ...row, intakeReference: '' }, textRefOf(deps.textRefKey, summary.householdId, intakeReference));
  };
  return {
    /** Runs written before `recordStep` existed replay with this. */
    async recordSummary(summary: HouseholdSummary): Promise<void> {
      await write(summary);
    },

    /**
     * Writes the step's row and answers which of the organisations have a webhook endpoint: the
     * workflow schedules the webhook activity only for those (the answer is kept in history, so a
     * replay takes the same path). Most organisations have none, and their steps then cost no activity.
     */
    async recordStep(step: StepRecord): Promise<string[]> {
      if (step.summary) await write(step.summary);
      return step.organisations.filter((organisation) => deps.endpoints(organisation) !== undefined);
    },
  };
}
