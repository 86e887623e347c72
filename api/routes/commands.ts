/**
 * One endpoint per command of the household workflow. Each validates its body with the command's
 * own schema from domain/commands.ts before Temporal is called, and runs the command as the workflow
 * update of the same name; the workflow's validator applies the method's rules, R-64 (the actor's
 * organisation is involved) included, so the route needs no read before the update. A refusal comes
 * back as 409 with the rule; R-64's as 404, the same as an unknown household. A command only some
 * professionals may ever give (R-65: approval by the GI) is refused to others with 422 and the rule.
 * The actor is the professional of the API key, never anything in the body.
 */
import { createHash, createHmac } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { CommandSchemas, type CommandBody } from '../../domain/schemas/commands';
import { type CommandType } from '../../domain/command-types';
import { type Actor } from '../../domain/model';
import { Phase } from '../../domain/schemas/model';
import { approvesPlans, NOT_GI } from '../../domain/plan-commands';
import { actorOf, asReadBy, mayWrite } from '../access';
import type { IdempotencyKeys } from '../../platform/store/idempotency';
import { ApiError, notInvolved } from '../errors';
import { auditHousehold, route, type RouteContext } from '../route';
import { HouseholdViewSchema } from '../schemas';
import type { HouseholdService } from '../household-service';
import { IdParams } from '../ids';

interface CommandRoute {
  type: CommandType;
  method: 'post' | 'patch';
  /** Below /households/{id}. */
  path: string;
  summary: string;
  /** A path parameter that fills a field of the command body. */
  fromPath?: { param: string; field: string };
  /** Fields the endpoint fixes (closure is a transition to 'afgesloten'). */
  fixed?: Record<string, unknown>;
  description?: string;
  /** Who gives it: professionals (default), or the coordinator's decisions (section 6). */
  by?: 'coordinator';
  /** Who may give this command at all, whatever the household: anyone else gets 422 with the rule before Temporal is asked. */
  allowed?: { check: (actor: Actor) => boolean; rule: string; message: string };
}

export const COMMAND_ROUTES: readonly CommandRoute[] = [
  {
    type: 'recordScore',
    method: 'post',
    path: '/scores',
    summary: 'Score op de veiligheidsschaal vastleggen, met het waargenomen gedrag (R-18, R-32, R-39, R-46)',
  },
  {
    type: 'defineDanger',
    method: 'post',
    path: '/dangers',
    summary: 'Gevaarsomschrijving met veiligheidsdoel vastleggen (R-12, R-31: hooguit 4)',
  },
  {
    type: 'reviseDanger',
    method: 'patch',
    path: '/dangers/{dangerId}',
    summary: 'Gevaarsomschrijving herzien of herprioriteren (R-31)',
    fromPath: { param: 'dangerId', field: 'dangerId' },
  },
  {
    type: 'assignRole',
    method: 'post',
    path: '/roles',
    summary: 'Onbezette rol toewijzen (R-02, R-04, R-22); een bezette rol wisselt via een overdracht (R-24)',
  },
  { type: 'addHouseholdMember', method: 'post', path: '/members', summary: 'Gezinslid toevoegen (pseudoniem, R-10)' },
  { type: 'addNetworkMember', method: 'post', path: '/network', summary: 'Netwerklid toevoegen (R-11, R-16, R-36)' },
  {
    type: 'updateNetworkMember',
    method: 'patch',
    path: '/network/{memberId}',
    summary: 'Netwerklid bijwerken: actief, veiligheidspersoon, voorzitter (R-41, R-42, R-51)',
    fromPath: { param: 'memberId', field: 'id' },
  },
  { type: 'recordEvidence', method: 'post', path: '/evidence', summary: 'Bewijs bij een criterium vastleggen (R-10 .. R-49, R-65)' },
  { type: 'registerHuisverbod', method: 'post', path: '/huisverbod', summary: 'Huisverbod registreren (R-25: 10 dagen)' },
  { type: 'extendHuisverbod', method: 'post', path: '/huisverbod/extensions', summary: 'Huisverbod verlengen (R-25: hooguit 28 dagen)' },
  { type: 'startHandover', method: 'post', path: '/handovers', summary: 'Warme overdracht starten (R-24, R-26)' },
  {
    type: 'confirmHandover',
    method: 'post',
    path: '/handovers/{handoverId}/confirmation',
    summary: 'Start bevestigen door de nieuwe professional, met het huishouden erbij (R-24)',
    fromPath: { param: 'handoverId', field: 'handoverId' },
  },
  {
    type: 'cancelHandover',
    method: 'post',
    path: '/handovers/{handoverId}/cancellation',
    summary: 'Overdracht intrekken, met onderbouwing (R-24)',
    fromPath: { param: 'handoverId', field: 'handoverId' },
  },
  {
    type: 'requestTransition',
    method: 'post',
    path: '/transitions',
    summary: 'Faseovergang aanvragen; met onderbouwing als afwijking door de casusregisseur (R-50, R-62)',
    description:
      "Zonder 'justification' alleen als alle criteria gelden (anders 409 met unmet). Met 'justification' gaat de casusregisseur door ondanks openstaande criteria; dat wordt vastgelegd en aan de coördinator gemeld.",
  },
  {
    type: 'acknowledgeEscalation',
    method: 'post',
    path: '/escalation-acknowledgements',
    summary: 'Een escalatie bevestigen met een kort plan dat de coördinator ziet (sectie 6, R-62)',
  },
  {
    type: 'confirmImport',
    method: 'post',
    path: '/import-confirmation',
    summary: 'Een geïmporteerd traject bevestigen: de controleperiode eindigt nu en de escalatieladder telt vanaf nu (R-01)',
  },
  {
    type: 'recordPlanVersion',
    method: 'post',
    path: '/plans',
    summary: 'Veiligheidsplan of nieuwe versie vastleggen: afspraken, controle, veiligheidspersonen (R-15, R-16, R-31, R-41, R-44)',
  },
  {
    type: 'endorsePlan',
    method: 'post',
    path: '/plans/{planId}/endorsement',
    summary: 'Versie onderschreven door huishouden en netwerk, vastgelegd door de casusregisseur (R-15)',
    fromPath: { param: 'planId', field: 'planId' },
  },
  {
    type: 'approvePlan',
    method: 'post',
    path: '/plans/{planId}/approval',
    summary: 'Versie goedgekeurd door de jeugdbeschermer van de GI (R-65)',
    description: 'Alleen een professional van een gecertificeerde instelling (GI); ieder ander krijgt 422 met R-65.',
    fromPath: { param: 'planId', field: 'planId' },
    allowed: { check: approvesPlans, rule: 'R-65', message: NOT_GI },
  },
  {
    type: 'endHuisverbod',
    method: 'post',
    path: '/huisverbod/end',
    summary: 'Huisverbod opgeheven vóór de einddatum; de overdracht naar de veiligheidsplanner blijft nodig (R-25)',
  },
  {
    type: 'closeDanger',
    method: 'post',
    path: '/dangers/{dangerId}/closure',
    summary: 'Een gevaar dat niet meer speelt afsluiten, met de reden; zijn scores blijven bewaard (R-31)',
    fromPath: { param: 'dangerId', field: 'dangerId' },
  },
  {
    type: 'reviewOverride',
    method: 'post',
    path: '/overrides/review',
    summary: 'De coördinator is het eens of oneens met een afwijking van de casusregisseur (sectie 6, R-62)',
    description:
      "Alleen de regionaal coördinator. 'at' is het moment van de afwijking (state.overrides[].at); het besluit verandert fase en rollen niet.",
    by: 'coordinator',
  },
  {
    type: 'decideEscalation',
    method: 'post',
    path: '/escalation-decisions',
    summary: 'Besluit van de coördinator na een escalatie op niveau 3 (sectie 6)',
    description: 'Alleen de regionaal coördinator, bij een open escalatie op niveau 3.',
    by: 'coordinator',
  },
  { type: 'addLogEntry', method: 'post', path: '/log', summary: 'Regel in het veiligheidslogboek bij een afspraak (R-16, R-20, R-40)' },
  {
    type: 'requestTransition',
    method: 'post',
    path: '/closure',
    summary: 'Traject afsluiten (R-50, R-51, R-52)',
    description:
      "Een faseovergang naar 'afgesloten'. Eerder dan na herstel, of eerder dan 12 maanden na de start, alleen met 'justification' van de casusregisseur.",
    fixed: { to: 'afgesloten' },
  },
];

/** The part of the command body the request carries: without the fields from the path or fixed by the route. */
function bodySchema(r: CommandRoute): z.ZodObject {
  const full = CommandSchemas[r.type] as z.ZodObject;
  const omit: Record<string, true> = {};
  if (r.fromPath) omit[r.fromPath.field] = true;
  for (const k of Object.keys(r.fixed ?? {})) omit[k] = true;
  return Object.keys(omit).length ? full.omit(omit) : full;
}

/** The route's path parameters, each validated with the schema of the body field it fills. */
function paramsSchema(r: CommandRoute): z.ZodObject {
  if (!r.fromPath) return IdParams;
  const field = (CommandSchemas[r.type] as z.ZodObject).shape[r.fromPath.field] as z.ZodType;
  return IdParams.extend({ [r.fromPath.param]: field });
}

const operationId = (r: CommandRoute) => (r.fixed ? 'closeTrajectory' : r.type);

/** Built once: the OpenAPI components carry each command's name. */
const BODIES = new Map(COMMAND_ROUTES.map((r) => [r, bodySchema(r).meta({ id: `${operationId(r)}Body` })]));

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'Hooguit 100 tekens: letters, cijfers en . _ : -')
    .optional()
    .meta({ description: 'Optional. The same key again (after a timeout) does not run the command twice.' }),
});

const CommandHeaders = IdempotencyHeaders.extend({
  prefer: z.string().max(200).optional().meta({
    description:
      "Optional (RFC 7240). 'return=minimal' answers only the household's id and phase, without reading the household after the command: one round trip less, for intake systems that do not need the view. The answer then carries 'Preference-Applied: return=minimal'.",
  }),
});

const CommandReceiptSchema = z.object({ householdId: z.string(), phase: Phase }).meta({
  id: 'CommandReceipt',
  description: "The answer with 'Prefer: return=minimal': the command ran; the household and its phase now.",
});

/** Does the caller ask for the short answer (RFC 7240 `return=minimal`, among other preferences)? */
const wantsMinimal = (prefer: string | undefined) => (prefer ?? '').split(/[,;]/).some((p) => p.trim().toLowerCase() === 'return=minimal');

export interface CommandsDeps {
  households: HouseholdService;
  idempotency: IdempotencyKeys;
  /** Keys the hashes of Idempotency-Keys (no key or caller readable in Temporal's update ids). */
  secret: Buffer;
}

/**
 * The update id of a command with an Idempotency-Key: a keyed hash of caller, key and operation,
 * so Temporal (which stores update ids in the clear) learns nothing of either. The same key with
 * another request is refused (422) instead of silently returning the first command's result.
 */
async function claimKey(
  deps: CommandsDeps,
  keyId: string,
  key: string,
  operation: string,
  householdId: string,
  body: unknown,
): Promise<string> {
  const id = createHmac('sha256', deps.secret).update(`routekaart/idempotency/v1\n${keyId}\n${key}`).digest('base64url');
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([operation, householdId, body]))
    .digest('base64url');
  if ((await deps.idempotency.use(id, fingerprint)) === 'conflict')
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'Deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe sleutel.',
    );
  return `${operation}:${id}`;
}

export function commandsRouter(base: Omit<RouteContext, 'router'>, deps: CommandsDeps): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  for (const r of COMMAND_ROUTES) {
    const body = BODIES.get(r)!;
    route(
      ctx,
      {
        method: r.method,
        path: `/households/{id}${r.path}`,
        operationId: operationId(r),
        tag: 'Opdrachten',
        summary: r.summary,
        description: r.description,
        access: r.by === 'coordinator' ? ['coordinator'] : ['professional'],
        params: paramsSchema(r),
        body,
        headers: CommandHeaders,
        responses: {
          200: {
            description: "Uitgevoerd: het nieuwe leesmodel van het huishouden (met 'Prefer: return=minimal' alleen id en fase).",
            schema: z.union([HouseholdViewSchema, CommandReceiptSchema]),
          },
        },
        errors: [403, 404, 409, 422, 503],
        audit: true,
      },
      async ({ params, body: input, headers, caller, res }) => {
        const householdId = params.id as string;
        auditHousehold(res, householdId);
        const commandBody = {
          ...(input as object),
          ...(r.fromPath ? { [r.fromPath.field]: (params as Record<string, unknown>)[r.fromPath.param] } : {}),
          ...r.fixed,
        } as CommandBody<typeof r.type>;
        const actor = actorOf(caller);
        if (r.allowed && !r.allowed.check(actor))
          throw new ApiError(422, 'method_refusal', r.allowed.message, { rule: r.allowed.rule, unmet: [] });
        const key = headers['idempotency-key'];
        const updateId =
          key && caller.via === 'key' ? await claimKey(deps, caller.keyId, key, operationId(r), householdId, commandBody) : undefined;
        try {
          const args = { actor, body: commandBody };
          if (wantsMinimal(headers.prefer)) {
            res.set('Preference-Applied', 'return=minimal');
            return { body: await deps.households.receipt(householdId, r.type, args, updateId) };
          }
          const view = await deps.households.command(householdId, r.type, args, updateId);
          return { body: asReadBy(caller, view) };
        } catch (err) {
          // A closed household takes no update: say so only to an organisation involved in it.
          if (err instanceof ApiError && err.code === 'household_closed' && !mayWrite(caller, await deps.households.readIds(householdId)))
            throw notInvolved();
          throw err;
        }
      },
    );
  }
  return ctx.router;
}
