/**
 * Signed tokens: `base64url(JSON) + "." + base64url(HMAC-SHA256(secret, context + payload))`.
 * Anyone can read the payload; nobody without the secret can forge or change it. The context
 * separates purposes: a token made for one (a mail link, an action, a list cursor) never
 * verifies as another, even under the same secret. Household links, action links and paging
 * tokens all use this one mechanism; dashboard sessions live in the database instead
 * (platform/store/sessions.ts), so that logging out ends them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: Buffer, context: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(context).update(payload).digest();
}

export function signToken(secret: Buffer, context: string, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${payload}.${mac(secret, context, payload).toString('base64url')}`;
}

/** The token's value when its signature holds and the schema accepts it; null for anything else. */
export function verifyToken<T>(secret: Buffer, context: string, schema: z.ZodType<T>, token: unknown): T | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [payload, signature] = parts as [string, string];
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, context, payload);
  // Length first: timingSafeEqual throws on unequal lengths, and the length is not secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
