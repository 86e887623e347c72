/**
 * Under `npm start` the API shares the worker's NativeConnection, and an intake asks Temporal to
 * hand the household's first workflow task straight to that worker (eager start, issue 23). The
 * gateway keeps its meaning on that connection: a repeated intake is still told apart.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { StartInput } from '../../domain/intake';
import { DEFAULT_POLICY } from '../../domain/policy';
import { HouseholdGateway, DEFAULT_TIMEOUTS } from '../../api/temporal';
import { TASK_QUEUE } from '../../workflows/messages';
import { sampleIntake } from '../support/state';
import { quietActivities } from '../support/harness/household';
import { devServerEnv, workflowBundle } from '../support/harness/temporal';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
/** Whether Temporal's answer to each start carried the first workflow task (eager). */
const eager: boolean[] = [];

beforeAll(async () => {
  env = await devServerEnv();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: quietActivities(),
  });
  running = worker.run();
  const service = env.nativeConnection.workflowService;
  const start = service.startWorkflowExecution.bind(service);
  service.startWorkflowExecution = Object.assign(async (req: Parameters<typeof start>[0]) => {
    const res = await start(req);
    eager.push(res.eagerWorkflowTask != null);
    return res;
  }, service.startWorkflowExecution);
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

function startInput(reference: string): StartInput {
  return {
    householdId: `hh-eager-${reference}`,
    organisation: 'veilig-thuis',
    receivedAt: new Date().toISOString(),
    intake: sampleIntake(reference),
  };
}

const gateway = (eagerStart: boolean) =>
  new HouseholdGateway(new Client({ connection: env.nativeConnection }), DEFAULT_TIMEOUTS, () => new Date(), eagerStart);

test('an intake on the worker’s connection starts its household eagerly, and a repeat is still known as one', async () => {
  eager.length = 0;
  const g = gateway(true);
  expect(await g.start(startInput('a'), DEFAULT_POLICY)).toBe(true);
  expect(eager).toEqual([true]);
  // The workflow ran its first task: the household answers with its intake.
  const view = await g.view('hh-eager-a');
  expect(view.state.householdId).toBe('hh-eager-a');
  expect(await g.start(startInput('a'), DEFAULT_POLICY)).toBe(false);
}, 60_000);

test('without the flag a start waits for the worker to poll (the API in its own process)', async () => {
  eager.length = 0;
  expect(await gateway(false).start(startInput('b'), DEFAULT_POLICY)).toBe(true);
  expect(eager).toEqual([false]);
}, 60_000);
