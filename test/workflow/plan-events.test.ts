/**
 * Issue 21 through the real workflow (time-skipping, from a fixed Tuesday 10:00): plan versions,
 * approvals and log entries reach the intake system as webhook events, each once; a "misgegaan"
 * entry mails the casusregisseur the same working day, once, and one written in the evening waits
 * for the office to open.
 */
import { TUESDAY_10 } from '../support/clock';
import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv(TUESDAY_10);
const REGIE = pro('p-regie-1', 'lokaal-team');
const VT = pro('p-vt-1', 'veilig-thuis');
const HOUR = 60 * 60 * 1000;

const version = {
  kind: 'direct' as const,
  dangers: [
    {
      dangerId: 'g1',
      agreements: [
        { id: 'a1', what: 'Oma belt elke avond', who: ['oma'], when: '20:00', monitoring: { by: 'oma', everyDays: 7, informs: ['oma'] } },
      ],
      whenItGoesWrong: 'Moeder gaat naar oma.',
    },
  ],
  children: [{ member: 'kind-1', safetyPerson: 'oma' }],
  network: [{ memberId: 'oma', role: 'veiligheidspersoon' }],
};

test('plan.version and log.entry events once each; misgegaan mails the casusregisseur the same working day, once', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
    await hh.cmd('defineDanger', actorOf(REGIE), { statement: 'Vader slaat bij ruzie', safetyGoal: 'Ruzies zonder geweld' });
    await hh.cmd('addNetworkMember', actorOf(REGIE), { id: 'oma', kind: 'sociaal', safetyPersonFor: ['kind-1'], chair: true });
    const view = await hh.cmd('recordPlanVersion', actorOf(REGIE), version);
    const planId = (view.state as { plans?: { planId: string }[] }).plans![0]!.planId;
    await hh.cmd('recordPlanVersion', actorOf(REGIE), { ...version, planId });
    await hh.cmd('endorsePlan', actorOf(REGIE), { planId, version: 2, date: await hh.today() });
    const day = await hh.today();
    await hh.cmd('addLogEntry', actorOf(REGIE), { agreementId: 'a1', date: day, outcome: 'goed_gegaan', score: 8 });
    await hh.cmd('addLogEntry', actorOf(REGIE), { agreementId: 'a1', date: day, outcome: 'misgegaan' });
    await hh.advance(HOUR); // the loop runs; still 11:00 on a working day

    const versions = recorded.webhooks.filter((e) => e.type === 'plan.version');
    expect(versions.map((e) => e.data.version).sort()).toEqual([1, 2]);
    expect(new Set(versions.map((e) => e.idempotencyKey)).size).toBe(2);
    const entries = recorded.webhooks.filter((e) => e.type === 'log.entry');
    expect(entries.map((e) => e.data.outcome).sort()).toEqual(['goed_gegaan', 'misgegaan']);
    expect(entries.find((e) => e.data.outcome === 'goed_gegaan')!.data.score).toBe(8);
    // The events carry ids, kinds and dates only: no agreement text.
    expect(JSON.stringify(recorded.webhooks)).not.toContain('Oma belt');

    let wrong = recorded.notifications.filter((n) => n.kind === 'misgegaan');
    expect(wrong).toHaveLength(1);
    expect(wrong[0]!.recipients.professionals).toEqual([REGIE]);
    expect(wrong[0]!.rule).toBe('R-16');

    // Another day passes: nothing is sent twice.
    await hh.advance(DAY);
    expect(recorded.notifications.filter((n) => n.kind === 'misgegaan')).toHaveLength(1);
    expect(recorded.webhooks.filter((e) => e.type === 'plan.version')).toHaveLength(2);
    expect(recorded.webhooks.filter((e) => e.type === 'log.entry')).toHaveLength(2);

    // Wednesday 22:00: a misgegaan entry waits for Thursday morning, then is mailed once.
    await hh.advance(11 * HOUR);
    const evening = await hh.today();
    await hh.cmd('addLogEntry', actorOf(REGIE), { agreementId: 'a1', date: evening, outcome: 'misgegaan' });
    await hh.advance(HOUR);
    expect(recorded.notifications.filter((n) => n.kind === 'misgegaan')).toHaveLength(1);
    await hh.advance(12 * HOUR);
    wrong = recorded.notifications.filter((n) => n.kind === 'misgegaan');
    expect(wrong).toHaveLength(2);
  });
}, 180_000);
