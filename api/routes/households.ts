/**
 * Households: the intake that starts a trajectory (R-01), the list for monitoring, and the reads of
 * one household (state, unmet criteria by rule id, deadline plan, responsibility timeline).
 */
import express from 'express';
import { z } from 'zod';
import { pageTimeline } from '../../domain/history-pages';
import { initialState, memberDifferences, type StartInput } from '../../domain/intake';
import { EARLIEST_DATE, STATE_TEXT_PATHS } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { monthsBetween } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { asReadBy, mayRead, type Caller } from '../access';
import { ApiError, notInvolved } from '../errors';
import { aliasKeyFor, IdParams, successorIdFor } from '../ids';
import { auditHousehold, route, type RouteContext } from '../route';
import { CriteriaSchema, HouseholdViewSchema, PlanSchema, TimelineSchema } from '../schemas';
import type { SummaryStore, Visibility } from '../../platform/store/summaries';
import { MAX_SCORE_MONTHS, monthRange, type HouseholdService } from '../household-service';
import { decodeCursor, decodeTimelineCursor, encodeCursor, encodeTimelineCursor, PageToken } from '../paging';
import { HouseholdCounts, HouseholdList, HouseholdListQuery } from '../types';
import type { ReReportStore } from '../../platform/store/re-reports';
import { householdForIntake, IntakeRequest, linkReReport, previousTrajectory, withoutMemberKeys } from '../re-reports';

export interface HouseholdsDeps {
  households: HouseholdService;
  summaries: SummaryStore;
  policy: Policy;
  now: () => Date;
  /** Signs the list's paging tokens. */
  pagingSecret: Buffer;
  /** Keys household ids and member keys (api/ids.ts). */
  idSecret: Buffer;
  /** Re-reports after closure (issue 22). */
  reReports: ReReportStore;
}

const Intake = IntakeRequest.meta({ id: 'IntakeInput' });
const IntakeResult = z
  .object({ householdId: z.string(), created: z.boolean(), household: HouseholdViewSchema })
  .meta({ id: 'IntakeResult' });
const List = HouseholdList.meta({ id: 'HouseholdList' });

const HANDOVER_TEXT_PATHS = STATE_TEXT_PATHS.filter((p) => p.startsWith('handovers[].'));

/** A month in the years dates may have (2000-2999, as IsoDateSchema): year 0000 once froze the page loop. */
const Month = z
  .string()
  .regex(/^2\d{3}-(0[1-9]|1[0-2])$/, `Een maand als JJJJ-MM, vanaf ${EARLIEST_DATE.slice(0, 7)}.`)
  .meta({ example: '2026-03' });

/** Scores come a page of whole months at a time (issue 19): a five-year household holds 720 of them. */
const ScoreMonthsQuery = z
  .object({
    from: Month.optional().meta({ description: 'First month of scores (YYYY-MM). Default: 11 months before `to`.' }),
    to: Month.optional().meta({
      description: "Last month of scores (YYYY-MM). Default: this month, or 11 months after 'from'. The previous page: scorePage.earlier.",
    }),
  })
  .refine((q) => !q.from || !q.to || (q.from <= q.to && monthsBetween(q.from, q.to) < MAX_SCORE_MONTHS), {
    message: `'from' ligt niet na 'to', en samen beslaan ze hooguit ${MAX_SCORE_MONTHS} maanden.`,
    path: ['from'],
  });

const TimelineQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Entries per page (1-500, default 100).' }),
  nextPageToken: PageToken.optional(),
});

/** Reads the household without its texts and checks the caller may see it (R-64): 404 unknown or not involved. */
async function readableIds(households: HouseholdService, caller: Caller, householdId: string): Promise<HouseholdView> {
  const view = await households.readIds(householdId);
  if (!mayRead(caller, view)) throw notInvolved();
  return view;
}

const linkOnlyOpensItsHousehold = () =>
  new ApiError(403, 'forbidden', 'Een link uit een e-mail opent alleen het huishouden waarvoor hij is verstuurd.');

/** What a caller may list (R-64): coordinators everything, intake keys what their organisation started, professionals their organisation's. */
function visibilityOf(caller: Caller): Visibility {
  if (caller.via !== 'key') throw linkOnlyOpensItsHousehold();
  if (caller.kind === 'coordinator') return {};
  return caller.kind === 'intake' ? { intakeOrganisation: caller.organisation } : { organisation: caller.organisation };
}

export function householdsRouter(base: Omit<RouteContext, 'router'>, deps: HouseholdsDeps): express.Router {
  const ctx: RouteContext = { ...base, router: express.Router() };
  const { households, summaries, policy, now } = deps;
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
        'dezelfde intake nog eens (ook gelijktijdig) geeft hetzelfde huishouden terug met 200, nooit een tweede;',
        "met andere gezinsleden is het een 409 'intake_conflict' met de verschillen per gezinslid.",
        "Een lopend traject kan met 'import' worden overgenomen, met startdatum, fase en geschiedenis.",
        'Is het huishouden van deze referentie afgesloten, dan start een nieuw traject dat naar het afgesloten traject verwijst',
        "(household.previousTrajectory, een heraanmelding); zo ook als een gezinslid dezelfde 'memberKey' heeft als een gezinslid",
        'van een afgesloten huishouden. Een afgesloten traject blijft afgesloten.',
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
      if (caller.via !== 'key') throw linkOnlyOpensItsHousehold();
      // Issue 22: the plain member keys stop here; only their keyed hashes are kept.
      const { intake, hashes } = withoutMemberKeys(deps.idSecret, body);
      let { householdId, closedByReference } = await householdForIntake(deps.reReports, deps.idSecret, caller.organisation, body.reference);
      auditHousehold(res, householdId);
      const at = now();
      // An empty alias or first name is no alias or first name (nothing to encrypt, nothing to find).
      const named = {
        ...intake,
        alias: intake.alias || undefined,
        members: intake.members.map((m) => ({ ...m, firstName: m.firstName || undefined })),
      };
      const startOf = (id: string): StartInput => ({
        householdId: id,
        organisation: caller.organisation,
        intake: named,
        receivedAt: at.toISOString(),
        aliasKey: named.alias ? aliasKeyFor(deps.idSecret, named.alias) : undefined,
      });
      // The domain's start rules first (R-01, R-31 on imports): a refused intake never starts a workflow.
      initialState(startOf(householdId), at, policy);
      let created = await households.start(startOf(householdId), policy);
      let existing = await readableIds(households, caller, householdId);
      // Issue 22: closed so recently that the read model did not know yet; the successor all the same.
      if (!created && existing.state.phase === 'afgesloten') {
        closedByReference = householdId;
        householdId = successorIdFor(deps.idSecret, householdId);
        auditHousehold(res, householdId);
        created = await households.start(startOf(householdId), policy);
        existing = await readableIds(households, caller, householdId);
      }
      const differences = created ? [] : memberDifferences(existing.state.members, intake.members);
      // R-01: the same reference with other members is a conflict, never silently the old data.
      if (differences.length)
        throw new ApiError(
          409,
          'intake_conflict',
          `Deze referentie hoort al bij een huishouden met andere gezinsleden (R-01): ${differences.map((d) => `${d.ref} ${d.change}`).join(', ')}. Leg een wijziging vast met een expliciete opdracht.`,
          { rule: 'R-01', differences },
        );
      // Issue 22: a new trajectory for a closed household links to it; a repeated intake keeps the first link
      // and never links a household that was already running to a closed one by its member keys.
      const previous = await linkReReport(deps.reReports, householdId, closedByReference, hashes, created, at);
      const household = { ...(await households.page(existing)), ...previous };
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
        'Uit het leesmodel van Routekaart (geen persoonsgegevens), dat elke workflow na elke wijziging bijwerkt.',
        'Coördinatoren zien alles, professionals wat hun organisatie betreft, intakesleutels wat hun organisatie startte.',
        'Over alle pagina’s staat het urgentste eerst (escalatieniveau, dan eerstvolgende deadline); nextPageToken geeft de volgende pagina.',
      ].join(' '),
      access: ['intake', 'professional', 'coordinator'],
      query: HouseholdListQuery,
      responses: { 200: { description: 'Eén pagina.', schema: List } },
      errors: [503],
      audit: true,
    },
    async ({ query, caller }) => {
      const visible = visibilityOf(caller);
      const after = query.nextPageToken ? decodeCursor(query.nextPageToken, deps.pagingSecret) : undefined;
      const { pageSize, nextPageToken: _token, status, ...filter } = query;
      const page = await summaries.list({ ...filter, status }, visible, pageSize, after);
      const items = await households.withOwnReferences(
        caller.via === 'key' ? caller.organisation : undefined,
        page.items,
        page.referenceRefs,
      );
      return { body: { items, nextPageToken: page.next ? encodeCursor(page.next, deps.pagingSecret) : undefined } };
    },
  );

  route(
    ctx,
    {
      method: 'get',
      path: '/households/overview',
      operationId: 'countHouseholds',
      tag: 'Huishoudens',
      summary: 'Overzicht: lopende huishoudens per fase, geëscaleerd, open overdrachten, over tijd (over alle pagina’s)',
      description: 'Uit het leesmodel, over alles wat de aanroeper mag zien (R-64), niet per pagina.',
      access: ['intake', 'professional', 'coordinator'],
      responses: { 200: { description: 'De aantallen.', schema: HouseholdCounts } },
      errors: [403],
    },
    async ({ caller }) => ({ body: await summaries.counts(visibilityOf(caller)) }),
  );

  route(
    ctx,
    {
      method: 'get',
      path: '/households/{id}',
      operationId: 'getHousehold',
      tag: 'Huishoudens',
      summary: 'Eén huishouden: toestand, openstaande criteria, deadlineplan, scorereeksen',
      description: [
        'Scores komen per kalendermaand: standaard de laatste 12 maanden, minder als hun waargenomen gedrag samen meer dan 128 KB is',
        "(de nieuwste maand komt altijd). 'scorePage' zegt welke maanden; vraag de maanden ervoor op met ?to=<scorePage.earlier>.",
      ].join(' '),
      access: ['intake', 'professional', 'coordinator'],
      link: true,
      params: IdParams,
      query: ScoreMonthsQuery,
      responses: { 200: { description: 'Het leesmodel van het huishouden, met één pagina scores.', schema: View } },
      errors: [403, 404, 503],
      audit: true,
    },
    async ({ params, query, caller }) => {
      const view = await readableIds(households, caller, params.id);
      const page = {
        ...(await households.page(view, monthRange(view.asOf, query))),
        ...(await previousTrajectory(deps.reReports, params.id)),
      };
      return { body: asReadBy(caller, page) };
    },
  );

  route(
    ctx,
    {
      method: 'get',
      path: '/households/{id}/timeline',
      operationId: 'getTimeline',
      tag: 'Huishoudens',
      summary: 'Wie had wanneer welke rol, overdrachten en fasen (R-24), per pagina',
      description: [
        'Rollen, overdrachten en fasen in de volgorde van de tijd, oudste eerst, pageSize tegelijk.',
        'nextPageToken geeft de volgende pagina; het hoort bij dit huishouden, een ander of vervalst token is een 400.',
      ].join(' '),
      access: ['intake', 'professional', 'coordinator'],
      params: IdParams,
      query: TimelineQuery,
      responses: { 200: { description: 'Eén pagina van de tijdlijn.', schema: TimelineSchema } },
      errors: [403, 404, 503],
      audit: true,
    },
    async ({ params, query, caller }) => {
      // The token first: a forged one is a 400 before Temporal is asked anything.
      const after = query.nextPageToken ? decodeTimelineCursor(query.nextPageToken, params.id, deps.pagingSecret) : undefined;
      const view = await readableIds(households, caller, params.id);
      const { next, ...page } = pageTimeline(view.state, after, query.pageSize);
      // Of the timeline only handovers carry a text (a cancellation's justification): those on this page are opened.
      const opened = await households.opened(params.id, page, HANDOVER_TEXT_PATHS);
      return {
        body: {
          householdId: params.id,
          ...opened,
          nextPageToken: next ? encodeTimelineCursor(params.id, next, deps.pagingSecret) : undefined,
        },
      };
    },
  );

  /** Parts of the same read model without any text: each one view query, with the same access check. */
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
      async ({ params, caller }) => ({ body: { householdId: params.id, ...part.pick(await readableIds(households, caller, params.id)) } }),
    );
  }

  return ctx.router;
}
