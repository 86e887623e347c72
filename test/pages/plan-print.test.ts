/**
 * The printable plan and the family's personal log link (issue 21) against the real API, worker
 * and Temporal dev server: in Chromium the plan page shows every agreement (screenshot kept under
 * test-artifacts/), the child's version and the comparison say what they must, the PDF is a PDF,
 * and axe-core finds no serious violation on the plan pages or the log page. The log link adds an
 * entry through addLogEntry and shows its holder's own entries, opens nothing else, and is refused
 * and audited once revoked or when it names another household.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import supertest from 'supertest';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { HouseholdView } from '../../domain/view';
import { signLogLink } from '../../platform/links';
import { bearer, intakeBody, startStack, today, type KeyName, type Stack } from '../api/support';
import { freePort } from '../support/harness/ports';
import { renderPdf } from '../support/pdf-in-chromium';
import { loginAs } from './support';

declare const window: { axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } };
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'test-artifacts', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const linkSecret = randomBytes(32);

let s: Stack;
let server: Server;
let origin: string;
let browser: Browser;
let hh: string;
let other: string;
let planId: string;
const contexts: BrowserContext[] = [];

const H = '/api/v1/households';
const post = (key: KeyName, path: string, body: unknown) =>
  s.request
    .post(path)
    .set('Authorization', bearer(key))
    .send(body as object);

const AGREEMENTS = {
  a1: 'Oma belt elke avond om te horen hoe het gaat.',
  a2: 'Vader gaat bij ruzie een uur wandelen.',
  a3: 'De buurman komt op zaterdag langs.',
};

function agreement(id: keyof typeof AGREEMENTS, when: string) {
  return { id, what: AGREEMENTS[id], who: ['n-oma'], when, monitoring: { by: 'n-oma', everyDays: 7, informs: ['n-oma'] } };
}

function version(dangerId: string, agreements: ReturnType<typeof agreement>[], safeObject: string) {
  return {
    kind: 'direct',
    dangers: [{ dangerId, agreements, whenItGoesWrong: 'Moeder gaat met kind-1 naar oma.' }],
    children: [{ member: 'kind-1', safetyPerson: 'n-oma', safeObject, woordEnBeeld: 'Als papa heel boos wordt, ga je naar oma.' }],
    network: [{ memberId: 'n-oma', role: 'controleert de afspraken' }],
  };
}

/** A household with a casusregisseur, a danger, a network member and, when asked, two versions of a direct plan. */
async function household(reference: string, withPlan: boolean): Promise<string> {
  const created = await post(
    'intake-vt',
    H,
    intakeBody(reference, {
      jeugdbeschermer: false,
      members: [
        { ref: 'kind-1', isChild: true, vulnerableAdult: false, firstName: 'Noor', age: 7 },
        { ref: 'ouder-1', isChild: false, vulnerableAdult: false },
      ],
    }),
  );
  expect(created.status).toBe(201);
  const id = created.body.householdId as string;
  expect((await post('pro-vt', `${H}/${id}/roles`, { role: 'eigenaar_veiligheid', professional: VT1 })).status).toBe(200);
  expect((await post('pro-vt', `${H}/${id}/roles`, { role: 'casusregisseur', professional: VT1 })).status).toBe(200);
  const danger = await post('pro-vt', `${H}/${id}/dangers`, { statement: 'Bij ruzie slaat vader.', safetyGoal: 'Ruzies zonder geweld.' });
  const dangerId = (danger.body as HouseholdView).state.dangers[0]!.id;
  expect((await post('pro-vt', `${H}/${id}/network`, { id: 'n-oma', kind: 'sociaal' })).status).toBe(200);
  if (!withPlan) return id;
  let res = await post(
    'pro-vt',
    `${H}/${id}/plans`,
    version(dangerId, [agreement('a1', 'elke avond om 20:00'), agreement('a2', 'bij ruzie')], 'de blauwe knuffel'),
  );
  expect(res.status).toBe(200);
  planId = (res.body as HouseholdView).state.plans![0]!.planId;
  res = await post('pro-vt', `${H}/${id}/plans`, {
    ...version(dangerId, [agreement('a1', 'elke avond om 19:30'), agreement('a3', 'elke zaterdag')], 'de rode trui'),
    planId,
  });
  expect(res.status).toBe(200);
  expect((await post('pro-vt', `${H}/${id}/plans/${planId}/endorsement`, { version: 2, date: today() })).status).toBe(200);
  return id;
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    bypassCSP: true,
  });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  return context.newPage();
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const { violations } = await page.evaluate(() =>
    window.axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect([name, serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)]).toEqual([name, []]);
}

const plans = (id: string) => `/dashboard/households/${id}/veiligheidsplan`;

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Three entries a day per link, so that the test reaches the limit quickly.
  s = await startStack({}, { publicUrl: origin, linkSecret, policy: { ...DEFAULT_POLICY, logLinkEntriesPerDay: 3 } });
  server = await new Promise<Server>((resolve) => {
    const srv = s.app.listen(port, '127.0.0.1', () => resolve(srv));
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
  hh = await household('plan-print-1', true);
  other = await household('plan-print-2', false);
}, 180_000);

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await s?.close();
});

test('the plan page in Chromium shows every agreement, who checks and the endorsement; the PDF is a PDF; axe finds nothing serious', async () => {
  const page = await newPage();
  await loginAs({ page, origin }, 'pro-vt', plans(hh));
  await expectAccessible(page, 'plannen');
  // The log beside each agreement of the plan in force: none written yet.
  const beside = await page.locator('section[aria-labelledby="afspraken-logboek"] tbody').innerText();
  expect([beside.includes(AGREEMENTS.a1), beside.includes(AGREEMENTS.a3), beside.includes('nog geen')]).toEqual([true, true, true]);
  await page.getByRole('link', { name: 'plan afdrukken' }).last().click();
  await page.waitForURL((u) => u.pathname.endsWith(`/veiligheidsplan/${planId}/2`));
  const text = await page.locator('main, body').first().innerText();
  for (const what of [AGREEMENTS.a1, AGREEMENTS.a3]) expect(text).toContain(what);
  expect(text).not.toContain(AGREEMENTS.a2); // removed in version 2
  expect(text).toContain('elke avond om 19:30');
  expect(text).toContain('Bij ruzie slaat vader.');
  expect(text).toContain('Moeder gaat met kind-1 naar oma.');
  expect(text).toContain('controleert de afspraken');
  expect(text).toMatch(/onderschreven in het overleg van/);
  expect(text).toContain('geen goedkeuring nodig');
  await expectAccessible(page, 'plan');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: join(ARTIFACTS, 'veiligheidsplan-afdruk.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Version 1 still prints as it was.
  await page.goto(`${origin}${plans(hh)}/${planId}/1`);
  expect(await page.locator('body').innerText()).toContain(AGREEMENTS.a2);

  const pdf = await page.request.get(`${origin}${plans(hh)}/${planId}/2/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  // The PDF drawn in Chromium (PDF.js): every agreement of version 2 is in it, the removed one is not.
  const printed = await renderPdf(await newPage(), origin, bytes, join(ARTIFACTS, 'veiligheidsplan-pdf.png'));
  for (const what of [AGREEMENTS.a1, AGREEMENTS.a3, 'Moeder gaat met kind-1 naar oma.', 'controleert de afspraken'])
    expect(printed).toContain(what);
  expect(printed).not.toContain(AGREEMENTS.a2);
  expect(printed).toMatch(/onderschreven/i);
}, 120_000);

test("the child's version in plain words and the comparison of two versions", async () => {
  const page = await newPage();
  await loginAs({ page, origin }, 'pro-vt', `${plans(hh)}/${planId}/2/kind`);
  const child = await page.locator('body').innerText();
  expect(child).toContain('Mijn veiligheidsplan');
  expect(child).toContain('Als papa heel boos wordt, ga je naar oma.');
  expect(child).toContain('n-oma');
  expect(child).toContain('de rode trui');
  expect(child).not.toContain(AGREEMENTS.a1); // the adults' agreements are not the child's text
  await expectAccessible(page, 'kind');
  await page.screenshot({ path: join(ARTIFACTS, 'veiligheidsplan-kind.png'), fullPage: true });

  await page.goto(`${origin}${plans(hh)}`);
  await page.getByRole('link', { name: 'vergelijk met versie 1' }).click();
  const rows = await page.locator('tbody tr').allInnerTexts();
  expect(rows.some((r) => r.includes('Vervallen') && r.includes('Afspraak a2') && r.includes(AGREEMENTS.a2))).toBe(true);
  expect(rows.some((r) => r.includes('Toegevoegd') && r.includes('Afspraak a3'))).toBe(true);
  expect(
    rows.some(
      (r) => r.includes('Gewijzigd') && r.includes('Wanneer') && r.includes('elke avond om 20:00') && r.includes('elke avond om 19:30'),
    ),
  ).toBe(true);
  expect(rows.some((r) => r.includes('Veilig voorwerp') && r.includes('de blauwe knuffel') && r.includes('de rode trui'))).toBe(true);
  await expectAccessible(page, 'vergelijking');
}, 120_000);

test('an uninvolved organisation gets no plan document, and the reads are audited', async () => {
  const agent = await loginAs(supertest.agent(s.app), 'pro-lt');
  for (const path of [`${plans(hh)}/${planId}/2`, `${plans(hh)}/${planId}/2/pdf`, `${plans(hh)}/${planId}/2/kind`]) {
    const res = await agent.get(path);
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain(AGREEMENTS.a1);
  }
  const lines = await s.audit.page({ householdId: hh, limit: 1000 });
  expect(lines.some((l) => l.what.route === '/dashboard/households/:id/veiligheidsplan/:planId/:version' && l.what.status === 200)).toBe(
    true,
  );
  expect(
    lines.some((l) => l.what.route === '/dashboard/households/:id/veiligheidsplan/:planId/:version/pdf' && l.what.status === 404),
  ).toBe(true);
}, 60_000);

test('a personal log link adds an entry through addLogEntry and shows its own entries, opens nothing else, and is refused once revoked', async () => {
  const page = await newPage();
  await loginAs({ page, origin }, 'pro-vt', plans(hh));
  await page.getByLabel('Voor wie is de link?').selectOption('n-oma');
  await page.getByRole('button', { name: 'Link maken' }).click();
  await page.waitForURL((u) => u.pathname.includes('/logboeklinks/'));
  await expect(page.getByRole('img', { name: /QR-code/ }).count()).resolves.toBe(1);
  const url = (await page.locator('a.ref').innerText()).trim();
  expect(url.startsWith(`${origin}/log/`)).toBe(true);
  const token = url.slice(`${origin}/log/`.length);

  // The holder on a phone, with no login at all.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL', bypassCSP: true });
  contexts.push(phone);
  const log = await phone.newPage();
  await log.goto(url);
  await expectAccessible(log, 'logboek');
  await log.getByLabel('Afspraak').selectOption('a1');
  // The whole row of a radio button is clickable: a click on its label chooses it.
  await log.getByText('Ging goed', { exact: true }).click();
  await expect(log.getByLabel('Ging goed', { exact: true }).isChecked()).resolves.toBe(true);
  await log.getByLabel('Cijfer voor de veiligheid (niet verplicht)').selectOption('8');
  await log.getByLabel(/Toelichting/).fill('Oma belde om half acht.');
  await log.getByRole('button', { name: 'Regel toevoegen' }).click();
  await log.getByText('Uw regel staat in het veiligheidslogboek').waitFor();
  const mine = await log.locator('[data-entry]').allInnerTexts();
  expect(mine).toHaveLength(1);
  expect(mine[0]).toContain(AGREEMENTS.a1);
  expect(mine[0]).toContain('Ging goed');
  expect(mine[0]).toContain('cijfer 8');
  expect(mine[0]).toContain('Oma belde om half acht.');
  await log.screenshot({ path: join(ARTIFACTS, 'logboeklink.png'), fullPage: true });

  // The same addLogEntry as the API: the workflow's log has it.
  const view = await s.request.get(`${H}/${hh}`).set('Authorization', bearer('pro-vt'));
  expect((view.body as HouseholdView).state.planLog?.a1?.last).toBe(today());

  // The token opens nothing else: not the household page, not the API, not an action form.
  expect((await s.request.get(`/dashboard/households/${hh}?token=${token}`)).status).toBe(401);
  expect((await s.request.get(`${H}/${hh}`).set('Authorization', `Link ${token}`)).status).toBe(401);
  expect((await s.request.get(`/acties/${hh}/${token}`)).status).toBe(403);
  expect((await s.request.get(`${plans(hh)}/${planId}/2?token=${token}`)).status).toBe(303); // to the login, nothing shown

  // A respelled token (its last character's ignored bits) is refused too.
  const last = token.at(-1)!;
  const respelled = token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  expect((await s.request.get(`/log/${respelled}`)).status).toBe(403);

  // Revoked by the casusregisseur: refused, and the audit line says why and for which household.
  await page.goto(`${origin}${plans(hh)}`);
  await page.getByRole('button', { name: 'Intrekken' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/veiligheidsplan'));
  expect(await page.locator('[data-link]').innerText()).toContain('ingetrokken');
  const refused = await s.request
    .post(`/log/${token}`)
    .set('Origin', origin)
    .type('form')
    .send({ afspraak: 'a1', datum: today(), uitkomst: 'misgegaan' });
  expect(refused.status).toBe(410);
  const lines = await s.audit.page({ householdId: hh, limit: 1000 });
  expect(lines.some((l) => l.what.route === '/log/:token' && l.what.reason === 'revoked' && l.what.status === 410)).toBe(true);
  expect(lines.some((l) => l.what.route === '/log/:token' && l.what.method === 'POST' && l.what.status === 200)).toBe(true);
  const after = await s.request.get(`${H}/${hh}`).set('Authorization', bearer('pro-vt'));
  expect(JSON.stringify((after.body as HouseholdView).state.planLog)).not.toContain('misgegaan');
}, 120_000);

test('a log link that names another household than its own is refused and audited; only the casusregisseur makes links', async () => {
  const agent = await loginAs(supertest.agent(s.app), 'pro-vt');
  const made = await agent
    .post(`${plans(hh)}/logboeklinks`)
    .set('Origin', origin)
    .type('form')
    .send({ lid: 'ouder-1' });
  expect(made.status).toBe(303);
  const linkId = made.headers.location!.split('/').at(-1)!;
  // A link row of household hh, signed as if for the other household: never opens the other household.
  const forged = signLogLink(linkSecret, { householdId: other, linkId, exp: Math.floor(Date.now() / 1000) + 3600 });
  const res = await s.request
    .post(`/log/${forged}`)
    .set('Origin', origin)
    .type('form')
    .send({ afspraak: 'a1', datum: today(), uitkomst: 'goed_gegaan' });
  expect(res.status).toBe(403);
  const lines = await s.audit.page({ householdId: other, limit: 1000 });
  expect(lines.some((l) => l.what.route === '/log/:token' && l.what.reason === 'other_household')).toBe(true);

  // A professional of the household who is not its casusregisseur makes no link.
  const vt2 = await loginAs(supertest.agent(s.app), 'pro-vt2');
  expect(
    (
      await vt2
        .post(`${plans(hh)}/logboeklinks`)
        .set('Origin', origin)
        .type('form')
        .send({ lid: 'ouder-1' })
    ).status,
  ).toBe(403);
  // A member who is not in the household: refused, nothing made.
  expect(
    (
      await agent
        .post(`${plans(hh)}/logboeklinks`)
        .set('Origin', origin)
        .type('form')
        .send({ lid: 'n-vreemd' })
    ).status,
  ).toBe(422);
}, 60_000);

/** The URL of a link as the casusregisseur's page shows it. */
async function shownUrl(agent: supertest.Agent, location: string): Promise<string> {
  const shown = await agent.get(location);
  expect(shown.status).toBe(200);
  return /<a href="([^"]+)" class="ref">/.exec(shown.text)![1]!.replace(/&amp;/g, '&');
}

test('a log link is rate limited, and expires when the household is closed (the plan ends)', async () => {
  const agent = await loginAs(supertest.agent(s.app), 'pro-vt');
  const made = await agent
    .post(`${plans(hh)}/logboeklinks`)
    .set('Origin', origin)
    .type('form')
    .send({ lid: 'n-oma' });
  const path = new URL(await shownUrl(agent, made.headers.location!)).pathname;
  const entry = { afspraak: 'a3', datum: today(), uitkomst: 'goed_gegaan' };
  for (let i = 0; i < 3; i++) expect((await s.request.post(path).set('Origin', origin).type('form').send(entry)).status).toBe(200);
  const limited = await s.request.post(path).set('Origin', origin).type('form').send(entry);
  expect(limited.status).toBe(429);
  expect((await s.audit.page({ householdId: hh, limit: 1000 })).some((l) => l.what.reason === 'rate_limited')).toBe(true);

  // The other household: a link, then the trajectory is closed by its casusregisseur.
  const made2 = await agent
    .post(`${plans(other)}/logboeklinks`)
    .set('Origin', origin)
    .type('form')
    .send({ lid: 'ouder-1' });
  const path2 = new URL(await shownUrl(agent, made2.headers.location!)).pathname;
  expect((await s.request.get(path2)).status).toBe(200);
  const closed = await post('pro-vt', `${H}/${other}/closure`, { justification: 'Gezin verhuisd naar een andere regio.' });
  expect(closed.status).toBe(200);
  const refused = await s.request.get(path2);
  expect(refused.status).toBe(410);
  expect(refused.text).toContain('afgesloten');
  expect(
    (await s.audit.page({ householdId: other, limit: 1000 })).some((l) => l.what.route === '/log/:token' && l.what.reason === 'closed'),
  ).toBe(true);
}, 60_000);
