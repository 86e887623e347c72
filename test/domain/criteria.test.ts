/**
 * Every exit criterion of every phase: a state that meets them all, then each rule broken on its
 * own, so a criterion that stopped being checked fails here.
 */
import { unmetCriteria } from '../../domain/criteria';
import type { EvidenceItem } from '../../domain/evidence-items';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apply, evidenceBody, household, PLANNER, REGISSEUR, scoreAll, VT } from '../support/state';

const T0 = '2026-01-05T09:00:00.000Z';
const rules = (s: HouseholdState, now: string) => unmetCriteria(s, new Date(now), DEFAULT_POLICY).map((u) => u.rule);

function evidence(s: HouseholdState, at: string, items: EvidenceItem[]): HouseholdState {
  return items.reduce((x, item) => apply(x, at, 'recordEvidence', REGISSEUR, evidenceBody(x, item, at.slice(0, 10))), s);
}

/** A household in phase Veiligheid that meets every exit criterion on 2026-02-10. */
function safeHousehold(): HouseholdState {
  let s = household(T0, { owner: VT });
  s = apply(s, T0, 'assignRole', VT, { role: 'casusregisseur', professional: REGISSEUR });
  s = apply(s, T0, 'assignRole', REGISSEUR, { role: 'veiligheidsplanner', professional: PLANNER });
  s = apply(s, T0, 'defineDanger', VT, { statement: 'Vader slaat moeder waar kind bij is', safetyGoal: 'Kind ziet geen geweld meer' });
  s = apply(s, T0, 'addNetworkMember', VT, { id: 'oma', kind: 'sociaal', safetyPersonFor: ['kind-1'] });
  s = evidence(s, '2026-01-10T10:00:00.000Z', [
    'genogram',
    'netwerkkaart',
    'drie_kolommen_analyse',
    'kindgesprek',
    'randvoorwaarden',
    'direct_veiligheidsplan',
    'veiligheidslogboek',
    'veilig_voorwerp',
    'rollen_bekend',
    'overeenstemming_professionals',
  ]);
  s = evidence(s, '2026-02-01T10:00:00.000Z', ['direct_plan_uitgevoerd', 'geen_nieuw_geweld', 'logboek_observaties']);
  return scoreAll(s, '2026-02-05', 'g1', 6);
}

describe('afstemming (R-02, R-04)', () => {
  test('no owner: R-02 unmet; assigning the owner starts phase Veiligheid', () => {
    const s = household(T0);
    expect(s.phase).toBe('afstemming');
    expect(rules(s, T0)).toEqual(['R-02']);
    expect(apply(s, T0, 'assignRole', VT, { role: 'eigenaar_veiligheid', professional: VT }).phase).toBe('veiligheid');
  });

  test('R-04: with a local team or GI, casusregie is needed from the start', () => {
    const s = household(T0, { localTeamOrGi: true, owner: VT });
    expect(s.phase).toBe('afstemming');
    expect(rules(s, T0)).toEqual(['R-04']);
    expect(apply(s, T0, 'assignRole', VT, { role: 'casusregisseur', professional: REGISSEUR }).phase).toBe('veiligheid');
  });
});

describe('fase Veiligheid (R-10..R-25)', () => {
  const NOW = '2026-02-10T09:00:00.000Z';
  test('a household meeting every criterion has none unmet', () => {
    expect(rules(safeHousehold(), NOW)).toEqual([]);
  });

  test.each([
    ['R-10', 'genogram'],
    ['R-11', 'netwerkkaart'],
    ['R-12', 'drie_kolommen_analyse'],
    ['R-13', 'kindgesprek'],
    ['R-14', 'randvoorwaarden'],
    ['R-15', 'direct_veiligheidsplan'],
    ['R-16', 'veiligheidslogboek'],
    ['R-16', 'veilig_voorwerp'],
    ['R-18', 'direct_plan_uitgevoerd'],
    ['R-19', 'geen_nieuw_geweld'],
    ['R-20', 'logboek_observaties'],
    ['R-21', 'rollen_bekend'],
    ['R-23', 'overeenstemming_professionals'],
  ] as const)('%s is unmet without %s', (rule, item) => {
    const s = safeHousehold();
    s.evidence = s.evidence.filter((e) => e.item !== item);
    expect(rules(s, NOW)).toContain(rule);
  });

  test('R-13 does not apply without a child or vulnerable adult', () => {
    const s = safeHousehold();
    s.members = [{ ref: 'volw-1', isChild: false, vulnerableAdult: false }];
    s.network[0]!.safetyPersonFor = [];
    s.evidence = s.evidence.filter((e) => e.item !== 'kindgesprek');
    expect(rules(s, NOW)).toEqual([]);
  });

  test('R-16: every child needs a veiligheidspersoon', () => {
    const s = safeHousehold();
    s.network[0]!.active = false;
    expect(rules(s, NOW)).toContain('R-16');
  });

  test('R-17: every group scores every danger', () => {
    const s = safeHousehold();
    s.scores = s.scores.filter((x) => x.group !== 'netwerk');
    expect(rules(s, NOW)).toEqual(expect.arrayContaining(['R-17', 'R-18']));
  });

  test('R-18: the latest score of each group is at least 6', () => {
    const s = scoreAll(safeHousehold(), '2026-02-08', 'g1', [6, 5, 6]);
    expect(rules(s, NOW)).toEqual(['R-18']);
  });

  test('R-18: scores before the direct plan was carried out do not count', () => {
    const s = safeHousehold();
    s.evidence.find((e) => e.item === 'direct_plan_uitgevoerd')!.date = '2026-02-07';
    expect(rules(s, NOW)).toEqual(['R-18']);
  });

  test('R-22: veiligheidsplanner and casusregisseur settled; VT monitoring agreed when VT is involved', () => {
    let s = safeHousehold();
    delete s.roles.veiligheidsplanner;
    expect(rules(s, NOW)).toEqual(['R-22']);
    s = apply(safeHousehold(), NOW, 'assignRole', REGISSEUR, { role: 'veilig_thuis', professional: VT });
    expect(rules(s, NOW)).toEqual(['R-22']);
    s = evidence(s, NOW, ['vt_monitoring_afgesproken']);
    expect(rules(s, NOW)).toEqual([]);
  });

  test('R-24: an open handover blocks the phase end', () => {
    const s = apply(safeHousehold(), NOW, 'startHandover', PLANNER, {
      role: 'veiligheidsplanner',
      to: { professionalId: 'p-new', organisation: 'jeugdformaat' },
      reason: 'expertise',
    });
    expect(rules(s, NOW)).toEqual(['R-24']);
  });

  test('R-25: a huisverbod needs a handover to the veiligheidsplanner', () => {
    const s = apply(safeHousehold(), NOW, 'registerHuisverbod', VT, {
      startDate: '2026-02-09',
      guidedBy: { professionalId: 'p-hv', organisation: 'crisisdienst-huisverboden' },
    });
    expect(rules(s, NOW)).toEqual(['R-25']);
  });

  test('R-65: with a jeugdbeschermer, the direct plan counts only with approval', () => {
    const s = safeHousehold();
    s.jeugdbeschermer = true;
    expect(rules(s, NOW)).toEqual(['R-15']);
    s.evidence.find((e) => e.item === 'direct_veiligheidsplan')!.giApproval = { approvedBy: 'J. Beschermer', date: '2026-01-11' };
    expect(rules(s, NOW)).toEqual([]);
  });
});

/** A household in phase Risico gestuurd meeting every criterion on 2026-09-20. */
function riskHousehold(): HouseholdState {
  let s = safeHousehold();
  s = apply(s, '2026-02-10T09:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'risicogestuurd' });
  s = apply(s, '2026-02-10T09:00:00.000Z', 'assignRole', REGISSEUR, {
    role: 'gedragswetenschapper',
    professional: { professionalId: 'p-gw', organisation: 'jeugdformaat' },
  });
  s = apply(s, '2026-02-10T09:00:00.000Z', 'updateNetworkMember', REGISSEUR, { id: 'oma', chair: true });
  s = evidence(s, '2026-03-01T10:00:00.000Z', [
    'analyse_herzien_giz',
    'genogram_tijdlijn',
    'veerkracht_kalender',
    'traject',
    'stabiel_veiligheidsplan',
    'netwerkberaad',
    'woord_en_beeld',
  ]);
  s = evidence(s, '2026-08-01T10:00:00.000Z', ['stresstest', 'geen_nieuw_geweld', 'herstelbehoeften_bekend', 'afspraken_herstelfase']);
  for (const m of ['03', '04', '05', '06', '07', '08']) s = scoreAll(s, `2026-${m}-10`, 'g1', 7);
  return s;
}

describe('fase Risico gestuurd (R-30..R-43)', () => {
  const NOW = '2026-09-05T09:00:00.000Z';
  test('a household meeting every criterion has none unmet', () => {
    expect(rules(riskHousehold(), NOW)).toEqual([]);
  });

  test.each([
    ['R-30', 'analyse_herzien_giz'],
    ['R-33', 'genogram_tijdlijn'],
    ['R-33', 'veerkracht_kalender'],
    ['R-34', 'traject'],
    ['R-35', 'stabiel_veiligheidsplan'],
    ['R-36', 'netwerkberaad'],
    ['R-37', 'woord_en_beeld'],
    ['R-38', 'stresstest'],
    ['R-42', 'herstelbehoeften_bekend'],
    ['R-43', 'afspraken_herstelfase'],
  ] as const)('%s is unmet without %s', (rule, item) => {
    const s = riskHousehold();
    s.evidence = s.evidence.filter((e) => e.item !== item);
    expect(rules(s, NOW)).toContain(rule);
  });

  test('R-39: five months at 6+ are not enough', () => {
    const s = riskHousehold();
    s.scores = s.scores.filter((x) => !x.date.startsWith('2026-03'));
    expect(rules(s, NOW)).toEqual(['R-39']);
  });

  test('R-40: agreements carried out for at least half a year', () => {
    expect(rules(riskHousehold(), '2026-07-05T09:00:00.000Z')).toContain('R-40');
  });

  test('R-41: a network member co-chairs', () => {
    const s = riskHousehold();
    s.network[0]!.chair = false;
    expect(rules(s, NOW)).toEqual(['R-41']);
  });

  test('R-43: a gedragswetenschapper holds final responsibility', () => {
    const s = riskHousehold();
    delete s.roles.gedragswetenschapper;
    expect(rules(s, NOW)).toEqual(['R-43']);
  });
});

describe('fase Herstel and closure (R-44..R-52)', () => {
  function recovery(): HouseholdState {
    let s = apply(riskHousehold(), '2026-09-05T09:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'herstel' });
    s = apply(s, '2026-09-05T09:00:00.000Z', 'assignRole', REGISSEUR, {
      role: 'herstelbehandelaar',
      professional: { professionalId: 'p-ggz', organisation: 'ggz' },
    });
    for (const id of ['buur', 'vriendin']) s = apply(s, '2026-09-05T09:00:00.000Z', 'addNetworkMember', REGISSEUR, { id, kind: 'sociaal' });
    s = evidence(s, '2026-09-10T10:00:00.000Z', ['herstelplan', 'herstelbehandelaar_geinformeerd']);
    s = evidence(s, '2026-12-15T10:00:00.000Z', [
      'behandeldoelen_bereikt',
      'herstelplan_afgerond',
      'professionaloverleg',
      'evaluatie_netwerkvoorzitter',
    ]);
    for (const m of ['11', '12']) s = scoreAll(s, `2026-${m}-10`, 'g1', 8);
    return s;
  }
  const NOW = '2027-01-06T09:00:00.000Z';

  test('after 12 months with every criterion met, closing is allowed', () => {
    expect(rules(recovery(), NOW)).toEqual([]);
  });

  test.each([
    ['R-44', 'herstelplan'],
    ['R-45', 'herstelbehandelaar_geinformeerd'],
    ['R-47', 'behandeldoelen_bereikt'],
    ['R-47', 'herstelplan_afgerond'],
    ['R-48', 'professionaloverleg'],
    ['R-49', 'evaluatie_netwerkvoorzitter'],
  ] as const)('%s is unmet without %s', (rule, item) => {
    const s = recovery();
    s.evidence = s.evidence.filter((e) => e.item !== item);
    expect(rules(s, NOW)).toContain(rule);
  });

  test('R-46: one consensus month is not stable safety; a 6 breaks it', () => {
    const s = recovery();
    expect(rules(scoreAll(s, '2026-12-20', 'g1', [8, 6, 8]), NOW)).toEqual(['R-46']);
  });

  test('R-51: at least 3 active non-professional people', () => {
    const s = recovery();
    s.network[1]!.active = false;
    expect(rules(s, NOW)).toEqual(['R-51']);
  });

  test('R-52: closing earlier than 12 months after the start needs a justification', () => {
    expect(rules(recovery(), '2026-12-31T09:00:00.000Z')).toEqual(['R-52']);
  });
});

test('Dutch singular and plural in reasons: "loopt 1 maand", "loopt 5 maanden"', () => {
  const s = household('2026-01-05T09:00:00.000Z', { owner: VT });
  const at = (now: string) =>
    unmetCriteria({ ...s, phase: 'herstel' }, new Date(now), DEFAULT_POLICY).find((u) => u.rule === 'R-52')!.message;
  expect(at('2026-02-10T09:00:00.000Z')).toContain('loopt 1 maand;');
  expect(at('2026-06-10T09:00:00.000Z')).toContain('loopt 5 maanden;');
});
