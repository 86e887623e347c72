/**
 * Personal login and people's bearer tokens through the real API (issue 20), against the embedded
 * development provider: a professional logs in through the provider and reaches the dashboard as
 * themselves; an API key opens no page; the provider's access token works on the API, while an
 * expired one, one of another provider and one for another audience get 401; a login without a
 * second factor is refused where the configuration asks for one.
 */
import * as oidc from 'openid-client';
import { OidcClient } from '../../api/identity/oidc';
import { People } from '../../api/identity/people';
import type { Directory } from '../../platform/directory';
import { startDevIdp, type DevIdp } from '../../scripts/dev-idp';
import { CookieJar, loginAtDevProvider, visit } from '../support/oidc-browser';
import { bearer, intakeBody, startStack, type Stack } from './support';

const AUDIENCE = 'urn:routekaart:api';
const directory: Directory = {
  professionals: { 'p-vt-1': { name: 'Sanne de Vries', email: 's.devries@vt.example.org', organisation: 'veilig-thuis' } },
  organisations: { 'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'lead@vt.example.org', leadName: 'Karin' } },
  coordinator: { name: 'Regio', email: 'coord@regio.example.org' },
};
const accounts = [
  { id: 'sanne', name: 'Sanne de Vries', email: 's.devries@vt.example.org', label: 'Veilig Thuis' },
  { id: 'onbekend', name: 'Iemand Anders', email: 'anders@elders.example.org', label: 'Elders' },
];

let s: Stack;
let server: import('node:http').Server;
let base: string;
let idp: DevIdp;
let other: DevIdp;
const secret = 'client-secret-of-the-test';

async function stackWith(requireMfa: boolean, port: number): Promise<Stack> {
  const redirect = `http://localhost:${port}/dashboard/auth/callback`;
  idp = await startDevIdp({ accounts, client: { id: 'routekaart', secret, redirectUris: [redirect] }, audience: AUDIENCE });
  const client = await OidcClient.discover({
    issuer: idp.issuer,
    clientId: 'routekaart',
    clientSecret: secret,
    redirectUri: redirect,
    audience: AUDIENCE,
  });
  return startStack(
    {},
    { publicUrl: `http://localhost:${port}`, identity: { oidc: client, people: new People(() => directory), requireMfa } },
  );
}

beforeAll(async () => {
  const { freePort } = await import('../support/harness/ports');
  const port = await freePort();
  s = await stackWith(true, port);
  server = s.app.listen(port, '127.0.0.1');
  base = `http://localhost:${port}`;
  other = await startDevIdp({ accounts, client: { id: 'routekaart', secret, redirectUris: [`${base}/x`] }, audience: AUDIENCE });
}, 120_000);
afterAll(async () => {
  server?.close();
  await s?.close();
  await idp?.close();
  await other?.close();
});

/** The browser's way in: the login button, the provider's page, the callback, then the dashboard. */
async function browserLogin(account: string, secondFactor = true): Promise<{ jar: CookieJar; callback: Response }> {
  const jar = new CookieJar();
  const start = await visit(jar, `${base}/dashboard/auth/start?next=/dashboard`);
  expect(start.status).toBe(303);
  const callbackUrl = await loginAtDevProvider(jar, start.headers.get('location')!, account, {
    secondFactor,
    until: (u) => u.startsWith(base),
  });
  return { jar, callback: await visit(jar, callbackUrl) };
}

test('a professional logs in through the provider and sees the dashboard as themselves', async () => {
  const { jar, callback } = await browserLogin('sanne');
  expect(callback.status).toBe(200);
  expect(await callback.text()).toContain('Sanne de Vries');
  const dashboard = await visit(jar, `${base}/dashboard`);
  expect(dashboard.status).toBe(200);
  expect(await dashboard.text()).toContain('p-vt-1');
});

test('without a second factor, or unknown to the directory, the login is refused with a Dutch reason', async () => {
  const noMfa = await browserLogin('sanne', false);
  expect(noMfa.callback.status).toBe(401);
  expect(await noMfa.callback.text()).toContain('tweede factor');
  expect((await visit(noMfa.jar, `${base}/dashboard`)).status).toBe(303);
  const unknown = await browserLogin('onbekend');
  expect(unknown.callback.status).toBe(401);
  expect(await unknown.callback.text()).toContain('adresboek');
});

test('an API key opens no page once personal login is configured', async () => {
  const res = await s.request.post('/dashboard/login').type('form').send({ sleutel: 'pro-vt' });
  expect(res.status).toBe(403);
  expect(res.headers['set-cookie']).toBeUndefined();
});

test("with a real issuer, API keys are for intake systems only: a professional's or coordinator's key is 401 with a Dutch reason", async () => {
  for (const key of ['pro-vt', 'coord'] as const) {
    const res = await s.request.get('/api/v1/households').set('Authorization', bearer(key));
    expect([key, res.status]).toEqual([key, 401]);
    expect(res.body.error.message).toMatch(/alleen voor intakesystemen/);
  }
  expect((await s.request.get('/api/v1/households').set('Authorization', bearer('intake-vt'))).status).toBe(200);
});

async function accessToken(provider: DevIdp, account: string): Promise<string> {
  const redirect = provider === idp ? `${base}/dashboard/auth/callback` : `${base}/x`;
  const config = await oidc.discovery(new URL(provider.issuer), 'routekaart', secret, undefined, { execute: [oidc.allowInsecureRequests] });
  const pending = { state: oidc.randomState(), verifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: 'openid',
    state: pending.state,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  const callback = await loginAtDevProvider(new CookieJar(), url.href, account, { until: (u) => u.startsWith(redirect) });
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
  });
  return tokens.access_token;
}

test("the provider's access token works on the API as that person; others are 401", async () => {
  const intake = await s.request
    .post('/api/v1/households')
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody('ident-1', { owner: { professionalId: 'p-vt-1', organisation: 'veilig-thuis' } }));
  expect(intake.status).toBe(201);
  const token = await accessToken(idp, 'sanne');
  const ok = await s.request.get(`/api/v1/households/${intake.body.householdId}`).set('Authorization', `Bearer ${token}`);
  expect(ok.status).toBe(200);
  const foreign = await s.request.get('/api/v1/households').set('Authorization', `Bearer ${await accessToken(other, 'sanne')}`);
  expect(foreign.status).toBe(401);
  const unknownPerson = await s.request.get('/api/v1/households').set('Authorization', `Bearer ${await accessToken(idp, 'onbekend')}`);
  expect(unknownPerson.status).toBe(401);
  const [h, p] = token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), aud: 'urn:other' })).toString('base64url')}.${token.split('.')[2]}`;
  expect((await s.request.get('/api/v1/households').set('Authorization', `Bearer ${tampered}`)).status).toBe(401);
});
