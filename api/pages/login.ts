/**
 * Logging in to the dashboard with an API key, and out again: the key is checked once and never
 * stored (api/pages/session.ts); failed attempts are limited per address.
 */
import { rateLimit } from 'express-rate-limit';
import { html, type SafeHtml } from '../../platform/html';
import { refusedBecause } from '../guards';
import { notice } from './frame';
import { DASHBOARD, page, safeNext, sendPage, type PageContext } from './page';
import { personalLoginForm, personalLoginPages, type PersonalLoginDeps } from './personal-login';
import type { Sessions } from './session';

export interface LoginDeps {
  sessions: Sessions;
  /** Personal login through the organisation's identity provider; when set, API keys open no page. */
  personal?: PersonalLoginDeps;
  /** Failed logins per address per minute. */
  failedLoginsPerMinute: number;
}

function loginForm(next: string, error?: string): SafeHtml {
  return html`<div class="login card"><h1>Inloggen</h1>${error ? notice('error', error) : ''}
<form method="post" action="${DASHBOARD}/login" class="form-grid">
<input type="hidden" name="next" value="${next}">
<div class="form-row"><label for="sleutel">API-sleutel</label><input type="password" id="sleutel" name="sleutel" autocomplete="current-password" required ${error ? html`aria-invalid="true"` : ''}>
<p class="hint">De sleutel die uw organisatie u gaf. Hij wordt niet bewaard; u blijft ingelogd tot u uitlogt, 30 minuten niets doet of na 8 uur.</p></div>
<div><button type="submit" class="button">Inloggen</button></div></form></div>`;
}

export function loginPages(ctx: PageContext, deps: LoginDeps): void {
  const personal = deps.personal;
  if (personal) personalLoginPages(ctx, personal);
  page(ctx, { method: 'get', path: '/login', reader: 'none' }, async ({ query }) => ({
    title: 'Inloggen',
    body: personal ? personalLoginForm(safeNext(query.given.next)) : loginForm(safeNext(query.given.next)),
  }));

  page(
    ctx,
    {
      method: 'post',
      path: '/login',
      reader: 'none',
      form: { limit: '4kb', parameterLimit: 10 },
      before: [
        rateLimit({
          windowMs: 60_000,
          limit: deps.failedLoginsPerMinute,
          skipSuccessfulRequests: true,
          requestWasSuccessful: (_req, res) => res.statusCode < 400,
          handler: (_req, res) =>
            sendPage(res, 429, 'Inloggen', loginForm(DASHBOARD, 'Te veel pogingen; probeer het over een minuut opnieuw.')),
        }),
      ],
    },
    async ({ form, req, res }) => {
      if (personal) {
        refusedBecause(res, 'api_key_on_pages');
        return {
          status: 403,
          title: 'Inloggen',
          body: personalLoginForm(safeNext(form.next), 'Met een API-sleutel logt u niet in op het dashboard; log in via uw organisatie.'),
        };
      }
      const key = typeof form.sleutel === 'string' ? form.sleutel : '';
      const caller = key ? await deps.sessions.login(req, res, key) : undefined;
      if (!caller) return { status: 401, title: 'Inloggen', body: loginForm(safeNext(form.next), 'Deze API-sleutel is onbekend.') };
      return { redirect: safeNext(form.next) };
    },
  );

  page(ctx, { method: 'post', path: '/logout', reader: 'none' }, async ({ req, res }) => {
    await deps.sessions.logout(req, res);
    return { redirect: `${DASHBOARD}/login` };
  });
}
