/**
 * The safety plan and log over HTTP (issue 21): a version is stored with its texts sealed (the
 * workflow keeps references and facts only), refusals name their rule (422 for input, 409 for the
 * method: R-16 safety person outside the network, R-65 approval by a non-GI professional), and log
 * entries move R-20.
 */
import type supertest from 'supertest';
import type { HouseholdView } from '../../domain/view';
import { bearer, intakeBody, startStack, today, type KeyName, type Stack } from './support';

let s: Stack;
beforeAll(async () => {
  s = await startStack({});
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const H = '/api/v1/households';
const vt1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };

function as(key: KeyName) {
  const auth = (t: supertest.Test) => t.set('Authorization', bearer(key));
  return { post: (path: string, body: unknown) => auth(s.request.post(path)).send(body as object) };
}
const view = (res: { body: unknown }) => res.body as HouseholdView;

function plan(dangerId: string, over: Record<string, unknown> = {}) {
  return {
    kind: 'direct',
    dangers: [
      {
        dangerId,
        agreements: [
          {
            id: 'a1',
            what: 'Oma belt elke avond om te horen hoe het gaat.',
            who: ['n-oma'],
            when: 'elke avond om 20:00',
            monitoring: { by: 'n-oma', everyDays: 7, informs: ['n-oma'] },
          },
        ],
        whenItGoesWrong: 'Moeder gaat met kind-1 naar oma.',
      },
    ],
    children: [{ member: 'kind-1', safetyPerson: 'n-oma', safeObject: 'de blauwe knuffel' }],
    network: [{ memberId: 'n-oma', role: 'veiligheidspersoon' }],
    ...over,
  };
}

test('a plan version, its refusals, endorsement, a non-GI approval refused, and a log entry', async () => {
  const created = await as('intake-vt').post(H, intakeBody('plan-api-1', { jeugdbeschermer: false }));
  expect([200, 201]).toContain(created.status);
  const at = (p: string) => `${H}/${created.body.householdId as string}${p}`;
  expect((await as('pro-vt').post(at('/roles'), { role: 'eigenaar_veiligheid', professional: vt1 })).status).toBe(200);
  expect((await as('pro-vt').post(at('/roles'), { role: 'casusregisseur', professional: vt1 })).status).toBe(200);
  let res = await as('pro-vt').post(at('/dangers'), { statement: 'Bij ruzie slaat vader.', safetyGoal: 'Ruzies zonder geweld.' });
  const dangerId = view(res).state.dangers[0]!.id;
  expect((await as('pro-vt').post(at('/network'), { id: 'n-oma', kind: 'sociaal' })).status).toBe(200);

  const noWho = plan(dangerId);
  (noWho.dangers[0]!.agreements[0] as { who: string[] }).who = [];
  res = await as('pro-vt').post(at('/plans'), noWho);
  expect(res.status).toBe(400); // invalid input is 400 throughout this API, naming the rule in the message
  expect(JSON.stringify(res.body)).toContain('R-15');

  res = await as('pro-vt').post(at('/plans'), plan(dangerId, { children: [{ member: 'kind-1', safetyPerson: 'n-vreemd' }] }));
  expect([409, 422]).toContain(res.status);
  expect(res.body.error.rule).toBe('R-16');

  res = await as('pro-vt').post(at('/plans'), plan(dangerId));
  expect(res.status).toBe(200);
  const state = view(res).state as HouseholdView['state'] & { plans: { planId: string; version: number }[] };
  expect(state.plans).toHaveLength(1);
  // The workflow keeps facts only: no agreement text travels in its state.
  expect(JSON.stringify(state)).not.toContain('Oma belt elke avond');
  const planId = state.plans[0]!.planId;

  res = await as('pro-vt').post(at(`/plans/${planId}/endorsement`), { version: 1, date: today() });
  expect(res.status).toBe(200);
  res = await as('pro-vt').post(at(`/plans/${planId}/approval`), { version: 1, date: today() });
  expect([409, 422]).toContain(res.status);
  expect(res.body.error.rule).toBe('R-65');

  res = await as('pro-vt').post(at('/log'), { agreementId: 'a1', date: today(), outcome: 'goed_gegaan', note: 'Oma belde.' });
  expect(res.status).toBe(200);
  expect((view(res).state as { planLog?: Record<string, { last: string }> }).planLog?.a1?.last).toBe(today());
}, 120_000);
