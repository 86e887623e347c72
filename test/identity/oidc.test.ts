/**
 * Personal login (issue 20) against the embedded development provider, as a real one is used:
 * authorization code with PKCE, the ID token's identity with its second factor, and JWT access
 * tokens checked against the provider's JWKS (issuer, audience, expiry).
 */
import * as oidc from 'openid-client';
import { hasSecondFactor, OidcClient } from '../../api/identity/oidc';
import { startDevIdp, type DevIdp } from '../../scripts/dev-idp';
import { CookieJar, loginAtDevProvider } from '../support/oidc-browser';

const REDIRECT = 'http://localhost:18080/dashboard/auth/callback';
const accounts = [
  { id: 'vt-0117', name: 'Sanne de Vries', email: 's.devries@veiligthuis.example.org', label: 'Veilig Thuis Haaglanden' },
  { id: 'coordinator', name: 'Regionale coördinator', email: 'coordinator@example.org', label: 'Coördinator' },
];
const client = { id: 'routekaart', secret: 'dev-secret-for-tests-only', redirectUris: [REDIRECT] };
let idp: DevIdp;
let other: DevIdp;
let rp: OidcClient;

beforeAll(async () => {
  idp = await startDevIdp({ accounts, client, audience: 'urn:routekaart:api' });
  // Another provider, and the same provider's tokens for another API: neither may open ours.
  other = await startDevIdp({ accounts, client, audience: 'urn:routekaart:api' });
  rp = await OidcClient.discover({
    issuer: idp.issuer,
    clientId: client.id,
    clientSecret: client.secret,
    redirectUri: REDIRECT,
    audience: 'urn:routekaart:api',
  });
});
afterAll(async () => {
  await idp?.close();
  await other?.close();
});

async function login(provider: DevIdp, via: OidcClient, account: string, secondFactor = true) {
  const { url, pending } = await via.start();
  expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
  const callback = await loginAtDevProvider(new CookieJar(), url, account, { secondFactor, until: (u) => u.startsWith(REDIRECT) });
  expect(new URL(url).origin).toBe(provider.issuer);
  return { callback: new URL(callback), pending };
}

test('the code flow with PKCE gives the identity of the chosen person, with the second factor in amr', async () => {
  const { callback, pending } = await login(idp, rp, 'vt-0117');
  const identity = await rp.finish(callback, pending);
  expect(identity).toMatchObject({ sub: 'vt-0117', email: 's.devries@veiligthuis.example.org', name: 'Sanne de Vries' });
  expect(hasSecondFactor(identity)).toBe(true);
});

test('without the second factor the identity says so; a replayed code or a wrong state is refused', async () => {
  const { callback, pending } = await login(idp, rp, 'coordinator', false);
  const identity = await rp.finish(callback, pending);
  expect(identity.amr).toEqual(['pwd']);
  expect(hasSecondFactor(identity)).toBe(false);
  await expect(rp.finish(callback, pending)).rejects.toThrow();
  const again = await login(idp, rp, 'coordinator');
  await expect(rp.finish(again.callback, { ...again.pending, state: 'forged' })).rejects.toThrow();
});

test('second factor by amr or acr, per RFC 8176 and the names providers use', () => {
  expect(hasSecondFactor({ amr: ['pwd', 'mfa'] })).toBe(true);
  expect(hasSecondFactor({ amr: ['pwd'], acr: 'urn:example:mfa' })).toBe(true);
  expect(hasSecondFactor({ amr: ['pwd'], acr: '1' })).toBe(false);
  expect(hasSecondFactor({ amr: [] })).toBe(false);
});

describe('bearer tokens on the API', () => {
  async function accessToken(provider: DevIdp, account: string): Promise<string> {
    // The code flow by hand, as an API client (a mobile app, say) would, keeping the access token.
    const config = await oidc.discovery(new URL(provider.issuer), client.id, client.secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    const callback = new URL(await loginAtDevProvider(new CookieJar(), url.href, account, { until: (u) => u.startsWith(REDIRECT) }));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    return tokens.access_token;
  }

  test("the provider's access token is accepted, with the person's address", async () => {
    const token = await accessToken(idp, 'vt-0117');
    expect(token.split('.')).toHaveLength(3);
    expect(await rp.verifyBearer(token, new Date())).toMatchObject({ sub: 'vt-0117', email: 's.devries@veiligthuis.example.org' });
  });

  test('an expired token, a token of another issuer and a token for another audience are refused', async () => {
    const token = await accessToken(idp, 'vt-0117');
    expect(await rp.verifyBearer(token, new Date(Date.now() + 2 * 3600_000))).toBeUndefined();
    expect(await rp.verifyBearer(await accessToken(other, 'vt-0117'), new Date())).toBeUndefined();
    const elsewhere = await OidcClient.discover({
      issuer: idp.issuer,
      clientId: client.id,
      clientSecret: client.secret,
      redirectUri: REDIRECT,
      audience: 'urn:another:api',
    });
    expect(await elsewhere.verifyBearer(token, new Date())).toBeUndefined();
    expect(await rp.verifyBearer('not.a.token', new Date())).toBeUndefined();
  });
});
