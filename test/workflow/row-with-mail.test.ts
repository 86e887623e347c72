/**
 * Issue 23 through the real workflow (time-skipping, from a fixed Tuesday 10:00): a step that sends
 * mail and has no webhook events hands its read-model row to its first mail's activity
 * (notifyWithRow) and writes no local-activity marker, so a reminder's wake-up costs one activity
 * as a bare workflow's does. A step with events keeps the local activity, which sorts them by
 * endpoint. Either way every step's row is written and every mail goes once.
 */
import type { temporal } from '@temporalio/proto';
import { TUESDAY_10 } from '../support/clock';
import { DAY, Household, recordingWorker } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv(TUESDAY_10);

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The workflow task that scheduled each activity of the given type. */
function tasksScheduling(events: HistoryEvent[], type: string): string[] {
  return events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type)
    .map((e) => String(e.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId));
}

/** The workflow tasks that recorded a local activity's result. */
function tasksWithLocalActivity(events: HistoryEvent[]): Set<string> {
  return new Set(
    events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((e) => String(e.markerRecordedEventAttributes!.workflowTaskCompletedEventId)),
  );
}

test('R-02 reminder without events: the row goes with the mail, no local activity; the escalation with its event keeps it', async () => {
  const steps: string[][] = [];
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv(), {
    recordStep: async (step: { organisations: string[] }) => (steps.push(step.organisations), []),
  });
  await worker.runUntil(async () => {
    // No owner: R-02 reminds the intake organisation after two working days, then escalates.
    const hh = await Household.start(testEnv(), taskQueue);
    const before = (await hh.view()).nextDeadline;
    await hh.advance(2 * DAY + 60 * 60 * 1000);
    const reminders = await eventually(
      () => recorded.notifications.filter((n) => n.kind === 'eigenaar_ontbreekt' && n.level === 0),
      (r) => r.length === 1,
    );
    const view = await hh.view();
    expect(view.nextDeadline).not.toBe(before);
    // The newest row is that of the reminder's step: it moved the next moment.
    const newest = recorded.summaries.reduce((a, b) => (b.seq > a.seq ? b : a));
    expect(newest.nextDeadline).toBe(view.nextDeadline);

    const events = (await hh.handle.fetchHistory()).events!;
    const withRow = tasksScheduling(events, 'notifyWithRow');
    expect(withRow).toHaveLength(1);
    expect(tasksWithLocalActivity(events).has(withRow[0]!)).toBe(false);
    expect(reminders[0]!.idempotencyKey).toContain('herinnering');

    // The escalation raises an event ('escalatie'): its step asks the local activity who has an endpoint.
    const asked = steps.length;
    await hh.advance(5 * DAY); // five working days after the intake
    await eventually(
      () => recorded.notifications.filter((n) => n.kind === 'eigenaar_ontbreekt' && n.level >= 1).length,
      (n) => n > 0,
    );
    expect(steps.length).toBeGreaterThan(asked);
    expect(steps.slice(asked).flat()).toContain('veilig-thuis');
    const later = (await hh.handle.fetchHistory()).events!;
    const escalationTasks = tasksScheduling(later, 'sendNotification');
    expect(escalationTasks.some((t) => tasksWithLocalActivity(later).has(t))).toBe(true);
    // Every mail once.
    const keys = recorded.notifications.map((n) => n.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
}, 120_000);
