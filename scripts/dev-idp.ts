/**
 * The embedded development identity provider of `npm start` (OpenID Connect, oidc-provider): the
 * people of the example directory as accounts, so a newcomer logs in as "Sanne de Vries — Veilig
 * Thuis" with one click. It is a tool of the local run only: scripts/start-local.ts starts it when
 * no OIDC_ISSUER is configured, and no product code imports it. A real deployment points
 * OIDC_ISSUER at the organisation's own provider (Entra ID, Keycloak, ...).
 *
 * What it issues is what a real provider issues: an ID token with `amr` (["pwd"], or ["pwd","otp"]
 * when the second factor box is ticked) for the dashboard's login, and JWT access tokens for the
 * API's audience, signed with a key published at the JWKS endpoint.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { escapeHtml } from '../platform/html';

/** One person who can log in: the directory's professionals and the coordinator. */
export interface DevAccount {
  id: string;
  name: string;
  email: string;
  /** Shown beside the name: the organisation, or "Coördinator". */
  label: string;
}

export interface DevIdpOptions {
  accounts: DevAccount[];
  client: { id: string; secret: string; redirectUris: string[]; postLogoutRedirectUris?: string[] };
  /** The API's audience: access tokens are JWTs for it. */
  audience: string;
  host?: string;
  /** 0: any free port. */
  port?: number;
}

export interface DevIdp {
  issuer: string;
  close(): Promise<void>;
}

const SCOPE = 'openid profile email';

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const issuer = `http://${host === '127.0.0.1' ? 'localhost' : host}:${(server.address() as AddressInfo).port}`;
  const accounts = new Map(options.accounts.map((a) => [a.id, a]));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.client.id,
        client_secret: options.client.secret,
        redirect_uris: options.client.redirectUris,
        post_logout_redirect_uris: options.client.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64')] },
    claims: { openid: ['sub', 'acr', 'amr'], profile: ['name'], email: ['email', 'email_verified'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPE,
          audience: options.audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 3600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // First-party client: consent is implied; the grant covers the login scopes and the API.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPE);
      grant.addResourceScope(options.audience, SCOPE);
      await grant.save();
      return grant;
    },
    // The API maps a bearer token to a person by e-mail too, as with Entra ID's preferred_username.
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token && typeof token.accountId === 'string' ? accounts.get(token.accountId) : undefined;
      return account ? { email: account.email } : {};
    },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: account.name, email: account.email, email_verified: true }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, AccessToken: 3600, IdToken: 3600, AuthorizationCode: 60 },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!m) return void callback(req, res);
    const answer = m[2] ? login(provider, accounts, req, res) : chooser(provider, options.accounts, req, res);
    answer.catch((err: unknown) => {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`Inloggen mislukt: ${(err as Error).message}`);
    });
  });

  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The login page: every account as one button, grouped as the directory lists them. */
async function chooser(provider: Provider, accounts: DevAccount[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { uid } = await provider.interactionDetails(req, res);
  const buttons = accounts
    .map(
      (a) =>
        `<li><button type="submit" name="account" value="${escapeHtml(a.id)}">${escapeHtml(a.name)} — ${escapeHtml(a.label)}</button></li>`,
    )
    .join('\n');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  res.end(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inloggen (ontwikkelomgeving)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
ul{list-style:none;padding:0}li{margin:.4rem 0}button{width:100%;text-align:left;padding:.7rem 1rem;font-size:1rem;cursor:pointer}
label{display:flex;gap:.5rem;align-items:center;margin:1rem 0}</style></head>
<body><main>
<h1>Inloggen bij Routekaart</h1>
<p>Dit is de identiteitsprovider van de <strong>ontwikkelomgeving</strong>: kies een persoon uit het voorbeeldadresboek.
In productie logt u in via uw eigen organisatie.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label><input type="checkbox" name="tweedeFactor" value="ja" checked> Met tweede factor (zoals een code uit een app)</label>
<ul>
${buttons}
</ul>
</form>
</main></body></html>`);
}

/** A chosen account finishes the login, with the second factor as `amr` says it. */
async function login(provider: Provider, accounts: Map<string, DevAccount>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') throw new Error('alleen POST');
  await provider.interactionDetails(req, res);
  const form = new URLSearchParams(await body(req));
  const accountId = form.get('account') ?? '';
  if (!accounts.has(accountId)) throw new Error('onbekend account');
  const amr = form.get('tweedeFactor') === 'ja' ? ['pwd', 'otp'] : ['pwd'];
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId, amr, acr: amr.length > 1 ? 'mfa' : 'pwd' } },
    { mergeWithLastSubmission: false },
  );
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) throw new Error('te groot');
  }
  return text;
}
