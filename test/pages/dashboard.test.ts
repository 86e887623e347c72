/**
 * The dashboard over HTTP against the real API, worker and Temporal dev server (test/api/support.ts):
 * sessions from an API key, "mijn taken", the overview and household pages per organisation
 * with search, paging and a mail's household link, and the impact page and CSV. Action
 * links and their forms: action-links.test.ts.
 */
import { DEFAULT_POLICY } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { actionLink, linkExpiry, signHouseholdLink } from '../../platform/links';
import { eventually, H, startStack, type Stack } from '../api/support';
import { LT1, pageCalls, riskCase, VT1, VT2 } from './support';

const LINK_SECRET = randomBytes(32);

let s: Stack;
const now = () => new Date();
const { api, intake, loggedIn } = pageCalls(() => s, LINK_SECRET);

beforeAll(async () => {
  // Imports escalate as they stand (no review, issue 22): the escalated households here are imported ones.
  s = await startStack({}, { linkSecret: LINK_SECRET, policy: Policy.parse({ ...DEFAULT_POLICY, importReviewDays: 0 }) });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('sessions', () => {
  test('no session sends to the login page, with the way back', async () => {
    const res = await s.request.get('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dashboard/login?next=%2Fdashboard');
    const login = await s.request.get('/dashboard/login?next=%2Fdashboard%2Ftaken');
    expect(login.text).toContain('<label for="sleutel">API-sleutel</label>');
    expect(login.text).toContain('value="/dashboard/taken"');
    expect(login.headers['content-security-policy']).toContain("default-src 'none'");
    expect(login.headers['content-security-policy']).not.toContain('script-src');
  });

  test('a wrong key is a 401 page in Dutch; a redirect never leaves the site', async () => {
    const res = await s.request.post('/dashboard/login').type('form').send({ sleutel: 'geen-sleutel', next: '//evil.example' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Deze API-sleutel is onbekend.');
    expect(res.headers['set-cookie']).toBeUndefined();
    const ok = await s.request.post('/dashboard/login').type('form').send({ sleutel: 'coord', next: 'https://evil.example/x' });
    expect(ok.headers.location).toBe('/dashboard');
  });

  test('a forged session cookie is no session', async () => {
    const res = await s.request.get('/dashboard').set('Cookie', 'rk_sessie=eyJrIjoiY29vcmQiLCJleHAiOjk5OTk5OTk5OTl9.AAAA');
    expect(res.status).toBe(303);
  });
});

describe('pages per reader', () => {
  let ids: Record<string, string>;

  beforeAll(async () => {
    ids = {
      vt1: await intake('pages-reader-vt1', { owner: VT1 }),
      vt2: await intake('pages-reader-vt2', { owner: VT2 }),
      lt1: await intake('pages-reader-lt1', { owner: LT1 }, 'intake-lt'),
    };
  });

  test('"mijn taken" lists exactly the households the professional is involved in, with their own reference only', async () => {
    const agent = await loggedIn('pro-vt2');
    const mine = async () => {
      const res = await agent.get('/dashboard/taken');
      expect(res.status).toBe(200);
      return [...res.text.matchAll(/<li data-household="([^"]+)"/g)].map((m) => m[1]!);
    };
    await eventually(mine, (listed) => listed.includes(ids.vt2!));
    const listed = await mine();
    expect(listed).not.toContain(ids.vt1);
    expect(listed).not.toContain(ids.lt1);
    const page = (await agent.get('/dashboard/taken')).text;
    expect(page).toContain('uw referentie pages-reader-vt2');
    // Each household offers the forms, signed for this professional.
    expect(page).toMatch(new RegExp(`href="/acties/${ids.vt2}/[^"]+">Scores van deze maand invullen`));

    // Through the signed link in a mail: the same list, without a key.
    const viaMail = await s.request.get(
      actionLink('', LINK_SECRET, {
        action: 'taken',
        sub: LT1.professionalId,
        ref: 'lokaal-team',
        exp: linkExpiry(now()),
        nonce: 'nonce-taken-1',
      }),
    );
    expect(viaMail.status).toBe(200);
    expect(viaMail.text).toContain(`data-household="${ids.lt1}"`);
    expect(viaMail.text).toContain('uw referentie pages-reader-lt1');
    expect(viaMail.text).not.toContain(`data-household="${ids.vt2}"`);
  });

  test('a coordinator has no task list, an intake key neither', async () => {
    expect((await (await loggedIn('coord')).get('/dashboard/taken')).status).toBe(403);
    expect((await (await loggedIn('intake-vt')).get('/dashboard/taken')).status).toBe(403);
  });

  test('R-64: the overview and household pages show only what the organisation may see', async () => {
    const ggz = await loggedIn('pro-ggz');
    const overview = await eventually(
      () => ggz.get('/dashboard'),
      (r) => r.status === 200,
    );
    for (const id of Object.values(ids)) expect(overview.text).not.toContain(id);
    const page = await ggz.get(`/dashboard/households/${ids.vt1}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Dit huishouden bestaat niet.');

    const lt = await loggedIn('pro-lt');
    const ltPage = await lt.get(`/dashboard/households/${ids.lt1}`);
    expect(ltPage.status).toBe(200);
    expect(ltPage.text).toContain('uw referentie pages-reader-lt1');
    const vtSees = await (await loggedIn('pro-vt')).get(`/dashboard/households/${ids.lt1}`);
    expect(vtSees.status).toBe(404);
  });

  test('the overview filters are form controls, and a search by the intake reference finds the household, for its own organisation and the coordinator only', async () => {
    const coordinator = await loggedIn('coord');
    const form = (await coordinator.get('/dashboard')).text;
    for (const control of [
      '<input type="search" id="zoek"',
      '<select id="organisation"',
      '<select id="casusregisseur"',
      '<select id="phase"',
      '<select id="escalationLevel"',
      '<select id="overdue"',
    ])
      expect(form).toContain(control);
    const listed = (text: string) => [...text.matchAll(/<a class="ref" href="\/dashboard\/households\/([^"]+)"/g)].map((m) => m[1]);
    // The coordinator finds any organisation's household by its reference, or by its id.
    expect(listed((await coordinator.get('/dashboard?zoek=pages-reader-lt1')).text)).toEqual([ids.lt1]);
    expect(listed((await coordinator.get(`/dashboard?zoek=${ids.vt2}`)).text)).toEqual([ids.vt2]);
    // Empty choices of the form are no filter; an organisation chosen narrows the list.
    const byOrg = listed((await coordinator.get('/dashboard?zoek=&phase=&organisation=lokaal-team&status=running')).text);
    expect(byOrg).toContain(ids.lt1);
    expect(byOrg).not.toContain(ids.vt1);
    // A professional finds their own organisation's household by its reference, with the reference shown.
    const vt = await loggedIn('pro-vt');
    const own = await vt.get('/dashboard?zoek=pages-reader-vt1');
    expect(listed(own.text)).toEqual([ids.vt1]);
    expect(own.text).toContain('uw referentie pages-reader-vt1');
    // Another organisation's reference finds nothing for them, and says nothing of it.
    const other = await vt.get('/dashboard?zoek=pages-reader-lt1');
    expect(listed(other.text)).toEqual([]);
    expect(other.text).toContain('Geen huishoudens met deze filters.');
    expect(listed((await coordinator.get('/dashboard?zoek=bestaat-niet')).text)).toEqual([]);
  });

  test('an alias is found however it is typed and shown with first names to involved readers only (issue 20)', async () => {
    const id = await intake('pages-alias', {
      owner: VT1,
      alias: 'Gezin de Boer',
      members: [
        { ref: 'kind-1', isChild: true, firstName: 'Noor', age: 6 },
        { ref: 'ouder-1', isChild: false },
      ],
    });
    const listed = (text: string) => [...text.matchAll(/<a class="ref" href="\/dashboard\/households\/([^"]+)"/g)].map((m) => m[1]);
    const coordinator = await loggedIn('coord');
    const found = await eventually(
      () => coordinator.get(`/dashboard?zoek=${encodeURIComponent('  gezin DE   boer ')}`),
      (r) => listed(r.text).length === 1,
    );
    expect(listed(found.text)).toEqual([id]);
    expect(found.text).toContain('Gezin de Boer');
    const vt = await loggedIn('pro-vt');
    expect(listed((await vt.get('/dashboard?zoek=Gezin+de+Boer')).text)).toEqual([id]);
    const page = (await vt.get(`/dashboard/households/${id}`)).text;
    expect(page).toContain('<h1>Gezin de Boer <span class="ref">');
    expect(page).toContain('Noor (kind-1, 6 jaar bij aanmelding, kind)');
    // An organisation that is not involved finds nothing and reads nothing of it.
    const ggz = await loggedIn('pro-ggz');
    const none = await ggz.get('/dashboard?zoek=Gezin+de+Boer');
    expect(listed(none.text)).toEqual([]);
    expect(/<tbody>[^]*<\/tbody>/.exec(none.text)![0]).not.toContain('Gezin de Boer');
    expect((await ggz.get(`/dashboard/households/${id}`)).text).not.toContain('Noor');
  });

  test('a household link from a mail opens its household only', async () => {
    const token = signHouseholdLink(LINK_SECRET, { householdId: ids.vt1!, sub: VT1.professionalId, exp: linkExpiry(now()) });
    const ok = await s.request.get(`/dashboard/households/${ids.vt1}?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Uw acties');
    const other = await s.request.get(`/dashboard/households/${ids.vt2}?token=${token}`);
    expect(other.status).toBe(403);
    expect(other.text).toContain('alleen toegang tot het huishouden waarvoor hij is verstuurd');
  });

  test('the overview counts over all pages and pages on with a signed token', async () => {
    const coordinator = await loggedIn('coord');
    const counts = (await api('coord').get(`${H}/overview`)).body as { total: number };
    const first = await coordinator.get('/dashboard?pageSize=2');
    expect(first.text).toMatch(new RegExp(`data-figure="total"[^>]*><span class="tile-value">${counts.total}</span>`));
    expect([...first.text.matchAll(/<tr class="row-level/g)]).toHaveLength(2);
    const next = /href="(\/dashboard\?[^"]*nextPageToken=[^"]+)"/.exec(first.text)![1]!.replace(/&amp;/g, '&');
    const second = await coordinator.get(next);
    expect(second.status).toBe(200);
    const firstIds = [...first.text.matchAll(/<a class="ref" href="\/dashboard\/households\/([^"]+)"/g)].map((m) => m[1]);
    const secondIds = [...second.text.matchAll(/<a class="ref" href="\/dashboard\/households\/([^"]+)"/g)].map((m) => m[1]);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    const bad = await coordinator.get('/dashboard?phase=onbekend');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('Dit filter kan niet');
  });
});

describe('impact (R-61)', () => {
  beforeAll(async () => {
    // A case that escalates at once: an escalation in the period, of fewer than five households.
    await intake('pages-impact', riskCase(VT1));
  });

  test('the CSV parses, one line per figure, and equals the figures on the page; suppression is marked, never a zero', async () => {
    const json = await eventually(
      () => api('coord').get('/api/v1/impact'),
      (r) => r.status === 200 && r.body.escalations.total.suppressed === true,
    );
    const csv = await api('coord').get('/api/v1/impact').set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="routekaart-impact-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    // A UTF-8 byte-order mark first, so Excel shows the accents (issue 22).
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.text, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['sectie', 'onderdeel', 'maat', 'waarde', 'opmerking']);
    // The escalations of this test's households: fewer than five households, so suppressed.
    const total = rows.find((r) => r.sectie === 'escalaties' && r.onderdeel === 'totaal')!;
    expect(json.body.escalations.total).toEqual({ suppressed: true, reason: 'minder dan 5 huishoudens' });
    expect(JSON.stringify(json.body)).not.toContain('pages-impact');
    expect(total).toMatchObject({ waarde: '', opmerking: 'onderdrukt: minder dan 5 huishoudens' });

    const page = await (await loggedIn('coord')).get('/dashboard/impact');
    expect(page.status).toBe(200);
    const cells = [
      ...page.text.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="num" data-value="([^"]*)">/g),
    ].map((m) =>
      m.slice(1, 5).map((x) =>
        x
          .replace(/&amp;/g, '&')
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"'),
      ),
    );
    expect(cells).toEqual(rows.map((r) => [r.sectie, r.onderdeel, r.maat, r.waarde]));
    // ?format=csv is the same as the Accept header; the page's own CSV link gives the same file.
    expect((await api('coord').get('/api/v1/impact?format=csv')).text).toBe(csv.text);
    expect((await (await loggedIn('coord')).get('/dashboard/impact.csv')).text).toBe(csv.text);
  });

  test('an organisation sees its own figures only; a bad period is a 400 in Dutch', async () => {
    const own = await api('pro-vt').get('/api/v1/impact');
    expect(own.status).toBe(200);
    expect(own.body.organisation).toBe('veilig-thuis');
    const other = await api('pro-vt').get('/api/v1/impact?organisation=lokaal-team');
    expect(other.status).toBe(403);
    const backwards = await api('coord').get('/api/v1/impact?from=2026-05-01&to=2026-04-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain("'from' ligt vóór 'to'");
    expect((await api('coord').get('/api/v1/impact?organisation=veilig-thuis')).body.organisation).toBe('veilig-thuis');
  });
});
