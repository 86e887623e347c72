/**
 * Issue 19 over HTTP against the real API, worker and Temporal dev server: an action link runs its
 * commands once, whatever its spelling and however often or concurrently it is submitted; every
 * refused link is in the audit chain with its reason and without personal data, and the chain
 * still verifies. And a page offers an action only to whom the action page admits.
 */
import { randomBytes } from 'node:crypto';
import supertest from 'supertest';
import type { HouseholdView } from '../../domain/view';
import { actionLink, linkExpiry, signHouseholdLink, type ActionClaims } from '../../platform/links';
import type { AuditEntry } from '../../platform/store/audit';
import { bearer, eventually, intakeBody, startStack, today, type KeyName, type Stack } from '../api/support';
import { spellings } from '../support/tokens';

const LINK_SECRET = randomBytes(32);
const H = '/api/v1/households';
const ROUTE = '/acties/:householdId/:token';
const VT2 = { professionalId: 'p-vt-2', organisation: 'veilig-thuis' };
const NOTE = 'Genogram besproken met de grootouders';

let s: Stack;

async function intake(reference: string, owner: typeof VT2): Promise<string> {
  const res = await s.request.post(H).set('Authorization', bearer('intake-vt')).send(intakeBody(reference, { owner }));
  expect([200, 201]).toContain(res.status);
  return res.body.householdId as string;
}

async function evidence(id: string): Promise<HouseholdView['state']['evidence']> {
  const res = await s.request.get(`${H}/${id}`).set('Authorization', bearer('coord'));
  expect(res.status).toBe(200);
  return (res.body as HouseholdView).state.evidence;
}

function link(claims: Omit<ActionClaims, 'exp' | 'nonce'> & { exp?: number }): string {
  return actionLink('', LINK_SECRET, { exp: linkExpiry(new Date()), nonce: randomBytes(9).toString('base64url'), ...claims });
}

const submit = (path: string) => s.request.post(path).type('form').send({ item: 'genogram', datum: today(), toelichting: NOTE });

async function auditOf(householdId: string): Promise<AuditEntry[]> {
  return (await s.audit.page({ householdId, limit: 1000 })).filter((e) => e.what.route === ROUTE);
}

async function loggedIn(key: KeyName) {
  const agent = supertest.agent(s.app);
  expect((await agent.post('/dashboard/login').type('form').send({ sleutel: key, next: '/dashboard' })).status).toBe(303);
  return agent;
}

beforeAll(async () => {
  s = await startStack({}, { linkSecret: LINK_SECRET });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('an action link works once (issue 19)', () => {
  test('all four spellings before and after use, and the link itself: exactly one submit changes the household; each refusal is audited', async () => {
    const hh = await intake('replay-spellings', VT2);
    const path = link({ householdId: hh, action: 'bewijs', sub: VT2.professionalId, ref: 'genogram' });
    const token = path.split('/')[3]!;
    const [canonical, ...variants] = spellings(token).map((t) => `/acties/${hh}/${t}`);
    expect(variants).toHaveLength(3);

    // Respelled before the link was used: refused, and the link is not spent by it.
    for (const v of variants) {
      const res = await submit(v);
      expect([v, res.status]).toEqual([v, 403]);
      expect(res.text).toContain('Deze link is ongeldig');
      expect(res.text).toContain('/dashboard/login?next=');
    }
    expect(await evidence(hh)).toEqual([]);

    const used = await submit(canonical!);
    expect(used.status).toBe(200);
    expect(await evidence(hh)).toHaveLength(1);

    // All four spellings of the used link, by POST and by GET: nothing runs again.
    for (const p of [canonical!, ...variants]) {
      for (const res of [await submit(p), await s.request.get(p)]) {
        expect([p, res.status]).toEqual([p, p === canonical ? 410 : 403]);
        expect(res.text).toContain(p === canonical ? 'Deze link is al gebruikt' : 'Deze link is ongeldig');
      }
    }
    expect(await evidence(hh)).toEqual([expect.objectContaining({ item: 'genogram', note: NOTE, recordedBy: VT2.professionalId })]);

    const lines = await auditOf(hh);
    const refusals = lines.filter((e) => e.what.reason);
    expect(refusals.map((e) => [e.what.method, e.what.status, e.what.reason])).toEqual([
      ...variants.map(() => ['POST', 403, 'variant']),
      ['POST', 410, 'used'],
      ['GET', 410, 'used'],
      ...variants.flatMap(() => [
        ['POST', 403, 'variant'],
        ['GET', 403, 'variant'],
      ]),
    ]);
    for (const e of refusals) expect(e.who).toEqual({ link: VT2.professionalId, role: 'link' });
    expect(lines.filter((e) => !e.what.reason).map((e) => [e.what.method, e.what.status])).toEqual([['POST', 200]]);
    // No token, no spelling of one, no text of the household in any line; the chain still holds.
    const all = JSON.stringify(await s.audit.page({ limit: 100_000 }));
    for (const t of spellings(token)) expect(all).not.toContain(t.split('.')[1]);
    expect(all).not.toContain(NOTE);
    expect(all).not.toContain('replay-spellings');
    expect(await s.audit.verify()).toMatchObject({ ok: true });
  });

  test('two submits of one link at the same moment: exactly one runs, the other is told the link was used', async () => {
    const hh = await intake('replay-concurrent', VT2);
    const path = link({ householdId: hh, action: 'bewijs', sub: VT2.professionalId, ref: 'genogram' });
    const results = await Promise.all([submit(path), submit(path), submit(path)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect(await evidence(hh)).toHaveLength(1);
    expect((await auditOf(hh)).filter((e) => e.what.reason === 'used')).toHaveLength(2);
  });

  test('expired and forged links are refused and audited with their reason; a forged one without anyone named', async () => {
    const hh = await intake('replay-refusals', VT2);
    const expired = link({ householdId: hh, action: 'bewijs', sub: VT2.professionalId, exp: Math.floor(Date.now() / 1000) - 60 });
    const res = await submit(expired);
    expect(res.status).toBe(410);
    expect(res.text).toContain('Deze link is verlopen');
    expect((await auditOf(hh)).map((e) => [e.who, e.what.status, e.what.reason])).toEqual([
      [{ link: VT2.professionalId, role: 'link' }, 410, 'expired'],
    ]);

    // A forged link names nobody: refused attempts are written in batches, as the API's are.
    const forged = await s.request.get(`/acties/${hh}/eyJmb28iOjF9.${'A'.repeat(43)}`);
    expect(forged.status).toBe(403);
    const line = await eventually(
      async () => (await s.audit.page({ limit: 100_000 })).find((e) => e.what.route === ROUTE && e.what.reason === 'forged'),
      (e) => e !== undefined,
    );
    expect(line).toMatchObject({ who: null, what: { method: 'GET', status: 403, reason: 'forged', count: 1 } });
    expect(line!.what.householdId).toBeUndefined();

    // A household link from a mail, respelled: refused and audited as a variant too.
    const token = signHouseholdLink(LINK_SECRET, { householdId: hh, sub: VT2.professionalId, exp: linkExpiry(new Date()) });
    const respelled = await s.request.get(`/dashboard/households/${hh}?token=${spellings(token)[1]}`);
    expect(respelled.status).toBe(401);
    const page = (await s.audit.page({ householdId: hh, limit: 1000 })).filter((e) => e.what.route === '/dashboard/households/:id');
    expect(page.map((e) => [e.what.status, e.what.reason])).toEqual([[401, 'variant']]);
    expect(await s.audit.verify()).toMatchObject({ ok: true });
  });
  test("the API's Link header: a respelled household link is refused (401) and counted as a variant in the audit chain", async () => {
    const hh = await intake('replay-api-link', VT2);
    const token = signHouseholdLink(LINK_SECRET, { householdId: hh, sub: VT2.professionalId, exp: linkExpiry(new Date()) });
    expect((await s.request.get(`${H}/${hh}`).set('Authorization', `Link ${token}`)).status).toBe(200);
    for (const v of spellings(token).slice(1))
      expect((await s.request.get(`${H}/${hh}`).set('Authorization', `Link ${v}`)).status).toBe(401);
    // Written in batches: the lines of this route and reason add up to the three refusals.
    const found = await eventually(
      async () =>
        (await s.audit.page({ limit: 100_000 })).filter((e) => e.what.route === '/api/v1/households/:id' && e.what.reason === 'variant'),
      (list) => list.reduce((n, e) => n + (e.what.count ?? 0), 0) === 3,
    );
    for (const e of found) expect(e).toMatchObject({ who: null, what: { method: 'GET', status: 401, reason: 'variant' } });
  });
});

describe('only offer what may be done (issue 19)', () => {
  test('a professional of the involved organisation who holds no role sees no action buttons; the role holder does, and they work', async () => {
    const hh = await intake('replay-offers', VT2);
    const bystander = await (await loggedIn('pro-vt')).get(`/dashboard/households/${hh}`);
    expect(bystander.status).toBe(200);
    // Logged in, actions are the forms of the household page (api/pages/forms/).
    expect(bystander.text).not.toContain('id="formulieren"');
    expect(bystander.text).not.toContain('/acties/');

    const holder = await (await loggedIn('pro-vt2')).get(`/dashboard/households/${hh}`);
    expect(holder.text).toContain('id="formulieren"');
  });

  test('a closed trajectory (R-50) offers its role holder nothing more to record', async () => {
    const res = await s.request
      .post(H)
      .set('Authorization', bearer('intake-vt'))
      .send(intakeBody('replay-closed', { owner: VT2, casusregisseur: VT2 }));
    const hh = res.body.householdId as string;
    const holder = await loggedIn('pro-vt2');
    expect((await holder.get(`/dashboard/households/${hh}`)).text).toContain('id="formulieren"');
    const closed = await s.request
      .post(`${H}/${hh}/closure`)
      .set('Authorization', bearer('pro-vt2'))
      .send({ justification: 'Gezin verhuisd naar een andere regio; overgedragen aan de daar betrokken hulp.' });
    expect(closed.status).toBe(200);
    const page = await holder.get(`/dashboard/households/${hh}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="formulieren"');
    expect(page.text).not.toContain('/acties/');
    // Their own organisation's reference still shows: only the buttons are gone.
    expect(page.text).toContain('uw referentie replay-closed');
  });
});
