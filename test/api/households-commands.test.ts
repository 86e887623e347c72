/**
 * The REST API over HTTP against a real Temporal dev server and the real worker (./support.ts): a
 * household from report to closure through every read and command endpoint, and each error class.
 * Intake and webhooks: households-intake.test.ts; access, the list and the audit log:
 * households-access.test.ts.
 */
import { addDays } from '../../domain/time';
import { bearer, H, householdCalls, lt1, pers1, startStack, today, view, vt1, vt2, type Stack } from './support';

let s: Stack;
const { as, intake } = householdCalls(() => s);

beforeAll(async () => {
  s = await startStack({});
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('a household from report to closure, through every command endpoint', () => {
  let id: string;
  const at = (path = '') => `${H}/${id}${path}`;

  beforeAll(async () => {
    id = await intake('vt-flow-1');
  });

  test('reads: view, criteria, plan, timeline', async () => {
    const v = await as('pro-vt').get(at());
    expect(v.status).toBe(200);
    expect(view(v).state.householdId).toBe(id);
    expect(view(v).organisations).toEqual(['veilig-thuis']);

    const criteria = await as('pro-vt').get(at('/criteria'));
    expect(criteria.status).toBe(200);
    expect(criteria.body).toMatchObject({ householdId: id, phase: 'afstemming' });
    expect(criteria.body.unmet.map((u: { rule: string }) => u.rule)).toContain('R-02');

    const plan = await as('pro-vt').get(at('/plan'));
    expect(plan.status).toBe(200);
    expect(plan.body.plan.map((p: { kind: string }) => p.kind)).toContain('eigenaar_ontbreekt');

    const timeline = await as('pro-vt').get(at('/timeline'));
    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({ householdId: id, roleHistory: [], handovers: [] });
    expect(timeline.body.phaseHistory[0]).toMatchObject({ phase: 'afstemming', via: 'start' });
  });

  test('409 with the rule when the method refuses: no score before a danger statement (R-12)', async () => {
    const res = await as('pro-vt').post(at('/scores'), {
      dangerId: 'g1',
      group: 'huishouden',
      value: 6,
      observedBehaviour: 'rustig',
      date: today(),
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'method_refusal', rule: 'R-12' });
    expect(typeof res.body.error.message).toBe('string');
  });

  test('roles, members, dangers, scores, network, evidence', async () => {
    let res = await as('pro-vt').post(at('/roles'), { role: 'eigenaar_veiligheid', professional: vt1 });
    expect(res.status).toBe(200);
    expect(view(res).state.phase).toBe('veiligheid');
    expect(view(res).state.roles.eigenaar_veiligheid).toMatchObject(vt1);

    res = await as('pro-vt').post(at('/members'), { ref: 'kind-2', isChild: true });
    expect(res.status).toBe(200);
    expect(view(res).state.members.map((m) => m.ref)).toContain('kind-2');

    res = await as('pro-vt').post(at('/dangers'), {
      statement: 'Bij ruzie slaat vader; het kind raakt gewond.',
      safetyGoal: 'Ruzies lopen zonder geweld af.',
    });
    expect(res.status).toBe(200);
    const danger = view(res).state.dangers[0]!;

    res = await as('pro-vt').patch(at(`/dangers/${danger.id}`), { safetyGoal: 'Ruzies lopen zonder geweld af; oma wordt gebeld.' });
    expect(res.status).toBe(200);
    expect(view(res).state.dangers[0]).toMatchObject({
      id: danger.id,
      revisions: 1,
      safetyGoal: 'Ruzies lopen zonder geweld af; oma wordt gebeld.',
    });

    res = await as('pro-vt').post(at('/scores'), {
      dangerId: danger.id,
      group: 'huishouden',
      value: 6,
      observedBehaviour: 'Afspraken nagekomen.',
      date: today(),
    });
    expect(res.status).toBe(200);
    expect(view(res).state.scores).toHaveLength(1);
    expect(view(res).state.scores[0]).toMatchObject({ recordedBy: 'p-vt-1', value: 6 });

    res = await as('pro-vt').post(at('/network'), { id: 'n-oma', kind: 'sociaal', safetyPersonFor: ['kind-1'] });
    expect(res.status).toBe(200);
    res = await as('pro-vt').patch(at('/network/n-oma'), { chair: true });
    expect(res.status).toBe(200);
    expect(view(res).state.network[0]).toMatchObject({ id: 'n-oma', chair: true, safetyPersonFor: ['kind-1'], active: true });

    res = await as('pro-vt').post(at('/evidence'), { item: 'genogram', date: today() });
    expect(res.status).toBe(200);
    expect(view(res).state.evidence[0]).toMatchObject({ item: 'genogram', recordedBy: 'p-vt-1' });
  });

  test('the actor comes from the key, never from the body', async () => {
    const res = await as('pro-vt').post(at('/evidence'), {
      item: 'netwerkkaart',
      date: today(),
      recordedBy: 'p-someone-else',
      actor: { professionalId: 'x' },
    });
    expect(res.status).toBe(200);
    expect(view(res).state.evidence.find((e) => e.item === 'netwerkkaart')?.recordedBy).toBe('p-vt-1');
  });

  test('a repeated Idempotency-Key runs the command once', async () => {
    const body = { statement: 'Moeder wordt bedreigd door haar ex-partner.', safetyGoal: 'Moeder en kinderen zijn veilig thuis.' };
    const first = await as('pro-vt').post(at('/dangers'), body).set('Idempotency-Key', 'danger-2');
    const second = await as('pro-vt').post(at('/dangers'), body).set('Idempotency-Key', 'danger-2');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(view(second).state.dangers).toHaveLength(2);
  });

  test("'Prefer: return=minimal' answers only id and phase, and the command ran (issue 23: one round trip less)", async () => {
    const before = view(await as('pro-vt').get(at())).state.dangers.length;
    const res = await as('pro-vt')
      .post(at('/dangers'), { statement: 'Vader drinkt en wordt dan boos.', safetyGoal: 'Vader drinkt niet als de kinderen thuis zijn.' })
      .set('Prefer', 'handling=strict, return=minimal');
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBe('return=minimal');
    expect(res.body).toEqual({ householdId: id, phase: view(await as('pro-vt').get(at())).state.phase });
    expect(view(await as('pro-vt').get(at())).state.dangers).toHaveLength(before + 1);
    const full = await as('pro-vt')
      .post(at('/dangers'), { statement: 'Nog een gevaar.', safetyGoal: 'Nog een doel.' })
      .set('Prefer', 'return=representation');
    expect(full.headers['preference-applied']).toBeUndefined();
    expect(view(full).state.dangers).toHaveLength(before + 2);
  });

  test('the same Idempotency-Key with another request is refused (422) and changes nothing; update ids reveal neither key nor caller', async () => {
    const before = view(await as('pro-vt').get(at())).state.dangers.length;
    const res = await as('pro-vt')
      .post(at('/dangers'), { statement: 'Een ander gevaar', safetyGoal: 'Een ander doel' })
      .set('Idempotency-Key', 'danger-2');
    expect([res.status, res.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    expect(view(await as('pro-vt').get(at())).state.dangers).toHaveLength(before);
    const history = JSON.stringify(await s.client.workflow.getHandle(id).fetchHistory());
    expect(history).toContain('defineDanger:');
    expect(history).not.toContain('danger-2');
    expect(history).not.toContain('pro-vt');
  });

  test('huisverbod: register and extend (R-25); its professional becomes involved', async () => {
    let res = await as('pro-vt').post(at('/huisverbod'), { startDate: today(), guidedBy: pers1 });
    expect(res.status).toBe(200);
    expect(view(res).state.huisverbod).toMatchObject({ startDate: today(), endDate: addDays(today(), 10) });
    expect(view(res).organisations).toContain('perspektief');
    res = await as('pro-pers').post(at('/huisverbod/extensions'), { endDate: addDays(today(), 20) });
    expect(res.status).toBe(200);
    expect(view(res).state.huisverbod?.endDate).toBe(addDays(today(), 20));
    res = await as('pro-vt').post(at('/huisverbod/extensions'), { endDate: addDays(today(), 40) });
    expect(res.status).toBe(409);
    expect(res.body.error.rule).toBe('R-25');
  });

  test('warm handover: start, confirm by the incoming professional (R-24), and cancel another', async () => {
    let res = await as('pro-vt').post(at('/roles'), { role: 'casusregisseur', professional: vt1 });
    expect(res.status).toBe(200);
    res = await as('pro-vt').post(at('/handovers'), { role: 'casusregisseur', to: lt1, reason: 'expertise' });
    expect(res.status).toBe(200);
    expect(view(res).openHandover).toBe(true);
    expect(view(res).organisations).toContain('lokaal-team');
    const handover = view(res).state.handovers.find((h) => h.role === 'casusregisseur')!;

    // Only the incoming professional confirms the start.
    res = await as('pro-vt').post(at(`/handovers/${handover.id}/confirmation`), { startDate: today(), householdPresent: true });
    expect(res.status).toBe(409);
    expect(res.body.error.rule).toBe('R-24');
    res = await as('pro-lt').post(at(`/handovers/${handover.id}/confirmation`), { startDate: today(), householdPresent: true });
    expect(res.status).toBe(200);
    expect(view(res).state.roles.casusregisseur).toMatchObject(lt1);
    expect(view(res).openHandover).toBe(false);

    res = await as('pro-vt').post(at('/roles'), { role: 'veiligheidsplanner', professional: vt1 });
    expect(res.status).toBe(200);
    res = await as('pro-vt').post(at('/handovers'), { role: 'veiligheidsplanner', to: vt2, reason: 'voorkeur_huishouden' });
    const second = view(res).state.handovers.find((h) => h.role === 'veiligheidsplanner')!;
    res = await as('pro-vt').post(at(`/handovers/${second.id}/cancellation`), {
      justification: 'Huishouden wil toch bij de huidige planner blijven.',
    });
    expect(res.status).toBe(200);
    expect(view(res).state.handovers.find((h) => h.id === second.id)?.cancelledAt).toBeDefined();

    const timeline = await as('pro-lt').get(at('/timeline'));
    expect(
      timeline.body.roleHistory
        .filter((r: { role: string }) => r.role === 'casusregisseur')
        .map((r: { professionalId: string; via: string }) => [r.professionalId, r.via]),
    ).toEqual([
      ['p-vt-1', 'toewijzing'],
      ['p-lt-1', 'overdracht'],
    ]);
  });

  test('a transition with unmet criteria is refused with their rule ids (409), then taken as an override', async () => {
    let res = await as('pro-lt').post(at('/transitions'), { to: 'risicogestuurd' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('method_refusal');
    const unmet = (res.body.error.unmet as { rule: string; message: string }[]).map((u) => u.rule);
    expect(unmet).toEqual(expect.arrayContaining(['R-13', 'R-17', 'R-18']));
    expect(res.body.error.rule).toBe(unmet[0]);

    // Only the casusregisseur decides.
    res = await as('pro-vt').post(at('/transitions'), { to: 'risicogestuurd', justification: 'Acute dreiging voorbij.' });
    expect(res.status).toBe(409);
    expect(res.body.error.rule).toBe('R-62');

    res = await as('pro-lt').post(at('/transitions'), {
      to: 'risicogestuurd',
      justification: 'Politie en VT zien de dreiging als voorbij; afspraken lopen.',
    });
    expect(res.status).toBe(200);
    expect(view(res).state.phase).toBe('risicogestuurd');
    expect(view(res).state.overrides).toHaveLength(1);
  });

  test('closure (R-50, R-52): refused without justification, closed with it; then nothing more is recorded', async () => {
    let res = await as('pro-lt').post(at('/closure'), {});
    expect(res.status).toBe(409);
    expect(res.body.error.unmet.map((u: { rule: string }) => u.rule)).toContain('R-50');
    res = await as('pro-lt').post(at('/closure'), {
      justification: 'Gezin verhuisd naar een andere regio; overgedragen aan de daar betrokken hulp.',
    });
    expect(res.status).toBe(200);
    expect(view(res).state.phase).toBe('afgesloten');

    res = await as('pro-lt').post(at('/evidence'), { item: 'genogram', date: today() });
    expect(res.status).toBe(409);
    expect(res.body.error.rule).toBe('R-50');
    // to an organisation never involved, a closed household is as unknown as one that never existed.
    res = await as('pro-ggz').post(at('/evidence'), { item: 'genogram', date: today() });
    expect([res.status, res.body]).toEqual([
      404,
      (await as('pro-ggz').post(`${H}/hh-00000000000000000000/evidence`, { item: 'genogram', date: today() })).body,
    ]);
    // A closed household can still be read.
    expect((await as('pro-lt').get(at())).status).toBe(200);
  });
});

describe('errors', () => {
  const unknown = `${H}/hh-00000000000000000000`;

  test('404 for an unknown household, on reads and commands', async () => {
    for (const res of [
      await as('pro-vt').get(unknown),
      await as('pro-vt').get(`${unknown}/plan`),
      await as('pro-vt').post(`${unknown}/evidence`, { item: 'genogram', date: today() }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('household_not_found');
    }
  });

  test('400 with field paths, checked before Temporal is asked', async () => {
    const res = await as('pro-vt').post(`${unknown}/scores`, { dangerId: 'g1', group: 'buren', value: 11, date: '1-2-2025' });
    expect(res.status).toBe(400);
    const fields = res.body.error.fields as { path: string; message: string }[];
    expect([...new Set(fields.map((f) => f.path))].sort()).toEqual(['body.date', 'body.group', 'body.observedBehaviour', 'body.value']);
    expect(fields.find((f) => f.path === 'body.date')?.message).toBe('Een datum als JJJJ-MM-DD, vanaf 2000-01-01.');
    const badId = await as('pro-vt').get(`${H}/not-a-household`);
    expect(badId.status).toBe(400);
    expect(badId.body.error.fields[0].path).toBe('params.id');
    const badQuery = await as('coord').get(`${H}?phase=klaar&pageSize=0`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['query.pageSize', 'query.phase']);
  });

  test('400 for a malformed JSON body, 401 without or with a wrong key, 404 JSON for unknown routes', async () => {
    const badJson = await s.request
      .post(H)
      .set('Authorization', bearer('intake-vt'))
      .set('Content-Type', 'application/json')
      .send('{"reference":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    expect(badJson.type).toBe('application/json');

    for (const auth of [undefined, 'Bearer wrong-key', 'Basic aW50YWtlLXZ0Og==', 'Bearer ']) {
      const t = s.request.get(`${H}/hh-00000000000000000000`);
      const res = await (auth ? t.set('Authorization', auth) : t);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    const unknownRoute = await s.request.get('/api/v1/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.type).toBe('application/json');
    expect(unknownRoute.body.error.code).toBe('route_not_found');
  });

  test('health reports Temporal connected', async () => {
    const res = await s.request.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', temporal: 'connected' });
  });
});
