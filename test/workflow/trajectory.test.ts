/**
 * Whole trajectories through the real workflow on the time-skipping test server: from report to
 * closure over 18 simulated months, for a family with a child and for a vulnerable adult.
 */
import type { EvidenceItem, HouseholdMember, ProfessionalRef } from '../../domain/model';
import {
  actorOf,
  DAY,
  eventually,
  Household,
  pro,
  recordingWorker,
  useTimeSkippingEnv,
  refusal,
  type Recorded,
} from '../support/household';
import { saveHistory } from '../support/histories';

const testEnv = useTimeSkippingEnv();

const VT = pro('p-vt-1', 'veilig-thuis');
const REGIE = pro('p-regie-1', 'lokaal-team');
const GW = pro('p-gw-1', 'jeugdformaat');
const GGZ = pro('p-ggz-1', 'ggz');

async function evidence(hh: Household, who: ProfessionalRef, items: EvidenceItem[]) {
  await hh.evidence(actorOf(who), items);
}

async function scoreMonth(hh: Household, value: number) {
  const date = await hh.today();
  const view = await hh.view();
  for (const d of view.state.dangers) {
    for (const group of ['huishouden', 'netwerk', 'professionals'] as const) {
      await hh.cmd('recordScore', actorOf(REGIE), {
        dangerId: d.id,
        group,
        value,
        observedBehaviour: `${group}: afspraken nagekomen, geen incidenten gezien`,
        date,
      });
    }
  }
}

async function refusedRules(p: Promise<unknown>): Promise<string[]> {
  const r = await refusal(p);
  return r.unmet.length ? r.unmet : [r.rule];
}

async function fullTrajectory(members: HouseholdMember[], recorded: Recorded, taskQueue: string, name: string) {
  const hh = await Household.start(testEnv(), taskQueue, { members });
  const hasChild = members.some((m) => m.isChild);
  const protectedRef = members.find((m) => m.isChild || m.vulnerableAdult)!.ref;

  // Afstemming -> Veiligheid as soon as an owner is assigned.
  let view = await hh.cmd('assignRole', actorOf(VT), { role: 'eigenaar_veiligheid', professional: VT });
  expect(view.state.phase).toBe('veiligheid');
  await hh.cmd('assignRole', actorOf(VT), { role: 'casusregisseur', professional: REGIE });
  await hh.cmd('assignRole', actorOf(REGIE), { role: 'veiligheidsplanner', professional: REGIE });
  await hh.cmd('defineDanger', actorOf(REGIE), {
    statement: 'Bij ruzie slaat vader; het kind of de kwetsbare volwassene raakt gewond.',
    safetyGoal: 'Ruzies lopen zonder geweld af; iedereen weet wie te bellen.',
  });
  await hh.cmd('addNetworkMember', actorOf(REGIE), { id: 'oma', kind: 'sociaal', safetyPersonFor: [protectedRef], chair: true });
  await evidence(hh, REGIE, [
    'genogram',
    'netwerkkaart',
    'drie_kolommen_analyse',
    'kindgesprek',
    'randvoorwaarden',
    'direct_veiligheidsplan',
    'veiligheidslogboek',
    ...(hasChild ? (['veilig_voorwerp'] as const) : []),
    'rollen_bekend',
    'overeenstemming_professionals',
  ]);
  expect(await refusedRules(hh.cmd('requestTransition', actorOf(REGIE), { to: 'risicogestuurd' }))).toEqual(
    expect.arrayContaining(['R-17', 'R-18', 'R-19']),
  );

  await hh.advance(21 * DAY);
  await evidence(hh, REGIE, ['direct_plan_uitgevoerd', 'geen_nieuw_geweld', 'logboek_observaties']);
  await scoreMonth(hh, 6);
  view = await hh.cmd('requestTransition', actorOf(REGIE), { to: 'risicogestuurd' });
  expect(view.state.phase).toBe('risicogestuurd');

  // Risico gestuurd: monthly scores and network meetings for seven months.
  await hh.cmd('assignRole', actorOf(REGIE), { role: 'gedragswetenschapper', professional: GW });
  await evidence(hh, REGIE, [
    'analyse_herzien_giz',
    'genogram_tijdlijn',
    'veerkracht_kalender',
    'traject',
    'stabiel_veiligheidsplan',
    ...(hasChild ? (['woord_en_beeld'] as const) : []),
  ]);
  for (let m = 0; m < 10; m++) {
    await hh.advance(30 * DAY);
    await scoreMonth(hh, 7);
    await evidence(hh, REGIE, ['netwerkberaad']);
  }
  await evidence(hh, REGIE, ['stresstest', 'geen_nieuw_geweld', 'herstelbehoeften_bekend', 'afspraken_herstelfase']);
  view = await hh.view();
  expect(view.unmet).toEqual([]);
  view = await hh.cmd('requestTransition', actorOf(REGIE), { to: 'herstel' });
  expect(view.state.phase).toBe('herstel');

  // Herstel: consensus at 7+ at consecutive evaluations, then closure after 12+ months.
  await hh.cmd('assignRole', actorOf(REGIE), { role: 'herstelbehandelaar', professional: GGZ });
  for (const id of ['buurvrouw', 'voetbaltrainer']) await hh.cmd('addNetworkMember', actorOf(REGIE), { id, kind: 'sociaal' });
  await evidence(hh, REGIE, ['herstelplan', 'herstelbehandelaar_geinformeerd']);
  for (let m = 0; m < 8; m++) {
    await hh.advance(30 * DAY);
    await scoreMonth(hh, 8);
    await evidence(hh, REGIE, ['netwerkberaad']);
  }
  await evidence(hh, REGIE, ['behandeldoelen_bereikt', 'herstelplan_afgerond', 'professionaloverleg', 'evaluatie_netwerkvoorzitter']);
  view = await hh.cmd('requestTransition', actorOf(REGIE), { to: 'afgesloten' });
  expect(view.state.phase).toBe('afgesloten');
  expect(view.state.overrides).toEqual([]);
  const final = await hh.handle.result();
  expect(Date.parse(final.closedAt!) - Date.parse(final.startedAt)).toBeGreaterThan(540 * DAY);
  expect(final.closedAt).toBeDefined();
  expect(final.phaseHistory.map((p) => p.phase)).toEqual(['afstemming', 'veiligheid', 'risicogestuurd', 'herstel', 'afgesloten']);

  // The intake system heard of every phase change, each exactly once.
  await eventually(
    () => recorded.webhooks.filter((w) => w.type === 'fase' && w.householdId === hh.handle.workflowId).length,
    (n) => n === 5,
  );
  const ids = recorded.webhooks.map((w) => w.idempotencyKey);
  expect(new Set(ids).size).toBe(ids.length);
  await saveHistory(hh.handle, name);
  return final;
}

test('a family with a child, from report to closure over 18 months', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const final = await fullTrajectory(
      [
        { ref: 'kind-1', isChild: true, vulnerableAdult: false },
        { ref: 'moeder', isChild: false, vulnerableAdult: false },
        { ref: 'vader', isChild: false, vulnerableAdult: false },
      ],
      recorded,
      taskQueue,
      'trajectory-family',
    );
    expect(final.scores.length).toBeGreaterThan(30);
    // Meetings went out with an invite time.
    expect(recorded.notifications.some((n) => n.kind === 'netwerkberaad' && n.meetingAt)).toBe(true);
    // No notification was requested twice.
    const keys = recorded.notifications.map((n) => n.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

test('a household without children: the kwetsbare volwassene is the one protected', async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const final = await fullTrajectory(
      [
        { ref: 'partner-a', isChild: false, vulnerableAdult: true },
        { ref: 'partner-b', isChild: false, vulnerableAdult: false },
      ],
      recorded,
      taskQueue,
      'trajectory-vulnerable-adult',
    );
    expect(final.evidence.some((e) => e.item === 'woord_en_beeld')).toBe(false);
  });
});

test("R-52: closing before 12 months needs the casusregisseur's justification, which reaches the coordinator", async () => {
  const { worker, taskQueue, recorded } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue, { owner: VT, casusregisseur: REGIE });
    expect(await refusedRules(hh.cmd('requestTransition', actorOf(REGIE), { to: 'afgesloten' }))).toContain('R-50');
    // The owner of phase Veiligheid may end the phase when its criteria hold, but only the casusregisseur deviates from them.
    expect(
      (await refusal(hh.cmd('requestTransition', actorOf(VT), { to: 'afgesloten', justification: 'Verhuisd naar Groningen' }))).rule,
    ).toBe('R-62');
    const view = await hh.cmd('requestTransition', actorOf(REGIE), {
      to: 'afgesloten',
      justification: 'Gezin verhuisd naar Groningen; warm overgedragen aan het lokale team daar.',
    });
    expect(view.state.phase).toBe('afgesloten');
    expect(view.state.overrides[0]?.unmet).toContain('R-50');
    const notice = await eventually(
      () => recorded.notifications.find((n) => n.kind === 'override'),
      (n) => n !== undefined,
    );
    expect(notice!.recipients.coordinator).toBe(true);
    // Phases by their Dutch names, not their codes.
    expect(notice!.reason).toContain('van Fase Veiligheid naar Afgesloten');
  });
});
