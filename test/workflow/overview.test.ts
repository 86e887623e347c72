/**
 * Issue 23: the operators' overview (search attributes) leaves the next deadline out, so a
 * reminder that changes nothing else writes no upsert (and no visibility record in Temporal).
 */
import { temporal } from '@temporalio/proto';
import { SA } from '../../workflows/messages';
import { DAY, Household, recordingWorker } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();
const E = temporal.api.enums.v1.EventType;

test('a reminder wake-up upserts no search attributes, and no upsert carries the next deadline', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    // Without an owner the intake organisation is reminded, then escalated.
    const hh = await Household.start(testEnv(), taskQueue);
    await hh.advance(10 * DAY);
    await eventually(
      () => recorded.notifications.filter((n) => n.kind === 'eigenaar_ontbreekt').length,
      (n) => n >= 2,
    );
    const events = (await hh.handle.fetchHistory()).events ?? [];
    // The commands of each workflow task a timer woke: from its completion to the next task.
    const wakeUps: { activities: string[]; upserts: number }[] = [];
    for (let i = 0; i < events.length; i++) {
      if (events[i]!.eventType !== E.EVENT_TYPE_TIMER_FIRED) continue;
      let j = i + 1;
      while (j < events.length && events[j]!.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) j++;
      const wake = { activities: [] as string[], upserts: 0 };
      for (j++; j < events.length; j++) {
        const e = events[j]!;
        if (e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED || e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_STARTED) break;
        if (e.activityTaskScheduledEventAttributes) wake.activities.push(e.activityTaskScheduledEventAttributes.activityType!.name!);
        if (e.eventType === E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) wake.upserts++;
      }
      wakeUps.push(wake);
    }
    const reminders = wakeUps.filter((w) => w.activities.includes('sendNotification'));
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    // The first reminder changes no level: nothing for the overview.
    expect(reminders[0]!.upserts).toBe(0);
    for (const e of events.filter((x) => x.eventType === E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)) {
      const field = e.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields![SA.nextDeadline.name];
      if (field) expect(Buffer.from(field.data!).toString('utf8')).toBe('[]');
    }
  });
});
