/**
 * The bare baseline of the month boundary (docs/BENCHMARKS.md, figure 4): the same shape as a
 * household's wake-up and nothing else. A timer until the common instant, one activity that sends
 * one mail, then a long sleep so the workflow stays open like a household. No domain code, no
 * read model, no webhooks: what Temporal, the SDK and nodemailer cost at least.
 */
import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { BareActivities } from './activities';

export interface BareInput {
  /** The common instant (ISO). */
  dueAt: string;
  /** Where the one mail goes. */
  to: string;
}

// As a household's mail activity (workflows/outbox.ts with the policy's defaults).
const { sendOneMail } = proxyActivities<BareActivities>({
  startToCloseTimeout: '120 seconds',
  scheduleToCloseTimeout: '26 hours',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function bareBoundary(input: BareInput): Promise<void> {
  await sleep(Math.max(1, Date.parse(input.dueAt) - Date.now()));
  await sendOneMail({ workflowId: workflowInfo().workflowId, to: input.to });
  await sleep('3650 days');
}
