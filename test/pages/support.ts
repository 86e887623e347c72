/** Households the page tests start through the API. */
import type { Page } from 'playwright-core';
import type supertest from 'supertest';
import type { ProfessionalRef } from '../../domain/model';
import { addDays, addMonths, amsterdamDay, monthOf } from '../../domain/time';

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
