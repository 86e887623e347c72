/**
 * Signed tokens: `base64url(JSON) + "." + base64url(HMAC-SHA256(secret, context + payload))`.
 * Anyone can read the payload; nobody without the secret can forge or change it. The context
 * separates purposes: a token made for one (a mail link, an action, a list cursor) never
 * verifies as another, even under the same secret. Household links, action links and paging
 * tokens all use this one mechanism; dashboard sessions live in the database instead
 * (platform/store/sessions.ts), so that logging out ends them.
 *
 * Only the canonical spelling verifies. The 32-byte MAC takes 43 base64url characters whose last
 * one carries 2 bits that decoding ignores, so every token has 3 other spellings with the same
 * bytes; accepting them would let one link be used four times wherever its spelling is the key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Why a token is refused: not a token at all, a wrong MAC, another spelling of a real one, or an unexpected payload. */
export type TokenRefusal = 'malformed' | 'forged' | 'non_canonical' | 'invalid_payload';

/** A refused token's value is given only when its MAC holds (a respelled genuine token): to say whose link was misused. */
export type TokenCheck<T> = { ok: true; value: T } | { ok: false; reason: TokenRefusal; value?: T };

function mac(secret: Buffer, context: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(context).update(payload).digest();
}

/** True when the text is exactly what encoding its own bytes gives (no ignored trailing bits). */
function isCanonical(text: string): boolean {
  return Buffer.from(text, 'base64url').toString('base64url') === text;
}

export function signToken(secret: Buffer, context: string, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(secret, context, payload).toString('base64url')}`;
}

/**
 * The token's value, or why it is refused. The MAC is checked before the spelling, so a refusal
 * as `non_canonical` means the token is a respelled genuine one, not a forgery.
 */
export function checkToken<T>(secret: Buffer, context: string, schema: z.ZodType<T>, token: unknown): TokenCheck<T> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts as [string, string];
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, context, payload);
  // Length first: timingSafeEqual throws on unequal lengths, and the length is not secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_payload' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'invalid_payload' };
  if (!isCanonical(payload) || !isCanonical(signature)) return { ok: false, reason: 'non_canonical', value: parsed.data };
  return { ok: true, value: parsed.data };
}

/** The token's value when its signature holds, it is spelled canonically and the schema accepts it; null for anything else. */
export function verifyToken<T>(secret: Buffer, context: string, schema: z.ZodType<T>, token: unknown): T | null {
  const checked = checkToken(secret, context, schema, token);
  return checked.ok ? checked.value : null;
}
