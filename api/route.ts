/**
 * One declaration per route: method, path, who may call it, the zod schemas of its input and
 * output, and its errors. From it come both the express handler chain (audit, authentication,
 * role check, validation that hands the parsed value on) and the route's OpenAPI entry, so the
 * document describes exactly what the code accepts.
 */
import type express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { linkAuth, linkClaimsOf } from './link-auth';
import type { Access, Caller, Kind } from './access';
import type { AuditRecord, AuditStore } from '../platform/store/audit';
import { ApiError, ErrorBodySchema, fieldIssues, unauthenticated, validationFailed, type FieldIssue } from './errors';
import { HouseholdId } from './ids';
import { API_BASE, SECURITY_API_KEY, SECURITY_LINK } from './openapi';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Ongeldige invoer: code 'validation_failed' met de velden (fields), of 'invalid_json'.",
  401: "Geen of een ongeldige API-sleutel ('unauthenticated'), of een ongeldige of verlopen link ('link_invalid').",
  403: "Buiten de rol ('forbidden') of de organisatie ('not_involved', R-64) van de aanroeper.",
  404: "Onbekend huishouden ('household_not_found').",
  409: "De methode weigert ('method_refusal'): rule noemt de regel, unmet de openstaande criteria; of het traject is afgesloten ('household_closed', R-50).",
  413: "De body is te groot ('payload_too_large').",
  503: "Temporal is niet bereikbaar of antwoordde niet op tijd ('temporal_unavailable'), of het auditlogboek is niet beschikbaar ('audit_unavailable').",
};

type Schema = z.ZodType | undefined;
type Out<T extends Schema> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema, H extends Schema> {
  method: 'get' | 'post' | 'patch';
  /** OpenAPI form below /api/v1, e.g. '/households/{id}/scores'. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Which kinds of API key may call it; 'public' needs none. */
  access: readonly Kind[] | 'public';
  /** Also open to a signed e-mail link for the household in the path (`Authorization: Link <token>`). */
  link?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  headers?: H;
  responses: {
    [status: number]: {
      description: string;
      schema: z.ZodType;
      headers?: Record<string, { description: string; schema: { type: 'string' } }>;
    };
  };
  errors: readonly ErrorStatus[];
  /** Every read and write of a household goes to the audit log. */
  audit?: boolean;
}

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema, H extends Schema> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
  caller: Caller;
  res: Response;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  router: express.Router;
  registry: OpenAPIRegistry;
  access: Access;
  audit: AuditStore;
  linkSecret: Buffer;
  now: () => Date;
}

/** The household a request concerns, for the audit line: set by handlers, else the path's id. */
export function auditHousehold(res: Response, householdId: string): void {
  res.locals.householdId = householdId;
}

function callerOf(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

function auditWho(caller: Caller | undefined): AuditRecord['who'] {
  if (!caller) return null;
  if (caller.via === 'link') return { link: caller.sub, role: 'link' };
  return { keyId: caller.keyId, organisation: caller.organisation, role: caller.kind, professionalId: caller.professionalId };
}

/**
 * Writes the audit line before the answer leaves: a read that could not be recorded is not
 * answered (AVG), the caller gets a 503 instead.
 */
function auditHook(audit: AuditStore, route: string): RequestHandler {
  return (req, res, next) => {
    // Read now: the error handler runs outside the route, where req.params is gone.
    const fromPath = HouseholdId.safeParse(req.params.id);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const householdId = (res.locals.householdId as string | undefined) ?? (fromPath.success ? fromPath.data : undefined);
      audit.append({ who: auditWho(callerOf(res)), what: { method: req.method, route, householdId, status: res.statusCode } }).then(
        () => json(body),
        () => {
          console.error(`[api] audit log not writable; ${req.method} ${route} not answered`);
          res.status(503);
          json(new ApiError(503, 'audit_unavailable', 'Het auditlogboek is niet beschikbaar; het verzoek is niet beantwoord.').body());
        },
      );
      return res;
    };
    next();
  };
}

function authenticate(access: Access, allowed: readonly Kind[], link: boolean): RequestHandler {
  return (req, res, next) => {
    const claims = link ? linkClaimsOf(res) : undefined;
    if (claims) {
      res.locals.caller = { via: 'link', sub: claims.sub, householdId: claims.householdId } satisfies Caller;
      return next();
    }
    const caller = access.authenticate(req.get('authorization'));
    if (!caller) return next(unauthenticated());
    res.locals.caller = caller;
    if (!allowed.includes(caller.kind)) return next(forbiddenFor(caller.kind));
    next();
  };
}

function forbiddenFor(kind: Kind): ApiError {
  const why: Record<Kind, string> = {
    intake: 'Een intakesleutel start trajecten en leest wat zijn organisatie startte; andere handelingen horen bij professionals.',
    professional: 'Deze handeling is niet voor professionals.',
    coordinator: 'Coördinatoren lezen alle huishoudens maar geven geen opdrachten.',
  };
  return new ApiError(403, 'forbidden', why[kind]);
}

function validate(spec: { params?: Schema; query?: Schema; body?: Schema; headers?: Schema }): RequestHandler {
  return (req, res, next) => {
    const fields: FieldIssue[] = [];
    const input: Record<string, unknown> = {};
    const sources = { params: req.params, query: req.query, body: req.body, headers: req.headers } as const;
    for (const where of ['params', 'query', 'body', 'headers'] as const) {
      const schema = spec[where];
      if (!schema) continue;
      const parsed = schema.safeParse(sources[where] ?? (where === 'body' ? undefined : {}));
      if (parsed.success) input[where] = parsed.data;
      else fields.push(...fieldIssues(where, parsed.error));
    }
    if (fields.length) return next(validationFailed(fields));
    res.locals.input = input;
    next();
  };
}

/** Registers one route: its OpenAPI entry and its handler chain. */
export function route<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  H extends Schema = undefined,
>(ctx: RouteContext, spec: RouteSpec<P, Q, B, H>, handler: (input: RouteInput<P, Q, B, H>) => Promise<Reply>): void {
  const fullPath = API_BASE + spec.path;
  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const isPublic = spec.access === 'public';
  const errors = new Set<ErrorStatus>(spec.errors);
  if (!isPublic) errors.add(401);
  if (spec.params || spec.query || spec.body || spec.headers) errors.add(400);
  if (spec.body) errors.add(413);

  const config: RouteConfig = {
    method: spec.method,
    path: fullPath,
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: isPublic ? [] : [{ [SECURITY_API_KEY]: [] }, ...(spec.link ? [{ [SECURITY_LINK]: [] }] : [])],
    request: {
      // The registry's types want zod objects; every route passes z.object schemas here.
      params: spec.params as never,
      query: spec.query as never,
      headers: spec.headers as never,
      body: spec.body ? { required: true, content: { 'application/json': { schema: spec.body } } } : undefined,
    },
    responses: {
      ...Object.fromEntries(
        Object.entries(spec.responses).map(([status, r]) => [
          status,
          { description: r.description, headers: r.headers, content: { 'application/json': { schema: r.schema } } },
        ]),
      ),
      ...Object.fromEntries(
        [...errors]
          .sort()
          .map((s) => [s, { description: ERROR_DESCRIPTIONS[s], content: { 'application/json': { schema: ErrorBodySchema } } }]),
      ),
    },
  };
  ctx.registry.registerPath(config);

  const chain: RequestHandler[] = [];
  if (spec.audit) chain.push(auditHook(ctx.audit, fullPath.replace(/\{(\w+)\}/g, ':$1')));
  if (spec.link) chain.push(linkAuth(ctx.linkSecret, ctx.now));
  if (!isPublic) chain.push(authenticate(ctx.access, spec.access as readonly Kind[], spec.link ?? false));
  chain.push(validate(spec));
  chain.push(async (_req: Request, res: Response) => {
    const input = res.locals.input as Record<string, unknown>;
    const reply = await handler({
      params: input.params as Out<P>,
      query: input.query as Out<Q>,
      body: input.body as Out<B>,
      headers: input.headers as Out<H>,
      caller: callerOf(res) as Caller,
      res,
    });
    if (reply.headers) res.set(reply.headers);
    res.status(reply.status ?? 200).json(reply.body);
  });
  ctx.router[spec.method](expressPath, ...chain);
}
