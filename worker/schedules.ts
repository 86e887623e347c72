/**
 * Schedules the service needs, created idempotently when the worker starts: the daily digest at
 * 07:30 and the coordinators' weekly overview on Monday at 08:00, Amsterdam time. A schedule that
 * already exists is left as it is (operators may pause it).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { DIGEST_SCHEDULE_ID, DIGEST_WORKFLOW_TYPE, TASK_QUEUE, WEEKLY_SCHEDULE_ID, WEEKLY_WORKFLOW_TYPE } from '../workflows/messages';

export async function ensureSchedules(client: Client, taskQueue = TASK_QUEUE): Promise<void> {
  const schedules: ScheduleOptions[] = [
    {
      scheduleId: DIGEST_SCHEDULE_ID,
      spec: { calendars: [{ hour: 7, minute: 30 }], timezone: 'Europe/Amsterdam' },
      action: { type: 'startWorkflow', workflowType: DIGEST_WORKFLOW_TYPE, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    },
    {
      scheduleId: WEEKLY_SCHEDULE_ID,
      spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 8, minute: 0 }], timezone: 'Europe/Amsterdam' },
      action: { type: 'startWorkflow', workflowType: WEEKLY_WORKFLOW_TYPE, taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 days' },
    },
  ];
  for (const schedule of schedules) {
    try {
      await client.schedule.create(schedule);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
