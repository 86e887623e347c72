/**
 * The coordinators' dashboard in a real browser (Debian chromium driven by playwright-core).
 * The dashboard router is the real one; the JSON API is a stub on the same origin that answers
 * with household views built by the real domain (fixtures.ts), checks credentials like the API
 * (Bearer key, or a signed link through the real linkAuth middleware) and answers errors through
 * the API's own error handler. The lead's end-to-end variant runs the same page against the real API.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { linkExpiry, signHouseholdLink } from '../../platform/links';
import { createDashboardRouter } from '../../api/dashboard';
import { linkAuth } from '../../api/link-auth';
import { errorHandler, householdNotFound, notInvolved, unauthenticated } from '../../api/errors';
import { PHASE_LABEL } from '../../domain/model';
import { fixtureViews, IDS, listItem, MARKUP, NOW } from './fixtures';

// Functions given to page.evaluate run in the browser; the project compiles without the DOM library,
// so the few browser globals they use are declared here, for this module only.
declare const sessionStorage: { getItem(key: string): string | null };
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};
declare const window: { __xss?: number };

const API_KEY = 'coordinator-test-key-0001';
const LINK_SECRET = Buffer.from('dashboard-test-link-secret-0123456789', 'utf8');
const SCREENSHOT_DIR = process.env.DASHBOARD_SCREENSHOT_DIR ?? '/tmp';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Seen {
  path: string;
  query: URLSearchParams;
  authorization?: string;
}

const views = fixtureViews();
const seen: Seen[] = [];
let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let browserProblems: string[];

/** The stub API: list with paging (page 2 behind a token), one household, errors as the API answers them. */
function stubApi(): express.Router {
  const api = express.Router();
  api.use((req, _res, next) => {
    seen.push({ path: req.path, query: new URLSearchParams(req.originalUrl.split('?')[1] ?? ''), authorization: req.get('authorization') });
    next();
  });
  api.get(
    '/households/:id',
    linkAuth(LINK_SECRET, () => NOW),
  );
  api.use((req, res, next) => {
    if (res.locals.linkClaims || req.get('authorization') === `Bearer ${API_KEY}`) return next();
    next(unauthenticated());
  });
  api.get('/households', (req, res) => {
    const all = [...views.values()].map(listItem);
    const phase = typeof req.query.phase === 'string' ? req.query.phase : '';
    const matching = phase ? all.filter((i) => i.phase === phase) : all;
    // Page 1 is every fixture, page 2 the safety household again: enough to see paging work.
    if (req.query.nextPageToken === 'pagina-2') return res.json({ items: matching.slice(0, 1) });
    res.json({ items: matching, nextPageToken: 'pagina-2' });
  });
  api.get('/households/:id', (req, res, next) => {
    if (req.params.id === IDS.forbidden) return next(notInvolved());
    const view = views.get(req.params.id);
    if (!view) return next(householdNotFound());
    res.json(view);
  });
  return api;
}

function lastListRequest(): Seen {
  const list = seen.filter((s) => s.path === '/households');
  expect(list.length).toBeGreaterThan(0);
  return list[list.length - 1]!;
}

function householdRequests(id: string): Seen[] {
  return seen.filter((s) => s.path === `/households/${encodeURIComponent(id)}` || s.path === `/households/${id}`);
}

async function login(p: Page): Promise<void> {
  await p.goto(`${origin}/dashboard`);
  await p.getByLabel('API-sleutel').fill(API_KEY);
  await p.getByRole('button', { name: 'Inloggen' }).click();
  await p.locator('#households tbody tr').first().waitFor();
}

beforeAll(async () => {
  const app = express();
  app.use('/dashboard', createDashboardRouter());
  app.use('/api/v1', stubApi());
  app.use(errorHandler);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  seen.length = 0;
  browserProblems = [];
  // A fresh context per test: its own sessionStorage, so no login leaks between tests.
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  // The page's clock stands at the fixtures' "now", so durations ("sinds", "dagen") are stable.
  await context.clock.setFixedTime(NOW);
  page = await context.newPage();
  page.on('pageerror', (err) => browserProblems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Chromium logs every 4xx fetch as "Failed to load resource"; those are the tests' own errors.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) browserProblems.push(`console: ${msg.text()}`);
  });
});

afterEach(async () => {
  await context.close();
  // Script errors and CSP violations (inline script, foreign origins) show up here.
  expect(browserProblems).toEqual([]);
});

test('login stores the key in sessionStorage and sends it as a Bearer header', async () => {
  await page.goto(`${origin}/dashboard`);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nl');
  await expect(page.getByRole('heading', { name: 'Inloggen' }).isVisible()).resolves.toBe(true);
  expect(seen).toEqual([]); // nothing is asked of the API without a key

  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.locator('#status').textContent()).resolves.toBe('Vul de API-sleutel in.');

  await page.getByLabel('API-sleutel').fill(API_KEY);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#households tbody tr').first().waitFor();

  await expect(page.evaluate(() => sessionStorage.getItem('routekaart.apiKey'))).resolves.toBe(API_KEY);
  expect(lastListRequest().authorization).toBe(`Bearer ${API_KEY}`);
  await expect(page.locator('#session-label').textContent()).resolves.toBe('Ingelogd met API-sleutel');

  // The key survives a reload of the tab, and logging out forgets it.
  await page.reload();
  await page.locator('#households tbody tr').first().waitFor();
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByLabel('API-sleutel').waitFor();
  await expect(page.evaluate(() => sessionStorage.getItem('routekaart.apiKey'))).resolves.toBeNull();
});

test("a wrong key shows the API's Dutch message and is forgotten", async () => {
  await page.goto(`${origin}/dashboard`);
  await page.getByLabel('API-sleutel').fill('verkeerde-sleutel');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.locator('#status').textContent()).resolves.toBe(unauthenticated().message);
  await expect(page.getByLabel('API-sleutel').isVisible()).resolves.toBe(true);
  await expect(page.evaluate(() => sessionStorage.getItem('routekaart.apiKey'))).resolves.toBeNull();
});

test('the overview lists households with Dutch phase labels, escalation badges and R-61 counts', async () => {
  await login(page);
  const rows = page.locator('#households tbody tr');
  await expect(rows.count()).resolves.toBe(views.size);

  const safety = rows.filter({ has: page.getByRole('link', { name: IDS.safety, exact: true }) });
  const safetyView = views.get(IDS.safety)!;
  await expect(safety.locator('.phase').textContent()).resolves.toBe(PHASE_LABEL.veiligheid);
  expect(safetyView.escalationLevel).toBe(3);
  await expect(safety.locator('.level').textContent()).resolves.toBe('Niveau 3');
  await expect(safety.locator('.level').getAttribute('class')).resolves.toContain('level-3');
  await expect(safety.getByText('Open', { exact: true }).count()).resolves.toBe(1);
  await expect(safety.getByText('Over tijd', { exact: true }).count()).resolves.toBe(1);
  // Organisations by their Dutch names from domain/organisations.json, the intake one marked.
  await expect(safety.textContent()).resolves.toContain('Veilig Thuis Haaglanden (intake)');
  await expect(safety.textContent()).resolves.toContain('Crisisdienst Huisverboden');

  const risk = rows.filter({ has: page.getByRole('link', { name: IDS.risk, exact: true }) });
  const riskView = views.get(IDS.risk)!;
  await expect(risk.locator('.phase').textContent()).resolves.toBe('Fase Risico gestuurd');
  await expect(risk.locator('td').nth(2).textContent()).resolves.toBe('lt-prof-3');
  await expect(risk.textContent()).resolves.toContain(`${riskView.runs[0]!.riskMonths} van 6 mnd`);
  await expect(risk.locator('.level').textContent()).resolves.toBe(
    riskView.escalationLevel ? `Niveau ${riskView.escalationLevel}` : 'Geen',
  );

  const coordination = rows.filter({ has: page.getByRole('link', { name: IDS.coordination, exact: true }) });
  await expect(coordination.locator('.phase').textContent()).resolves.toBe('Afstemming');
  await expect(coordination.locator('td').nth(2).textContent()).resolves.toBe('Niet toegewezen');

  // Next deadline in Dutch, in Amsterdam time: "22 jan 2025, 11:00" style.
  const deadline = await safety.locator('td').nth(5).textContent();
  expect(deadline).toMatch(/^\d{1,2} [a-z]{3}\.? \d{4},? (om )?\d{2}:\d{2}$/);
  const expected = new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(safetyView.nextDeadline!));
  expect(deadline).toBe(expected);

  // R-61 on this page: households per phase and share escalated.
  const counts = page.locator('#phase-counts tbody tr');
  await expect(counts.filter({ hasText: 'Fase Veiligheid' }).locator('td').first().textContent()).resolves.toBe('2');
  await expect(page.locator('#summary .tile').first().textContent()).resolves.toBe(`${views.size}Huishoudens`);

  await page.screenshot({ path: `${SCREENSHOT_DIR}/routekaart-dashboard-overview.png`, fullPage: true });
});

test('filters and paging change the query sent to the API', async () => {
  await login(page);
  expect(Object.fromEntries(lastListRequest().query)).toEqual({ pageSize: '25' });

  await page.getByLabel('Trajecten').selectOption('all');
  await page.getByLabel('Fase', { exact: true }).selectOption('risicogestuurd');
  await page.getByLabel('Organisatie').fill('lokaal-team');
  await page.getByLabel('Casusregisseur').fill('lt-prof-3');
  await page.getByLabel('Escalatie').selectOption('2');
  await page.getByLabel('Open overdracht').selectOption('true');
  await page.getByLabel('Over tijd').selectOption('false');
  await page.getByLabel('Per pagina').selectOption('50');
  await page.getByRole('button', { name: 'Filteren' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#households tbody tr').length === 1);

  expect(Object.fromEntries(lastListRequest().query)).toEqual({
    status: 'all',
    phase: 'risicogestuurd',
    organisation: 'lokaal-team',
    casusregisseur: 'lt-prof-3',
    escalationLevel: '2',
    openHandover: 'true',
    overdue: 'false',
    pageSize: '50',
  });
  // The filters are in the page's address too, so a filtered view can be bookmarked or shared.
  expect(new URL(page.url()).searchParams.get('phase')).toBe('risicogestuurd');

  // Paging carries the API's token and keeps the filters; back to page 1 drops the token.
  await page.getByRole('button', { name: 'Volgende pagina' }).click();
  await page.waitForFunction(() => document.querySelector('#page-label')?.textContent === 'Pagina 2');
  expect(lastListRequest().query.get('nextPageToken')).toBe('pagina-2');
  expect(lastListRequest().query.get('phase')).toBe('risicogestuurd');
  await expect(page.getByRole('button', { name: 'Volgende pagina' }).isDisabled()).resolves.toBe(true);
  await page.getByRole('button', { name: 'Vorige pagina' }).click();
  await page.waitForFunction(() => document.querySelector('#page-label')?.textContent === 'Pagina 1');
  expect(lastListRequest().query.get('nextPageToken')).toBeNull();

  await page.getByRole('button', { name: 'Wissen' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#households tbody tr').length === n, views.size);
  expect(Object.fromEntries(lastListRequest().query)).toEqual({ pageSize: '25' });

  // The browser's back button restores the filtered overview.
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('#households tbody tr').length === 1);
  expect(lastListRequest().query.get('phase')).toBe('risicogestuurd');
  await expect(page.getByLabel('Fase', { exact: true }).inputValue()).resolves.toBe('risicogestuurd');
});

test('the household page shows unmet criteria with rule ids, the plan, handovers and huisverbod', async () => {
  await login(page);
  await page.getByRole('link', { name: IDS.safety, exact: true }).click();
  await page.locator('#unmet li').first().waitFor();
  expect(new URL(page.url()).pathname).toBe(`/dashboard/households/${IDS.safety}`);
  expect(householdRequests(IDS.safety).at(-1)?.authorization).toBe(`Bearer ${API_KEY}`);

  const view = views.get(IDS.safety)!;
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Huishouden ${IDS.safety}`);
  const unmet = page.locator('#unmet li');
  await expect(unmet.count()).resolves.toBe(view.unmet.length);
  await expect(unmet.locator('.rule').allTextContents()).resolves.toEqual(view.unmet.map((u) => u.rule));
  await expect(unmet.locator('.criterion-text').allTextContents()).resolves.toEqual(view.unmet.map((u) => u.message));
  expect(view.unmet.map((u) => u.rule)).toEqual(expect.arrayContaining(['R-13', 'R-18', 'R-24', 'R-25']));

  const plan = page.locator('#planning tbody tr');
  await expect(plan.count()).resolves.toBe(view.plan.length);
  const huisverbodRow = plan.filter({ hasText: 'R-25' });
  await expect(huisverbodRow.locator('.level').textContent()).resolves.toBe('Niveau 3');

  const roles = page.locator('#rollen table').first().locator('tbody tr');
  await expect(roles.filter({ hasText: 'eigenaar fase Veiligheid' }).textContent()).resolves.toContain('vt-prof-1');
  await expect(roles.filter({ hasText: 'veiligheidsplanner' }).first().textContent()).resolves.toContain('Overdracht naar lt-prof-3 loopt');

  await expect(page.locator('#overdrachten tbody tr').first().textContent()).resolves.toContain(
    'Open: vertrekkende professional blijft verantwoordelijk',
  );
  await expect(page.locator('#huisverbod').textContent()).resolves.toContain('Nog niet bevestigd');
  await expect(page.locator('#gevaren tbody tr').first().textContent()).resolves.toContain('0 van 6 mnd');
  await expect(page.locator('#escalaties tbody tr').count()).resolves.toBe(view.state.escalations.length);

  await page.screenshot({ path: `${SCREENSHOT_DIR}/routekaart-dashboard-household.png`, fullPage: true });
});

test('an e-mail link with ?token= reads the household with the Link scheme, without an API key', async () => {
  const token = signHouseholdLink(LINK_SECRET, { householdId: IDS.risk, sub: 'lt-prof-3', exp: linkExpiry(NOW) });
  await page.goto(`${origin}/dashboard/households/${IDS.risk}?token=${token}`);
  await page.locator('#gevaren tbody tr').first().waitFor();

  const requests = householdRequests(IDS.risk);
  expect(requests.map((r) => r.authorization)).toEqual([`Link ${token}`]);
  expect(seen.every((s) => !s.authorization?.startsWith('Bearer'))).toBe(true);
  // The token leaves the address bar (history, bookmarks, screens) but stays for this tab.
  expect(new URL(page.url()).search).toBe('');
  await expect(page.locator('#session-label').textContent()).resolves.toBe('Toegang via e-maillink (alleen dit huishouden)');
  await expect(page.locator('#back-link').isVisible()).resolves.toBe(false);
  await expect(page.locator('#household-meta .phase').textContent()).resolves.toBe('Fase Risico gestuurd');
  await page.reload();
  await page.locator('#gevaren tbody tr').first().waitFor();
  expect(householdRequests(IDS.risk).at(-1)?.authorization).toBe(`Link ${token}`);

  // No key in this tab: the overview still asks for one.
  await page.goto(`${origin}/dashboard`);
  await page.getByLabel('API-sleutel').waitFor();
});

test('a link for another household, or a forged one, shows the Dutch refusal', async () => {
  const other = signHouseholdLink(LINK_SECRET, { householdId: IDS.safety, sub: 'coordinator', exp: linkExpiry(NOW) });
  await page.goto(`${origin}/dashboard/households/${IDS.risk}?token=${other}`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.locator('#status').textContent()).resolves.toBe(
    'Deze link geeft alleen toegang tot het huishouden waarvoor hij is verstuurd.',
  );
  await expect(page.locator('#household-view').isVisible()).resolves.toBe(false);

  const forged = signHouseholdLink(Buffer.from('another-secret-of-sufficient-size'), {
    householdId: IDS.risk,
    sub: 'coordinator',
    exp: linkExpiry(NOW),
  });
  await page.goto(`${origin}/dashboard/households/${IDS.risk}?token=${forged}`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.locator('#status').textContent()).resolves.toBe(
    'Deze link is ongeldig of verlopen. Vraag een nieuwe link aan of log in met uw API-sleutel.',
  );
  // An invalid link leads to the login form, and is forgotten.
  await expect(page.getByLabel('API-sleutel').isVisible()).resolves.toBe(true);
  await expect(page.evaluate((id) => sessionStorage.getItem(`routekaart.link.${id}`), IDS.risk)).resolves.toBeNull();
});

test("an API error (403) shows the API's Dutch message", async () => {
  await login(page);
  await page.goto(`${origin}/dashboard/households/${IDS.forbidden}`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(notInvolved().message);
  await expect(page.locator('#household-view').isVisible()).resolves.toBe(false);

  await page.goto(`${origin}/dashboard/households/hh-ffffffffffffffffffff`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe('Dit huishouden bestaat niet.');
});

test('text from the API is never injected as HTML', async () => {
  await login(page);
  const link = page.getByRole('link', { name: MARKUP, exact: true });
  await expect(link.textContent()).resolves.toBe(MARKUP);
  await link.click();
  await page.locator('#gevaren tbody tr').first().waitFor();

  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Huishouden ${MARKUP}`);
  await expect(page.locator('#gevaren tbody tr').first().textContent()).resolves.toContain(`Ruzie met geweld ${MARKUP}<b>vet</b>`);
  expect(householdRequests(MARKUP).length).toBe(1);
  await expect(page.locator('main img, main b').count()).resolves.toBe(0);
  await expect(page.evaluate(() => window.__xss)).resolves.toBeUndefined();
});

test('the router serves the page with a strict content security policy and no referrer', async () => {
  const res = await fetch(`${origin}/dashboard/households/${IDS.safety}?token=x`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const html = await res.text();
  expect(html).toContain('<html lang="nl">');
  expect(html).toContain('src="/dashboard/assets/app.js"');
  expect((await fetch(`${origin}/dashboard/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  expect((await fetch(`${origin}/dashboard/assets/index.html`)).status).toBe(404);
});
