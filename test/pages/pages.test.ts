/**
 * The dashboard pages and action forms over HTTP against the real API, worker and Temporal dev
 * server (test/api/support.ts): sessions from an API key, action links (single purpose, single
 * use, expiring, only for their household and their person), the forms running the same commands
 * as the API with refusals shown next to their field, "mijn taken", and access per organisation.
 */
import { DEFAULT_POLICY, Policy } from '../../domain/policy';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import supertest from 'supertest';
import { actionLink, linkExpiry, signAction, signHouseholdLink, type ActionClaims } from '../../platform/links';
import { addDays, amsterdamDay, dutchDate, morningOf } from '../../domain/time';
import { nextWorkingMoment } from '../../domain/calendar';
import type { HouseholdView } from '../../domain/view';
import { bearer, eventually, intakeBody, startStack, type KeyName, type Stack } from '../api/support';
import { loginAs, riskCase } from './support';

const LINK_SECRET = randomBytes(32);
const H = '/api/v1/households';
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const VT2 = { professionalId: 'p-vt-2', organisation: 'veilig-thuis' };
const LT1 = { professionalId: 'p-lt-1', organisation: 'lokaal-team' };

let s: Stack;
const now = () => new Date();
const today = () => amsterdamDay(now());

function api(key: KeyName) {
  return {
    get: (path: string) => s.request.get(path).set('Authorization', bearer(key)),
    post: (path: string, body: object) => s.request.post(path).set('Authorization', bearer(key)).send(body),
  };
}

async function intake(reference: string, extra: object = {}, key: KeyName = 'intake-vt'): Promise<string> {
  const res = await api(key).post(H, intakeBody(reference, extra));
  expect([200, 201]).toContain(res.status);
  return res.body.householdId as string;
}

async function view(id: string): Promise<HouseholdView> {
  const res = await api('coord').get(`${H}/${id}`);
  expect(res.status).toBe(200);
  return res.body as HouseholdView;
}

/** The path of a fresh action link (what a mail or page would carry). */
function link(claims: Omit<ActionClaims, 'exp' | 'nonce'> & { exp?: number }): string {
  return actionLink('', LINK_SECRET, { exp: linkExpiry(now()), nonce: randomBytes(9).toString('base64url'), ...claims });
}

/** A session as this key: a supertest agent keeps the cookie. */
async function loggedIn(key: KeyName) {
  return loginAs(supertest.agent(s.app), key);
}

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

describe('action links', () => {
  let handoverHousehold: string;
  let handoverId: string;
  let other: string;

  beforeAll(async () => {
    handoverHousehold = await intake('pages-handover', { owner: VT1 });
    other = await intake('pages-other', { owner: VT2 });
    const started = await api('pro-vt').post(`${H}/${handoverHousehold}/handovers`, {
      role: 'eigenaar_veiligheid',
      to: LT1,
      reason: 'complexiteit',
    });
    expect(started.status).toBe(200);
    handoverId = (started.body as HouseholdView).state.handovers[0]!.id;
  });

  test('a tampered, expired, other-household or wrong-purpose link is refused and changes nothing', async () => {
    const good = link({ householdId: handoverHousehold, action: 'overdracht_start', sub: LT1.professionalId, ref: handoverId });
    const [, , hh, token] = good.split('/');
    const [payload, signature] = token!.split('.');
    const tampered = `/acties/${hh}/${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    const widened = `/acties/${hh}/${Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ref: 'o-99' }),
    ).toString('base64url')}.${signature}`;
    const expired = link({
      householdId: handoverHousehold,
      action: 'overdracht_start',
      sub: LT1.professionalId,
      ref: handoverId,
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    const elsewhere = `/acties/${other}/${token}`;
    const tasks = `/acties/${hh}/${signAction(LINK_SECRET, { action: 'taken', sub: LT1.professionalId, exp: linkExpiry(now()), nonce: 'abcdefghij' })}`;

    for (const [path, status, text] of [
      [tampered, 403, 'Deze link is ongeldig'],
      [widened, 403, 'Deze link is ongeldig'],
      [expired, 410, 'Deze link is verlopen'],
      [elsewhere, 403, 'hoort bij een ander huishouden'],
      [tasks, 403, 'Deze link opent geen formulier'],
    ] as const) {
      for (const method of ['get', 'post'] as const) {
        const res = await s.request[method](path).type('form').send({ datum: today(), huishouden: 'ja' });
        expect([path, method, res.status]).toEqual([path, method, status]);
        expect(res.text).toContain(text);
        // Every refusal offers to log in instead.
        expect(res.text).toContain('/dashboard/login?next=');
      }
    }
    expect((await view(handoverHousehold)).state.handovers[0]!.confirmedAt).toBeUndefined();
  });

  test('only the incoming professional can use the start form (R-24); the outgoing one gets the rule', async () => {
    const res = await s.request
      .post(link({ householdId: handoverHousehold, action: 'overdracht_start', sub: VT1.professionalId, ref: handoverId }))
      .type('form')
      .send({ datum: today(), huishouden: 'ja' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Alleen de nieuwe professional bevestigt de start');
    expect(res.text).toContain('(R-24)');
  });

  test('R-24: the incoming professional confirms with the household present; the handover closes, its reminders stop, and the link is spent', async () => {
    const path = link({ householdId: handoverHousehold, action: 'overdracht_start', sub: LT1.professionalId, ref: handoverId });
    const form = await s.request.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Start van de overdracht bevestigen');
    expect(form.text).toContain('<label for="datum">Datum van het gezamenlijke bezoek</label>');
    expect((await view(handoverHousehold)).plan.map((p) => p.kind)).toContain('overdracht');

    // Without the household: refused by the domain, shown next to the checkbox, nothing changed.
    const without = await s.request.post(path).type('form').send({ datum: today() });
    expect(without.status).toBe(422);
    expect(without.text).toMatch(
      /<p class="field-error" id="huishouden-fout">Een overdracht gebeurt met het huishouden erbij[^<]*\(R-24\)<\/p>/,
    );
    const future = await s.request
      .post(path)
      .type('form')
      .send({ datum: addDays(today(), 2), huishouden: 'ja' });
    expect(future.status).toBe(422);
    expect(future.text).toMatch(/id="datum-fout">De startdatum ligt in de toekomst/);
    expect((await view(handoverHousehold)).state.handovers[0]!.confirmedAt).toBeUndefined();

    const done = await s.request.post(path).type('form').send({ datum: today(), huishouden: 'ja' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('De start is bevestigd');
    const after = await view(handoverHousehold);
    expect(after.state.handovers[0]).toMatchObject({ confirmedAt: expect.any(String), startDate: today() });
    expect(after.state.roles.eigenaar_veiligheid?.professionalId).toBe(LT1.professionalId);
    // The outgoing professional is no longer responsible: no handover reminder, no longer involved.
    expect(after.plan.map((p) => p.kind)).not.toContain('overdracht');
    expect(after.plan.flatMap((p) => p.responsible)).not.toContain(VT1.professionalId);

    const again = await s.request.get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('Deze link is al gebruikt');
    // A fresh link for the settled handover says there is nothing left to do.
    const fresh = await s.request.get(
      link({ householdId: handoverHousehold, action: 'overdracht_start', sub: LT1.professionalId, ref: handoverId }),
    );
    expect(fresh.text).toContain('Deze overdracht is al bevestigd');
  });

  test('a professional no longer involved cannot use an old link (R-64)', async () => {
    const res = await s.request.get(link({ householdId: handoverHousehold, action: 'bewijs', sub: VT1.professionalId, ref: 'genogram' }));
    expect(res.status).toBe(403);
    expect(res.text).toContain('U bent niet meer betrokken bij dit huishouden');
  });

  test('evidence per child (R-13): members come from the household, the refusal sits next to them', async () => {
    const hh = await intake('pages-evidence', { owner: VT2 });
    const path = link({ householdId: hh, action: 'bewijs', sub: VT2.professionalId, ref: 'kindgesprek' });
    const form = await s.request.get(path);
    expect(form.text).toContain('Gesprek met kind of kwetsbare volwassene vastleggen (R-13)');
    expect(form.text).toContain('value="kind-1"');
    expect(form.text).not.toContain('value="ouder-1"');
    const none = await s.request.post(path).type('form').send({ item: 'kindgesprek', datum: today() });
    expect(none.status).toBe(422);
    expect(none.text).toContain('id="leden-fout"');
    const ok = await s.request
      .post(path)
      .type('form')
      .send({ item: 'kindgesprek', datum: today(), leden: 'kind-1', toelichting: 'Gesprek op school' });
    expect(ok.status).toBe(200);
    const after = await view(hh);
    expect(after.state.evidence).toEqual([
      expect.objectContaining({ item: 'kindgesprek', members: ['kind-1'], note: 'Gesprek op school' }),
    ]);
    expect(after.plan.map((p) => p.rule)).not.toContain('R-13');
  });
});

describe('R-60 controle and R-63 team consultation', () => {
  test('a controle through its action link records how the visit was made; the household page lists it with the network share', async () => {
    const hh = await intake('pages-controle', { owner: VT2 });
    // Dated after the intake answered: never before the trajectory's first day, whatever the hour.
    const date = today();
    const path = link({ householdId: hh, action: 'bewijs', sub: VT2.professionalId, ref: 'controle' });
    const form = await s.request.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Controle van de veiligheidsafspraken (bezoek) vastleggen (R-60)');
    expect(form.text).toContain('Dit is geen criterium van de fase');
    expect(form.text).toMatch(
      /<legend>Was het bezoek aangekondigd\?<\/legend>\s*<div><input type="radio" id="bezoek" name="bezoek" value="gepland" required/,
    );
    expect(form.text).toContain('<label for="door-1" class="inline">Een professional</label>');

    // Without the visit the domain refuses beside the field; half a visit is named where it is missing.
    const none = await s.request.post(path).type('form').send({ item: 'controle', datum: date });
    expect(none.status).toBe(422);
    expect(none.text).toMatch(/<p class="field-error" id="bezoek-fout">Leg bij een controle vast[^<]*\(R-60\)<\/p>/);
    const half = await s.request.post(path).type('form').send({ item: 'controle', datum: date, bezoek: 'onaangekondigd' });
    expect(half.status).toBe(422);
    expect(half.text).toContain('id="door-fout">Kies wie controleerde: het netwerk of een professional (R-60).');
    expect(half.text).toMatch(/id="bezoek-1" name="bezoek" value="onaangekondigd" required checked/);
    expect((await view(hh)).state.evidence).toEqual([]);

    const ok = await s.request.post(path).type('form').send({ item: 'controle', datum: date, bezoek: 'onaangekondigd', door: 'netwerk' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(`De laatste controle van de veiligheidsafspraken was op ${dutchDate(date)}.`);
    const after = await view(hh);
    expect(after.state.evidence).toEqual([
      expect.objectContaining({ item: 'controle', date, visit: { kind: 'onaangekondigd', by: 'netwerk' }, recordedBy: VT2.professionalId }),
    ]);
    // Four weeks on, at the moment the mail really goes out (a weekend or holiday moves it on).
    expect(after.plan.find((p) => p.rule === 'R-60')?.remindAt).toBe(
      nextWorkingMoment(morningOf(addDays(date, 28)), DEFAULT_POLICY.workingHours),
    );

    const page = await (await loggedIn('coord')).get(`/dashboard/households/${hh}`);
    expect(page.status).toBe(200);
    const section = /<section class="card" aria-labelledby="controle">[^]*?<\/section>/.exec(page.text)![0];
    expect(section).toContain('<h2 id="controle">Controle (R-60)</h2>');
    expect(section).toContain('Door het netwerk: 1 van 1 (100%).');
    expect(section).toContain(`<li>${dutchDate(date)}: onaangekondigd, door het netwerk <span class="muted">(Fase Veiligheid)</span></li>`);
    expect(page.text).toMatch(
      /<h2 id="teamoverleg">Teamoverleg per fase \(R-63\)<\/h2>\s*<ul class="plain"><li>Fase Veiligheid: nog niet vastgelegd<\/li><\/ul>/,
    );
  });
});

describe('the evaluation form and escalations', () => {
  let hh: string;

  beforeAll(async () => {
    hh = await intake('pages-risk', riskCase(VT1));
  });

  test('R-18/R-39: the form shows the last scores and the run; a score needs its behaviour; the run changes', async () => {
    const path = link({ householdId: hh, action: 'evaluatie', sub: VT1.professionalId });
    const form = await s.request.get(path);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Geweld bij ruzie over geld');
    expect(form.text).toContain('Huidige reeks: 0 maanden op 6 of hoger; nodig: 6 (R-39)');
    expect(form.text).toMatch(/Laatste scores: huishouden 4/);

    const missing = await s.request.post(path).type('form').send({ datum: today(), 'score-d-1-huishouden': '8' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('id="gedrag-d-1-huishouden-fout"');
    const before = await view(hh);
    expect(before.state.scores).toHaveLength(3);

    const filled = Object.fromEntries(
      ['huishouden', 'netwerk', 'professionals'].flatMap((g) => [
        [`score-d-1-${g}`, '8'],
        [`gedrag-d-1-${g}`, `Ruzie zonder geweld, ${g} zag het`],
      ]),
    );
    const done = await s.request
      .post(path)
      .type('form')
      .send({ datum: today(), ...filled });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Huidige reeks: 1 maand op 6 of hoger; nodig: 6 (R-39)');
    const after = await view(hh);
    expect(after.runs).toEqual([{ dangerId: 'd-1', riskMonths: 1, consensusMonths: 1 }]);
    expect(after.state.scores.filter((x) => x.date === today()).map((x) => [x.group, x.value, x.recordedBy])).toEqual([
      ['huishouden', 8, VT1.professionalId],
      ['netwerk', 8, VT1.professionalId],
      ['professionals', 8, VT1.professionalId],
    ]);
    // Texts are stored like the API's: readable again on the page.
    expect(after.state.scores.at(-1)!.observedBehaviour).toBe('Ruzie zonder geweld, professionals zag het');
  });

  test('an escalation is acknowledged with a plan that the coordinator sees on the household page', async () => {
    const escalated = await eventually(
      () => view(hh),
      (v) => v.state.escalations.some((e) => !e.resolvedAt),
    );
    const e = escalated.state.escalations.find((x) => !x.resolvedAt)!;
    const path = link({ householdId: hh, action: 'escalatie', sub: VT1.professionalId, ref: e.key });
    const form = await s.request.get(path);
    expect(form.text).toContain(e.reason);
    const empty = await s.request.post(path).type('form').send({ plan: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="plan-fout"');
    const ok = await s.request.post(path).type('form').send({ plan: 'Donderdag netwerkberaad, daarna dagelijks bellen.' });
    expect(ok.status).toBe(200);
    const coordinator = await loggedIn('coord');
    const page = await coordinator.get(`/dashboard/households/${hh}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Bevestigd door ${VT1.professionalId}`);
    expect(page.text).toContain('Donderdag netwerkberaad, daarna dagelijks bellen.');
  });

  test('the household page draws a chart per danger with one point per group and scored month', async () => {
    const coordinator = await loggedIn('coord');
    const page = await coordinator.get(`/dashboard/households/${hh}`);
    const svg = /<svg class="chart"[^]*?<\/svg>/.exec(page.text)![0];
    const scored = new Set((await view(hh)).state.scores.map((x) => `${x.group}:${x.date.slice(0, 7)}`));
    expect(svg.match(/class="point"/g)).toHaveLength(scored.size);
    expect(svg).toContain('6: veilig genoeg (R-39)');
    expect(svg).toContain('Huidige reeks: 1 maand');
    // The coordinator does not act on households: no action buttons.
    expect(page.text).not.toContain('/acties/');
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
