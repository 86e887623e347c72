import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv } from '../support/temporal';
import { actorOf, DAY, eventually, Household, pro, recordingWorker, terminateAll } from '../support/household';

// One test server per test: skipped time is global to a server, and a workflow left waiting for a
// worker would hold its clock.
let env: TestWorkflowEnvironment;
beforeEach(async () => {
  env = await timeSkippingEnv();
}, 60_000);
afterEach(async () => {
  await terminateAll();
  await env?.teardown();
});

test('R-02: without an owner the intake organisation is reminded, then escalated', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(env);
  await worker.runUntil(async () => {
    const hh = await Household.start(env, taskQueue);
    let view = await hh.view();
    expect(view.state.phase).toBe('afstemming');
    expect(view.unmet.map((u) => u.rule)).toContain('R-02');
    view = await hh.advance(10 * DAY);
    await eventually(() => recorded.notifications.filter((n) => n.kind === 'eigenaar_ontbreekt' && n.level >= 1).length, (n) => n > 0);
    const owner = pro('p-vt-1', 'veilig-thuis');
    view = await hh.cmd('assignRole', actorOf(owner), { role: 'eigenaar_veiligheid', professional: owner });
    expect(view.state.phase).toBe('veiligheid');
  });
});
