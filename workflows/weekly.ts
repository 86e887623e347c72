/**
 * The coordinators' weekly overview: a Temporal Schedule (worker/schedules.ts) starts this every
 * Monday morning; the activity keys the mail by week and address, so a retried or repeated run
 * sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { sendWeeklyOverview } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function weeklyOverview(): Promise<{ sent: number }> {
  const r = await sendWeeklyOverview();
  return { sent: r.sent };
}
