import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();

test('R-02: without an owner the intake organisation is reminded, then escalated', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue);
    let view = await hh.view();
    expect(view.state.phase).toBe('afstemming');
    expect(view.unmet.map((u) => u.rule)).toContain('R-02');
    view = await hh.advance(10 * DAY);
    await eventually(
      () => recorded.notifications.filter((n) => n.kind === 'eigenaar_ontbreekt' && n.level >= 1).length,
      (n) => n > 0,
    );
    const owner = pro('p-vt-1', 'veilig-thuis');
    view = await hh.cmd('assignRole', actorOf(owner), { role: 'eigenaar_veiligheid', professional: owner });
    expect(view.state.phase).toBe('veiligheid');
  });
});
