/**
 * The coordinators' dashboard end to end: Debian chromium (playwright-core) against the real API
 * (createApp on a port of its own) backed by a real Temporal dev server and the real worker
 * (test/api/support.ts). Everything goes through HTTP or the page: an intake system starts two
 * households, a coordinator finds them in the overview (visibility is eventually consistent, so the
 * page is reloaded until they are there), filters by phase and opens them; a professional follows a
 * signed e-mail link without a key; a professional of an uninvolved organisation sees nothing (R-64).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { linkExpiry, signHouseholdLink } from '../../platform/links';
import { PHASE_LABEL, type Phase } from '../../domain/model';
import type { HouseholdView } from '../../domain/view';
import { notInvolved } from '../../api/errors';
import type { HouseholdList } from '../../api/types';
import { bearer, eventually, intakeBody, startStack, type KeyName, type Stack } from '../api/support';

// Functions given to page.waitForFunction run in the browser; the project compiles without the DOM
// library, so the one browser global they use is declared here, for this module only.
declare const document: { querySelectorAll(selector: string): { length: number } };

const SCREENSHOT_DIR = process.env.DASHBOARD_SCREENSHOT_DIR ?? '/tmp';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** How long the overview may lag behind the workflows (dev server visibility): generous, bounded. */
const VISIBILITY_MS = 45_000;
/** Any single wait in the page (a render after one API call). */
const STEP_MS = 20_000;

const OWNER = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const LINK_OTHER_HOUSEHOLD = 'Deze link geeft alleen toegang tot het huishouden waarvoor hij is verstuurd.';

let s: Stack;
let server: Server;
let origin: string;
let browser: Browser;
/** The household with an owner (fase Veiligheid) and the one without (Afstemming, R-02 open). */
let safetyId: string;
let coordinationId: string;

const contexts: BrowserContext[] = [];
let browserProblems: string[] = [];

/** The real API over real HTTP, as an intake system or any other client calls it. */
async function callApi<T>(key: KeyName, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${origin}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: bearer(key),
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function household(id: string): Promise<HouseholdView> {
  const res = await callApi<HouseholdView>('coord', `/households/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** A fresh browser context (own sessionStorage: no key, no link token) with one page. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  context.setDefaultTimeout(STEP_MS);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => browserProblems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Chromium logs every 4xx fetch as "Failed to load resource"; the refusals below are intended.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) browserProblems.push(`console: ${msg.text()}`);
  });
  return page;
}

async function login(page: Page, key: KeyName): Promise<void> {
  await page.goto(`${origin}/dashboard`);
  await page.getByLabel('API-sleutel').fill(key);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.locator('#overview-view:not([hidden])').waitFor();
}

function rowOf(page: Page, id: string) {
  return page.locator('#households tbody tr').filter({ has: page.getByRole('link', { name: id, exact: true }) });
}

/** Household ids in the rendered overview. */
function shownIds(page: Page): Promise<string[]> {
  return page.locator('#households tbody tr th a').allTextContents();
}

/**
 * Reloads the overview until every id is listed: the list comes from Temporal visibility, which
 * lags the workflows by a moment. Bounded; the error names what the page showed last.
 */
async function untilListed(page: Page, ids: string[], timeoutMs = VISIBILITY_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('#overview-view:not([hidden])').waitFor();
    const shown = await shownIds(page);
    if (ids.every((id) => shown.includes(id))) return;
    if (Date.now() > end)
      throw new Error(
        `Not in the overview after ${timeoutMs} ms: ${ids.filter((id) => !shown.includes(id)).join(', ')}; shown: ${JSON.stringify(shown)}`,
      );
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
}

/** Chooses a phase in the filter form and waits for the API's answer to that query to be rendered. */
async function filterPhase(page: Page, phase: Phase | ''): Promise<void> {
  const answered = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/v1/households' && (url.searchParams.get('phase') ?? '') === phase;
  });
  await page.getByLabel('Fase', { exact: true }).selectOption(phase);
  await page.getByRole('button', { name: 'Filteren' }).click();
  expect((await answered).status()).toBe(200);
  await page.locator('#loading').waitFor({ state: 'hidden' });
  await page.locator('#overview-view:not([hidden])').waitFor();
}

beforeAll(async () => {
  s = await startStack({});
  server = await new Promise<Server>((resolve) => {
    const srv = s.app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });

  // (1) The intake system reports two households over the API.
  const withOwner = await callApi<{ householdId: string; household: HouseholdView }>(
    'intake-vt',
    '/households',
    intakeBody('e2e-dashboard-veiligheid', { owner: OWNER }),
  );
  expect(withOwner.status).toBe(201);
  expect(withOwner.body.household.state.phase).toBe('veiligheid');
  safetyId = withOwner.body.householdId;
  const withoutOwner = await callApi<{ householdId: string; household: HouseholdView }>(
    'intake-vt',
    '/households',
    intakeBody('e2e-dashboard-afstemming'),
  );
  expect(withoutOwner.status).toBe(201);
  expect(withoutOwner.body.household.state.phase).toBe('afstemming');
  coordinationId = withoutOwner.body.householdId;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await s?.close();
});

beforeEach(() => {
  browserProblems = [];
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  // Script errors and CSP violations (inline script, foreign origins) show up here.
  expect(browserProblems).toEqual([]);
});

test('the coordinator logs in and, once visibility caught up, sees both households with Dutch phase labels', async () => {
  const page = await newPage();
  await login(page, 'coord');
  await expect(page.locator('#session-label').textContent()).resolves.toBe('Ingelogd met API-sleutel');
  await untilListed(page, [safetyId, coordinationId]);

  expect(PHASE_LABEL.veiligheid).toBe('Fase Veiligheid');
  await expect(rowOf(page, safetyId).locator('.phase').textContent()).resolves.toBe('Fase Veiligheid');
  await expect(rowOf(page, coordinationId).locator('.phase').textContent()).resolves.toBe('Afstemming');
  // Both were started by Veilig Thuis; neither has a casusregisseur yet.
  for (const id of [safetyId, coordinationId]) {
    await expect(rowOf(page, id).textContent()).resolves.toContain('Veilig Thuis Haaglanden (intake)');
    await expect(rowOf(page, id).locator('td').nth(2).textContent()).resolves.toBe('Niet toegewezen');
  }
  // Nothing else runs on this dev server: the R-61 counts are exactly these two.
  await expect(page.locator('#households tbody tr').count()).resolves.toBe(2);
  await expect(page.locator('#summary .tile').first().textContent()).resolves.toBe('2Huishoudens');
  const counts = page.locator('#phase-counts tbody tr');
  await expect(counts.filter({ hasText: 'Fase Veiligheid' }).locator('td').first().textContent()).resolves.toBe('1');
  await expect(counts.filter({ hasText: 'Afstemming' }).locator('td').first().textContent()).resolves.toBe('1');

  await page.screenshot({ path: `${SCREENSHOT_DIR}/routekaart-dashboard-e2e-overview.png`, fullPage: true });
});

test('filtering by phase leaves only the household in that phase', async () => {
  const page = await newPage();
  await login(page, 'coord');
  await untilListed(page, [safetyId, coordinationId]);

  await filterPhase(page, 'veiligheid');
  await expect(shownIds(page)).resolves.toEqual([safetyId]);
  await expect(rowOf(page, safetyId).locator('.phase').textContent()).resolves.toBe('Fase Veiligheid');
  expect(new URL(page.url()).searchParams.get('phase')).toBe('veiligheid');

  await filterPhase(page, 'afstemming');
  await expect(shownIds(page)).resolves.toEqual([coordinationId]);
  await expect(rowOf(page, coordinationId).locator('.phase').textContent()).resolves.toBe('Afstemming');

  // A phase nobody is in: the empty state, no table.
  await filterPhase(page, 'herstel');
  await expect(shownIds(page)).resolves.toEqual([]);
  await expect(page.locator('#households-empty').isVisible()).resolves.toBe(true);

  await page.getByRole('button', { name: 'Wissen' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#households tbody tr').length === 2);
});

test('the household page lists the unmet criteria with the rule ids the API reports', async () => {
  const page = await newPage();
  await login(page, 'coord');
  await untilListed(page, [safetyId, coordinationId]);

  for (const [id, label] of [
    [coordinationId, 'Afstemming'],
    [safetyId, 'Fase Veiligheid'],
  ] as const) {
    await page.goto(`${origin}/dashboard`);
    await page.locator('#overview-view:not([hidden])').waitFor();
    await page.getByRole('link', { name: id, exact: true }).click();
    await page.locator('#household-view:not([hidden])').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/dashboard/households/${id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Huishouden ${id}`);
    await expect(page.locator('#household-meta .phase').textContent()).resolves.toBe(label);

    const api = await household(id);
    const rules = api.unmet.map((u) => u.rule);
    expect(rules.length).toBeGreaterThan(0);
    await expect(page.locator('#unmet li .rule').allTextContents()).resolves.toEqual(rules);
    await expect(page.locator('#unmet li .criterion-text').allTextContents()).resolves.toEqual(api.unmet.map((u) => u.message));
    // the household without an owner still needs one; the other has it.
    if (id === coordinationId) expect(rules).toContain('R-02');
    else expect(rules).not.toContain('R-02');
  }
  await page.screenshot({ path: `${SCREENSHOT_DIR}/routekaart-dashboard-e2e-household.png`, fullPage: true });
});

test('an e-mail link opens its household without a key, and is refused for another household', async () => {
  const api = await household(safetyId);
  const responsible = api.state.roles.eigenaar_veiligheid?.professionalId;
  expect(responsible).toBe(OWNER.professionalId);
  const token = signHouseholdLink(s.linkSecret, { householdId: safetyId, sub: responsible!, exp: linkExpiry(new Date()) });

  const page = await newPage();
  const sent: (string | null)[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) sent.push(r.headers().authorization ?? null);
  });
  await page.goto(`${origin}/dashboard/households/${safetyId}?token=${token}`);
  await page.locator('#household-view:not([hidden])').waitFor();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Huishouden ${safetyId}`);
  await expect(page.locator('#household-meta .phase').textContent()).resolves.toBe('Fase Veiligheid');
  await expect(page.locator('#session-label').textContent()).resolves.toBe('Toegang via e-maillink (alleen dit huishouden)');
  await expect(page.locator('#unmet li .rule').allTextContents()).resolves.toEqual(api.unmet.map((u) => u.rule));
  expect(sent).toEqual([`Link ${token}`]);
  // The token leaves the address bar.
  expect(new URL(page.url()).search).toBe('');

  // The same token on the other household's page: the API's Dutch refusal, nothing of the household.
  await page.goto(`${origin}/dashboard/households/${coordinationId}?token=${token}`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(LINK_OTHER_HOUSEHOLD);
  await expect(page.locator('#household-view').isVisible()).resolves.toBe(false);
});

test('a professional of an uninvolved organisation sees neither household (R-64)', async () => {
  // Visibility has the households (the coordinator sees them), so an empty list is the restriction, not lag.
  await eventually(
    () => callApi<HouseholdList>('coord', '/households'),
    (r) => r.status === 200 && [safetyId, coordinationId].every((id) => r.body.items.some((i) => i.householdId === id)),
    VISIBILITY_MS,
  );

  const page = await newPage();
  await login(page, 'pro-pers');
  await expect(shownIds(page)).resolves.toEqual([]);
  await expect(page.locator('#households-empty').isVisible()).resolves.toBe(true);
  await expect(page.locator('#summary .tile').first().textContent()).resolves.toBe('0Huishoudens');
  // Nor by its address.
  await page.goto(`${origin}/dashboard/households/${safetyId}`);
  await page.locator('#status:not([hidden])').waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(notInvolved().message);
  await expect(page.locator('#household-view').isVisible()).resolves.toBe(false);

  // The control: a professional of the involved organisation does see both.
  const involved = await newPage();
  await login(involved, 'pro-vt');
  await untilListed(involved, [safetyId, coordinationId]);
});
