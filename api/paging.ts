/**
 * Paging tokens, opaque to callers and signed so a token can only be one the API handed out: the
 * household list's cursor, and the timeline's position within one household. A malformed or
 * forged token is a fast 400, never a database or Temporal call.
 */
import { z } from 'zod';
import type { TimelinePosition } from '../domain/history-pages';
import { signToken, verifyToken } from '../platform/signed-token';
import type { Cursor } from '../platform/store/summaries';
import { ApiError } from './errors';

const CONTEXT = 'routekaart/household-list-cursor/v1\n';
const Payload = z.tuple([z.number().int().min(0).max(3), z.string().datetime().nullable(), z.string().min(1).max(64)]);

export const PageToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/, 'Een paginatoken zoals de vorige pagina het gaf (nextPageToken).')
  .meta({ description: 'nextPageToken of the previous page, unchanged.' });

const invalidToken = () =>
  new ApiError(400, 'invalid_page_token', 'Dit paginatoken is ongeldig; vraag de lijst opnieuw op vanaf de eerste pagina.');

export function encodeCursor(cursor: Cursor, secret: Buffer): string {
  return signToken(secret, CONTEXT, [cursor.level, cursor.deadline, cursor.id]);
}

export function decodeCursor(token: string, secret: Buffer): Cursor {
  const parsed = verifyToken(secret, CONTEXT, Payload, token);
  if (!parsed) throw invalidToken();
  return { level: parsed[0], deadline: parsed[1], id: parsed[2] };
}

const TIMELINE_CONTEXT = 'routekaart/household-timeline-cursor/v1\n';
const TimelinePayload = z.tuple([
  z.string().min(1).max(64),
  z.string().min(1).max(40),
  z.number().int().min(0).max(2),
  z.number().int().min(0),
]);

/** The timeline's position, bound to its household: a token of one household never pages another. */
export function encodeTimelineCursor(householdId: string, position: TimelinePosition, secret: Buffer): string {
  return signToken(secret, TIMELINE_CONTEXT, [householdId, position.at, position.kind, position.index]);
}

export function decodeTimelineCursor(token: string, householdId: string, secret: Buffer): TimelinePosition {
  const parsed = verifyToken(secret, TIMELINE_CONTEXT, TimelinePayload, token);
  if (!parsed || parsed[0] !== householdId) throw invalidToken();
  return { at: parsed[1], kind: parsed[2], index: parsed[3] };
}
