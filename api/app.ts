/**
 * The Routekaart API: versioned under /api/v1, one router per resource, the OpenAPI document and
 * Swagger UI generated from the same zod schemas, the dashboard and action forms (api/pages), and
 * one error handler that always answers JSON.
 */
import { createHmac } from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Policy } from '../domain/policy';
import type { Database } from '../platform/db/database';
import { DirectoryNames, EMPTY_DIRECTORY, type Directory } from '../platform/directory';
import type { Keyring } from '../platform/keyring';
import type { Metrics } from '../platform/metrics';
import { UsedActionLinks } from '../platform/store/action-links';
import { FollowUpStore } from '../platform/store/follow-up';
import { AuditStore } from '../platform/store/audit';
import { ImpactStore } from '../platform/store/impact-rows';
import { IdempotencyKeys } from '../platform/store/idempotency';
import { SessionStore } from '../platform/store/sessions';
import { SummaryStore } from '../platform/store/summaries';
import { PlanStore } from '../platform/store/plans';
import { ScoreCorrections } from '../platform/store/score-corrections';
import { LogLinks } from '../platform/store/log-links';
import { TextStore, textRefKey } from '../platform/store/texts';
import { HouseholdService } from './household-service';
import type { Access } from './access';
import { errorHandler, routeNotFound } from './errors';
import { auditRefusals, DEFAULT_LIMITS, RefusedAttempts, type Limits } from './guards';
import { API_BASE, createRegistry, openApiDocument } from './openapi';
import { methodAnswers, type RouteContext } from './route';
import { codecRouter } from './codec-server';
import { ACTIONS, createPages, DASHBOARD, LOG } from './pages';
import { sameOriginForms, Sessions } from './pages/session';
import { auditRouter } from './routes/audit';
import { commandsRouter } from './routes/commands';
import { healthRouter } from './routes/health';
import { impactRouter } from './routes/impact';
import { householdsRouter } from './routes/households';
import { ReReportStore } from '../platform/store/re-reports';
import { previousTrajectory } from './re-reports';
import { plansRouter } from './routes/plans';
import { bearerPeople, type People } from './identity/people';
import type { OidcClient } from './identity/oidc';
import { DEFAULT_TIMEOUTS, HouseholdGateway, type TemporalTimeouts } from './temporal';

export interface AppDeps {
  /** Configured with the payload codec (platform/codec.ts). */
  client: Client;
  /**
   * The client's connection is the NativeConnection of a worker in the same process (npm start):
   * an intake asks Temporal to hand the household's first workflow task straight to that worker
   * (eager start) instead of waiting for a poll, and the intake answers sooner (issue 23).
   */
  eagerStart?: boolean;
  access: Access;
  /** Routekaart's database: audit log, household texts, read model. */
  db: Database;
  /** Encrypts household texts in the database (the payload keys). */
  keyring: Keyring;
  policy: Policy;
  /** Verifies signed e-mail links to one household (platform/links.ts). */
  linkSecret: Buffer;
  /** Keys household ids (api/ids.ts): never changes once households exist. */
  idSecret: Buffer;
  publicUrl: string;
  now?: () => Date;
  /** Deadlines of Temporal calls; shorter in tests. */
  timeouts?: Partial<TemporalTimeouts>;
  /** Request limits per key, per credential and per address (api/guards.ts). */
  limits?: Partial<Limits>;
  /**
   * Express's `trust proxy` behind a reverse proxy: the proxy's addresses or subnets, never a hop
   * count (platform/config.ts refuses one), so no direct client can choose its own address.
   */
  trustProxy?: string;
  /** How often batched refusals are written to the audit log. */
  refusalsEveryMs?: number;
  /** Counts requests per route and audit writes (platform/metrics.ts). */
  metrics?: Metrics;
  /** The Temporal Web UI's origin, allowed to call the codec server (/codec/decode). */
  temporalUiOrigin?: string;
  /**
   * The directory (platform/directory.ts, config.directoryFile): pages show people and
   * organisations by name. Without it they are shown by id.
   */
  directory?: () => Directory;
  /**
   * Personal login (OpenID Connect) and people's bearer tokens. When set, the pages accept only
   * personal logins, never an API key.
   */
  identity?: {
    oidc: OidcClient;
    people: People;
    requireMfa: boolean;
    /**
     * Do professionals' and coordinators' API keys still work on the API? Only with npm start's
     * development provider: with a real issuer people use their own bearer token, and API keys
     * remain for intake systems.
     */
    peopleKeys?: boolean;
  };
}

export function createApp(deps: AppDeps): express.Application {
  // Default zod messages in Dutch: people read them in the 400 answers.
  z.config(z.locales.nl());
  const now = deps.now ?? (() => new Date());
  const gateway = new HouseholdGateway(deps.client, { ...DEFAULT_TIMEOUTS, ...deps.timeouts }, now, deps.eagerStart);
  const texts = new TextStore(deps.db, deps.keyring, textRefKey(deps.idSecret));
  const households = new HouseholdService(gateway, texts, new ScoreCorrections(deps.db), new PlanStore(deps.db), now);
  const summaries = new SummaryStore(deps.db);
  const audit = new AuditStore(deps.db, now);
  const metrics = deps.metrics;
  if (metrics) audit.onAppend = (committed) => metrics.auditWrites.inc({ outcome: committed ? 'written' : 'failed' });
  const registry = createRegistry();
  const refused = new RefusedAttempts(audit, deps.refusalsEveryMs);
  const ctx: Omit<RouteContext, 'router'> = {
    registry,
    access: deps.access,
    audit,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    linkSecret: deps.linkSecret,
    now,
    methods: new Map(),
    bearer: deps.identity && bearerPeople(deps.identity.oidc, deps.identity.people),
    keysOnlyForIntake: deps.identity !== undefined && !deps.identity.peopleKeys,
  };
  // Paging tokens are signed with a key of their own, derived from the link secret.
  const pagingSecret = createHmac('sha256', deps.linkSecret).update('routekaart/paging').digest();

  const app = express();
  // Entry points and tests call this before closing the database: the last refusals are written.
  app.locals.closeAudit = () => refused.close();
  app.disable('x-powered-by');
  if (metrics)
    app.use((req, res, next) => {
      const stop = metrics.httpDuration.startTimer();
      // The route template, never the path itself: ids and tokens stay out of the labels.
      res.on('finish', () => {
        const route =
          (res.locals.routeTemplate as string | undefined) ?? (req.route ? `${req.baseUrl}${String(req.route.path)}` : 'onbekend');
        stop({ method: req.method, route, status: res.statusCode });
      });
      next();
    });
  app.set('query parser', 'simple');
  // Behind a reverse proxy the client's address comes from X-Forwarded-For, but only when the
  // proxy itself sent it (for the per-address limit).
  if (deps.trustProxy) app.set('trust proxy', deps.trustProxy);
  // Every refusal on every route, also those that audit nothing else, goes to the audit log.
  app.use(auditRefusals(refused));
  // Security headers on every answer; the dashboard and Swagger UI set their own content policy.
  app.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: deps.publicUrl.startsWith('https:') }));

  const api = express.Router();
  api.use((_req, res, next) => {
    // Household data must not linger in shared caches.
    res.set({ 'Cache-Control': 'no-store' });
    next();
  });
  api.use(healthRouter(ctx, { gateway }));
  const reReports = new ReReportStore(deps.db);
  api.use(
    householdsRouter(ctx, {
      households,
      summaries,
      policy: deps.policy,
      now,
      pagingSecret,
      idSecret: deps.idSecret,
      reReports,
    }),
  );
  api.use(plansRouter(ctx, { households }));
  api.use(commandsRouter(ctx, { households, idempotency: new IdempotencyKeys(deps.db), secret: deps.idSecret }));
  api.use(auditRouter(ctx));
  const impact = new ImpactStore(deps.db);
  api.use(impactRouter(ctx, { impact, policy: deps.policy, now }));

  registry.registerPath({
    method: 'get',
    path: `${API_BASE}/openapi.json`,
    operationId: 'openapi',
    tags: ['Beheer'],
    summary: 'Dit OpenAPI-document (Swagger UI: /api/docs)',
    responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } } },
  });
  const document = openApiDocument(registry, deps.publicUrl);
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  ctx.methods.set(`${API_BASE}/openapi.json`, new Set(['GET']));
  methodAnswers(api, ctx.methods, API_BASE);
  app.use(API_BASE, api);
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Routekaart API' }));
  const sessions = new Sessions(deps.access, new SessionStore(deps.db), now, deps.publicUrl.startsWith('https:'), deps.identity?.people);
  app.use(['/codec', DASHBOARD], sessions.resolve);
  // Forms post only from our own pages (login and logout included).
  app.use([DASHBOARD, ACTIONS, LOG], sameOriginForms(deps.publicUrl));
  app.use(
    '/codec',
    codecRouter({
      access: deps.access,
      sessions,
      keyring: deps.keyring,
      audit,
      limits: ctx.limits,
      uiOrigin: deps.temporalUiOrigin ?? 'http://localhost:8233',
      namespace: deps.client.options.namespace,
    }),
  );
  const pages = createPages({
    households,
    summaries,
    used: new UsedActionLinks(deps.db),
    audit,
    refused,
    policy: deps.policy,
    now,
    linkSecret: deps.linkSecret,
    idSecret: deps.idSecret,
    pagingSecret,
    sessions,
    personal: deps.identity && {
      ...deps.identity,
      sessions,
      secret: deps.linkSecret,
      publicUrl: deps.publicUrl,
      now,
    },
    // Per address, so at the address's higher bar: colleagues behind one address keep logging in.
    failedLoginsPerMinute: ctx.limits.failedAuthPerAddressPerMinute,
    actionRequestsPerMinute: ctx.limits.perKeyPerMinute,
    impact,
    names: new DirectoryNames(deps.directory ?? (() => EMPTY_DIRECTORY)),
    followUps: new FollowUpStore(deps.db),
    texts,
    logLinks: new LogLinks(deps.db),
    publicUrl: deps.publicUrl,
    previousTrajectory: (householdId) => previousTrajectory(reReports, householdId),
  });
  app.use(DASHBOARD, pages.dashboard);
  app.use(ACTIONS, pages.actions);
  app.use(LOG, pages.log);

  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}
