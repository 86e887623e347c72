import { householdLink, linkExpiry, signHouseholdLink, verifyHouseholdLink, DEFAULT_LINK_TTL_DAYS } from '../../platform/links';

const secret = Buffer.from('a-secret-of-at-least-sixteen-bytes');
const now = new Date('2025-03-10T08:00:00.000Z');
const claims = { householdId: 'hh-7f3a9c', sub: 'jf-0142', exp: linkExpiry(now) };

describe('signed household links', () => {
  test('a signed token verifies to its claims', () => {
    const token = signHouseholdLink(secret, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyHouseholdLink(secret, token, now)).toEqual(claims);
  });

  test('default expiry is 14 days; the token is refused from the expiry second on', () => {
    expect(DEFAULT_LINK_TTL_DAYS).toBe(14);
    expect(claims.exp - now.getTime() / 1000).toBe(14 * 24 * 3600);
    const token = signHouseholdLink(secret, claims);
    expect(verifyHouseholdLink(secret, token, new Date(claims.exp * 1000 - 1000))).not.toBeNull();
    expect(verifyHouseholdLink(secret, token, new Date(claims.exp * 1000))).toBeNull();
    expect(verifyHouseholdLink(secret, token, new Date(claims.exp * 1000 + 86_400_000))).toBeNull();
  });

  test('a changed payload, signature or secret is refused', () => {
    const token = signHouseholdLink(secret, claims);
    const [payload, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, householdId: 'hh-other' })).toString('base64url');
    expect(verifyHouseholdLink(secret, `${forged}.${sig}`, now)).toBeNull();
    const extended = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 365 * 86400 })).toString('base64url');
    expect(verifyHouseholdLink(secret, `${extended}.${sig}`, now)).toBeNull();
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(verifyHouseholdLink(secret, `${payload}.${flipped}`, now)).toBeNull();
    expect(verifyHouseholdLink(secret, `${payload}.${sig.slice(0, -2)}`, now)).toBeNull();
    expect(verifyHouseholdLink(Buffer.from('another-secret-of-sixteen-bytes'), token, now)).toBeNull();
  });

  test('malformed tokens are refused without throwing', () => {
    for (const bad of ['', 'abc', 'a.b.c', '.', 'äöü.xyz', `${'a'.repeat(3000)}.b`]) {
      expect(verifyHouseholdLink(secret, bad, now)).toBeNull();
    }
    // Valid MAC over a payload that is not the claims shape.
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const payload = Buffer.from(JSON.stringify({ householdId: 'x' })).toString('base64url');
    const sig = createHmac('sha256', secret).update('routekaart/household-link/v1\n').update(payload).digest('base64url');
    expect(verifyHouseholdLink(secret, `${payload}.${sig}`, now)).toBeNull();
  });

  test('a short secret is a configuration error', () => {
    expect(() => signHouseholdLink(Buffer.from('short'), claims)).toThrow(/at least 16 bytes/);
  });

  test('householdLink points at the household in the dashboard with a verifiable token', () => {
    const url = new URL(householdLink('https://rk.example.org/', secret, claims));
    expect(url.origin + url.pathname).toBe('https://rk.example.org/dashboard/households/hh-7f3a9c');
    expect(verifyHouseholdLink(secret, url.searchParams.get('token') ?? '', now)).toEqual(claims);
  });
});
