/**
 * Paging tokens for the household list: opaque to callers, signed so a token can only be one the
 * API handed out. A malformed or forged token is a fast 400, never a database or Temporal call.
 */
import { z } from 'zod';
import { signToken, verifyToken } from '../platform/signed-token';
import type { Cursor } from '../platform/store/summaries';
import { ApiError } from './errors';

const CONTEXT = 'routekaart/household-list-cursor/v1\n';
const Payload = z.tuple([z.number().int().min(0).max(3), z.string().datetime().nullable(), z.string().min(1).max(64)]);

export const PageToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/, 'Een paginatoken zoals de vorige pagina het gaf (nextPageToken).')
  .meta({ description: 'nextPageToken of the previous page, unchanged.' });

export function encodeCursor(cursor: Cursor, secret: Buffer): string {
  return signToken(secret, CONTEXT, [cursor.level, cursor.deadline, cursor.id]);
}

export function decodeCursor(token: string, secret: Buffer): Cursor {
  const parsed = verifyToken(secret, CONTEXT, Payload, token);
  if (!parsed)
    throw new ApiError(400, 'invalid_page_token', 'Dit paginatoken is ongeldig; vraag de lijst opnieuw op vanaf de eerste pagina.');
  return { level: parsed[0], deadline: parsed[1], id: parsed[2] };
}
