/** Health: is the API up, and can it reach Temporal? For load balancers and `npm start`'s check. */
import express from 'express';
import { z } from 'zod';
import { route, type RouteContext } from '../route';
import type { HouseholdGateway } from '../temporal';

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.enum(['connected', 'unreachable']),
});

export function healthRouter(base: Omit<RouteContext, 'router'>, deps: { gateway: HouseholdGateway }): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  route(
    ctx,
    {
      method: 'get',
      path: '/health',
      operationId: 'health',
      tag: 'Beheer',
      summary: 'Gezondheid van de API en de verbinding met Temporal',
      access: 'public',
      responses: {
        200: { description: 'Temporal bereikbaar.', schema: HealthSchema },
        503: { description: 'Temporal onbereikbaar.', schema: HealthSchema },
      },
      errors: [],
    },
    async () => {
      const connected = await deps.gateway.health();
      return {
        status: connected ? 200 : 503,
        body: { status: connected ? 'ok' : 'degraded', temporal: connected ? 'connected' : 'unreachable' },
      };
    },
  );
  return ctx.router;
}
