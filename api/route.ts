/**
 * One declaration per route: method, path, who may call it, the zod schemas of its input and
 * output, and its errors. From it come both the express handler chain (audit, authentication,
 * role check, validation that hands the parsed value on) and the route's OpenAPI entry, so the
 * document describes exactly what the code accepts.
 */
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { LIMIT_RULES } from '../domain/limits';
import { linkAuth, linkClaimsOf } from './link-auth';
import type { Access, Caller, Kind } from './access';
import type { AuditStore } from '../platform/store/audit';
import { auditLine } from './audit-trail';
import { ApiError, ErrorBodySchema, fieldIssues, textTooLong, unauthenticated, validationFailed, type FieldIssue } from './errors';
import { failedAuthLimiter, perKeyLimiter, type Limits } from './guards';
import { HouseholdId } from './ids';
import { API_BASE, SECURITY_API_KEY, SECURITY_LINK } from './openapi';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Ongeldige invoer: code 'validation_failed' met de velden (fields), 'invalid_json', 'invalid_page_token' of een body die niet te decoderen is ('invalid_encoding').",
  401: "Geen of een ongeldige API-sleutel ('unauthenticated'), of een ongeldige of verlopen link ('link_invalid').",
  403: "Buiten de rol van de aanroeper ('forbidden').",
  404: "Onbekend huishouden, of een huishouden waar de organisatie van de aanroeper niet bij betrokken is (R-64): voor wie niet betrokken is, bestaat het niet ('household_not_found').",
  409: "De methode weigert ('method_refusal'): rule noemt de regel, unmet de openstaande criteria; het traject is afgesloten ('household_closed', R-50); of een grens van het huishouden is bereikt ('limit_reached').",
  413: "De body is te groot ('payload_too_large').",
  415: "Een Content-Type of Content-Encoding die de API niet leest ('unsupported_media_type').",
  422: "Dezelfde Idempotency-Key met een ander verzoek ('idempotency_key_reused'), of een tekst langer dan zijn grens ('text_too_long', rule 'limiet:tekstlengte', met de velden).",
  429: "Te veel verzoeken in korte tijd ('too_many_requests').",
  503: "Temporal is niet bereikbaar of antwoordde niet op tijd ('temporal_unavailable'), het auditlogboek is niet beschikbaar ('audit_unavailable'), of het huishouden kan nu niet worden gelezen ('household_unavailable').",
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
      /** Another media type the same answer comes in (Reply.text), e.g. 'text/csv'. */
      text?: string;
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
  /** Instead of JSON: a text in another format the caller asked for (the impact report as CSV). */
  text?: { contentType: string; body: string };
}

export interface RouteContext {
  router: express.Router;
  registry: OpenAPIRegistry;
  access: Access;
  audit: AuditStore;
  limits: Limits;
  linkSecret: Buffer;
  now: () => Date;
  /** Every path and its methods, for 405 and OPTIONS answers. */
  methods: Map<string, Set<string>>;
  /** A person's access token from the identity provider, as a bearer token (api/identity). */
  bearer?: BearerPeople;
  /** Personal login is configured: an API key of a professional or coordinator is refused (issue 20). */
  keysOnlyForIntake?: boolean;
}

/** Checks a person's bearer token and finds them in the directory. */
export interface BearerPeople {
  callerFor(token: string, now: Date): Promise<Extract<Caller, { via: 'key' }> | undefined>;
}

/** An access token of the identity provider looks like a JWT; API keys never contain dots. */
const JWT = /^Bearer[ \t]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)[ \t]*$/i;

/** The household a request concerns, for the audit line: set by handlers, else the path's id. */
export function auditHousehold(res: Response, householdId: string): void {
  res.locals.householdId = householdId;
}

function callerOf(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

/**
 * Writes the audit line before the answer leaves: a read that could not be recorded is not
 * answered (AVG), the caller gets a 503 instead. Refused attempts (no valid credentials) touch no
 * household data and are counted in batches instead.
 */
function auditHook(audit: AuditStore, route: string): RequestHandler {
  return (req, res, next) => {
    // Read now: the error handler runs outside the route, where req.params is gone.
    const fromPath = HouseholdId.safeParse(req.params.id);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      // Refusals without a caller are written in batches by auditRefusals (api/guards.ts), a
      // refused household link with its reason.
      if (!callerOf(res)) {
        if (res.locals.linkRefusal) res.locals.refusal = res.locals.linkRefusal;
        return json(body);
      }
      res.locals.audited = true;
      const householdId = (res.locals.householdId as string | undefined) ?? (fromPath.success ? fromPath.data : undefined);
      auditLine(audit, callerOf(res), { method: req.method, route, householdId, status: res.statusCode }).then(
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

function authenticate(ctx: Omit<RouteContext, 'router'>, allowed: readonly Kind[], link: boolean): RequestHandler {
  const admit = (res: Response, next: (err?: unknown) => void, caller: Caller | undefined) => {
    if (!caller || caller.via !== 'key') return next(unauthenticated());
    res.locals.caller = caller;
    if (!allowed.includes(caller.kind)) return next(forbiddenFor(caller.kind));
    next();
  };
  return (req, res, next) => {
    const claims = link ? linkClaimsOf(res) : undefined;
    if (claims) {
      res.locals.caller = { via: 'link', sub: claims.sub, householdId: claims.householdId } satisfies Caller;
      return next();
    }
    const header = req.get('authorization');
    const jwt = header ? JWT.exec(header)?.[1] : undefined;
    if (jwt && ctx.bearer)
      return void ctx.bearer.callerFor(jwt, ctx.now()).then(
        (caller) => admit(res, next, caller),
        () => next(unauthenticated()),
      );
    const byKey = ctx.access.authenticate(header);
    if (byKey?.via === 'key' && byKey.kind !== 'intake' && ctx.keysOnlyForIntake) return next(personalKeyRefused());
    admit(res, next, byKey);
  };
}

const personalKeyRefused = () =>
  new ApiError(
    401,
    'unauthenticated',
    'API-sleutels zijn er alleen voor intakesystemen. Meld u aan via uw organisatie en stuur uw toegangstoken mee: Authorization: Bearer <token>.',
  );

function forbiddenFor(kind: Kind): ApiError {
  const why: Record<Kind, string> = {
    intake: 'Een intakesleutel start trajecten en leest wat zijn organisatie startte; andere handelingen horen bij professionals.',
    professional: 'Deze handeling is niet voor professionals.',
    coordinator: 'Coördinatoren lezen alle huishoudens maar geven geen opdrachten.',
  };
  return new ApiError(403, 'forbidden', why[kind]);
}

/** Is every issue a free text over its limit (domain/model.ts Text)? Such a body is well formed; the limit refuses it (422). */
function onlyTextsTooLong(errors: z.ZodError[]): boolean {
  const issues = errors.flatMap((e) => e.issues);
  return issues.length > 0 && issues.every((i) => i.code === 'too_big' && i.message.includes(LIMIT_RULES.textLength));
}

function validate(spec: { params?: Schema; query?: Schema; body?: Schema; headers?: Schema }, textLimit: boolean): RequestHandler {
  return (req, res, next) => {
    const fields: FieldIssue[] = [];
    const errors: z.ZodError[] = [];
    const input: Record<string, unknown> = {};
    const sources = { params: req.params, query: req.query, body: req.body, headers: req.headers } as const;
    for (const where of ['params', 'query', 'body', 'headers'] as const) {
      const schema = spec[where];
      if (!schema) continue;
      const parsed = schema.safeParse(sources[where] ?? (where === 'body' ? undefined : {}));
      if (parsed.success) input[where] = parsed.data;
      else {
        fields.push(...fieldIssues(where, parsed.error));
        errors.push(parsed.error);
      }
    }
    if (fields.length) return next(textLimit && onlyTextsTooLong(errors) ? textTooLong(fields) : validationFailed(fields));
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
  if (!isPublic) errors.add(401).add(429);
  if (spec.params || spec.query || spec.body || spec.headers) errors.add(400);
  if (spec.body) errors.add(413).add(415);

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
          {
            description: r.description,
            headers: r.headers,
            content: { 'application/json': { schema: r.schema }, ...(r.text ? { [r.text]: { schema: z.string() } } : {}) },
          },
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

  // Who is asking comes first: nothing of a request without valid credentials is read or decoded.
  const template = fullPath.replace(/\{(\w+)\}/g, ':$1');
  const chain: RequestHandler[] = [
    (_req, res, next) => {
      // The route as metrics label it (an error answered outside this router has lost req.route).
      res.locals.routeTemplate = template;
      next();
    },
  ];
  if (spec.audit) chain.push(auditHook(ctx.audit, fullPath.replace(/\{(\w+)\}/g, ':$1')));
  if (!isPublic) chain.push(failedAuthLimiter(ctx.limits));
  if (spec.link) chain.push(linkAuth(ctx.linkSecret, ctx.now));
  if (!isPublic) chain.push(authenticate(ctx, spec.access as readonly Kind[], spec.link ?? false), perKeyLimiter(ctx.limits));
  if (spec.body) chain.push(jsonBody);
  // A route that documents 422 answers a text over its limit with it; others keep the plain 400.
  chain.push(validate(spec, errors.has(422)));
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
    if (reply.text)
      return void res
        .status(reply.status ?? 200)
        .type(reply.text.contentType)
        .send(reply.text.body);
    res.status(reply.status ?? 200).json(reply.body);
  });
  ctx.router[spec.method](expressPath, ...chain);
  // OPTIONS here, in the route's own router: express would otherwise answer it in text/plain.
  ctx.router.options(expressPath, (_req, res) => {
    const allowed = ctx.methods.get(fullPath.replace(/\{(\w+)\}/g, ':$1')) ?? new Set<string>();
    res
      .set('Allow', [...allowed, 'OPTIONS'].sort().join(', '))
      .status(204)
      .end();
  });
  const methods = ctx.methods.get(fullPath.replace(/\{(\w+)\}/g, ':$1')) ?? new Set<string>();
  methods.add(spec.method.toUpperCase());
  ctx.methods.set(fullPath.replace(/\{(\w+)\}/g, ':$1'), methods);
}

/** JSON bodies up to 1 MB, also gzip/deflate/br encoded; parsed only after authentication. */
const jsonBody = express.json({ limit: '1mb', inflate: true });

/**
 * For every known path: OPTIONS answers which methods it has, any other method 405 with the same
 * list. Mounted after the routes, so only what no route took arrives here.
 */
export function methodAnswers(router: express.Router, methods: Map<string, Set<string>>, base: string): void {
  for (const [path, allowed] of methods) {
    const allow = [...allowed, 'OPTIONS'].sort().join(', ');
    router.all(path.slice(base.length) || '/', (req, res, next) => {
      if (req.method === 'OPTIONS') return void res.set('Allow', allow).status(204).end();
      res.set('Allow', allow);
      next(new ApiError(405, 'method_not_allowed', `Methode ${req.method} kan hier niet; wel: ${allow}.`));
    });
  }
}
