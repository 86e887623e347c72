/**
 * Personal login through the organisation's identity provider (issue 20): the authorization code
 * flow with PKCE (api/identity/oidc.ts). What the browser must bring back (state, nonce, PKCE
 * verifier, where to go next) waits in a short-lived signed cookie; the callback checks it, the
 * second factor where the configuration asks for one, and who the person is in the directory, then
 * starts a dashboard session (api/pages/session.ts). API keys are no way into the pages then.
 */
import { z } from 'zod';
import { html, type SafeHtml } from '../../platform/html';
import { signToken, verifyToken } from '../../platform/signed-token';
import { refusedBecause } from '../guards';
import { hasSecondFactor, type OidcClient } from '../identity/oidc';
import type { People } from '../identity/people';
import { notice } from './frame';
import { DASHBOARD, page, safeNext, type PageContext } from './page';
import type { Sessions } from './session';

export interface PersonalLoginDeps {
  oidc: OidcClient;
  people: People;
  requireMfa: boolean;
  sessions: Sessions;
  /** Signs the pending-login cookie. */
  secret: Buffer;
  publicUrl: string;
  now: () => Date;
}

const COOKIE = 'rk_login';
const CONTEXT = 'routekaart/oidc-pending/v1\n';
const PENDING_MINUTES = 10;
const Pending = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), next: z.string(), exp: z.number() });

export function personalLoginForm(next: string, error?: string): SafeHtml {
  return html`<div class="login card"><h1>Inloggen</h1>${error ? notice('error', error) : ''}
<p>U logt in via uw eigen organisatie. Routekaart bewaart geen wachtwoord; u blijft ingelogd tot u uitlogt, 30 minuten niets doet of na 8 uur.</p>
<form method="get" action="${DASHBOARD}/auth/start">
<input type="hidden" name="next" value="${next}">
<button type="submit" class="button">Inloggen via uw organisatie</button></form></div>`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function personalLoginPages(ctx: PageContext, deps: PersonalLoginDeps): void {
  const secure = deps.publicUrl.startsWith('https:');

  page(ctx, { method: 'get', path: '/auth/start', reader: 'none' }, async ({ query, res }) => {
    const { url, pending } = await deps.oidc.start();
    const exp = Math.floor(deps.now().getTime() / 1000) + PENDING_MINUTES * 60;
    // Lax, not Strict: the provider sends the browser back with a cross-site navigation.
    res.cookie(COOKIE, signToken(deps.secret, CONTEXT, { ...pending, next: safeNext(query.given.next), exp }), {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: `${DASHBOARD}/auth`,
      maxAge: PENDING_MINUTES * 60_000,
    });
    return { redirect: url };
  });

  page(ctx, { method: 'get', path: '/auth/callback', reader: 'none' }, async ({ req, res }) => {
    const pending = verifyToken(deps.secret, CONTEXT, Pending, cookieValue(req.headers.cookie, COOKIE));
    res.clearCookie(COOKIE, { path: `${DASHBOARD}/auth` });
    const refuse = (reason: string, message: string) => {
      refusedBecause(res, reason);
      return { status: 401, title: 'Inloggen', body: personalLoginForm(pending?.next ?? DASHBOARD, message) };
    };
    if (!pending || pending.exp * 1000 <= deps.now().getTime())
      return refuse('login_expired', 'Het inloggen duurde te lang of is in een ander venster begonnen. Probeer het opnieuw.');
    let identity;
    try {
      identity = await deps.oidc.finish(new URL(req.originalUrl, deps.publicUrl), pending);
    } catch {
      return refuse('login_failed', 'Uw organisatie heeft het inloggen niet bevestigd. Probeer het opnieuw.');
    }
    if (deps.requireMfa && !hasSecondFactor(identity))
      return refuse(
        'no_second_factor',
        'Routekaart vraagt een tweede factor (zoals een code uit een app) omdat het om gegevens over huiselijk geweld gaat. Log opnieuw in en gebruik uw tweede factor.',
      );
    const caller = deps.people.callerFor(identity);
    if (!caller)
      return refuse(
        'unknown_person',
        'U bent ingelogd bij uw organisatie, maar u staat niet in het adresboek van Routekaart. Vraag de beheerder van Routekaart u toe te voegen.',
      );
    await deps.sessions.start(req, res, caller);
    // The session cookie is SameSite=Strict: a redirect at the end of the provider's cross-site
    // chain would arrive without it, so the browser moves on from a page of our own.
    const next = pending.next;
    return {
      file: {
        contentType: 'text/html; charset=utf-8',
        body: html`<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}"><title>Ingelogd – Routekaart</title></head>
<body><p>U bent ingelogd als ${deps.people.nameOf(caller) ?? caller.professionalId ?? 'coördinator'}. <a href="${next}">Verder</a></p></body></html>`
          .value,
      },
    };
  });
}
