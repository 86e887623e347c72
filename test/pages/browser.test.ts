/**
 * The pages in a real browser (Debian chromium through playwright-core) against the real API,
 * worker and Temporal dev server, with the reminders delivered over SMTP to a loopback server:
 * a professional opens the action link from the mail, fills in the evaluation on a phone-sized
 * screen, and sees the run change on the household page; "mijn taken" from the same mail; a spent
 * link is refused; the coordinator's overview. axe-core checks every page. Screenshots of the
 * form, the task list and a chart are kept in test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, expectAccessible, fitsTheScreen, launchChromium, pageMaker } from '../support/browser';
import type { Directory } from '../../platform/directory';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';
import type { HouseholdView } from '../../domain/view';
import { readMail } from '../mail/support/mime';
import { startSmtp, type SmtpCatcher } from '../mail/support/smtp';
import { bearer, eventually, intakeBody, startStack, type KeyName, type Stack } from '../api/support';
import { freePort } from '../support/harness/ports';
import { loginAs, riskCase } from './support';

const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const ADDRESS = 'ayse.demir@veiligthuis.example.org';

const DIRECTORY: Directory = {
  professionals: {
    'p-vt-1': { name: 'Ayşe Demir', email: ADDRESS, organisation: 'veilig-thuis' },
    'p-vt-2': { name: 'Tom de Wit', email: 'tom.dewit@veiligthuis.example.org', organisation: 'veilig-thuis' },
  },
  organisations: {
    'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'teamleider@veiligthuis.example.org', leadName: 'Karin Smit' },
  },
  coordinator: { name: 'Esther van Leeuwen', email: 'coordinatie@routekaart.example.org' },
};

let smtp: SmtpCatcher;
let s: Stack;
let server: Server;
let origin: string;
let browser: Browser;
let householdId: string;
const pages = pageMaker(() => browser);
const newPage = pages.newPage;

async function api<T>(key: KeyName, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${origin}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: bearer(key), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The links in every mail to an address, newest mail first. */
function linksInMailTo(address: string): string[] {
  const mails = smtp.received.filter((m) => m.envelopeTo.includes(address)).reverse();
  return mails.flatMap((m) => [...readMail(m.raw).text.matchAll(/https?:\/\/\S+/g)].map((x) => x[0].replace(/[).,]+$/, '')));
}

/** The reminders reach the professional's mailbox (the workflow escalates as soon as it starts). */
async function mailArrived(): Promise<void> {
  await eventually(
    async () => smtp.received.filter((m) => m.envelopeTo.includes(ADDRESS)).length,
    (n) => n > 0,
    60_000,
  );
}

beforeAll(async () => {
  smtp = await startSmtp();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // Mail at any hour: the test must not depend on the time of day it runs.
  // Imports escalate as they stand (no review): the test's escalated households are imported ones.
  const policy = Policy.parse({ ...DEFAULT_POLICY, workingHours: { from: 0, until: 24, everyDay: true }, importReviewDays: 0 });
  s = await startStack({}, { policy, publicUrl: origin, mail: { smtpPort: smtp.port, directory: DIRECTORY } });
  server = await new Promise<Server>((resolve) => {
    const srv = s.app.listen(port, '127.0.0.1', () => resolve(srv));
  });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });

  // A running case whose last scores were low 40 days ago: R-39 has escalated, the mail goes out at once.
  const res = await api<{ householdId: string }>('intake-vt', '/households', intakeBody('browser-risk', riskCase(VT1)));
  expect(res.status).toBe(201);
  householdId = res.body.householdId;
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await s?.close();
  await smtp?.close();
});

test('"mijn taken" from the reminder lists the household with its reference; the escalation is acknowledged from there', async () => {
  await mailArrived();
  const tasksLink = linksInMailTo(ADDRESS).find((l) => l.includes('/dashboard/taken?token='))!;
  const page = await newPage();
  const item = page.locator(`li[data-household="${householdId}"]`);
  // The task list comes from the read model, which follows the workflow a moment later.
  await eventually(
    async () => {
      await page.goto(tasksLink);
      return item.count();
    },
    (n) => n === 1,
  );
  await expect(item.textContent()).resolves.toContain('uw referentie browser-risk');
  await expect(item.getByRole('link', { name: 'Escalatie bevestigen met een plan' }).count()).resolves.toBeGreaterThan(0);
  await page.screenshot({ path: join(ARTIFACTS, 'mijn-taken.png'), fullPage: true });
  await expectAccessible(page, 'mijn taken');

  // Acting from the list: the escalation form, acknowledged with a plan.
  await item.getByRole('link', { name: 'Escalatie bevestigen met een plan' }).first().click();
  await page.getByLabel('Uw plan').fill('Vrijdag netwerkberaad; tot dan belt de netwerkvoorzitter dagelijks.');
  await expectAccessible(page, 'escalatieformulier');
  await page.getByRole('button', { name: 'Bevestigen' }).click();
  await page.getByText('De coördinator ziet uw plan').waitFor();
});

test('from the reminder to a recorded evaluation: the mail link opens the form, the run changes on the household page', async () => {
  await mailArrived();
  const page = await newPage({ width: 390, height: 844 });
  // The mails' buttons: the evaluation (the remedy of R-32 and R-39) and acknowledging escalations.
  const heading = page.getByRole('heading', { name: 'Maandelijkse evaluatie van de veiligheidsschalen' });
  for (const link of linksInMailTo(ADDRESS).filter((l) => l.includes(`/acties/${householdId}/`))) {
    await page.goto(link);
    if (await heading.count()) break;
  }
  await heading.waitFor();
  await expect(page.getByText('Huidige reeks: 0 maanden op 6 of hoger; nodig: 6 (R-39).', { exact: false }).count()).resolves.toBe(1);
  await expectAccessible(page, 'evaluatieformulier');
  await fitsTheScreen(page);

  for (const group of ['huishouden', 'netwerk', 'professionals']) {
    await page.getByLabel(`Score ${group}`).selectOption('8');
    await page.getByLabel(`Waargenomen gedrag (${group})`).fill(`Ruzie zonder geweld; ${group} zag het`);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'formulier-evaluatie.png'), fullPage: true });
  const formUrl = page.url();
  // By keyboard: the submit button is reached and pressed without the mouse.
  await page.getByRole('button', { name: 'Scores vastleggen' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('De scores zijn vastgelegd.').waitFor();
  await expect(page.getByText('Huidige reeks: 1 maand op 6 of hoger', { exact: false }).count()).resolves.toBe(1);
  await expectAccessible(page, 'bevestiging');

  await page.getByRole('link', { name: 'Naar het huishouden' }).click();
  await page.getByRole('heading', { name: 'Veiligheidsschalen' }).waitFor();
  const chart = page.locator('svg.chart[data-danger="d-1"]');
  await expect(chart.locator('.point[data-group="huishouden"]').count()).resolves.toBe(2);
  await expect(chart.locator('title').first().textContent()).resolves.toBe('Scores gevaar d-1');
  await expect(chart.locator('desc').textContent()).resolves.toContain('huidige reeks 1 van 6 maanden');
  await page
    .locator('.chart-scroll')
    .first()
    .screenshot({ path: join(ARTIFACTS, 'grafiek-scores.png') });
  // Readable on the phone: the month and score labels keep at least 10 px (the chart scrolls instead).
  const labelHeights = await chart.locator('text').evaluateAll((texts) => texts.map((t) => t.getBoundingClientRect().height));
  expect(Math.min(...labelHeights)).toBeGreaterThanOrEqual(10);
  await expectAccessible(page, 'huishoudenpagina');
  await fitsTheScreen(page);

  const view = await api<HouseholdView>('coord', `/households/${householdId}`);
  expect(view.body.runs).toEqual([{ dangerId: 'd-1', riskMonths: 1, consensusMonths: 1 }]);

  // The same link again: spent, and it says so.
  await page.goto(formUrl);
  await page.getByText('Deze link is al gebruikt').waitFor();
  await expectAccessible(page, 'gebruikte link');
});

test('the coordinator logs in, sees the region figures and the household, and its acknowledgement', async () => {
  const page = await newPage();
  await page.goto(`${origin}/dashboard`);
  await expectAccessible(page, 'inloggen');
  await loginAs({ page, origin }, 'coord');
  await page.getByRole('heading', { name: 'Lopende trajecten', exact: true }).waitFor();
  await expect(page.locator('[data-figure="total"] .tile-value').textContent()).resolves.toBe('1');
  await expect(page.locator('[data-figure="phase-risicogestuurd"] .tile-value').textContent()).resolves.toBe('1');
  await expectAccessible(page, 'overzicht');

  await page.getByRole('link', { name: householdId }).click();
  await page.getByText('Vrijdag netwerkberaad; tot dan belt de netwerkvoorzitter dagelijks.').waitFor();
  await expectAccessible(page, 'huishouden coördinator');
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
});

test('the region figures count every household across pages, and the impact page matches its CSV', async () => {
  // Five more reports without an owner (phase Afstemming), from two intake systems.
  const more: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await api<{ householdId: string }>(i % 2 ? 'intake-lt' : 'intake-vt', '/households', intakeBody(`browser-region-${i}`));
    expect(res.status).toBe(201);
    more.push(res.body.householdId);
  }
  const all = [householdId, ...more];
  const page = await newPage();
  await page.goto(`${origin}/dashboard/login`);
  await page.getByLabel('API-sleutel').fill('coord');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  // The read model follows the workflows a moment later.
  await eventually(
    async () => {
      await page.goto(`${origin}/dashboard?pageSize=2`);
      return page.locator('[data-figure="total"] .tile-value').textContent();
    },
    (total) => total === String(all.length),
  );
  await expect(page.locator('[data-figure="phase-afstemming"] .tile-value').textContent()).resolves.toBe('5');
  await expect(page.locator('[data-figure="phase-risicogestuurd"] .tile-value').textContent()).resolves.toBe('1');
  // Two per page: the figures stay those of the region while the pages walk through every household once.
  const seen: string[] = [];
  for (let n = 0; n < 10; n++) {
    seen.push(...(await page.locator('#households tbody th a').allTextContents()));
    await expect(page.locator('[data-figure="total"] .tile-value').textContent()).resolves.toBe(String(all.length));
    const next = page.getByRole('link', { name: 'Volgende pagina' });
    if (!(await next.count())) break;
    await next.click();
  }
  expect(seen.sort()).toEqual([...all].sort());

  await page.getByRole('link', { name: 'Meten' }).click();
  await page.getByRole('heading', { name: 'Meten: impact over huishoudens (R-61)' }).waitFor();
  // One bar per phase in the time-per-phase chart, and the table line for line the CSV.
  await expect(
    page
      .locator('svg[data-chart="fase-duur"] text')
      .filter({ hasText: /^Fase|^Afstemming/ })
      .count(),
  ).resolves.toBe(4);
  await expect(
    page.locator('svg[data-chart="escalatie-niveau"] > text, svg[data-chart="escalatie-niveau"] rect.bar').count(),
  ).resolves.toBeGreaterThanOrEqual(3);
  const csv = await (await page.request.get(`${origin}/dashboard/impact.csv`)).text();
  const lines = csv.trim().split('\r\n').length - 1;
  await expect(page.locator('#impact-cijfers tbody tr').count()).resolves.toBe(lines);
  await page.screenshot({ path: join(ARTIFACTS, 'meten.png'), fullPage: true });
  await expectAccessible(page, 'meten');
});

test('the casusregisseur walks through the household forms on a phone and a desktop: refusal beside its field, then recorded', async () => {
  for (const [width, height] of [
    [390, 844],
    [1280, 900],
  ] as const) {
    const page = await newPage({ width, height });
    await loginAs({ page, origin }, 'pro-vt', `/dashboard/households/${householdId}`);
    await page.goto(`${origin}/dashboard/households/${householdId}`);
    await page.getByRole('heading', { name: 'Vastleggen' }).waitFor();
    await expectAccessible(page, `formulieren ${width}`);
    await fitsTheScreen(page);

    // a controle without how it was made is refused beside the field, with the rule.
    await page.locator('#thema-bewijs > summary').click();
    const controle = page.locator('#form-controle');
    await controle.getByRole('button', { name: 'Controle vastleggen' }).click();
    await page.locator('#controle-bezoek-fout').waitFor();
    await expect(page.locator('#controle-bezoek-fout').textContent()).resolves.toContain('(R-60)');
    await expectAccessible(page, `weigering ${width}`);
    await fitsTheScreen(page);
    await page.screenshot({ path: join(ARTIFACTS, `formulier-weigering-${width}.png`), fullPage: true });

    // The whole row of a radio button is clickable: a click on its label chooses it.
    const form = page.locator('#form-controle');
    await form.getByText('Onaangekondigd', { exact: true }).click();
    await form.getByText('Het netwerk', { exact: true }).click();
    await expect(form.getByLabel('Onaangekondigd', { exact: true }).isChecked()).resolves.toBe(true);
    const box = await form.getByLabel('Het netwerk', { exact: true }).boundingBox();
    expect(box!.width).toBeLessThan(40);
    await form.getByRole('button', { name: 'Controle vastleggen' }).click();
    await page.getByText('Het controlebezoek is vastgelegd (R-60).').waitFor();

    // A danger described through its form.
    await page.locator('#thema-gevaren > summary').click();
    const danger = page.locator('#form-gevaar');
    await danger.getByLabel('Gevaarsomschrijving').fill(`Schreeuwen bij ruzie (${width})`);
    await danger.getByLabel('Veiligheidsdoel').fill('Rustig praten');
    await page.screenshot({ path: join(ARTIFACTS, `formulier-gevaar-${width}.png`), fullPage: true });
    await danger.getByRole('button', { name: 'Gevaar vastleggen' }).click();
    await page.getByText('Het gevaar is vastgelegd.').waitFor();
    await expectAccessible(page, `bevestiging ${width}`);
  }
  const v = await api<HouseholdView>('coord', `/households/${householdId}`);
  expect(v.body.state.evidence.filter((e) => e.item === 'controle' && e.visit?.by === 'netwerk')).toHaveLength(2);
  expect(v.body.state.dangers.filter((d) => d.statement.startsWith('Schreeuwen bij ruzie'))).toHaveLength(2);
}, 120_000);

test('the safety-plan forms (issue 21) on a phone: accessible, a refusal beside its field with R-15, then the plan recorded', async () => {
  const res = await api<{ householdId: string }>('intake-vt', '/households', intakeBody('browser-plan', riskCase(VT1)));
  expect(res.status).toBe(201);
  const id = res.body.householdId;
  expect((await api('pro-vt', `/households/${id}/network`, { id: 'n-oma', kind: 'sociaal' })).status).toBe(200);
  const page = await newPage({ width: 390, height: 844 });
  await loginAs({ page, origin }, 'pro-vt', `/dashboard/households/${id}`);
  await page.goto(`${origin}/dashboard/households/${id}`);
  await page.locator('#thema-plan > summary').click();
  const form = page.locator('#form-plan');
  await expectAccessible(page, 'planformulier');
  await fitsTheScreen(page);

  await form.getByText('Direct veiligheidsplan', { exact: true }).click(); // the label: the whole row is clickable
  await form.locator('#plan-afspraak1-wat').fill('Oma belt elke avond.');
  await form.locator('#plan-afspraak1-wanneer').fill('elke avond om 20:00');
  await form.locator('#plan-misgaan').fill('Moeder gaat met kind-1 naar oma.');
  await form.getByRole('button', { name: 'Plan vastleggen' }).click();
  await page.locator('#plan-afspraak1-wie-fout').waitFor();
  await expect(page.locator('#plan-afspraak1-wie-fout').textContent()).resolves.toContain('(R-15)');
  await expectAccessible(page, 'planformulier weigering');
  await page.screenshot({ path: join(ARTIFACTS, 'formulier-plan-weigering-390.png'), fullPage: true });

  const again = page.locator('#form-plan');
  // Who carries it out: the household's members first (kind-1, ouder-1), then the network.
  await again.locator('label[for="plan-afspraak1-wie-2"]').click();
  await again.locator('label[for="plan-afspraak1-inlichten-0"]').click();
  await expect(again.locator('#plan-afspraak1-wie-2').isChecked()).resolves.toBe(true);
  await again.locator('#plan-kind1-veilig').selectOption('n-oma');
  await again.getByRole('button', { name: 'Plan vastleggen' }).click();
  await page.getByText('Het veiligheidsplan is vastgelegd.').waitFor();
  await expectAccessible(page, 'planformulier bevestiging');
  const v = await api<HouseholdView>('coord', `/households/${id}`);
  expect(v.body.state.plans?.[0]).toMatchObject({ kind: 'direct', version: 1, children: [{ member: 'kind-1', safetyPerson: 'n-oma' }] });
}, 120_000);
