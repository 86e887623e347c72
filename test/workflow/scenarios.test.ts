/**
 * The method's hard cases through the real workflow (time-skipping test server): a broken score
 * run, a handover whose incoming professional never starts, a huisverbod, an imported case.
 */
import type { EvidenceItem } from '../../domain/evidence-items';
import { addDays, amsterdamDay, addMonths, monthOf } from '../../domain/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_BOUNDARY_INSTANTS } from '../support/clock';
import { actorOf, DAY, Household, pro, recordingWorker } from '../support/harness/household';
import { eventually } from '../support/harness/wait';
import { refusal, useTimeSkippingEnv } from '../support/household';

const HOUR = 60 * 60 * 1000;
let testEnv!: () => TestWorkflowEnvironment;
import { saveHistory } from '../support/histories';

const VT = pro('p-vt-1', 'veilig-thuis');
const REGIE = pro('p-regie-1', 'lokaal-team');
const NEXT = pro('p-next-1', 'jeugdformaat');
const GW = pro('p-gw-1', 'jeugdformaat');

const RISK_EVIDENCE: EvidenceItem[] = [
  'analyse_herzien_giz',
  'genogram_tijdlijn',
  'veerkracht_kalender',
  'traject',
  'stabiel_veiligheidsplan',
  'woord_en_beeld',
  'netwerkberaad',
  'stresstest',
  'geen_nieuw_geweld',
  'herstelbehoeften_bekend',
  'afspraken_herstelfase',
  'direct_veiligheidsplan',
];

/** A household moved straight into Risico gestuurd (override), with every non-score criterion met. */
async function riskHousehold(taskQueue: string): Promise<Household> {
  const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
  await hh.cmd('defineDanger', actorOf(REGIE), {
    statement: 'Moeder raakt in paniek en slaat',
    safetyGoal: 'Moeder belt oma bij spanning',
  });
  await hh.cmd('requestTransition', actorOf(REGIE), {
    to: 'risicogestuurd',
    justification: 'Casus overgenomen; fase Veiligheid elders afgerond.',
  });
  await hh.cmd('assignRole', actorOf(REGIE), { role: 'gedragswetenschapper', professional: GW });
  await hh.cmd('addNetworkMember', actorOf(REGIE), { id: 'oma', kind: 'sociaal', safetyPersonFor: ['kind-1'], chair: true });
  await hh.evidence(actorOf(REGIE), RISK_EVIDENCE);
  return hh;
}

async function scoreMonth(hh: Household, value: number) {
  const date = await hh.today();
  for (const group of ['huishouden', 'netwerk', 'professionals'] as const) {
    await hh.cmd('recordScore', actorOf(REGIE), { dangerId: 'g1', group, value, observedBehaviour: `${group}: gezien op ${date}`, date });
  }
}

/** Moves the test server's clock to the 10th of next month (scores in every calendar month). */
async function nextMonth(hh: Household) {
  const today = await hh.today();
  const target = `${addMonths(monthOf(today), 1)}-10`;
  await hh.advance(Date.parse(`${target}T12:00:00Z`) - (await testEnv().currentTimeMs()));
}

describe('on a Tuesday at 10:00 in Amsterdam', () => {
  testEnv = useTimeSkippingEnv();

  test('R-39: five months at 6+, a dip to 5 in month 6, then six more: the phase closes only after the second run', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
    await worker.runUntil(async () => {
      const hh = await riskHousehold(taskQueue);
      await nextMonth(hh);
      for (let m = 1; m <= 5; m++) {
        await scoreMonth(hh, 7);
        await hh.cmd('recordEvidence', actorOf(REGIE), { item: 'netwerkberaad', date: await hh.today() });
        await nextMonth(hh);
      }
      await scoreMonth(hh, 5); // month 6 dips
      let view = await hh.view();
      expect(view.runs[0]!.riskMonths).toBe(0);
      expect((await refusal(hh.cmd('requestTransition', actorOf(REGIE), { to: 'herstel' }))).unmet).toContain('R-39');
      // Falling scores escalate at once to the responsible professional (level 1).
      const falling = await eventually(
        () => recorded.notifications.find((n) => n.kind === 'scores_dalen'),
        (n) => n !== undefined,
      );
      expect(falling!.level).toBe(1);
      expect(falling!.recipients.professionals.map((p) => p.professionalId)).toEqual(['p-regie-1']);
      for (let m = 1; m <= 6; m++) {
        await nextMonth(hh);
        await scoreMonth(hh, 7);
        await hh.cmd('recordEvidence', actorOf(REGIE), { item: 'netwerkberaad', date: await hh.today() });
        view = await hh.view();
        expect(view.runs[0]!.riskMonths).toBe(m);
        if (m < 6) expect((await refusal(hh.cmd('requestTransition', actorOf(REGIE), { to: 'herstel' }))).unmet).toContain('R-39');
      }
      // The falling-scores escalation resolved once the scores came back.
      expect(view.state.escalations.find((e) => e.key.startsWith('R-39:daling'))?.resolvedAt).toBeDefined();
      view = await hh.cmd('requestTransition', actorOf(REGIE), { to: 'herstel' });
      expect(view.state.phase).toBe('herstel');
      await saveHistory(hh.handle, 'score-dip');
    });
  });

  test('R-32/R-39: a month without scores breaks the run and escalates until scored again', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
    await worker.runUntil(async () => {
      const hh = await riskHousehold(taskQueue);
      await nextMonth(hh);
      await scoreMonth(hh, 8);
      await nextMonth(hh);
      await scoreMonth(hh, 8);
      expect((await hh.view()).runs[0]!.riskMonths).toBe(2);
      await nextMonth(hh); // this month stays unscored
      const reminder = recorded.notifications.find((n) => n.kind === 'score' && n.level === 0);
      expect(reminder?.rule).toBe('R-32');
      await nextMonth(hh);
      const view = await hh.view();
      expect(view.runs[0]!.riskMonths).toBe(0);
      expect(view.plan.find((p) => p.kind === 'scores_ontbreken')?.level).toBeGreaterThanOrEqual(1);
      await scoreMonth(hh, 8);
      const after = await hh.view();
      expect(after.runs[0]!.riskMonths).toBe(1);
      expect(after.plan.find((p) => p.kind === 'scores_ontbreken')).toBeUndefined();
    });
  });

  describe('R-25 huisverbod with a handover in time', () => {
    const GUIDE = pro('p-hv-1', 'crisisdienst-huisverboden');
    const PLANNER = pro('p-plan-1', 'perspektief');

    test('with a handover to the veiligheidsplanner in time nothing escalates', async () => {
      const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
      await worker.runUntil(async () => {
        const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
        const start = await hh.today();
        // Veilig Thuis records the police's order; the crisis service it names is involved from then on.
        await hh.cmd('registerHuisverbod', actorOf(VT), { startDate: start, guidedBy: GUIDE });
        await hh.cmd('extendHuisverbod', actorOf(GUIDE), { endDate: addDays(start, 28) });
        const view = await hh.cmd('startHandover', actorOf(GUIDE), {
          role: 'veiligheidsplanner',
          from: GUIDE,
          to: PLANNER,
          reason: 'huisverbod',
        });
        await hh.advance(2 * DAY);
        await hh.cmd('confirmHandover', actorOf(PLANNER), {
          handoverId: view.state.handovers[0]!.id,
          startDate: await hh.today(),
          householdPresent: true,
        });
        const after = await hh.advance(30 * DAY);
        expect(after.state.roles.veiligheidsplanner?.professionalId).toBe('p-plan-1');
        expect(recorded.notifications.filter((n) => n.kind === 'huisverbod')).toEqual([]);
        expect(after.unmet.map((u) => u.rule)).not.toContain('R-25');
      });
    });
  });

  test('an imported case 8 months in is evaluated on its history at once', async () => {
    const { worker, taskQueue } = await recordingWorker(testEnv());
    await worker.runUntil(async () => {
      const now = new Date(await testEnv().currentTimeMs());
      const month = monthOf(amsterdamDay(now));
      const scores = [];
      // Seven past calendar months scored at 7 by all three groups, the one before them at 5.
      for (let i = 1; i <= 8; i++) {
        const date = `${addMonths(month, -i)}-12`;
        for (const group of ['huishouden', 'netwerk', 'professionals'] as const) {
          scores.push({ dangerId: 'd-1', group, value: i === 8 ? 5 : 7, observedBehaviour: 'geïmporteerd', date });
        }
      }
      const startDate = `${addMonths(month, -8)}-01`;
      const hh = await Household.start(testEnv(), taskQueue, {
        casusregisseur: REGIE,
        owner: VT,
        import: {
          startDate,
          phase: 'risicogestuurd',
          phaseStartDate: `${addMonths(month, -7)}-01`,
          roles: [{ role: 'veiligheidsplanner', professional: REGIE, since: startDate }],
          dangers: [
            {
              id: 'd-1',
              priority: 1,
              statement: 'Geïmporteerd gevaar',
              safetyGoal: 'Geïmporteerd doel',
              definedAt: startDate,
              revisions: 0,
            },
          ],
          scores,
          evidence: [{ item: 'genogram', date: startDate }],
          network: [],
        },
      });
      const view = await hh.view();
      expect(view.state.phase).toBe('risicogestuurd');
      expect(view.runs).toEqual([{ dangerId: 'd-1', riskMonths: 7, consensusMonths: 7 }]);
      expect(view.unmet.map((u) => u.rule)).not.toContain('R-39');
      expect(view.unmet.map((u) => u.rule)).toEqual(expect.arrayContaining(['R-30', 'R-34', 'R-41']));
      // Ids handed out after an import never collide with imported ones.
      const next = await hh.cmd('defineDanger', actorOf(REGIE), { statement: 'Nieuw', safetyGoal: 'Doel' });
      expect(new Set(next.state.dangers.map((d) => d.id)).size).toBe(2);
    });
  });
});

describe('R-24 said out loud, on a Tuesday at 10:00 in Amsterdam', () => {
  const env = useTimeSkippingEnv();

  test('the incoming professional hears of the request at once, with the form to start; the outgoing one when it started; each once', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      let view = await hh.cmd('startHandover', actorOf(REGIE), { role: 'casusregisseur', to: NEXT, reason: 'expertise' });
      const handoverId = view.state.handovers[0]!.id;
      await hh.advance(HOUR);
      const asked = recorded.notifications.filter((n) => n.kind === 'overdracht_gevraagd');
      expect(asked).toEqual([
        expect.objectContaining({
          rule: 'R-24',
          level: 0,
          recipients: { professionals: [NEXT], organisationLeads: [], coordinator: false },
          actions: [{ action: 'overdracht_start', ref: handoverId, for: ['p-next-1'] }],
        }),
      ]);
      expect(recorded.notifications.filter((n) => n.kind === 'overdracht_gestart')).toEqual([]);
      view = await hh.cmd('confirmHandover', actorOf(NEXT), { handoverId, startDate: await hh.today(), householdPresent: true });
      await hh.advance(3 * DAY);
      const started = recorded.notifications.filter((n) => n.kind === 'overdracht_gestart');
      expect(started).toEqual([
        expect.objectContaining({ rule: 'R-24', recipients: { professionals: [REGIE], organisationLeads: [], coordinator: false } }),
      ]);
      expect(started[0]!.reason).toContain('u kunt loslaten');
      // Each once: more wake-ups send neither again.
      await hh.advance(10 * DAY);
      expect(recorded.notifications.filter((n) => n.kind.startsWith('overdracht_')).map((n) => n.kind)).toEqual([
        'overdracht_gevraagd',
        'overdracht_gestart',
      ]);
    });
  });

  test('a handover withdrawn before it started sends no start mail', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      const view = await hh.cmd('startHandover', actorOf(REGIE), { role: 'casusregisseur', to: NEXT, reason: 'expertise' });
      await hh.advance(HOUR);
      await hh.cmd('cancelHandover', actorOf(REGIE), {
        handoverId: view.state.handovers[0]!.id,
        justification: 'Het huishouden wil bij de huidige casusregisseur blijven.',
      });
      await hh.advance(5 * DAY);
      expect(recorded.notifications.filter((n) => n.kind.startsWith('overdracht_')).map((n) => n.kind)).toEqual(['overdracht_gevraagd']);
    });
  });
});

describe.each(DAY_BOUNDARY_INSTANTS.map((i) => [i.name, i] as const))('starting %s', (_name, instant) => {
  const env = useTimeSkippingEnv(instant);

  test('R-24: a handover never started: the outgoing keeps the role and the mails, escalation climbs and never goes silent', async () => {
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      await hh.cmd('assignRole', actorOf(REGIE), { role: 'gedragswetenschapper', professional: GW });
      let view = await hh.cmd('startHandover', actorOf(REGIE), { role: 'casusregisseur', to: NEXT, reason: 'expertise' });
      const handoverId = view.state.handovers[0]!.id;
      await hh.advance(60 * DAY); // level 1 after 7 days, 2 after 14, 3 after 21; then weekly repeats
      view = await hh.view();
      // The role never silently changes hands.
      expect(view.state.roles.casusregisseur?.professionalId).toBe('p-regie-1');
      expect(view.state.roleHistory.filter((r) => r.role === 'casusregisseur').map((r) => r.professionalId)).toEqual(['p-regie-1']);
      const handover = recorded.notifications.filter((n) => n.kind === 'overdracht');
      const reminders = handover.filter((n) => n.level === 0);
      expect(reminders.length).toBeGreaterThanOrEqual(1);
      for (const r of reminders) expect(r.recipients.professionals.map((p) => p.professionalId)).toEqual(['p-regie-1', 'p-next-1']);
      const firsts = handover.filter((n) => n.level > 0 && !n.idempotencyKey.includes(':herhaling:'));
      expect(firsts.map((n) => n.level)).toEqual([1, 2, 3]);
      expect(firsts[1]!.recipients.organisationLeads).toEqual(['lokaal-team', 'jeugdformaat']);
      expect(firsts[1]!.recipients.gedragswetenschapper?.professionalId).toBe('p-gw-1');
      expect(firsts[2]!.recipients.coordinator).toBe(true);
      expect(firsts[0]!.recipients.coordinator).toBe(false);
      // Never silent: from day 21 to day 60 the level-3 escalation is repeated weekly, to the outgoing and
      // incoming professional and to the coordinator.
      const repeats = handover.filter((n) => n.idempotencyKey.includes(':herhaling:'));
      expect(repeats.length).toBeGreaterThanOrEqual(5);
      for (const r of repeats) {
        expect(r.level).toBe(3);
        expect(r.recipients.coordinator).toBe(true);
        expect(r.recipients.professionals.map((p) => p.professionalId)).toEqual(['p-regie-1', 'p-next-1']);
      }
      expect(new Set(recorded.notifications.map((n) => n.idempotencyKey)).size).toBe(recorded.notifications.length);
      expect(view.escalationLevel).toBe(3);
      // Only the incoming professional can end it, together with the household.
      expect(
        (await refusal(hh.cmd('confirmHandover', actorOf(REGIE), { handoverId, startDate: await hh.today(), householdPresent: true })))
          .rule,
      ).toBe('R-24');
      view = await hh.cmd('confirmHandover', actorOf(NEXT), { handoverId, startDate: await hh.today(), householdPresent: true });
      expect(view.state.roles.casusregisseur?.professionalId).toBe('p-next-1');
      view = await hh.advance(DAY);
      expect(view.state.escalations.find((e) => e.key.startsWith('R-24'))?.resolvedAt).toBeDefined();
      expect(view.plan.find((p) => p.kind === 'overdracht')).toBeUndefined();
      const handoverEvents = () =>
        recorded.webhooks.filter((w) => w.type === 'escalatie' && w.idempotencyKey.includes('R-24')).map((w) => w.data.level);
      await eventually(handoverEvents, (l) => l.join() === '1,2,3,0');
      if (instant === DAY_BOUNDARY_INSTANTS[0]) await saveHistory(hh.handle, 'handover-never-started');
    });
  });

  test('R-25: a huisverbod imposed at this hour: the coordinator hears before it ends, and an extension re-plans the whole ladder', async () => {
    const GUIDE = pro('p-hv-1', 'crisisdienst-huisverboden');
    const { worker, taskQueue, recorded } = await recordingWorker(env());
    await worker.runUntil(async () => {
      const hh = await Household.start(env(), taskQueue, { owner: VT, casusregisseur: REGIE });
      const now = new Date(await env().currentTimeMs());
      const startTime = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Amsterdam',
        hourCycle: 'h23',
        hour: '2-digit',
        minute: '2-digit',
      }).format(now);
      let view = await hh.cmd('registerHuisverbod', actorOf(VT), { startDate: amsterdamDay(now), startTime, guidedBy: GUIDE });
      const firstEnd = view.state.huisverbod!.endAt;
      // Ten days later at the same wall-clock time (an hour more or less across a DST change).
      expect(Math.abs(Date.parse(firstEnd) - now.getTime() - 10 * DAY)).toBeLessThanOrEqual(HOUR + 60_000);
      const levelsFor = (end: string) =>
        recorded.notifications
          .filter((n) => n.kind === 'huisverbod' && n.level > 0 && n.idempotencyKey.includes(`:${end}:`))
          .map((n) => n.level);

      // One hour before the first end, every level of the first ladder has been mailed, the coordinator's included.
      await hh.advance(Date.parse(firstEnd) - HOUR - (await env().currentTimeMs()));
      await eventually(
        () => levelsFor(firstEnd),
        (l) => l.includes(3),
      );
      expect(recorded.notifications.find((n) => n.kind === 'huisverbod' && n.level === 3)!.recipients.coordinator).toBe(true);

      // Extended to 28 days: a new ladder for the new end, every level mailed again, with webhooks.
      view = await hh.cmd('extendHuisverbod', actorOf(GUIDE), { endDate: addDays(view.state.huisverbod!.startDate, 28) });
      const newEnd = view.state.huisverbod!.endAt;
      expect(newEnd > firstEnd).toBe(true);
      await hh.advance(Date.parse(newEnd) - 60_000 - (await env().currentTimeMs()));
      await eventually(
        () => levelsFor(newEnd),
        (l) => l.includes(3),
      );
      expect(levelsFor(newEnd)).toEqual([...new Set(levelsFor(newEnd))]);
      expect(levelsFor(newEnd)).toContain(1);
      const hooks = recorded.webhooks
        .filter((w) => w.type === 'escalatie' && w.idempotencyKey.includes(`:${newEnd}:`))
        .map((w) => w.data.level);
      expect(hooks).toEqual(expect.arrayContaining([1, 3]));
      if (instant === DAY_BOUNDARY_INSTANTS[0]) await saveHistory(hh.handle, 'huisverbod-extended');
    });
  });
});
