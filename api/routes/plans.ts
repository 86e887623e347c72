/**
 * The family's safety plan and safety log as readable documents (issue 21): the household's plans
 * (kinds, versions, endorsement, R-65 approval), one version in full with its texts, and the log a
 * page at a time. Access as for the household view: 404 for an organisation not involved.
 */
import express from 'express';
import { z } from 'zod';
import { COMMAND_TEXT_PATHS } from '../../domain/command-types';
import { plansOf } from '../../domain/safety-plan';
import { LogOutcome, PlanKind, PlanVersionInput } from '../../domain/schemas/safety-plan';
import type { HouseholdView } from '../../domain/view';
import { mayRead, type Caller } from '../access';
import { ApiError, notInvolved } from '../errors';
import type { HouseholdService } from '../household-service';
import { IdParams } from '../ids';
import { route, type RouteContext } from '../route';
import { Int } from '../types';

const PlanFactsSchema = z
  .object({
    planId: z.string(),
    kind: PlanKind,
    version: z.number().int(),
    createdAt: z.string().meta({ description: 'When this version was recorded.' }),
    createdBy: z.string(),
    agreements: z.array(z.object({ id: z.string(), dangerId: z.string(), monitorBy: z.string(), everyDays: z.number().int() })),
    children: z.array(z.object({ member: z.string(), safetyPerson: z.string() })),
    owner: z.string().optional(),
    linkedPlanId: z.string().optional(),
    endorsedOn: z.string().optional().meta({ description: 'Date of the meeting where household and network endorsed it (R-15).' }),
    approval: z.object({ by: z.string(), on: z.string() }).optional().meta({ description: "The jeugdbeschermer's approval (R-65)." }),
  })
  .meta({ id: 'PlanVersionFacts' });

const PlansSchema = z
  .object({
    householdId: z.string(),
    plans: z.array(PlanFactsSchema).meta({ description: 'The latest versions of each plan (older ones: GET the version).' }),
  })
  .meta({ id: 'SafetyPlans' });

const PlanVersionSchema = z
  .object({
    householdId: z.string(),
    planId: z.string(),
    version: z.number().int(),
    kind: PlanKind,
    recordedAt: z.string(),
    recordedBy: z.string(),
    content: PlanVersionInput.meta({ description: 'The version as written, with its texts.' }),
    endorsedOn: z.string().optional(),
    approval: z.object({ by: z.string(), on: z.string() }).optional(),
  })
  .meta({ id: 'SafetyPlanVersion' });

const LogPageSchema = z
  .object({
    householdId: z.string(),
    entries: z.array(
      z.object({
        seq: z.number().int().meta({ description: 'Position in the log; later entries have higher numbers.' }),
        agreementId: z.string(),
        date: z.string(),
        outcome: LogOutcome,
        score: z.number().int().optional(),
        note: z.string().optional(),
        writtenBy: z.string(),
        writtenAt: z.string(),
      }),
    ),
    before: z.number().int().optional().meta({ description: 'Present when older entries follow: pass it as ?before= for the next page.' }),
  })
  .meta({ id: 'SafetyLogPage' });

const VersionParams = IdParams.extend({
  planId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Een plan-id zoals GET /plans het geeft.'),
  version: Int(1, 999_999),
});

const LogQuery = z.object({
  pageSize: Int(1, 200).default(50).meta({ description: 'Entries per page (1-200, default 50).' }),
  before: Int(1, 999_999_999_999).optional().meta({ description: "The previous page's 'before': older entries." }),
});

/** Texts of a stored version: the command's text paths, one level down. */
const VERSION_TEXT_PATHS = (COMMAND_TEXT_PATHS.recordPlanVersion ?? []).map((p) => `content.${p}`);
const LOG_TEXT_PATHS = ['entries[].note'];

async function readable(households: HouseholdService, caller: Caller, householdId: string): Promise<HouseholdView> {
  const view = await households.readIds(householdId);
  if (!mayRead(caller, view)) throw notInvolved();
  return view;
}

export function plansRouter(base: Omit<RouteContext, 'router'>, deps: { households: HouseholdService }): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  const { households } = deps;
  const common = {
    method: 'get' as const,
    tag: 'Veiligheidsplan',
    access: ['intake', 'professional', 'coordinator'] as ('intake' | 'professional' | 'coordinator')[],
    errors: [403, 404, 503] as const,
    audit: true,
  };

  route(
    ctx,
    {
      ...common,
      path: '/households/{id}/plans',
      operationId: 'listPlans',
      summary: 'Veiligheidsplannen van het huishouden: soort, versies, onderschreven en goedgekeurd (R-15, R-35, R-65)',
      params: IdParams,
      responses: { 200: { description: 'De plannen, zonder teksten.', schema: PlansSchema } },
    },
    async ({ params, caller }) => ({
      body: { householdId: params.id, plans: plansOf((await readable(households, caller, params.id)).state) },
    }),
  );

  route(
    ctx,
    {
      ...common,
      path: '/households/{id}/plans/{planId}/versions/{version}',
      operationId: 'getPlanVersion',
      summary: 'Eén versie van een veiligheidsplan, volledig en met teksten (R-15, R-16, R-37, R-41)',
      params: VersionParams,
      responses: { 200: { description: 'De versie zoals vastgelegd.', schema: PlanVersionSchema } },
    },
    async ({ params, caller }) => {
      const view = await readable(households, caller, params.id);
      const stored = await households.plans.version(params.id, params.planId, params.version);
      if (!stored) throw new ApiError(404, 'plan_version_not_found', `Plan ${params.planId} heeft geen versie ${params.version}.`);
      const facts = plansOf(view.state).find((p) => p.planId === stored.planId && p.version === stored.version);
      const { body, ...rest } = stored;
      const answer = { householdId: params.id, ...rest, content: body, endorsedOn: facts?.endorsedOn, approval: facts?.approval };
      return { body: await households.opened(params.id, answer, VERSION_TEXT_PATHS) };
    },
  );

  route(
    ctx,
    {
      ...common,
      path: '/households/{id}/log',
      operationId: 'getSafetyLog',
      summary: 'Het veiligheidslogboek, nieuwste regels eerst, per pagina (R-16, R-20, R-40)',
      params: IdParams,
      query: LogQuery,
      responses: { 200: { description: 'Eén pagina van het logboek.', schema: LogPageSchema } },
    },
    async ({ params, query, caller }) => {
      await readable(households, caller, params.id);
      const rows = await households.plans.entries(params.id, query.pageSize + 1, query.before);
      const entries = rows.slice(0, query.pageSize);
      const page = {
        householdId: params.id,
        entries,
        before: rows.length > query.pageSize ? entries.at(-1)!.seq : undefined,
      };
      return { body: await households.opened(params.id, page, LOG_TEXT_PATHS) };
    },
  );

  return ctx.router;
}
