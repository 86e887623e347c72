/**
 * The daily digest: professionals who asked for one (directory `digest: true`) get their reminders
 * bundled in one mail a day. A Temporal Schedule (worker/schedules.ts) starts this every morning;
 * the activity keys each digest by address and day, so a retried or repeated run sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { sendDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '20 hours',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export async function dailyDigest(): Promise<{ sent: number; reminders: number }> {
  const r = await sendDigests();
  return { sent: r.sent, reminders: r.reminders };
}
