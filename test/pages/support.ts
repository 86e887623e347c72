/** Households the page tests start through the API, and how they call the API and the dashboard. */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import type { ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Policy } from '../../domain/schemas/policy';
import { addDays, addMonths, amsterdamDay, monthOf } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { actionLink, linkExpiry, type ActionClaims } from '../../platform/links';
import { bearer, H, intakeBody, startStack, vt1, type KeyName, type Stack } from '../api/support';

export { vt1 as VT1, vt2 as VT2, lt1 as LT1 } from '../api/support';

/**
 * A running case imported in phase Risico gestuurd with one danger whose last scores (all three
 * groups, 4) are 40 days old: R-39 has escalated as soon as it starts, whatever the real date.
 * The extra fields of an intake body (test/api/support.ts intakeBody).
 */
export function riskCase(owner: ProfessionalRef, now = new Date()) {
  const today = amsterdamDay(now);
  const startDate = `${addMonths(monthOf(today), -4)}-01`;
  return {
    owner,
    casusregisseur: owner,
    import: {
      startDate,
      phase: 'risicogestuurd' as const,
      phaseStartDate: startDate,
      roles: [],
      dangers: [
        {
          id: 'd-1',
          priority: 1,
          statement: 'Geweld bij ruzie over geld',
          safetyGoal: 'Geen geweld thuis',
          definedAt: startDate,
          revisions: 0,
        },
      ],
      scores: (['huishouden', 'netwerk', 'professionals'] as const).map((group) => ({
        dangerId: 'd-1',
        group,
        value: 4,
        observedBehaviour: 'geïmporteerd',
        date: addDays(today, -40),
      })),
      evidence: [],
      network: [],
    },
  };
}

/** A browser page and where the dashboard runs (the browser tests log in through the form, as a person does). */
export interface BrowserLogin {
  page: Page;
  origin: string;
}

/**
 * The one way tests log in to the dashboard (an API key today), for a supertest agent (the cookie
 * stays on it) or a browser page. Switching the login (to OpenID Connect) changes this function only.
 */
export async function loginAs<A extends supertest.Agent | BrowserLogin>(agent: A, who: string, next = '/dashboard'): Promise<A> {
  if ('page' in agent) {
    await agent.page.goto(`${agent.origin}/dashboard/login?next=${encodeURIComponent(next)}`);
    await agent.page.getByLabel('API-sleutel').fill(who);
    await agent.page.getByRole('button', { name: 'Inloggen' }).click();
    await agent.page.waitForURL((url) => !url.pathname.endsWith('/login'));
    return agent;
  }
  const res = await agent.post('/dashboard/login').type('form').send({ sleutel: who, next });
  if (res.status !== 303) throw new Error(`login as ${who} failed: ${res.status}`);
  return agent;
}

/** The field error shown beside a field (its id), as text. */
export function errorOf(text: string, field: string): string {
  const m = new RegExp(`<p class="field-error" id="${field}-fout">([^<]*)</p>`).exec(text);
  return m?.[1] ?? '';
}

/** The message of a required field left empty, naming it ("Vul 'Waargenomen gedrag' in."), as the page escapes it. */
export const missing = (label: string) => new RegExp(`Vul (&#39;|&#x27;|')${label}(&#39;|&#x27;|') in\\.`);

/**
 * The API and the dashboard as the page tests call them, on the stack a test file starts in
 * beforeAll (`stack` reads it when a test runs), whose action links are signed with `linkSecret`.
 */
export function pageCalls(stack: () => Stack, linkSecret: Buffer) {
  const now = () => new Date();

  function api(key: KeyName) {
    return {
      get: (path: string) => stack().request.get(path).set('Authorization', bearer(key)),
      post: (path: string, body: object) => stack().request.post(path).set('Authorization', bearer(key)).send(body),
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
    return actionLink('', linkSecret, { exp: linkExpiry(now()), nonce: randomBytes(9).toString('base64url'), ...claims });
  }

  /** A session as this key: a supertest agent keeps the cookie. */
  async function loggedIn(key: KeyName) {
    return loginAs(supertest.agent(stack().app), key);
  }

  return { api, intake, view, link, loggedIn };
}

/**
 * The form tests' stack and household: imports escalate as they stand (no review, issue 22), since
 * the escalation forms need an imported overdue case, and one such case (riskCase) is imported.
 */
export async function startFormsCase(reference = 'forms-1'): Promise<{ s: Stack; id: string }> {
  const s = await startStack({}, { policy: Policy.parse({ ...DEFAULT_POLICY, importReviewDays: 0 }) });
  const res = await s.request
    .post(H)
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody(reference, riskCase(vt1)));
  expect([200, 201]).toContain(res.status);
  return { s, id: res.body.householdId as string };
}

/**
 * The form tests' calls on the household of startFormsCase (`current` reads stack and id when a test
 * runs): its view through the API, a session as a key, and a form of its page posted as a key.
 */
export function formCalls(current: () => { s: Stack; id: string }) {
  async function view(): Promise<HouseholdView> {
    const { s, id } = current();
    const res = await s.request.get(`${H}/${id}`).set('Authorization', bearer('coord'));
    expect(res.status).toBe(200);
    return res.body as HouseholdView;
  }

  const as = (key: KeyName) => loginAs(supertest.agent(current().s.app), key);

  async function submit(key: KeyName, form: string, body: Record<string, string | string[]>) {
    return (await as(key)).post(`/dashboard/households/${current().id}/${form}`).type('form').send(body);
  }

  return { view, as, submit };
}
