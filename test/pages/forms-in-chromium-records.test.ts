/**
 * Issue 20: every form about what happened, in Chromium on a phone: household and network, scores,
 * evidence (R-60 controle, R-63 teamoverleg), dangers, the safety plan with the GI's approval and its log.
 * Each refused beside its field first (changing nothing), then recorded (test/pages/chromium-forms.ts).
 */
import { join } from 'node:path';
import { amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { ARTIFACTS, expectAccessible, fitsTheScreen } from '../support/browser';
import { formsInChromium, type FormsInChromium } from './chromium-forms';

let f: FormsInChromium;
const today = () => amsterdamDay(new Date());

beforeAll(async () => {
  f = await formsInChromium('forms-in-chromium-1');
}, 180_000);

afterAll(async () => {
  await f?.close();
});

test('household, network, scores, evidence and dangers', async () => {
  const page = await f.phoneOf('pro-vt');
  await expectAccessible(page, 'formulieren');
  await fitsTheScreen(page);

  const network = (v: HouseholdView) => v.state.network;
  await f.refused(
    'pro-vt',
    'netwerklid',
    { 'netwerklid-id': '', 'netwerklid-soort': 'sociaal', 'netwerklid-veilig': ['kind-1'] },
    'netwerklid-id',
    /.+/,
    network,
  );
  await f.recorded(
    'pro-vt',
    'netwerklid',
    { 'netwerklid-id': 'n-oma', 'netwerklid-soort': 'sociaal', 'netwerklid-veilig': ['kind-1'] },
    (v) => v.state.network.some((n) => n.id === 'n-oma' && n.safetyPersonFor.includes('kind-1')),
  );
  await f.recorded('pro-vt', 'netwerklid', { 'netwerklid-id': 'n-buur', 'netwerklid-soort': 'sociaal', 'netwerklid-veilig': [] }, (v) =>
    v.state.network.some((n) => n.id === 'n-buur'),
  );
  await f.refused('pro-vt', 'netwerklid-bijwerken', { 'netwerklid-bijwerken-id': 'n-buur' }, 'netwerklid-bijwerken-actief', /.+/, network);
  await f.recorded('pro-vt', 'netwerklid-bijwerken', { 'netwerklid-bijwerken-id': 'n-buur', 'netwerklid-bijwerken-actief': 'nee' }, (v) =>
    v.state.network.some((n) => n.id === 'n-buur' && !n.active),
  );

  const members = (v: HouseholdView) => v.state.members;
  await f.recorded('pro-vt', 'gezinslid', { 'gezinslid-ref': 'kind-2', 'gezinslid-soort': 'kind' }, (v) =>
    v.state.members.some((m) => m.ref === 'kind-2'),
  );
  await f.refused('pro-vt', 'gezinslid', { 'gezinslid-ref': 'kind-2', 'gezinslid-soort': 'kind' }, 'gezinslid-ref', /R-10/, members);

  const scores = (v: HouseholdView) => v.state.scores.length;
  const score = { 'score-gevaar': 'd-1', 'score-groep': 'huishouden', 'score-score': '6', 'score-datum': today() };
  const page422 = await f.refused('pro-vt', 'score', score, 'score-gedrag', /Waargenomen gedrag/, scores);
  await expectAccessible(page422, 'weigering');
  await page422.screenshot({ path: join(ARTIFACTS, 'alle-formulieren-weigering-390.png'), fullPage: true });
  await f.recorded('pro-vt', 'score', { ...score, 'score-gedrag': 'Rustig gesprek aan tafel' }, (v) =>
    v.state.scores.some((x) => x.observedBehaviour === 'Rustig gesprek aan tafel'),
  );

  const evidence = (v: HouseholdView) => v.state.evidence.length;
  await f.refused('pro-vt', 'controle', { 'controle-datum': today() }, 'controle-bezoek', /R-60/, evidence);
  await f.recorded('pro-vt', 'controle', { 'controle-datum': today(), 'controle-bezoek': 'gepland', 'controle-door': 'netwerk' }, (v) =>
    v.state.evidence.some((e) => e.item === 'controle'),
  );
  await f.refused('pro-vt', 'teamoverleg', { 'teamoverleg-datum': '' }, 'teamoverleg-datum', /.+/, evidence);
  await f.recorded('pro-vt', 'teamoverleg', { 'teamoverleg-datum': today(), 'teamoverleg-toelichting': 'MDO' }, (v) =>
    v.state.evidence.some((e) => e.item === 'teamoverleg'),
  );
  await f.refused(
    'pro-vt',
    'bewijs',
    { 'bewijs-item': 'veilig_voorwerp', 'bewijs-datum': today(), 'bewijs-leden': [] },
    'bewijs-leden',
    /R-16/,
    evidence,
  );
  await f.recorded('pro-vt', 'bewijs', { 'bewijs-item': 'veilig_voorwerp', 'bewijs-datum': today(), 'bewijs-leden': ['kind-1'] }, (v) =>
    v.state.evidence.some((e) => e.item === 'veilig_voorwerp'),
  );
  // Issue 21: the safety plan is the plan forms' work, not a tick (its R-65 approval is plan-goedkeuren below).
  const offered = await (
    await f.phoneOf('pro-vt')
  )
    .locator('#bewijs-item option')
    .evaluateAll((os) => os.map((o) => o.getAttribute('value')));
  expect(offered).toEqual(expect.arrayContaining(['veilig_voorwerp']));
  expect(offered).not.toEqual(expect.arrayContaining(['direct_veiligheidsplan']));
  expect(offered).not.toEqual(expect.arrayContaining(['stabiel_veiligheidsplan']));

  const dangers = (v: HouseholdView) => v.state.dangers;
  await f.refused('pro-vt', 'gevaar', { 'gevaar-omschrijving': 'Broer bedreigt moeder' }, 'gevaar-doel', /Veiligheidsdoel/, dangers);
  let v = await f.recorded(
    'pro-vt',
    'gevaar',
    { 'gevaar-omschrijving': 'Broer bedreigt moeder', 'gevaar-doel': 'Moeder voelt zich veilig' },
    (x) => x.state.dangers.length === 2,
  );
  const second = v.state.dangers.find((d) => d.id !== 'd-1')!.id;
  await f.refused('pro-vt', 'gevaar-herzien', { 'gevaar-herzien-gevaar': second }, 'gevaar-herzien-omschrijving', /R-31/, dangers);
  await f.recorded('pro-vt', 'gevaar-herzien', { 'gevaar-herzien-gevaar': second, 'gevaar-herzien-doel': 'Broer komt niet meer' }, (x) =>
    x.state.dangers.some((d) => d.safetyGoal === 'Broer komt niet meer'),
  );
  await f.refused('pro-vt', 'gevaar-afsluiten', { 'gevaar-afsluiten-gevaar': second }, 'gevaar-afsluiten-reden', /.+/, dangers);
  v = await f.recorded(
    'pro-vt',
    'gevaar-afsluiten',
    { 'gevaar-afsluiten-gevaar': second, 'gevaar-afsluiten-reden': 'Broer is verhuisd.' },
    (x) => x.state.dangers.length === 1,
  );
  expect(v.state.closedDangers?.map((c) => c.danger.id)).toEqual([second]);
}, 300_000);

test('the safety plan and its log', async () => {
  const plans = (v: HouseholdView) => v.state.plans ?? [];
  const version = {
    'plan-soort': 'direct',
    'plan-gevaar': 'd-1',
    'plan-afspraak1-wat': 'Oma belt elke avond om te horen hoe het gaat.',
    'plan-afspraak1-wanneer': 'elke avond om 20:00',
    'plan-afspraak1-controle': 'n-oma',
    'plan-afspraak1-dagen': '7',
    'plan-afspraak1-inlichten': ['n-oma'],
    'plan-misgaan': 'Moeder gaat met kind-1 naar oma.',
    'plan-kind1-veilig': 'n-oma',
  };
  await f.refused('pro-vt', 'plan', { ...version, 'plan-afspraak1-wie': [] }, 'plan-afspraak1-wie', /R-15/, plans);
  const v = await f.recorded('pro-vt', 'plan', { ...version, 'plan-afspraak1-wie': ['n-oma'] }, (x) => plans(x).length === 1);
  const planId = plans(v)[0]!.planId;
  await f.refused(
    'pro-vt',
    'plan-onderschrijven',
    { 'plan-onderschrijven-versie': `${planId}:1`, 'plan-onderschrijven-datum': '' },
    'plan-onderschrijven-datum',
    /.+/,
    plans,
  );
  await f.recorded(
    'pro-vt',
    'plan-onderschrijven',
    { 'plan-onderschrijven-versie': `${planId}:1`, 'plan-onderschrijven-datum': today() },
    (x) => plans(x)[0]!.endorsedOn === today(),
  );
  await f.refused(
    'pro-gi',
    'plan-goedkeuren',
    { 'plan-goedkeuren-versie': `${planId}:1`, 'plan-goedkeuren-datum': '' },
    'plan-goedkeuren-datum',
    /.+/,
    plans,
  );
  await f.recorded(
    'pro-gi',
    'plan-goedkeuren',
    { 'plan-goedkeuren-versie': `${planId}:1`, 'plan-goedkeuren-datum': today() },
    (x) => plans(x)[0]!.approval?.by === 'p-gi-1',
  );
  const log = (x: HouseholdView) => x.state.planLog;
  const entry = { 'logboek-afspraak': 'd-1-a1', 'logboek-datum': today(), 'logboek-notitie': 'Oma belde niet, moeder belde zelf.' };
  await f.refused('pro-vt', 'logboek', entry, 'logboek-uitkomst', /.+/, log);
  await f.recorded('pro-vt', 'logboek', { ...entry, 'logboek-uitkomst': 'bijna_misgegaan' }, (x) =>
    JSON.stringify(log(x) ?? {}).includes('d-1-a1'),
  );
}, 300_000);
