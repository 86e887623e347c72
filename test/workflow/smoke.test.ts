import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { refusal, useTimeSkippingEnv } from '../support/household';
import { updates } from '../../workflows/messages';

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

test('issue 23: a body not in the form the API sends is refused by the workflow (invoer) and changes nothing', async () => {
  const { worker, taskQueue } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue);
    const vt = pro('p-vt-1', 'veilig-thuis');
    const before = await hh.view();
    // Straight to the workflow, past the API: no startTime and days, which the schema fills in.
    const raw = { startDate: await hh.today(), guidedBy: vt };
    const sent = hh.handle.executeUpdate(updates.registerHuisverbod, { args: [{ actor: actorOf(vt), body: raw as never }] });
    expect((await refusal(sent)).rule).toBe('invoer');
    expect((await hh.view()).state).toEqual(before.state);
    // The same command as the API sends it is applied.
    const view = await hh.cmd('registerHuisverbod', actorOf(vt), raw);
    expect(view.state.huisverbod).toMatchObject({ startDate: raw.startDate, startTime: '00:00' });
  });
});
