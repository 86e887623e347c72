/**
 * Reading the audit log (coordinators only). There is deliberately no route that changes or
 * deletes anything in it; reading it is itself recorded.
 */
import express from 'express';
import { z } from 'zod';
import { AuditEntry } from '../audit';
import { HouseholdId } from '../ids';
import { route, type RouteContext } from '../route';

export const AuditQuery = z.object({
  householdId: HouseholdId.optional(),
  /** Entries after this sequence number (paging). */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** Pass as `after` for the next page; absent on the last page. */
  nextAfter: z.number().int().optional(),
  chain: z.object({
    ok: z.boolean(),
    entries: z.number().int(),
    line: z.number().int().optional().meta({ description: 'First line where the chain breaks.' }),
    reason: z.string().optional(),
  }),
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
      description: 'Elke regel draagt de sha256 van de vorige; chain.ok zegt of de hele keten klopt.',
      access: ['coordinator'],
      query: AuditQuery,
      responses: { 200: { description: 'Eén pagina van het logboek.', schema: AuditPage } },
      errors: [403],
      audit: true,
    },
    async ({ query }) => {
      const entries = await ctx.audit.read({ after: query.after, limit: query.limit + 1, householdId: query.householdId });
      const more = entries.length > query.limit;
      const page = entries.slice(0, query.limit);
      const verified = await ctx.audit.verify();
      const chain = verified.ok
        ? { ok: true, entries: verified.entries }
        : { ok: false, entries: verified.entries, line: verified.line, reason: verified.reason };
      return { body: { entries: page, nextAfter: more ? page.at(-1)?.seq : undefined, chain } };
    },
  );
  return ctx.router;
}
