/**
 * Household ids: a keyed hash (HMAC-SHA256 under ROUTEKAART_ID_SECRET) of the intake organisation
 * and the intake system's own reference, so a repeated intake finds the same household (idempotent
 * intake) while nobody without the secret can recover a reference from an id (ids appear in
 * workflow ids, search attributes, logs and URLs; references such as VT-2026-0001 are guessable).
 * References are matched without regard to case, width or surrounding spaces (matchableReference).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * A reference as intake systems mean it: 'VT-1', 'vt-1 ' and 'ＶＴ－１' (full-width) are one and the
 * same household. Only matching uses this form; the household keeps the spelling it arrived with.
 */
export function matchableReference(reference: string): string {
  return reference.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

export function householdIdFor(secret: Buffer, organisation: string, reference: string): string {
  const key = `routekaart/household-id/v1\n${organisation}\n${matchableReference(reference)}`;
  return 'hh-' + createHmac('sha256', secret).update(key).digest('hex').slice(0, 20);
}

/**
 * A keyed hash of an alias as people type it (case, accents' composition and spacing do not
 * matter): the overview finds "gezin  Jansen" by it without the alias being stored readable.
 */
export function aliasKeyFor(secret: Buffer, alias: string): string {
  const normal = alias.normalize('NFKC').trim().toLocaleLowerCase('nl').replace(/\s+/g, ' ');
  return createHmac('sha256', secret).update(`routekaart/alias/v1\n${normal}`).digest('base64url');
}

/**
 * Issue 22: the household a new intake starts when the one its reference names is closed. A closed
 * trajectory stays closed; the next one's id follows from the closed one's, so a repeated intake
 * finds the same successor (idempotent) and a third report after a second closure the next.
 */
export function successorIdFor(secret: Buffer, closedHouseholdId: string): string {
  const key = `routekaart/household-successor/v1\n${closedHouseholdId}`;
  return 'hh-' + createHmac('sha256', secret).update(key).digest('hex').slice(0, 20);
}

/**
 * Issue 22: a member identifier from an intake system (memberKey) as it is kept: HMAC-SHA256 under a
 * key derived from ROUTEKAART_ID_SECRET for this purpose only. The plain identifier is never stored.
 * Matched without regard to case, width or surrounding spaces, as references.
 */
export function memberKeyHash(secret: Buffer, memberKey: string): string {
  const key = createHmac('sha256', secret).update('routekaart/member-key/v1').digest();
  return createHmac('sha256', key).update(matchableReference(memberKey)).digest('hex');
}

/** The shape every household id has; anything else cannot name a household. */
export const HouseholdId = z.string().regex(/^hh-[0-9a-f]{20}$/, 'Een huishouden-id heeft de vorm hh-<20 hexadecimale tekens>.');

/** Path parameters of every route below /households/{id}. */
export const IdParams = z.object({ id: HouseholdId });
