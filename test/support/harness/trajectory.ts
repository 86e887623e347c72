/**
 * A whole trajectory from report to closure over about 18 simulated months, by the method's own
 * steps: owner, roles, a danger and the safety plan, monthly scores in Risico gestuurd,
 * Herstel with its network, then closure after 12+ months. The workflow tests assert along
 * the way (test/workflow/trajectory.test.ts); the benchmark measures it (scripts/bench/measures/long-life.ts).
 * The protected person is the first child, or else the first vulnerable adult, of the intake.
 */
import type { HouseholdState } from '../../../domain/model';
import { actorOf, DAY, pro, type Household } from './household';

export const VT = pro('p-vt-1', 'veilig-thuis');
export const REGIE = pro('p-regie-1', 'lokaal-team');
export const GW = pro('p-gw-1', 'jeugdformaat');
export const GGZ = pro('p-ggz-1', 'ggz');

/** Where the trajectory stops for its caller to look: after each step, and after each month of a phase. */
export type Milestone =
  | 'owner assigned'
  | 'safety plan ready'
  | 'risicogestuurd'
  | 'risk month'
  | 'ready for herstel'
  | 'herstel'
  | 'herstel month'
  | 'ready for closure';

export type MilestoneHook = (milestone: Milestone, month: number) => unknown;

/** Every danger scored by all three groups today, by the casusregisseur. */
export async function scoreMonth(hh: Household, value: number): Promise<void> {
  const date = await hh.today();
  for (const d of (await hh.view()).state.dangers) {
    for (const group of ['huishouden', 'netwerk', 'professionals'] as const) {
      await hh.send('recordScore', actorOf(REGIE), {
        dangerId: d.id,
        group,
        value,
        observedBehaviour: `${group}: afspraken nagekomen, geen incidenten gezien`,
        date,
      });
    }
  }
}

/** Runs the trajectory on a household just started; returns the workflow's final state. */
export async function runTrajectory(hh: Household, at: MilestoneHook = () => undefined): Promise<HouseholdState> {
  const members = hh.start.intake.members;
  const hasChild = members.some((m) => m.isChild);
  const protectedRef = members.find((m) => m.isChild || m.vulnerableAdult)!.ref;
  const regie = actorOf(REGIE);

  // Afstemming -> Veiligheid as soon as an owner is assigned.
  await hh.send('assignRole', actorOf(VT), { role: 'eigenaar_veiligheid', professional: VT });
  await at('owner assigned', 0);
  await hh.send('assignRole', actorOf(VT), { role: 'casusregisseur', professional: REGIE });
  await hh.send('assignRole', regie, { role: 'veiligheidsplanner', professional: REGIE });
  await hh.send('defineDanger', regie, {
    statement: 'Bij ruzie slaat vader; het kind of de kwetsbare volwassene raakt gewond.',
    safetyGoal: 'Ruzies lopen zonder geweld af; iedereen weet wie te bellen.',
  });
  await hh.send('addNetworkMember', regie, { id: 'oma', kind: 'sociaal', safetyPersonFor: [protectedRef], chair: true });
  await hh.evidence(regie, [
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
  await at('safety plan ready', 0);

  await hh.advance(21 * DAY);
  await hh.evidence(regie, ['direct_plan_uitgevoerd', 'geen_nieuw_geweld', 'logboek_observaties']);
  await scoreMonth(hh, 6);
  await hh.send('requestTransition', regie, { to: 'risicogestuurd' });
  await at('risicogestuurd', 0);

  // Risico gestuurd: monthly scores and network meetings for ten months.
  await hh.send('assignRole', regie, { role: 'gedragswetenschapper', professional: GW });
  await hh.evidence(regie, [
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
    await hh.evidence(regie, ['netwerkberaad']);
    await at('risk month', m);
  }
  await hh.evidence(regie, ['stresstest', 'geen_nieuw_geweld', 'herstelbehoeften_bekend', 'afspraken_herstelfase']);
  await at('ready for herstel', 0);
  await hh.send('requestTransition', regie, { to: 'herstel' });
  await at('herstel', 0);

  // Herstel: consensus at 7+ at consecutive evaluations, then closure after 12+ months.
  await hh.send('assignRole', regie, { role: 'herstelbehandelaar', professional: GGZ });
  for (const id of ['buurvrouw', 'voetbaltrainer']) await hh.send('addNetworkMember', regie, { id, kind: 'sociaal' });
  await hh.evidence(regie, ['herstelplan', 'herstelbehandelaar_geinformeerd']);
  for (let m = 0; m < 8; m++) {
    await hh.advance(30 * DAY);
    await scoreMonth(hh, 8);
    await hh.evidence(regie, ['netwerkberaad']);
    await at('herstel month', m);
  }
  await hh.evidence(regie, ['behandeldoelen_bereikt', 'herstelplan_afgerond', 'professionaloverleg', 'evaluatie_netwerkvoorzitter']);
  await at('ready for closure', 0);
  await hh.send('requestTransition', regie, { to: 'afgesloten' });
  return hh.handle.result();
}
