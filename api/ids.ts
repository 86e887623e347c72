/**
 * Household ids: a hash of the intake organisation and the intake system's own reference, so a
 * repeated intake finds the same household (idempotent intake) and the id carries no personal data
 * (it appears in workflow ids, search attributes, logs and URLs).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export function householdIdFor(organisation: string, reference: string): string {
  return 'hh-' + createHash('sha256').update(`${organisation}\n${reference}`).digest('hex').slice(0, 20);
}

/** The shape every household id has; anything else cannot name a household. */
export const HouseholdId = z.string().regex(/^hh-[0-9a-f]{20}$/, 'Een huishouden-id heeft de vorm hh-<20 hexadecimale tekens>.');

/** Path parameters of every route below /households/{id}. */
export const IdParams = z.object({ id: HouseholdId });
