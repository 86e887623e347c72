/** The evidence checklist and the R-60 controle visit as zod schemas (what callers may send; ../evidence-items says what each item proves). */
import { z } from 'zod';
import { EVIDENCE_ITEMS, VISIT_BY, VISIT_KINDS, type ControleVisit as Visit, type EvidenceItem as Item } from '../evidence-items';

export const EvidenceItem = z.enum(Object.keys(EVIDENCE_ITEMS) as [Item, ...Item[]]);
export type EvidenceItem = Item;

export const ControleVisit = z.object({
  kind: z.enum(VISIT_KINDS, { error: 'Kies of het bezoek gepland of onaangekondigd was (R-60).' }),
  by: z.enum(VISIT_BY, { error: 'Kies wie controleerde: het netwerk of een professional (R-60).' }),
}) satisfies z.ZodType<Visit>;
export type ControleVisit = Visit;
