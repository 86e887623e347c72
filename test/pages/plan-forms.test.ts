/**
 * The safety-plan forms on the household page (issue 21) over HTTP against the real API, worker and
 * Temporal dev server: a refusal of the domain shows beside its field with the rule and records
 * nothing; a version recorded through the form is readable in full through the API; the
 * casusregisseur endorses, only the GI's jeugdbeschermer is offered the approval, and a log
 * entry written on the page appears in the log.
 */
import supertest from 'supertest';
import { amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { bearer, intakeBody, startStack, type KeyName, type Stack } from '../api/support';
import { errorOf, loginAs, riskCase } from './support';

const H = '/api/v1/households';
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const today = () => amsterdamDay(new Date());

let s: Stack;
let id: string;

const api = (key: KeyName, path: string) => s.request.get(`${H}/${id}${path}`).set('Authorization', bearer(key));
const plans = async () => ((await api('coord', '')).body as HouseholdView).state.plans ?? [];
const page = async (key: KeyName) => (await loginAs(supertest.agent(s.app), key)).get(`/dashboard/households/${id}`);
const submit = async (key: KeyName, form: string, body: Record<string, string | string[]>) =>
  (await loginAs(supertest.agent(s.app), key)).post(`/dashboard/households/${id}/${form}`).type('form').send(body);

beforeAll(async () => {
  s = await startStack({});
  const res = await s.request
    .post(H)
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody('plan-forms-1', { ...riskCase(VT1), jeugdbeschermer: true }));
  expect([200, 201]).toContain(res.status);
  id = res.body.householdId as string;
  const post = (path: string, body: object) => s.request.post(`${H}/${id}${path}`).set('Authorization', bearer('pro-vt')).send(body);
  expect((await post('/network', { id: 'n-oma', kind: 'sociaal' })).status).toBe(200);
  expect((await post('/network', { id: 'n-wijk', kind: 'professioneel' })).status).toBe(200);
  const gi = await post('/roles', { role: 'veiligheidsplanner', professional: { professionalId: 'p-gi-1', organisation: 'gi' } });
  expect(gi.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

const version = {
  'plan-soort': 'direct',
  'plan-gevaar': 'd-1',
  'plan-afspraak1-wat': 'Oma belt elke avond om te horen hoe het gaat.',
  'plan-afspraak1-wie': 'n-oma',
  'plan-afspraak1-wanneer': 'elke avond om 20:00',
  'plan-afspraak1-controle': 'n-oma',
  'plan-afspraak1-dagen': '7',
  'plan-afspraak1-inlichten': 'n-oma',
  'plan-misgaan': 'Moeder gaat met kind-1 naar oma.',
  'plan-kind1-veilig': 'n-oma',
  'plan-kind1-voorwerp': 'de blauwe knuffel',
  'plan-kind1-woord': 'Als papa boos wordt, bel je oma.',
};

test('the plan forms: a refusal beside its field, a version, endorsement, GI approval only for the GI, a log entry', async () => {
  let res = await page('pro-vt');
  expect(res.status).toBe(200);
  expect(res.text).toContain('id="form-plan"');
  expect(res.text).not.toContain('id="form-logboek"'); // no agreement yet
  expect(res.text).not.toContain('id="form-plan-goedkeuren"');

  // the owner is a member of the social network; the refusal stands beside 'Eigenaar' and nothing is recorded.
  res = await submit('pro-vt', 'plan', { ...version, 'plan-eigenaar': 'n-wijk' });
  expect(res.status).toBe(422);
  expect(errorOf(res.text, 'plan-eigenaar')).toContain('R-41');
  expect(await plans()).toHaveLength(0);
  // an agreement needs someone who carries it out.
  res = await submit('pro-vt', 'plan', { ...version, 'plan-afspraak1-wie': [] });
  expect(res.status).toBe(422);
  expect(errorOf(res.text, 'plan-afspraak1-wie')).toContain('R-15');

  res = await submit('pro-vt', 'plan', { ...version, 'plan-eigenaar': 'n-oma' });
  expect(res.status).toBe(303);
  const [plan] = await plans();
  expect(plan).toMatchObject({ kind: 'direct', version: 1, owner: 'n-oma', children: [{ member: 'kind-1', safetyPerson: 'n-oma' }] });
  const full = await api('pro-vt', `/plans/${plan!.planId}/versions/1`);
  expect(full.body.content.dangers[0].agreements[0]).toMatchObject({ id: 'd-1-a1', what: version['plan-afspraak1-wat'], who: ['n-oma'] });
  expect(full.body.content.children[0]).toMatchObject({
    safeObject: 'de blauwe knuffel',
    woordEnBeeld: 'Als papa boos wordt, bel je oma.',
  });

  // Endorsed by the casusregisseur; the approval is not even offered to a professional outside the GI.
  res = await page('pro-vt');
  expect(res.text).toContain('id="form-plan-onderschrijven"');
  expect(res.text).not.toContain('id="form-plan-goedkeuren"');
  res = await submit('pro-vt', 'plan-onderschrijven', {
    'plan-onderschrijven-versie': `${plan!.planId}:1`,
    'plan-onderschrijven-datum': today(),
  });
  expect(res.status).toBe(303);
  res = await submit('pro-vt', 'plan-goedkeuren', { 'plan-goedkeuren-versie': `${plan!.planId}:1`, 'plan-goedkeuren-datum': today() });
  expect(res.status).toBe(403); // a form not offered is refused as a whole
  expect((await plans())[0]!.approval).toBeUndefined();
  res = await page('pro-gi');
  expect(res.text).toContain('id="form-plan-goedkeuren"');
  res = await submit('pro-gi', 'plan-goedkeuren', { 'plan-goedkeuren-versie': `${plan!.planId}:1`, 'plan-goedkeuren-datum': today() });
  expect(res.status).toBe(303);
  expect((await plans())[0]).toMatchObject({ endorsedOn: today(), approval: { by: 'p-gi-1', on: today() } });

  // A log entry from the page lands in the log with its note.
  res = await page('pro-vt');
  expect(res.text).toContain('id="form-logboek"');
  res = await submit('pro-vt', 'logboek', {
    'logboek-afspraak': 'd-1-a1',
    'logboek-datum': today(),
    'logboek-uitkomst': 'bijna_misgegaan',
    'logboek-score': '6',
    'logboek-notitie': 'Oma belde niet, moeder belde zelf.',
  });
  expect(res.status).toBe(303);
  const log = await api('pro-vt', '/log');
  expect(log.body.entries[0]).toMatchObject({
    agreementId: 'd-1-a1',
    outcome: 'bijna_misgegaan',
    score: 6,
    note: 'Oma belde niet, moeder belde zelf.',
  });
}, 180_000);
