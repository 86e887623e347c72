/**
 * Personal login in a real browser (issue 20): Chromium clicks through the embedded development
 * identity provider as a casusregisseur, as a professional of another organisation and as the
 * coordinator. Each sees the dashboard as themselves: the casusregisseur and the coordinator
 * recognise the household by its reference and the people by name; the professional of another
 * organisation sees neither the household nor its reference. A login without a second factor is
 * refused with a Dutch reason. axe-core on every page; screenshots at 390 and 1280 px.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, expectAccessible, launchChromium, pageMaker } from '../support/browser';
import { OidcClient } from '../../api/identity/oidc';
import { People } from '../../api/identity/people';
import type { Directory } from '../../platform/directory';
import { startDevIdp, type DevIdp } from '../../scripts/dev-idp';
import { freePort } from '../support/harness/ports';
import { bearer, intakeBody, startStack, type Stack } from '../api/support';

const AUDIENCE = 'urn:routekaart:api';
const SECRET = 'client-secret-of-the-browser-test';
const REFERENCE = 'VT-2026-0815';

const DIRECTORY: Directory = {
  professionals: {
    'p-vt-1': { name: 'Sanne de Vries', email: 's.devries@vt.example.org', organisation: 'veilig-thuis' },
    'p-gi-1': { name: 'Joost Bakker', email: 'j.bakker@gi.example.org', organisation: 'gi' },
  },
  organisations: {
    'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'lead@vt.example.org', leadName: 'Karin Smit' },
    gi: { name: 'Jeugdbescherming west', leadEmail: 'lead@gi.example.org', leadName: 'Piet Jansen' },
  },
  coordinator: { name: 'Esther van Leeuwen', email: 'coordinatie@regio.example.org' },
};
const ACCOUNTS = [
  { id: 'sanne', name: 'Sanne de Vries', email: 's.devries@vt.example.org', label: 'Veilig Thuis Haaglanden' },
  { id: 'joost', name: 'Joost Bakker', email: 'j.bakker@gi.example.org', label: 'Jeugdbescherming west' },
  { id: 'esther', name: 'Esther van Leeuwen', email: 'coordinatie@regio.example.org', label: 'Coördinator' },
];

let idp: DevIdp;
let s: Stack;
let server: Server;
let origin: string;
let browser: Browser;
let householdId: string;
const pages = pageMaker(() => browser);
const newPage = (width: number) => pages.newPage({ width, height: 900 });

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const redirect = `${origin}/dashboard/auth/callback`;
  idp = await startDevIdp({
    accounts: ACCOUNTS,
    client: { id: 'routekaart', secret: SECRET, redirectUris: [redirect] },
    audience: AUDIENCE,
  });
  const oidc = await OidcClient.discover({
    issuer: idp.issuer,
    clientId: 'routekaart',
    clientSecret: SECRET,
    redirectUri: redirect,
    audience: AUDIENCE,
  });
  s = await startStack(
    {},
    { publicUrl: origin, directory: DIRECTORY, identity: { oidc, people: new People(() => DIRECTORY), requireMfa: true } },
  );
  server = await new Promise<Server>((resolve) => {
    const srv = s.app.listen(port, '127.0.0.1', () => resolve(srv));
  });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  const owner = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
  const res = await s.request
    .post('/api/v1/households')
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody(REFERENCE, { owner, casusregisseur: owner }));
  expect(res.status).toBe(201);
  householdId = res.body.householdId as string;
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await s?.close();
  await idp?.close();
});

/** As a person does it: the dashboard asks for a login, the organisation's provider shows its page, one click. */
async function logIn(page: Page, account: string, path = '/dashboard', secondFactor = true): Promise<void> {
  await page.goto(`${origin}${path}`);
  await page.getByRole('button', { name: 'Inloggen via uw organisatie' }).click();
  await page.waitForURL((u) => u.href.startsWith(idp.issuer));
  if (!secondFactor) await page.getByLabel('Met tweede factor', { exact: false }).uncheck();
  await page.getByRole('button', { name: new RegExp(`^${account}`) }).click();
  // The callback answers with a page of our own that moves on (the session cookie is SameSite=Strict).
  await page.waitForURL((u) => u.href.startsWith(origin) && (!secondFactor || !u.pathname.startsWith('/dashboard/auth/')));
}

test('the casusregisseur logs in through her organisation and finds the household by reference, herself by name (390 and 1280 px)', async () => {
  for (const width of [390, 1280]) {
    const page = await newPage(width);
    await logIn(page, 'Sanne de Vries', `/dashboard/households/${householdId}`);
    expect(new URL(page.url()).pathname).toBe(`/dashboard/households/${householdId}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain(REFERENCE);
    expect(text).toContain('Sanne de Vries');
    expect(text.split('\n').filter((l) => l.includes('p-vt-1'))).toEqual([]);
    await expect(page.locator('header').innerText()).resolves.toContain('Sanne de Vries (Veilig Thuis Haaglanden)');
    await expectAccessible(page, `huishouden ${width}`);
    await page.screenshot({ path: join(ARTIFACTS, `persoonlijk-inloggen-huishouden-${width}.png`), fullPage: true });
    // The household's logbook, from its link on the household page.
    await page.getByRole('link', { name: /^Logboek/ }).click();
    await page.getByRole('heading', { name: /^Logboek van huishouden/ }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('Melding ontvangen door Veilig Thuis Haaglanden');
    await expectAccessible(page, `logboek ${width}`);
    await page.screenshot({ path: join(ARTIFACTS, `logboek-${width}.png`), fullPage: true });
  }
});

test('a professional of another organisation sees neither the household nor its reference', async () => {
  const page = await newPage(1280);
  await logIn(page, 'Joost Bakker');
  await expect(page.locator('header').innerText()).resolves.toContain('Joost Bakker');
  expect(await page.content()).not.toContain(REFERENCE);
  const direct = await page.goto(`${origin}/dashboard/households/${householdId}`);
  expect([403, 404]).toContain(direct!.status());
  expect(await page.content()).not.toContain(REFERENCE);
  await expectAccessible(page, 'geweigerd huishouden');
});

test('the coordinator logs in and sees the household with its organisation and casusregisseur by name', async () => {
  const page = await newPage(1280);
  await logIn(page, 'Esther van Leeuwen');
  await expect(page.locator('header').innerText()).resolves.toContain('Esther van Leeuwen (coördinator)');
  await page.goto(`${origin}/dashboard/households/${householdId}`);
  const text = await page.locator('main').innerText();
  expect(text).toContain('Veilig Thuis Haaglanden');
  expect(text).toContain('Sanne de Vries');
  await expectAccessible(page, 'coördinator huishouden');
  await page.screenshot({ path: join(ARTIFACTS, 'persoonlijk-inloggen-coordinator-1280.png'), fullPage: true });
});

test('a login without a second factor is refused with a Dutch reason, and opens no page', async () => {
  const page = await newPage(390);
  await logIn(page, 'Sanne de Vries', '/dashboard', false);
  await page.waitForURL((u) => u.pathname === '/dashboard/auth/callback');
  await expect(page.locator('main').innerText()).resolves.toMatch(/tweede factor/i);
  const after = await page.goto(`${origin}/dashboard/households/${householdId}`);
  expect(await page.content()).not.toContain(REFERENCE);
  expect(after!.url()).not.toContain(`/dashboard/households/${householdId}`);
});
