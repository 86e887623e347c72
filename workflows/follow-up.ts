/**
 * The follow-up of one closed household (issue 22): the household workflow has ended, its
 * trajectory stays closed; this small workflow keeps the closure's scores, then sleeps until 3
 * months after closure, has the request mailed (a single-use link per group: household and
 * network), sleeps until 6 months and asks again, and ends. A request whose mail cannot be
 * delivered within its retry window is given up (the coordinator's mail failures are logged by
 * the activity), and the follow-up still ends: nothing here can keep a household open.
 */
import { log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { FollowUpPlan } from '../domain/follow-up';
import type { FollowUpResult } from './messages';

const store = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const mail = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // As the household's mail: SMTP outages are retried for more than a day.
  scheduleToCloseTimeout: '26 hours',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function followUpAfterClosure(plan: FollowUpPlan): Promise<FollowUpResult> {
  const result: FollowUpResult = { requested: [], failed: [] };
  await store.recordClosureScores(plan);
  for (const request of plan.requests) {
    await sleep(Math.max(1, Date.parse(request.at) - Date.now()));
    try {
      await mail.sendFollowUpRequest({
        idempotencyKey: `${plan.householdId}:nameting:${request.months}`,
        householdId: plan.householdId,
        months: request.months,
        recipient: plan.recipient,
        dangers: plan.dangers,
        linkDays: plan.linkDays,
      });
      result.requested.push(request.months);
    } catch (err) {
      log.warn('Follow-up request not delivered after its retries', {
        months: request.months,
        error: String((err as Error)?.message ?? err),
      });
      result.failed.push(request.months);
    }
  }
  return result;
}
