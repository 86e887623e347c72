/**
 * Issue 20: the household page's forms in Chromium on a phone (390 px), against the real API,
 * worker and Temporal dev server, filled the way a person does (fill, choose, a click on a label)
 * and sent by the form's own button. `refused` expects the message beside the field it concerns
 * and nothing changed; `recorded` expects the form's confirmation and the command in the API's view.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';
import type { Directory } from '../../platform/directory';
import type { HouseholdView } from '../../domain/view';
import { bearer, eventually, intakeBody, startStack, type KeyName, type Stack } from '../api/support';
import { ARTIFACTS, launchChromium, pageMaker } from '../support/browser';
import { freePort } from '../support/harness/ports';
import { loginAs, riskCase } from './support';

export type Values = Record<string, string | string[]>;

const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };

/** The colleagues the forms offer by name. */
const DIRECTORY: Directory = {
  professionals: {
    'p-vt-1': { name: 'Ayşe Demir', email: 'a.demir@veiligthuis.example.org', organisation: 'veilig-thuis' },
    'p-lt-1': { name: 'Ilse Jansen', email: 'i.jansen@lokaalteam.example.org', organisation: 'lokaal-team' },
    'p-ggz-1': { name: 'Ruud Bakker', email: 'r.bakker@ggz.example.org', organisation: 'ggz' },
    'p-gi-1': { name: 'Noor el Amrani', email: 'n.elamrani@gi.example.org', organisation: 'gi' },
  },
  organisations: {
    'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'lead@veiligthuis.example.org', leadName: 'Karin Smit' },
  },
  coordinator: { name: 'Esther van Leeuwen', email: 'coordinatie@routekaart.example.org' },
};

export interface FormsInChromium {
  origin: string;
  view(): Promise<HouseholdView>;
  phoneOf(who: KeyName): Promise<Page>;
  refused(who: KeyName, key: string, values: Values, field: string, rule: RegExp, probe: (v: HouseholdView) => unknown): Promise<Page>;
  recorded(who: KeyName, key: string, values: Values, check: (v: HouseholdView) => boolean): Promise<HouseholdView>;
  close(): Promise<void>;
}

/**
 * An imported overdue case (escalated as it stands: no review period, so level 3 is there for the
 * escalation forms) with a jeugdbeschermer as veiligheidsplanner, and a phone per person.
 */
export async function formsInChromium(reference: string): Promise<FormsInChromium> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const s: Stack = await startStack(
    {},
    { policy: Policy.parse({ ...DEFAULT_POLICY, importReviewDays: 0 }), publicUrl: origin, directory: DIRECTORY },
  );
  const server = await new Promise<Server>((resolve) => {
    const srv = s.app.listen(port, '127.0.0.1', () => resolve(srv));
  });
  const browser: Browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  const pages = pageMaker(() => browser);
  const res = await s.request
    .post('/api/v1/households')
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody(reference, { ...riskCase(VT1), jeugdbeschermer: true }));
  expect(res.status).toBe(201);
  const id = res.body.householdId as string;
  const gi = await s.request
    .post(`/api/v1/households/${id}/roles`)
    .set('Authorization', bearer('pro-vt'))
    .send({ role: 'veiligheidsplanner', professional: { professionalId: 'p-gi-1', organisation: 'gi' } });
  expect(gi.status).toBe(200);

  const signedIn = new Map<KeyName, Page>();
  async function view(): Promise<HouseholdView> {
    const r = await s.request.get(`/api/v1/households/${id}`).set('Authorization', bearer('coord'));
    expect(r.status).toBe(200);
    return r.body as HouseholdView;
  }

  /** One phone per person, logged in once, on the household page. */
  async function phoneOf(who: KeyName): Promise<Page> {
    if (!signedIn.has(who)) {
      const page = await pages.newPage({ width: 390, height: 844 });
      await loginAs({ page, origin }, who, `/dashboard/households/${id}`);
      signedIn.set(who, page);
    }
    const page = signedIn.get(who)!;
    await page.goto(`${origin}/dashboard/households/${id}`);
    return page;
  }

  async function submit(who: KeyName, key: string, values: Values): Promise<Page> {
    const page = await phoneOf(who);
    const form = page.locator(`#form-${key}`);
    await form.evaluate((f) => f.closest('details')?.setAttribute('open', ''));
    // As a person does: a click on the label (the whole row is the target).
    const label = async (box: Locator) => form.locator(`label[for="${await box.getAttribute('id')}"]`).click();
    for (const [name, value] of Object.entries(values)) {
      const fields = form.locator(`[name="${name}"]`);
      const kind = await fields.first().evaluate((e) => `${e.tagName.toLowerCase()}:${e.getAttribute('type') ?? ''}`);
      const wanted = Array.isArray(value) ? value : [value];
      if (kind === 'input:radio') {
        const box = form.locator(`input[name="${name}"][value="${wanted[0]}"]`);
        await label(box);
        expect(await box.isChecked()).toBe(true);
      } else if (kind === 'input:checkbox') {
        const offered = await fields.evaluateAll((boxes) => boxes.map((b) => b.getAttribute('value')));
        expect([name, offered]).toEqual([name, expect.arrayContaining(wanted)]);
        for (const box of await fields.all()) {
          const want = wanted.includes((await box.getAttribute('value')) ?? '');
          if ((await box.isChecked()) !== want) await label(box);
          expect(await box.isChecked()).toBe(want);
        }
      } else if (kind.startsWith('select')) await fields.selectOption(wanted);
      else await fields.fill(wanted[0] ?? '');
    }
    const navigated = page.waitForEvent('framenavigated');
    await form.locator('button[type="submit"], button:not([type])').last().click();
    await navigated;
    await page.waitForLoadState('load');
    return page;
  }

  return {
    origin,
    view,
    phoneOf,
    async refused(who, key, values, field, rule, probe) {
      const before = probe(await view());
      const page = await submit(who, key, values);
      const message = page.locator(`#${field}-fout`);
      // When the message is elsewhere, say where: every message on the page.
      if ((await message.count()) === 0) {
        const shown = await page.locator('.field-error, .notice').evaluateAll((els) => els.map((e) => `${e.id}: ${e.textContent}`));
        expect([key, field, shown]).toEqual([key, field, expect.arrayContaining([expect.stringContaining(`${field}-fout`)])]);
      }
      expect([key, await message.textContent()]).toEqual([key, expect.stringMatching(rule)]);
      expect(probe(await view())).toEqual(before);
      return page;
    },
    async recorded(who, key, values, check) {
      const page = await submit(who, key, values);
      expect([key, new URL(page.url()).searchParams.get('gedaan')]).toEqual([key, key]);
      return eventually(view, check);
    },
    async close() {
      await pages.closeAll();
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await s.close();
    },
  };
}
