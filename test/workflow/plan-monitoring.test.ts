/**
 * Issue 21 through the real workflow (time-skipping, from a fixed Tuesday 10:00): a plan endorsed
 * by the casusregisseur makes R-15 hold; an agreement whose check period passes without a log
 * entry reminds the member who checks first, then the casusregisseur, who escalates;
 * a log entry moves R-20.
 */
import { TUESDAY_10 } from '../support/clock';
import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv(TUESDAY_10);
const REGIE = pro('p-regie-1', 'lokaal-team');
const VT = pro('p-vt-1', 'veilig-thuis');

test('plan endorsed → R-15 holds; no log entry → reminder, then escalation; an entry satisfies R-20', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
    await hh.cmd('defineDanger', actorOf(REGIE), { statement: 'Vader slaat bij ruzie', safetyGoal: 'Ruzies zonder geweld' });
    await hh.cmd('addNetworkMember', actorOf(REGIE), { id: 'oma', kind: 'sociaal', safetyPersonFor: ['kind-1'], chair: true });
    let view = await hh.cmd('recordPlanVersion', actorOf(REGIE), {
      kind: 'direct',
      dangers: [
        {
          dangerId: 'g1',
          agreements: [
            {
              id: 'a1',
              what: 'Oma belt elke avond',
              who: ['oma'],
              when: '20:00',
              monitoring: { by: 'oma', everyDays: 3, informs: ['oma'] },
            },
          ],
          whenItGoesWrong: 'Moeder gaat naar oma.',
        },
      ],
      children: [{ member: 'kind-1', safetyPerson: 'oma' }],
      network: [{ memberId: 'oma', role: 'veiligheidspersoon' }],
    });
    const planId = (view.state as { plans?: { planId: string }[] }).plans![0]!.planId;
    expect(view.unmet.map((u) => u.rule)).toContain('R-15');
    view = await hh.cmd('endorsePlan', actorOf(REGIE), { planId, version: 1, date: await hh.today() });
    expect(view.unmet.map((u) => u.rule)).not.toContain('R-15');
    expect(view.unmet.map((u) => u.rule)).toContain('R-20');

    await hh.advance(8 * DAY); // due on Friday: the member on Monday, the casusregisseur two working days later
    const reminders = recorded.notifications.filter((n) => n.rule === 'R-20' && n.level === 0);
    expect(reminders.map((n) => [n.kind, n.recipients.members ?? n.recipients.professionals.map((p) => p.professionalId)])).toEqual([
      ['logboek_herinnering', ['oma']],
      ['controle', ['p-regie-1']],
    ]);
    const hourOf = (n: (typeof reminders)[number]) => n.idempotencyKey.split(':herinnering:')[1];
    expect(hourOf(reminders[0]!)! < hourOf(reminders[1]!)!).toBe(true);
    await hh.advance(20 * DAY);
    expect(recorded.notifications.some((n) => n.rule === 'R-20' && n.level >= 1)).toBe(true);

    view = await hh.cmd('addLogEntry', actorOf(REGIE), { agreementId: 'a1', date: await hh.today(), outcome: 'goed_gegaan' });
    expect(view.unmet.map((u) => u.rule)).not.toContain('R-20');
  });
}, 180_000);
