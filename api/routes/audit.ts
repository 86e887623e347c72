/**
 * Reading the audit log (coordinators only). There is deliberately no route that changes or
 * deletes anything in it; reading it is itself recorded. A page is checked against the chain
 * around it; the whole chain is checked page by page at /audit/verification.
 */
import express from 'express';
import { z } from 'zod';
import { AuditEntry } from '../../platform/store/audit';
import { HouseholdId } from '../ids';
import { route, type RouteContext } from '../route';
import { Int } from '../types';

export const AuditQuery = z.object({
  householdId: HouseholdId.optional(),
  /** Entries after this sequence number (paging). */
  after: Int(0, 999_999_999).optional(),
  limit: Int(1, 1000).default(100),
});

const ChainCheck = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  seq: z.number().int().optional().meta({ description: 'First entry where the chain breaks.' }),
  reason: z.string().optional(),
});

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `after` for the next page; absent on the last page. */
  nextAfter: z.number().int().optional(),
  chain: ChainCheck.meta({ description: 'The links of this page and to the entry before it.' }),
});

export function auditRouter(base: Omit<RouteContext, 'router'>): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  route(
    ctx,
    {
      method: 'get',
      path: '/audit',
      operationId: 'readAudit',
      tag: 'Beheer',
      summary: 'Auditlogboek lezen: wie las of wijzigde welk huishouden, wanneer (alleen coördinatoren)',
      description: 'Elke regel draagt de sha256 van de vorige; chain zegt of de keten rond deze pagina klopt.',
      access: ['coordinator'],
      query: AuditQuery,
      responses: { 200: { description: 'Eén pagina van het logboek.', schema: AuditPage } },
      errors: [403],
      audit: true,
    },
    async ({ query }) => {
      const entries = await ctx.audit.page({ after: query.after, limit: query.limit + 1, householdId: query.householdId });
      const more = entries.length > query.limit;
      const page = entries.slice(0, query.limit);
      // With a household filter the page has gaps; its chain is checked over the whole range it spans.
      const checked = page.length
        ? await ctx.audit.verifyRange(page[0]!.seq, page.at(-1)!.seq)
        : { ok: true as const, entries: 0, head: '' };
      const chain = checked.ok
        ? { ok: true, entries: checked.entries }
        : { ok: false, entries: checked.entries, seq: checked.seq, reason: checked.reason };
      return { body: { entries: page, nextAfter: more ? page.at(-1)?.seq : undefined, chain } };
    },
  );
  route(
    ctx,
    {
      method: 'get',
      path: '/audit/verification',
      operationId: 'verifyAudit',
      tag: 'Beheer',
      summary: 'De hele keten van het auditlogboek controleren (alleen coördinatoren)',
      description: 'Loopt de keten pagina voor pagina na: volgnummers zonder gaten, elke regel ongewijzigd en gekoppeld aan de vorige.',
      access: ['coordinator'],
      responses: { 200: { description: 'Uitkomst van de controle.', schema: ChainCheck.extend({ head: z.string().optional() }) } },
      errors: [403],
      audit: true,
    },
    async () => {
      const v = await ctx.audit.verify();
      return {
        body: v.ok ? { ok: true, entries: v.entries, head: v.head } : { ok: false, entries: v.entries, seq: v.seq, reason: v.reason },
      };
    },
  );
  return ctx.router;
}
