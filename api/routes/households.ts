/**
 * Households: the intake that starts a trajectory, the list for monitoring, and the reads of
 * one household (state, unmet criteria by rule id, deadline plan, responsibility timeline).
 */
import express from 'express';
import { z } from 'zod';
import { IntakeInput, initialState, type StartInput } from '../../domain/intake';
import type { Policy } from '../../domain/policy';
import type { HouseholdView } from '../../domain/view';
import { mayRead, type Caller } from '../access';
import { notInvolved } from '../errors';
import { householdIdFor, IdParams } from '../ids';
import { auditHousehold, route, type RouteContext } from '../route';
import { CriteriaSchema, HouseholdViewSchema, PlanSchema, TimelineSchema } from '../schemas';
import type { HouseholdGateway } from '../temporal';
import { HouseholdList, HouseholdListQuery } from '../types';

export interface HouseholdsDeps {
  gateway: HouseholdGateway;
  policy: Policy;
  now: () => Date;
}

const Intake = IntakeInput.meta({ id: 'IntakeInput' });
const IntakeResult = z
  .object({ householdId: z.string(), created: z.boolean(), household: HouseholdViewSchema })
  .meta({ id: 'IntakeResult' });
const List = HouseholdList.meta({ id: 'HouseholdList' });

/** Reads the household and checks the caller may see it: 404 unknown, 403 not involved. */
export async function readableView(gateway: HouseholdGateway, caller: Caller, householdId: string): Promise<HouseholdView> {
  const view = await gateway.view(householdId);
  if (!mayRead(caller, view)) throw notInvolved();
  return view;
}

export function householdsRouter(base: Omit<RouteContext, 'router'>, deps: HouseholdsDeps): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  const { gateway, policy, now } = deps;
  const View = HouseholdViewSchema;
  const location = { Location: { description: 'URL of the household.', schema: { type: 'string' as const } } };

  route(
    ctx,
    {
      method: 'post',
      path: '/households',
      operationId: 'intake',
      tag: 'Huishoudens',
      summary: 'Intake: start het traject van een huishouden (R-01)',
      description: [
        "De organisatie is die van de API-sleutel. Het huishouden-id volgt uit organisatie en 'reference':",
        'dezelfde intake nog eens (ook gelijktijdig) geeft hetzelfde huishouden terug met 200, nooit een tweede.',
        "Een lopend traject kan met 'import' worden overgenomen, met startdatum, fase en geschiedenis.",
      ].join(' '),
      access: ['intake'],
      body: Intake,
      responses: {
        201: { description: 'Nieuw huishouden gestart.', schema: IntakeResult, headers: location },
        200: { description: 'Deze intake bestond al: het bestaande huishouden.', schema: IntakeResult, headers: location },
      },
      errors: [403, 409, 503],
      audit: true,
    },
    async ({ body, caller, res }) => {
      if (caller.via !== 'key') throw notInvolved();
      const householdId = householdIdFor(caller.organisation, body.reference);
      auditHousehold(res, householdId);
      const at = now();
      const start: StartInput = { householdId, organisation: caller.organisation, intake: body, receivedAt: at.toISOString() };
      // The domain's start rules first (R-01, R-31 on imports): a refused intake never starts a workflow.
      initialState(start, at, policy);
      const created = await gateway.start(start, policy);
      const household = await readableView(gateway, caller, householdId);
      return {
        status: created ? 201 : 200,
        headers: { Location: `/api/v1/households/${householdId}` },
        body: { householdId, created, household },
      };
    },
  );

  route(
    ctx,
    {
      method: 'get',
      path: '/households',
      operationId: 'listHouseholds',
      tag: 'Huishoudens',
      summary: 'Huishoudens volgen: lijst met filters en pagina’s',
      description: [
        'Uit Temporal-visibility (zoekattributen, geen persoonsgegevens); enkele seconden vertraagd ten opzichte van de workflow.',
        'Coördinatoren zien alles, professionals wat hun organisatie betreft, intakesleutels wat hun organisatie startte.',
        'Binnen een pagina staat het urgentste eerst (escalatieniveau, dan eerstvolgende deadline).',
      ].join(' '),
      access: ['intake', 'professional', 'coordinator'],
      query: HouseholdListQuery,
      responses: { 200: { description: 'Eén pagina.', schema: List } },
      errors: [503],
      audit: true,
    },
    async ({ query, caller }) => {
      if (caller.via !== 'key') throw notInvolved();
      const restrict =
        caller.kind === 'coordinator'
          ? {}
          : caller.kind === 'intake'
            ? { intakeOrganisation: caller.organisation }
            : { organisation: caller.organisation };
      return { body: await gateway.list(query, restrict) };
    },
  );

  route(
    ctx,
    {
      method: 'get',
      path: '/households/{id}',
      operationId: 'getHousehold',
      tag: 'Huishoudens',
      summary: 'Eén huishouden: toestand, openstaande criteria, deadlineplan, scorereeksen',
      access: ['intake', 'professional', 'coordinator'],
      link: true,
      params: IdParams,
      responses: { 200: { description: 'Het leesmodel van het huishouden.', schema: View } },
      errors: [403, 404, 503],
      audit: true,
    },
    async ({ params, caller }) => ({ body: await readableView(gateway, caller, params.id) }),
  );

  /** Parts of the same read model: each one view query, with the same access check. */
  const parts = [
    {
      path: '/criteria',
      operationId: 'getCriteria',
      summary: 'Openstaande criteria van de huidige fase, per regel',
      description: 'Leeg als de fase mag worden afgesloten.',
      schema: CriteriaSchema,
      pick: (v: HouseholdView) => ({ phase: v.state.phase, unmet: v.unmet }),
    },
    {
      path: '/plan',
      operationId: 'getPlan',
      summary: 'Deadlineplan: herinneringen en escalaties met reden en regel',
      description: 'Het plan.',
      schema: PlanSchema,
      pick: (v: HouseholdView) => ({
        phase: v.state.phase,
        plan: v.plan,
        nextDeadline: v.nextDeadline,
        escalationLevel: v.escalationLevel,
      }),
    },
    {
      path: '/timeline',
      operationId: 'getTimeline',
      summary: 'Wie had wanneer welke rol, overdrachten en fasen (R-24)',
      description: 'De tijdlijn.',
      schema: TimelineSchema,
      pick: (v: HouseholdView) => ({ roleHistory: v.state.roleHistory, handovers: v.state.handovers, phaseHistory: v.state.phaseHistory }),
    },
  ];
  for (const part of parts) {
    route(
      ctx,
      {
        method: 'get',
        path: `/households/{id}${part.path}`,
        operationId: part.operationId,
        tag: 'Huishoudens',
        summary: part.summary,
        access: ['intake', 'professional', 'coordinator'],
        params: IdParams,
        responses: { 200: { description: part.description, schema: part.schema } },
        errors: [403, 404, 503],
        audit: true,
      },
      async ({ params, caller }) => ({ body: { householdId: params.id, ...part.pick(await readableView(gateway, caller, params.id)) } }),
    );
  }

  return ctx.router;
}
