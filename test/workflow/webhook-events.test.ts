/**
 * Issue 23 through the real workflow (time-skipping, from a fixed Tuesday 10:00): a step's webhook
 * events go out after its read-model row, and only for organisations with an endpoint. The local
 * activity that writes the row answers which have one, and that answer is kept in history. Without
 * an endpoint the household schedules no webhook activity at all. When the local activity gives
 * up, every event goes to the webhook activity, which decides as before: nothing is lost.
 */
import { ApplicationFailure } from '@temporalio/common';
import { TUESDAY_10 } from '../support/clock';
import { actorOf, Household, pro, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv(TUESDAY_10);
const VT = pro('p-vt-1', 'veilig-thuis');
const REGIE = pro('p-regie-1', 'lokaal-team');
const HOUR = 60 * 60 * 1000;

/** The activities a household's history scheduled, by name, in order. */
async function scheduled(hh: Household): Promise<string[]> {
  const history = await hh.handle.fetchHistory();
  return history.events!.flatMap((e) => {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return name ? [name] : [];
  });
}

/** A household whose intake raises phase and role events, and a command that raises another role event. */
async function eventfulHousehold(taskQueue: string): Promise<Household> {
  const hh = await Household.start(testEnv(), taskQueue, { owner: VT });
  await hh.cmd('assignRole', actorOf(VT), { role: 'casusregisseur', professional: REGIE });
  await hh.advance(HOUR);
  return hh;
}

test('no endpoint for the organisation: the row is written, and no webhook activity is ever scheduled', async () => {
  const asked: string[][] = [];
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv(), {
    recordStep: async (step: { organisations: string[] }) => (asked.push(step.organisations), []),
  });
  await worker.runUntil(async () => {
    const hh = await eventfulHousehold(taskQueue);
    expect(asked.flat()).toContain('veilig-thuis');
    expect(recorded.summaries.length).toBeGreaterThanOrEqual(2);
    expect(recorded.webhooks).toHaveLength(0);
    expect(await scheduled(hh)).not.toContain('deliverWebhooks');
  });
}, 120_000);

test('an endpoint for the organisation: every event once, after the row', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv(), {
    recordStep: async (step: { organisations: string[] }) => step.organisations.filter((o) => o === 'veilig-thuis'),
  });
  await worker.runUntil(async () => {
    const hh = await eventfulHousehold(taskQueue);
    const types = recorded.webhooks.map((e) => e.type);
    expect(types).toContain('fase');
    expect(types.filter((t) => t === 'rol')).toHaveLength(2);
    expect(new Set(recorded.webhooks.map((e) => e.idempotencyKey)).size).toBe(recorded.webhooks.length);
    expect(recorded.webhooks.every((e) => e.organisation === 'veilig-thuis')).toBe(true);
    expect(await scheduled(hh)).toContain('deliverWebhooks');
  });
}, 120_000);

test('the local activity gives up: every event still reaches the webhook activity', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv(), {
    recordStep: async () => {
      throw ApplicationFailure.nonRetryable('database gone');
    },
  });
  await worker.runUntil(async () => {
    await eventfulHousehold(taskQueue);
    const types = recorded.webhooks.map((e) => e.type);
    expect(types).toContain('fase');
    expect(types.filter((t) => t === 'rol')).toHaveLength(2);
  });
}, 120_000);
