/**
 * Issue 20, section 6 and R-62: the coordinator's decisions reach whom they concern, once. The
 * casusregisseur who overrode the criteria hears whether the coordinator agreed; after a level-3
 * escalation the casusregisseur hears that a decision was recorded. The decision's text stays out
 * of the mail.
 */
import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';
import type { Actor } from '../../domain/model';

const HOUR = 60 * 60 * 1000;
const VT = pro('p-vt-1', 'veilig-thuis');
const REGIE = pro('p-regie-1', 'lokaal-team');
const NEXT = pro('p-next-1', 'jeugdformaat');
const COORDINATOR: Actor = { professionalId: 'coordinator', organisation: 'regio-haaglanden', kind: 'coordinator' };

describe('the coordinator decides (R-62, section 6)', () => {
  const env = useTimeSkippingEnv();

  test('"niet akkoord" with an override reaches the casusregisseur who made it, once, without the note', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      await hh.cmd('defineDanger', actorOf(REGIE), { statement: 'Vader slaat bij drank', safetyGoal: 'Geen geweld thuis' });
      const view = await hh.cmd('requestTransition', actorOf(REGIE), { to: 'risicogestuurd', justification: 'Elders al afgerond.' });
      const at = view.state.overrides[0]!.at;
      await hh.advance(HOUR);
      expect(recorded.notifications.filter((n) => n.kind === 'afwijking_beoordeeld')).toEqual([]);

      await hh.cmd('reviewOverride', COORDINATOR, { at, decision: 'niet_akkoord', note: 'Eerst een netwerkberaad met oma.' });
      await hh.advance(HOUR);
      const mails = recorded.notifications.filter((n) => n.kind === 'afwijking_beoordeeld');
      expect(mails).toEqual([
        expect.objectContaining({
          rule: 'R-62',
          level: 0,
          recipients: { professionals: [REGIE], organisationLeads: [], coordinator: false },
        }),
      ]);
      expect(mails[0]!.reason).toContain('niet akkoord');
      expect(mails[0]!.reason).not.toContain('netwerkberaad met oma');
      await hh.advance(10 * DAY);
      expect(recorded.notifications.filter((n) => n.kind === 'afwijking_beoordeeld')).toHaveLength(1);
    });
  });

  test('a decision after a level-3 escalation reaches the casusregisseur, once', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      await hh.cmd('startHandover', actorOf(REGIE), { role: 'casusregisseur', to: NEXT, reason: 'expertise' });
      let view = await hh.advance(25 * DAY); // the open handover reaches level 3 after 21 days
      const escalation = view.state.escalations.find((e) => e.level === 3 && !e.resolvedAt)!;
      expect(escalation.rule).toBe('R-24');
      expect(recorded.notifications.filter((n) => n.kind === 'escalatie_besluit')).toEqual([]);

      view = await hh.cmd('decideEscalation', COORDINATOR, {
        key: escalation.key,
        decision: 'Teamleiders van beide organisaties bellen morgen.',
      });
      await hh.advance(3 * DAY); // the mail waits for working hours
      const mails = recorded.notifications.filter((n) => n.kind === 'escalatie_besluit');
      expect(mails).toEqual([
        expect.objectContaining({ rule: 'R-24', recipients: { professionals: [REGIE], organisationLeads: [], coordinator: false } }),
      ]);
      expect(mails[0]!.reason).not.toContain('Teamleiders');
      await hh.advance(10 * DAY);
      expect(recorded.notifications.filter((n) => n.kind === 'escalatie_besluit')).toHaveLength(1);
    });
  });
});
