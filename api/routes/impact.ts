/**
 * Impact across households: time per phase, the share reaching stable safety, escalations
 * per level and cause, handovers, network at closure, trajectories running long. Aggregates only,
 * from the read model; a figure over fewer than five households is suppressed (domain/disclosure.ts).
 * JSON, or CSV with `Accept: text/csv` or `?format=csv`.
 */
import express from 'express';
import { impactReport } from '../../domain/impact-report';
import { impactCsv } from '../../domain/impact-csv';
import type { Policy } from '../../domain/policy';
import type { ImpactStore } from '../../platform/store/impact-rows';
import { ImpactQuery, ImpactReportSchema, impactScope, wantsCsv } from '../impact-query';
import { route, type RouteContext } from '../route';

export interface ImpactDeps {
  impact: ImpactStore;
  policy: Policy;
  now: () => Date;
}

export function impactRouter(base: Omit<RouteContext, 'router'>, deps: ImpactDeps): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  route(
    ctx,
    {
      method: 'get',
      path: '/impact',
      operationId: 'impactReport',
      tag: 'Meten',
      summary: 'Impact over huishoudens (R-61): duur per fase, stabiele veiligheid, escalaties, overdrachten, netwerk',
      description: [
        'Alleen totalen: een cijfer over minder dan 5 huishoudens is onderdrukt, zodat geen gezin herkenbaar is.',
        'Coördinatoren zien de regio of een organisatie; anderen hun eigen organisatie.',
        "CSV met 'Accept: text/csv' of '?format=csv' (één regel per cijfer; onderdrukt = leeg met toelichting).",
      ].join(' '),
      access: ['intake', 'professional', 'coordinator'],
      query: ImpactQuery,
      responses: {
        200: {
          description: 'Het rapport (JSON), of als CSV.',
          schema: ImpactReportSchema,
          text: 'text/csv',
          headers: { 'Content-Disposition': { description: 'With CSV: attachment; filename=…', schema: { type: 'string' } } },
        },
      },
      errors: [403],
      audit: true,
    },
    async ({ query, caller, res }) => {
      const { format, ...period } = query;
      const scope = impactScope(caller, period, deps.now());
      const report = impactReport(await deps.impact.rows(scope), scope, deps.policy);
      if (!wantsCsv(format, res.req.get('accept'))) return { body: report };
      return {
        body: undefined,
        headers: { 'Content-Disposition': `attachment; filename="routekaart-impact-${scope.from}-${scope.to}.csv"` },
        text: { contentType: 'text/csv; charset=utf-8', body: impactCsv(report) },
      };
    },
  );
  return ctx.router;
}
