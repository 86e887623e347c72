/**
 * Only the canonical spelling of a signed token verifies (issue 19). A 32-byte MAC is 43 base64url
 * characters whose last one carries 2 bits that decoding ignores, so each token has 3 other
 * spellings with the same bytes; they must all be refused, and be told apart from forgeries.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  checkAction,
  checkHouseholdLink,
  linkExpiry,
  signAction,
  signHouseholdLink,
  verifyAction,
  verifyHouseholdLink,
} from '../../platform/links';
import { checkToken, signToken, verifyToken } from '../../platform/signed-token';
import { spellings } from '../support/tokens';

const secret = randomBytes(32);
const now = new Date('2026-03-10T08:00:00.000Z');
const Value = z.object({ n: z.number() });

describe('canonical encoding of signed tokens', () => {
  test('every spelling decodes to the same MAC bytes, yet only the canonical one verifies', () => {
    for (let n = 0; n < 50; n++) {
      const token = signToken(secret, 'ctx\n', { n });
      const [original, ...variants] = spellings(token);
      expect(variants).toHaveLength(3);
      const bytes = (t: string) => Buffer.from(t.split('.')[1]!, 'base64url').toString('hex');
      for (const v of variants) expect(bytes(v)).toBe(bytes(original!));
      expect(verifyToken(secret, 'ctx\n', Value, original)).toEqual({ n });
      for (const v of variants) {
        expect(verifyToken(secret, 'ctx\n', Value, v)).toBeNull();
        // The MAC holds: a respelled genuine token, not a forgery, and its value is known for the audit.
        expect(checkToken(secret, 'ctx\n', Value, v)).toEqual({ ok: false, reason: 'non_canonical', value: { n } });
      }
    }
  });

  test('a wrong MAC is forged, whatever its spelling; garbage is malformed', () => {
    const token = signToken(secret, 'ctx\n', { n: 1 });
    expect(checkToken(randomBytes(32), 'ctx\n', Value, token)).toEqual({ ok: false, reason: 'forged' });
    expect(checkToken(secret, 'other\n', Value, token)).toEqual({ ok: false, reason: 'forged' });
    for (const v of spellings(token).slice(1))
      expect(checkToken(randomBytes(32), 'ctx\n', Value, v)).toEqual({ ok: false, reason: 'forged' });
    for (const bad of ['', 'a', 'a.b.c', 'ä.b', 42])
      expect(checkToken(secret, 'ctx\n', Value, bad)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(checkToken(secret, 'ctx\n', z.object({ m: z.string() }), token)).toEqual({ ok: false, reason: 'invalid_payload' });
  });

  test('action links and household links: a variant is refused as such, with its claims; expiry after the spelling', () => {
    const claims = {
      householdId: 'hh-1',
      action: 'bewijs' as const,
      sub: 'p-1',
      ref: 'genogram',
      exp: linkExpiry(now),
      nonce: 'abcdefghijkl',
    };
    const action = signAction(secret, claims);
    expect(verifyAction(secret, action, now)).toEqual(claims);
    for (const v of spellings(action).slice(1)) {
      expect(verifyAction(secret, v, now)).toBeNull();
      expect(checkAction(secret, v, now)).toEqual({ ok: false, reason: 'variant', claims });
    }
    expect(checkAction(secret, action, new Date(claims.exp * 1000))).toEqual({ ok: false, reason: 'expired', claims });
    expect(checkAction(randomBytes(32), action, now)).toEqual({ ok: false, reason: 'forged' });

    const link = { householdId: 'hh-1', sub: 'p-1', exp: linkExpiry(now) };
    const token = signHouseholdLink(secret, link);
    expect(verifyHouseholdLink(secret, token, now)).toEqual(link);
    for (const v of spellings(token).slice(1)) {
      expect(verifyHouseholdLink(secret, v, now)).toBeNull();
      expect(checkHouseholdLink(secret, v, now)).toEqual({ ok: false, reason: 'variant', claims: link });
    }
  });
});
