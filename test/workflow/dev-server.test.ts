/**
 * On the real dev server (not the time-skipping one): updates in real time, continue-as-new when
 * the server suggests it (forced early with a dynamic-config flag), and payload encryption: no
 * household data readable in Temporal's history.
 */
import { Keyring } from '../../platform/keyring';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DEFAULT_POLICY } from '../../domain/policy';
import { amsterdamDay } from '../../domain/time';
import type { householdTrajectory } from '../../workflows';
import { DIGEST_SCHEDULE_ID, queries, TASK_QUEUE, updates, WEEKLY_SCHEDULE_ID, WORKFLOW_TYPE } from '../../workflows/messages';
import { dataConverter } from '../../platform/codec';
import { actorOf, pro, quietActivities } from '../support/harness/household';
import { devServerEnv, workflowBundle } from '../support/harness/temporal';
import { eventually } from '../support/harness/wait';
import { ensureSchedules } from '../../worker/schedules';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv(['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=60']);
}, 60_000);
afterAll(() => env?.teardown());

const REGIE = pro('p-regie-1', 'lokaal-team');

test('a long-lived household continues as new carrying its whole state; payloads are encrypted', async () => {
  const converter = dataConverter(new Keyring(randomBytes(32)));
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: converter,
    activities: quietActivities(),
  });
  const client = new Client({ connection: env.connection, dataConverter: converter });
  await worker.runUntil(async () => {
    const householdId = `hh-dev-${randomUUID().slice(0, 8)}`;
    const handle = await client.workflow.start<typeof householdTrajectory>(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: householdId,
      args: [
        {
          kind: 'start',
          policy: DEFAULT_POLICY,
          start: {
            householdId,
            organisation: 'lokaal-team',
            receivedAt: new Date().toISOString(),
            intake: {
              reference: 'GEHEIM-REF-42',
              source: 'instantie',
              reportingOrganisation: 'politie',
              members: [{ ref: 'kind-1', isChild: true, vulnerableAdult: false }],
              localTeamOrGi: false,
              jeugdbeschermer: false,
              owner: REGIE,
              casusregisseur: REGIE,
            },
          },
        },
      ],
    });
    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(updates.defineDanger, {
      args: [
        {
          actor: actorOf(REGIE),
          body: { statement: 'Vader drinkt en wordt agressief', safetyGoal: 'Vader drinkt niet als de kinderen thuis zijn' },
        },
      ],
    });
    const date = amsterdamDay(new Date());
    for (let i = 0; i < 30; i++) {
      await handle.executeUpdate(updates.recordScore, {
        args: [
          {
            actor: actorOf(REGIE),
            body: { dangerId: 'g1', group: 'netwerk', value: 6, observedBehaviour: `Oma zag vader nuchter, bezoek ${i}`, date },
          },
        ],
      });
    }
    const view = await handle.query(queries.view);
    // One score per danger, group and month: each later one corrected the one before, across runs.
    expect(view.state.scores.map((x) => x.observedBehaviour)).toEqual(['Oma zag vader nuchter, bezoek 29']);
    expect(view.state.dangers[0]!.statement).toBe('Vader drinkt en wordt agressief');
    const latest = await client.workflow.getHandle(householdId).describe();
    expect(latest.runId).not.toBe(firstRun);

    // What Temporal stores is ciphertext: the raw history has none of the household's words.
    const raw = new Client({ connection: env.connection });
    const history = await raw.workflow.getHandle(householdId, firstRun).fetchHistory();
    const bytes = Buffer.from(JSON.stringify(history));
    expect(bytes.includes('GEHEIM-REF-42')).toBe(false);
    expect(bytes.includes('nuchter')).toBe(false);
    expect(bytes.includes('binary/encrypted') || bytes.includes(Buffer.from('binary/encrypted').toString('base64'))).toBe(true);
  });
});

test('the daily digest runs from an idempotently created schedule at 07:30 Amsterdam', async () => {
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  let digests = 0;
  let weeklies = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      sendDigests: async () => ({ sent: ++digests, skipped: 0, queued: 0, reminders: 2 }),
      sendWeeklyOverview: async () => ({ sent: ++weeklies, skipped: 0 }),
    },
  });
  await worker.runUntil(async () => {
    await ensureSchedules(env.client, taskQueue);
    await ensureSchedules(env.client, taskQueue); // a restart creates nothing twice
    const schedule = env.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
    const description = await schedule.describe();
    expect(description.spec.timezone).toBe('Europe/Amsterdam');
    expect(description.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 7, end: 7, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
    });
    await schedule.trigger();
    await eventually(
      () => digests,
      (n) => n === 1,
      20_000,
    );
    await schedule.delete();

    // The coordinators' weekly overview: Monday 08:00 in Amsterdam.
    const weekly = env.client.schedule.getHandle(WEEKLY_SCHEDULE_ID);
    const w = await weekly.describe();
    expect(w.spec.timezone).toBe('Europe/Amsterdam');
    expect(w.spec.calendars?.[0]).toMatchObject({
      dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
      hour: [{ start: 8, end: 8, step: 1 }],
    });
    await weekly.trigger();
    await eventually(
      () => weeklies,
      (n) => n === 1,
      20_000,
    );
    await weekly.delete();
  });
});
