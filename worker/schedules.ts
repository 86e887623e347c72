/**
 * Schedules the service needs, created idempotently when the worker starts: the daily digest at
 * 07:30 Amsterdam time. A schedule that already exists is left as it is (operators may pause it).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { DIGEST_SCHEDULE_ID, DIGEST_WORKFLOW_TYPE, TASK_QUEUE } from '../workflows/messages';

export async function ensureSchedules(client: Client, taskQueue = TASK_QUEUE): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ hour: 7, minute: 30 }], timezone: 'Europe/Amsterdam' },
      action: { type: 'startWorkflow', workflowType: DIGEST_WORKFLOW_TYPE, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
