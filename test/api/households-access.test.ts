/**
 * The REST API over HTTP against a real Temporal dev server and the real worker (./support.ts): who
 * reads and changes what, per organisation and role (R-64), also through signed e-mail links; the
 * list with its filters and paging; the audit log; and reads evaluated at the reader's clock.
 * Intake and webhooks: households-intake.test.ts; commands: households-commands.test.ts.
 */

import { signHouseholdLink, linkExpiry } from '../../platform/links';
import { addDays } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import type { HouseholdList, HouseholdSummary } from '../../api/types';
import {
  accessFor,
  bearer,
  eventually,
  H,
  householdCalls,
  ID_SECRET,
  lt1,
  startStack,
  today,
  view,
  vt1,
  vt2,
  type KeyName,
  type Stack,
} from './support';

let s: Stack;
const { as, intake } = householdCalls(() => s);

beforeAll(async () => {
  s = await startStack({});
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('access per organisation and role (R-64)', () => {
  let id: string;
  let dangerId: string;
  let handoverId: string;
  const at = (path = '') => `${H}/${id}${path}`;

  beforeAll(async () => {
    id = await intake('vt-access-1');
    await as('pro-vt').post(at('/roles'), { role: 'eigenaar_veiligheid', professional: vt1 });
    let res = await as('pro-vt').post(at('/dangers'), {
      statement: 'Vader dreigt met geweld.',
      safetyGoal: 'Vader houdt zich aan de afspraken.',
    });
    dangerId = view(res).state.dangers[0]!.id;
    await as('pro-vt').post(at('/network'), { id: 'n-buur', kind: 'sociaal' });
    res = await as('pro-vt').post(at('/handovers'), { role: 'eigenaar_veiligheid', to: vt2, reason: 'complexiteit' });
    handoverId = view(res).state.handovers[0]!.id;
  });

  /** Every household endpoint, with a body that would be valid. */
  const endpoints = (): [string, string, unknown][] => [
    ['get', at(), undefined],
    ['get', at('/criteria'), undefined],
    ['get', at('/plan'), undefined],
    ['get', at('/timeline'), undefined],
    ['post', at('/scores'), { dangerId, group: 'netwerk', value: 5, observedBehaviour: 'Onrustig.', date: today() }],
    ['post', at('/dangers'), { statement: 'x', safetyGoal: 'y' }],
    ['patch', at(`/dangers/${dangerId}`), { priority: 1 }],
    ['post', at('/roles'), { role: 'veilig_thuis', professional: vt2 }],
    ['post', at('/members'), { ref: 'kind-9', isChild: true }],
    ['post', at('/network'), { id: 'n-x', kind: 'sociaal' }],
    ['patch', at('/network/n-buur'), { active: false }],
    ['post', at('/evidence'), { item: 'genogram', date: today() }],
    ['post', at('/huisverbod'), { startDate: today(), guidedBy: vt2 }],
    ['post', at('/huisverbod/extensions'), { endDate: addDays(today(), 12) }],
    ['post', at('/handovers'), { role: 'casusregisseur', to: vt2, from: vt1, reason: 'overig' }],
    ['post', at(`/handovers/${handoverId}/confirmation`), { startDate: today(), householdPresent: true }],
    ['post', at(`/handovers/${handoverId}/cancellation`), { justification: 'Niet nodig.' }],
    ['post', at('/transitions'), { to: 'risicogestuurd' }],
    ['post', at('/closure'), { justification: 'Klaar.' }],
  ];

  function call(key: KeyName, [method, path, body]: [string, string, unknown]) {
    const c = as(key);
    return method === 'get' ? c.get(path) : method === 'post' ? c.post(path, body) : c.patch(path, body);
  }

  test('another organisation can neither read nor change it, nor learn that it exists: the same 404 as an unknown id', async () => {
    const before = (await as('pro-vt').get(at())).body as HouseholdView;
    const unknown = `${H}/hh-00000000000000000000`;
    for (const e of endpoints()) {
      const res = await call('pro-ggz', e);
      const none = await call('pro-ggz', [e[0], e[1].replace(at(), unknown), e[2]]);
      expect([e[0], e[1], res.status, res.body]).toEqual([e[0], e[1], 404, none.body]);
      expect(res.body.error.code).toBe('household_not_found');
    }
    const after = (await as('pro-vt').get(at())).body as HouseholdView;
    expect(after.state).toEqual(before.state);
  });

  test("another organisation's intake key cannot read it; the own intake key reads but gives no commands", async () => {
    for (const e of endpoints().filter(([m]) => m === 'get')) {
      expect((await call('intake-lt', e)).status).toBe(404);
      expect((await call('intake-vt', e)).status).toBe(200);
    }
    for (const e of endpoints().filter(([m]) => m !== 'get')) {
      const res = await call('intake-vt', e);
      expect([e[1], res.status, res.body.error.code]).toEqual([e[1], 403, 'forbidden']);
    }
  });

  test('coordinators read every household but cannot write', async () => {
    for (const e of endpoints()) {
      const res = await call('coord', e);
      if (e[0] === 'get') expect([e[1], res.status]).toEqual([e[1], 200]);
      else expect([e[1], res.status, res.body.error.code]).toEqual([e[1], 403, 'forbidden']);
    }
  });

  test('an organisation that joins through a handover gets access; signed e-mail links open one household', async () => {
    // p-vt-2 is the incoming professional of the open handover (veilig-thuis is involved anyway).
    const token = signHouseholdLink(s.linkSecret, { householdId: id, sub: 'p-vt-2', exp: linkExpiry(new Date()) });
    const ok = await s.request.get(at()).set('Authorization', `Link ${token}`);
    expect(ok.status).toBe(200);
    expect(view(ok).state.householdId).toBe(id);
    // The link opens only its own household, only for reading.
    const other = await s.request.get(`${H}/hh-00000000000000000000`).set('Authorization', `Link ${token}`);
    expect(other.status).toBe(403);
    const write = await s.request.post(at('/evidence')).set('Authorization', `Link ${token}`).send({ item: 'genogram', date: today() });
    expect(write.status).toBe(401);
    // A link for someone no longer responsible opens nothing; a forged one neither.
    const stranger = signHouseholdLink(s.linkSecret, { householdId: id, sub: 'p-ggz-1', exp: linkExpiry(new Date()) });
    expect((await s.request.get(at()).set('Authorization', `Link ${stranger}`)).status).toBe(404);
    expect((await s.request.get(at()).set('Authorization', `Link ${token.slice(0, -2)}xx`)).status).toBe(401);
  });
});

describe('list (read model)', () => {
  let vtId: string;
  let ltId: string;

  beforeAll(async () => {
    vtId = await intake('vt-list-1');
    await as('pro-vt').post(`${H}/${vtId}/roles`, { role: 'eigenaar_veiligheid', professional: vt1 });
    await as('pro-vt').post(`${H}/${vtId}/roles`, { role: 'casusregisseur', professional: vt2 });
    const handover = await as('pro-vt2').post(`${H}/${vtId}/handovers`, { role: 'casusregisseur', to: lt1, reason: 'expertise' });
    expect(handover.status).toBe(200);
    ltId = await intake('lt-list-1', 'intake-lt');
  });

  async function list(key: KeyName, query = ''): Promise<HouseholdList> {
    const res = await as(key).get(`${H}${query}`);
    expect(res.status).toBe(200);
    return res.body as HouseholdList;
  }
  const ids = (l: HouseholdList) => l.items.map((i) => i.householdId);

  test('issue 22: the intake organisation lists its own reference; other organisations and the coordinator never see it', async () => {
    const own = await eventually(
      () => list('intake-vt', '?pageSize=500'),
      (l) => ids(l).includes(vtId),
    );
    expect(own.items.find((i) => i.householdId === vtId)?.reference).toBe('vt-list-1');
    const viaProfessional = await list('pro-vt', '?pageSize=500');
    expect(viaProfessional.items.find((i) => i.householdId === vtId)?.reference).toBe('vt-list-1');
    const lt = await eventually(
      () => list('pro-lt', '?pageSize=500'),
      (l) => ids(l).includes(vtId) && ids(l).includes(ltId),
    );
    expect(lt.items.find((i) => i.householdId === vtId)?.reference).toBeUndefined();
    expect(lt.items.find((i) => i.householdId === ltId)?.reference).toBe('lt-list-1');
    const coord = await list('coord', '?pageSize=500');
    expect(coord.items.every((i) => i.reference === undefined)).toBe(true);
  });

  test('items have the documented shape, and filters narrow them', async () => {
    const all = await eventually(
      () => list('coord', '?pageSize=500'),
      (l) => l.items.some((i) => i.householdId === vtId && i.openHandover) && ids(l).includes(ltId),
    );
    const item = all.items.find((i) => i.householdId === vtId) as HouseholdSummary;
    expect(Object.keys(item).sort()).toEqual(
      [
        'householdId',
        'phase',
        'organisations',
        'intakeOrganisation',
        'casusregisseur',
        'escalationLevel',
        'runMonths',
        'nextDeadline',
        'openHandover',
        'overdue',
        'startedAt',
        'phaseStartedAt',
        'status',
        'importReviewEndsAt',
      ].sort(),
    );
    expect(item).toMatchObject({
      // An intake, not an import: no review (issue 22).
      importReviewEndsAt: null,
      phase: 'veiligheid',
      organisations: ['lokaal-team', 'veilig-thuis'],
      intakeOrganisation: 'veilig-thuis',
      casusregisseur: 'p-vt-2',
      escalationLevel: 0,
      openHandover: true,
      overdue: false,
      status: 'running',
    });
    // The trajectory's own start and the current phase's start (R-52, R-61), from the workflow's state.
    const view = (await as('coord').get(`/api/v1/households/${vtId}`)).body;
    expect(item.startedAt).toBe(new Date(view.state.startedAt).toISOString());
    expect(item.phaseStartedAt).toBe(new Date(view.state.phaseStartedAt).toISOString());
    expect(new Date(item.startedAt).getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(item.nextDeadline === null || !Number.isNaN(Date.parse(item.nextDeadline))).toBe(true);

    expect(ids(await list('coord', '?phase=veiligheid&pageSize=500'))).toContain(vtId);
    expect(ids(await list('coord', '?phase=veiligheid&pageSize=500'))).not.toContain(ltId);
    expect(ids(await list('coord', '?organisation=lokaal-team&pageSize=500'))).toEqual(expect.arrayContaining([vtId, ltId]));
    expect(ids(await list('coord', '?casusregisseur=p-vt-2'))).toEqual([vtId]);
    expect(ids(await list('coord', '?openHandover=true&pageSize=500'))).toContain(vtId);
    expect(ids(await list('coord', '?openHandover=false&pageSize=500'))).not.toContain(vtId);
    expect(ids(await list('coord', '?escalationLevel=1&pageSize=500'))).not.toContain(vtId);
    expect(ids(await list('coord', '?overdue=false&escalationLevel=0&pageSize=500'))).toContain(vtId);
    expect(ids(await list('coord', '?status=closed&pageSize=500'))).not.toContain(vtId);
  });

  test('each caller sees only what its organisation is involved in or started', async () => {
    await eventually(
      () => list('pro-lt', '?pageSize=500'),
      (l) => ids(l).includes(vtId),
    );
    expect(ids(await list('pro-lt', '?pageSize=500'))).toEqual(expect.arrayContaining([vtId, ltId]));
    const vtSees = ids(await list('pro-vt', '?pageSize=500'));
    expect(vtSees).toContain(vtId);
    expect(vtSees).not.toContain(ltId);
    expect(ids(await list('pro-ggz', '?pageSize=500'))).toEqual([]);
    // An intake key sees what its organisation started, not what it joined later.
    const ltIntake = ids(await list('intake-lt', '?pageSize=500'));
    expect(ltIntake).toContain(ltId);
    expect(ltIntake).not.toContain(vtId);
    // Filters cannot widen what a caller sees.
    expect(ids(await list('pro-ggz', '?organisation=veilig-thuis&pageSize=500'))).toEqual([]);
  });

  test('pages with nextPageToken', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await list('coord', `?pageSize=2${token ? `&nextPageToken=${token}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(page));
      token = page.nextPageToken;
      pages++;
    } while (token && pages < 50);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([vtId, ltId]));
  });

  test('a malformed or forged paging token is a fast 400', async () => {
    for (const token of ['AAAA', 'eyJ9.AAAA', `${Buffer.from('[3,null,"hh-x"]').toString('base64url')}.${'A'.repeat(43)}`]) {
      const res = await as('coord').get(`${H}?nextPageToken=${token}`);
      expect(res.status).toBe(400);
      expect(['validation_failed', 'invalid_page_token']).toContain(res.body.error.code);
    }
  });

  test('region-wide counts over every household the caller may see, not one page', async () => {
    const counts = await eventually(
      async () => (await as('coord').get(`${H}/overview`)).body,
      (c: { total: number; openHandovers: number }) => c.total >= 2,
    );
    const all = await list('coord', '?pageSize=500');
    expect(counts.total).toBe(all.items.length);
    expect(counts.openHandovers).toBe(all.items.filter((i) => i.openHandover).length);
    expect((await as('pro-ggz').get(`${H}/overview`)).body).toMatchObject({ total: 0 });
  });
});

describe('audit log', () => {
  test('every read and write of a household is recorded without content, and the chain verifies', async () => {
    const id = await intake('vt-audit-1');
    await as('pro-vt').post(`${H}/${id}/evidence`, { item: 'genogram', date: today(), note: 'Geheime notitie over oma Jansen' });
    await as('pro-ggz').get(`${H}/${id}`);
    await as('coord').get(`${H}/${id}/plan`);

    const res = await as('coord').get(`/api/v1/audit?householdId=${id}`);
    expect(res.status).toBe(200);
    expect(res.body.chain.ok).toBe(true);
    const lines = (res.body.entries as { who: Record<string, string> | null; what: Record<string, unknown> }[]).map((e) => [
      e.who?.keyId,
      e.what.method,
      e.what.route,
      e.what.status,
    ]);
    expect(lines).toEqual([
      ['intake-vt', 'POST', '/api/v1/households', 201],
      ['pro-vt', 'POST', '/api/v1/households/:id/evidence', 200],
      ['pro-ggz', 'GET', '/api/v1/households/:id', 404],
      ['coord', 'GET', '/api/v1/households/:id/plan', 200],
    ]);
    expect(res.body.entries[1].who).toMatchObject({ organisation: 'veilig-thuis', role: 'professional', professionalId: 'p-vt-1' });

    const text = JSON.stringify(await s.db.query('SELECT * FROM audit_log'));
    expect(text).not.toContain('oma Jansen');
    expect(text).not.toContain('kind-1');
    expect(text).not.toContain('vt-audit-1');
    expect(await s.audit.verify()).toMatchObject({ ok: true });
    const verification = await as('coord').get('/api/v1/audit/verification');
    expect(verification.body).toMatchObject({ ok: true });
  });

  test('only coordinators read the audit log; nothing can change it', async () => {
    expect((await as('pro-vt').get('/api/v1/audit')).status).toBe(403);
    for (const method of ['post', 'patch', 'put', 'delete'] as const) {
      const res = await s.request[method]('/api/v1/audit').set('Authorization', bearer('coord')).send({});
      expect([res.status, res.headers.allow]).toEqual([405, 'GET, OPTIONS']);
    }
  });
});

describe('reads are as of now, not as of the workflow’s last wake-up', () => {
  test('a household read later is evaluated at the reader’s clock (R-52, deadlines)', async () => {
    const id = await intake('vt-as-of-now', 'intake-vt', { owner: { professionalId: 'p-vt-1', organisation: 'veilig-thuis' } });
    const later = new Date(Date.now() + 400 * 24 * 60 * 60 * 1000);
    const { createApp } = await import('../../api/app');
    const { DEFAULT_POLICY } = await import('../../domain/policy');
    const app = createApp({
      client: s.client,
      access: accessFor(),
      db: s.db,
      keyring: s.keyring,
      policy: DEFAULT_POLICY,
      linkSecret: s.linkSecret,
      idSecret: ID_SECRET,
      publicUrl: 'http://localhost:8080',
      now: () => later,
    });
    const res = await (await import('supertest')).default(app).get(`${H}/${id}`).set('Authorization', bearer('pro-vt'));
    expect(res.status).toBe(200);
    const view = res.body as HouseholdView;
    expect(view.asOf).toBe(later.toISOString());
    // Sleeping since its intake, the workflow itself would still say "now"; read later, the child
    // conversation (R-13, due after 14 days) is long overdue and at level 3.
    expect(view.plan.find((p) => p.kind === 'kindgesprek')?.level).toBe(3);
    const direct = await (await import('supertest')).default(s.app).get(`${H}/${id}`).set('Authorization', bearer('pro-vt'));
    expect(direct.body.plan.find((p: { kind: string }) => p.kind === 'kindgesprek')?.level).toBe(0);
  });
});
