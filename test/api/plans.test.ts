/**
 * The safety plan and log over HTTP (issue 21): a version is stored with its texts sealed (the
 * workflow keeps references and facts only), refusals name their rule (422 for input, 409 for the
 * method: R-16 safety person outside the network; 422 for R-65 approval by a non-GI professional,
 * who may never approve), and log entries move R-20.
 */
import type supertest from 'supertest';
import type { HouseholdView } from '../../domain/view';
import { bearer, eventually, intakeBody, Receiver, startStack, today, type KeyName, type Stack } from './support';

let s: Stack;
let receiver: Receiver;
beforeAll(async () => {
  // Veilig Thuis has an intake system with a webhook: the plan's events are delivered to it.
  receiver = await new Receiver().start();
  s = await startStack({ 'veilig-thuis': { url: receiver.url, secret: 'secret-of-veilig-thuis' } });
}, 120_000);
afterAll(async () => {
  await s?.close();
  await receiver?.stop();
});

const H = '/api/v1/households';
const vt1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };

function as(key: KeyName) {
  const auth = (t: supertest.Test) => t.set('Authorization', bearer(key));
  return {
    post: (path: string, body: unknown) => auth(s.request.post(path)).send(body as object),
    get: (path: string) => auth(s.request.get(path)),
  };
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
  expect(res.status).toBe(422);
  expect(res.body.error.rule).toBe('R-65');

  res = await as('pro-vt').post(at('/log'), { agreementId: 'a1', date: today(), outcome: 'goed_gegaan', note: 'Oma belde.' });
  expect(res.status).toBe(200);
  expect((view(res).state as { planLog?: Record<string, { last: string }> }).planLog?.a1?.last).toBe(today());
}, 120_000);

test('GET the plans, a version with its texts and the log by page; only involved organisations; the GI approves (R-65)', async () => {
  const created = await as('intake-vt').post(H, intakeBody('plan-api-2', { jeugdbeschermer: true }));
  expect([200, 201]).toContain(created.status);
  const id = created.body.householdId as string;
  const at = (p: string) => `${H}/${id}${p}`;
  expect((await as('pro-vt').post(at('/roles'), { role: 'eigenaar_veiligheid', professional: vt1 })).status).toBe(200);
  expect((await as('pro-vt').post(at('/roles'), { role: 'casusregisseur', professional: vt1 })).status).toBe(200);
  const gi = { professionalId: 'p-gi-1', organisation: 'gi' };
  expect((await as('pro-vt').post(at('/roles'), { role: 'veiligheidsplanner', professional: gi })).status).toBe(200);
  let res = await as('pro-vt').post(at('/dangers'), { statement: 'Bij ruzie slaat vader.', safetyGoal: 'Ruzies zonder geweld.' });
  const dangerId = view(res).state.dangers[0]!.id;
  expect((await as('pro-vt').post(at('/network'), { id: 'n-oma', kind: 'sociaal' })).status).toBe(200);
  res = await as('pro-vt').post(at('/plans'), plan(dangerId, { owner: 'n-oma' }));
  expect(res.status).toBe(200);

  res = await as('pro-vt').get(at('/plans'));
  expect(res.status).toBe(200);
  expect(res.body.plans).toHaveLength(1);
  const listed = res.body.plans[0] as { planId: string; kind: string; version: number; endorsedOn?: string; approval?: unknown };
  expect(listed).toMatchObject({ kind: 'direct', version: 1, owner: 'n-oma' });
  expect(listed.endorsedOn).toBeUndefined();
  const planId = listed.planId;

  // The version in full, its texts opened (they are stored encrypted, the workflow holds none).
  res = await as('pro-vt').get(at(`/plans/${planId}/versions/1`));
  expect(res.status).toBe(200);
  expect(res.body.content.dangers[0].agreements[0]).toMatchObject({
    what: 'Oma belt elke avond om te horen hoe het gaat.',
    when: 'elke avond om 20:00',
  });
  expect(res.body.content.dangers[0].whenItGoesWrong).toBe('Moeder gaat met kind-1 naar oma.');
  expect(res.body.content.children[0]).toMatchObject({ member: 'kind-1', safetyPerson: 'n-oma', safeObject: 'de blauwe knuffel' });
  expect(res.body.recordedBy).toBe('p-vt-1');
  res = await as('pro-vt').get(at(`/plans/${planId}/versions/2`));
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('plan_version_not_found');
  expect((await as('pro-vt').get(at(`/plans/${planId}/versions/nul`))).status).toBe(400);

  // an organisation not involved sees no household at all.
  for (const path of ['/plans', `/plans/${planId}/versions/1`, '/log']) {
    res = await as('pro-lt').get(at(path));
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('Oma belt');
  }
  expect((await as('coord').get(at('/plans'))).status).toBe(200);
  expect((await as('intake-vt').get(at('/log'))).status).toBe(200);

  // endorsed by the casusregisseur, approved only by the GI professional.
  expect((await as('pro-vt').post(at(`/plans/${planId}/endorsement`), { version: 1, date: today() })).status).toBe(200);
  res = await as('pro-vt').post(at(`/plans/${planId}/approval`), { version: 1, date: today() });
  expect(res.status).toBe(422); // not a GI professional: refused whatever the household, before Temporal
  expect(res.body.error.rule).toBe('R-65');
  expect((await as('pro-gi').get(at('/plans'))).body.plans[0].approval).toBeUndefined();
  res = await as('pro-gi').post(at(`/plans/${planId}/approval`), { version: 1, date: today() });
  expect(res.status).toBe(200);
  res = await as('pro-gi').get(at('/plans'));
  expect(res.body.plans[0]).toMatchObject({ endorsedOn: today(), approval: { by: 'p-gi-1', on: today() } });
  res = await as('pro-vt').get(at(`/plans/${planId}/versions/1`));
  expect(res.body).toMatchObject({ endorsedOn: today(), approval: { by: 'p-gi-1', on: today() } });
  const hooks = await eventually(
    () => s.webhookAttempts.filter((e) => e.householdId === id),
    (evs) => evs.some((e) => e.type === 'plan.approved'),
  );
  expect(hooks.filter((e) => e.type === 'plan.version')).toHaveLength(1);
  expect(hooks.filter((e) => e.type === 'plan.approved')).toHaveLength(1);

  // The log, newest first, a page at a time; a retried entry (same Idempotency-Key) is written once.
  const entry = (note: string, outcome = 'goed_gegaan') => ({ agreementId: 'a1', date: today(), outcome, note, score: 7 });
  for (const note of ['Oma belde.', 'Oma belde weer.']) expect((await as('pro-vt').post(at('/log'), entry(note))).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    res = await as('pro-gi').post(at('/log'), entry('Bijna mis, opgelost.', 'bijna_misgegaan')).set('Idempotency-Key', 'log-3');
    expect(res.status).toBe(200);
  }
  res = await as('pro-vt').get(at('/log?pageSize=2'));
  expect(res.status).toBe(200);
  expect(res.body.entries.map((e: { note: string }) => e.note)).toEqual(['Bijna mis, opgelost.', 'Oma belde weer.']);
  expect(res.body.entries[0]).toMatchObject({
    agreementId: 'a1',
    outcome: 'bijna_misgegaan',
    score: 7,
    writtenBy: 'p-gi-1',
    date: today(),
  });
  expect(res.body.before).toEqual(expect.any(Number));
  res = await as('pro-vt').get(at(`/log?pageSize=2&before=${res.body.before as number}`));
  expect(res.body.entries.map((e: { note: string }) => e.note)).toEqual(['Oma belde.']);
  expect(res.body.before).toBeUndefined();
  for (const q of ['pageSize=0', 'pageSize=0x10', 'pageSize=1e1', 'before=-1', 'before='])
    expect([q, (await as('pro-vt').get(at(`/log?${q}`))).status]).toEqual([q, 400]);
  expect((await as('pro-vt').get(at(`/plans/${planId}/versions/1e0`))).status).toBe(400);
}, 180_000);
