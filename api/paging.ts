/**
 * Paging tokens for the household list: opaque to callers, signed so a token can only be one the
 * API handed out. A malformed or forged token is a fast 400, never a database or Temporal call.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Cursor } from '../platform/store/summaries';
import { ApiError } from './errors';

const CONTEXT = 'routekaart/household-list-cursor/v1\n';
const Payload = z.tuple([z.number().int().min(0).max(3), z.string().datetime().nullable(), z.string().min(1).max(64)]);

export const PageToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/, 'Een paginatoken zoals de vorige pagina het gaf (nextPageToken).')
  .meta({ description: 'nextPageToken of the previous page, unchanged.' });

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest();
}

export function encodeCursor(cursor: Cursor, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify([cursor.level, cursor.deadline, cursor.id])).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function decodeCursor(token: string, secret: Buffer): Cursor {
  const invalid = () =>
    new ApiError(400, 'invalid_page_token', 'Dit paginatoken is ongeldig; vraag de lijst opnieuw op vanaf de eerste pagina.');
  const [payload, signature] = token.split('.') as [string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw invalid();
  }
  return { level: parsed[0], deadline: parsed[1], id: parsed[2] };
}
