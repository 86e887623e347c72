/**
 * The dashboard: server-rendered Dutch pages without any script (a strict content policy allows
 * none), for coordinators, professionals and intake staff.
 *
 *   /dashboard                  overview of running households with region-wide figures
 *   /dashboard/households/:id   one household (after login, or ?token= from a mail)
 *   /dashboard/taken            "mijn taken" of a professional (after login, or ?token= from a mail)
 *   /dashboard/login, /logout   a session from an API key (api/pages/session.ts)
 *   /acties/:household/:token   the short form of an action link (api/pages/actions.ts)
 *
 * Access is the API's (api/access.ts, R-64); every page that shows a household is audited.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { impactReport } from '../../domain/impact';
import { impactCsv } from '../../domain/impact-csv';
import { ORGANISATIONS } from '../../domain/organisations';
import type { Policy } from '../../domain/policy';
import { involvedProfessionals } from '../../domain/selectors';
import type { HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { linkExpiry, signHouseholdLink, verifyAction, verifyHouseholdLink } from '../../platform/links';
import type { AuditRecord, AuditStore } from '../../platform/store/audit';
import type { UsedActionLinks } from '../../platform/store/action-links';
import type { ImpactStore } from '../../platform/store/impact';
import type { SummaryStore, Visibility } from '../../platform/store/summaries';
import { mayRead, mayWrite, type Access, type Caller } from '../access';
import { ApiError, notInvolved, toApiError } from '../errors';
import type { HouseholdService } from '../household-service';
import { HouseholdId } from '../ids';
import { decodeCursor, encodeCursor } from '../paging';
import { HouseholdListQuery } from '../types';
import { ImpactQuery, impactScope } from '../impact';
import { impactPage } from './impact';
import { actionPages } from './actions';
import { frame, notice } from './frame';
import { householdPage } from './household';
import { offerMaker } from './offers';
import { overviewPage } from './overview';
import type { Sessions } from './session';
import { tasksPage, type TaskListRow } from './tasks';

export interface PagesDeps {
  access: Access;
  households: HouseholdService;
  summaries: SummaryStore;
  used: UsedActionLinks;
  audit: AuditStore;
  policy: Policy;
  now: () => Date;
  linkSecret: Buffer;
  pagingSecret: Buffer;
  sessions: Sessions;
  /** Failed logins per address per minute. */
  failedLoginsPerMinute: number;
  /** Requests to action links per address per minute. */
  actionRequestsPerMinute: number;
  impact: ImpactStore;
}

export const DASHBOARD = '/dashboard';
export const ACTIONS = '/acties';

// No script at all; styles and images from here only; forms post only here.
const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(_req: Request, res: Response, next: NextFunction): void {
  // Pages carry household data and sometimes a token in their URL: not cached, never a referrer.
  res.set({ 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  next();
}

/** The stylesheet lives in the source tree; `tsc` does not copy it, so dist/ looks back into it. */
function stylesheet(): Buffer {
  const candidates = [
    path.join(__dirname, 'static', 'app.css'),
    path.resolve(__dirname, '..', '..', '..', 'api', 'pages', 'static', 'app.css'),
  ];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`Dashboard stylesheet not found; looked in: ${candidates.join(', ')}`);
  return readFileSync(found);
}

type KeyCaller = Extract<Caller, { via: 'key' }>;

function whoOf(c: Caller): string {
  if (c.via === 'link') return c.sub;
  return c.kind === 'coordinator' ? `coördinator (${c.organisation})` : `${c.professionalId ?? c.keyId} (${c.organisation})`;
}

function auditWho(c: Caller): AuditRecord['who'] {
  return c.via === 'link'
    ? { link: c.sub, role: 'link' }
    : { keyId: c.keyId, organisation: c.organisation, role: c.kind, professionalId: c.professionalId };
}

function visibilityOf(c: KeyCaller): Visibility {
  if (c.kind === 'coordinator') return {};
  return c.kind === 'intake' ? { intakeOrganisation: c.organisation } : { organisation: c.organisation };
}

/** Only a path of our own pages after login, never another site. */
function safeNext(raw: unknown): string {
  const next = typeof raw === 'string' ? raw : '';
  return /^\/(dashboard|acties)(\/[A-Za-z0-9._~%/-]*)?$/.test(next) && !next.includes('//') ? next : DASHBOARD;
}

export function createPages(deps: PagesDeps): { dashboard: express.Router; actions: express.Router } {
  const css = stylesheet();
  const sessions = deps.sessions;
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const dashboard = express.Router();
  dashboard.use(pageHeaders);

  const send = (res: Response, status: number, title: string, body: SafeHtml, who?: Caller) =>
    res
      .status(status)
      .type('html')
      .send(
        frame(
          {
            title,
            base: DASHBOARD,
            who: who ? whoOf(who) : undefined,
            nav:
              who?.via === 'key'
                ? [
                    { href: DASHBOARD, label: 'Overzicht' },
                    { href: `${DASHBOARD}/impact`, label: 'Meten' },
                    ...(who.kind === 'professional' ? [{ href: `${DASHBOARD}/taken`, label: 'Mijn taken' }] : []),
                  ]
                : undefined,
          },
          body,
        ),
      );

  const audit = (req: Request, who: Caller, route: string, status: number, householdId?: string) =>
    deps.audit.append({ who: auditWho(who), what: { method: req.method, route: `${DASHBOARD}${route}`, householdId, status } });

  const toLogin = (req: Request, res: Response) =>
    res.redirect(303, `${DASHBOARD}/login?next=${encodeURIComponent(req.originalUrl.split('?')[0]!)}`);

  dashboard.get('/assets/app.css', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/css; charset=utf-8').send(css);
  });

  const loginForm = (next: string, error?: string) =>
    html`<div class="login card"><h1>Inloggen</h1>${error ? notice('error', error) : ''}
<form method="post" action="${DASHBOARD}/login" class="form-grid">
<input type="hidden" name="next" value="${next}">
<div class="form-row"><label for="sleutel">API-sleutel</label><input type="password" id="sleutel" name="sleutel" autocomplete="current-password" required ${error ? html`aria-invalid="true"` : ''}>
<p class="hint">De sleutel die uw organisatie u gaf. Hij wordt niet bewaard; u blijft ingelogd tot u uitlogt, 30 minuten niets doet of na 8 uur.</p></div>
<div><button type="submit" class="button">Inloggen</button></div></form></div>`;

  dashboard.get('/login', (req, res) => {
    send(res, 200, 'Inloggen', loginForm(safeNext(req.query.next)));
  });
  dashboard.post(
    '/login',
    rateLimit({
      windowMs: 60_000,
      limit: deps.failedLoginsPerMinute,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode < 400,
      handler: (req, res) => send(res, 429, 'Inloggen', loginForm(DASHBOARD, 'Te veel pogingen; probeer het over een minuut opnieuw.')),
    }),
    form,
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const key = typeof body.sleutel === 'string' ? body.sleutel : '';
      const caller = key ? await sessions.login(req, res, key) : undefined;
      if (!caller) return send(res, 401, 'Inloggen', loginForm(safeNext(body.next), 'Deze API-sleutel is onbekend.'));
      res.redirect(303, safeNext(body.next));
    },
  );
  dashboard.post('/logout', async (req, res) => {
    await sessions.logout(req, res);
    res.redirect(303, `${DASHBOARD}/login`);
  });

  dashboard.get('/', async (req, res) => {
    const caller = sessions.caller(req);
    if (!caller) return toLogin(req, res);
    const query = Object.fromEntries(
      Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
    );
    const parsed = HouseholdListQuery.safeParse({ pageSize: '50', ...query });
    const visible = visibilityOf(caller);
    const filter = parsed.success ? parsed.data : { error: `Dit filter kan niet: ${parsed.error.issues.map((i) => i.message).join(' ')}` };
    const { pageSize, nextPageToken, ...rest } = parsed.success ? parsed.data : HouseholdListQuery.parse({ pageSize: '50' });
    const after = nextPageToken ? decodeCursor(nextPageToken, deps.pagingSecret) : undefined;
    const [counts, page] = await Promise.all([deps.summaries.counts(visible), deps.summaries.list(rest, visible, pageSize, after)]);
    const nextHref = page.next
      ? `${DASHBOARD}?${new URLSearchParams({ ...query, nextPageToken: encodeCursor(page.next, deps.pagingSecret) }).toString()}`
      : undefined;
    await audit(req, caller, '/', 200);
    send(
      res,
      200,
      'Overzicht',
      overviewPage({
        base: DASHBOARD,
        counts,
        items: page.items,
        query,
        filter,
        nextHref,
        extra:
          caller.kind === 'professional' ? html`<p><a class="button button-quiet" href="${DASHBOARD}/taken">Mijn taken</a></p>` : undefined,
      }),
      caller,
    );
  });

  const offersOf = (householdId: string, professionalId: string) => {
    const make = offerMaker(householdId, professionalId, deps.linkSecret, deps.now());
    return { forTask: make.forTask, general: make.general() };
  };

  /** The impact report of the session's reader (R-61): the region or an organisation, for a period. */
  async function impactOf(req: Request) {
    const caller = sessions.caller(req);
    if (!caller) return undefined;
    const raw = Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const parsed = ImpactQuery.safeParse(raw);
    const error = parsed.success ? undefined : `Deze periode kan niet: ${parsed.error.issues.map((i) => i.message).join(' ')}`;
    let scope;
    try {
      scope = impactScope(caller, parsed.success ? parsed.data : {}, deps.now());
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      scope = impactScope(caller, {}, deps.now());
      return { caller, error: err.message, scope, report: impactReport(await deps.impact.rows(scope), scope, deps.policy) };
    }
    return { caller, error, scope, report: impactReport(await deps.impact.rows(scope), scope, deps.policy) };
  }

  dashboard.get('/impact', async (req, res) => {
    const found = await impactOf(req);
    if (!found) return toLogin(req, res);
    const { caller, scope, report, error } = found;
    const query = new URLSearchParams({
      from: scope.from,
      to: scope.to,
      ...(scope.organisation ? { organisation: scope.organisation } : {}),
    }).toString();
    await audit(req, caller, '/impact', 200);
    send(
      res,
      200,
      'Meten',
      impactPage({
        base: DASHBOARD,
        report,
        query,
        error,
        organisations: caller.kind === 'coordinator' ? Object.keys(ORGANISATIONS).sort() : undefined,
      }),
      caller,
    );
  });

  dashboard.get('/impact.csv', async (req, res) => {
    const found = await impactOf(req);
    if (!found) return toLogin(req, res);
    await audit(req, found.caller, '/impact.csv', 200);
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="routekaart-impact-${found.scope.from}-${found.scope.to}.csv"`)
      .send(impactCsv(found.report));
  });

  /** The reader of a household page: a session, or a signed link from a mail for this household. */
  function householdReader(req: Request, householdId: string): Caller | undefined {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token) {
      const claims = verifyHouseholdLink(deps.linkSecret, token, deps.now());
      if (!claims) throw new ApiError(401, 'link_invalid', 'Deze link is ongeldig of verlopen. Log in met uw API-sleutel.');
      if (claims.householdId !== householdId)
        throw new ApiError(403, 'link_other_household', 'Deze link geeft alleen toegang tot het huishouden waarvoor hij is verstuurd.');
      return { via: 'link', sub: claims.sub, householdId };
    }
    return sessions.caller(req);
  }

  /** The professional a reader acts as, and their organisation, when they may act on this household. */
  function actingProfessional(reader: Caller, view: HouseholdView): { id: string; organisation: string } | undefined {
    if (reader.via === 'key')
      return reader.kind === 'professional' && reader.professionalId && mayWrite(reader, view)
        ? { id: reader.professionalId, organisation: reader.organisation }
        : undefined;
    const p = involvedProfessionals(view.state).find((x) => x.professionalId === reader.sub);
    return p ? { id: p.professionalId, organisation: p.organisation } : undefined;
  }

  dashboard.get('/households/:id', async (req, res) => {
    const id = HouseholdId.safeParse(req.params.id);
    if (!id.success) throw new ApiError(404, 'household_not_found', 'Dit huishouden bestaat niet.');
    const reader = householdReader(req, id.data);
    if (!reader) return toLogin(req, res);
    const ids = await deps.households.readIds(id.data);
    if (!mayRead(reader, ids)) {
      await audit(req, reader, '/households/:id', 404, id.data);
      throw notInvolved();
    }
    const view = await deps.households.withTexts(ids);
    const acting = actingProfessional(reader, view);
    const ownOrganisation = reader.via === 'key' ? reader.organisation : acting?.organisation;
    await audit(req, reader, '/households/:id', 200, id.data);
    send(
      res,
      200,
      `Huishouden ${id.data}`,
      householdPage({
        base: DASHBOARD,
        view,
        now: deps.now(),
        policy: deps.policy,
        reference: ownOrganisation === view.state.intake.organisation ? view.state.intake.reference : undefined,
        acting: acting ? offersOf(id.data, acting.id) : undefined,
      }),
      reader,
    );
  });

  dashboard.get('/taken', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    let professional: { id: string; organisation?: string; who: Caller; viaLink: boolean };
    if (token) {
      const claims = verifyAction(deps.linkSecret, token, deps.now());
      if (!claims || claims.action !== 'taken')
        throw new ApiError(401, 'link_invalid', 'Deze link is ongeldig of verlopen. Log in met uw API-sleutel voor uw taken.');
      professional = { id: claims.sub, organisation: claims.ref, who: { via: 'link', sub: claims.sub, householdId: '' }, viaLink: true };
    } else {
      const caller = sessions.caller(req);
      if (!caller) return toLogin(req, res);
      if (caller.kind !== 'professional' || !caller.professionalId)
        throw new ApiError(403, 'forbidden', 'Mijn taken is er voor professionals; coördinatoren zien alles in het overzicht.');
      professional = { id: caller.professionalId, organisation: caller.organisation, who: caller, viaLink: false };
    }
    const now = deps.now();
    const rows = await deps.summaries.involving(professional.id);
    const list: TaskListRow[] = [];
    for (const row of rows) {
      const own = professional.organisation !== undefined && professional.organisation === row.intakeOrganisation && row.referenceRef;
      const reference = own ? (await deps.households.openTexts(row.householdId, [row.referenceRef!])).get(row.referenceRef!) : undefined;
      const href = professional.viaLink
        ? `${DASHBOARD}/households/${row.householdId}?token=${signHouseholdLink(deps.linkSecret, { householdId: row.householdId, sub: professional.id, exp: linkExpiry(now, 1) })}`
        : `${DASHBOARD}/households/${row.householdId}`;
      list.push({ row, href, reference, ...offersOf(row.householdId, professional.id) });
    }
    await audit(req, professional.who, '/taken', 200);
    send(res, 200, 'Mijn taken', tasksPage(professional.id, list, now), professional.viaLink ? undefined : professional.who);
  });

  dashboard.use((req, _res, next) => next(new ApiError(404, 'route_not_found', 'Deze pagina bestaat niet.')));
  const pageErrors = (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toApiError(err);
    if (e.status >= 500 && e.code === 'internal')
      console.error(`[pages] ${req.method} ${req.baseUrl}: ${(err as Error)?.name ?? typeof err}`);
    const login = e.status === 401 || e.status === 404 || e.status === 403;
    send(
      res,
      e.status,
      'Niet gelukt',
      html`<h1>Dat lukte niet</h1>${notice('error', e.message)}${
        login
          ? html`<p><a class="button" href="${DASHBOARD}/login?next=${encodeURIComponent(safeNext(req.originalUrl.split('?')[0]))}">Inloggen</a></p>`
          : ''
      }`,
    );
  };
  dashboard.use(pageErrors);

  const actions = express.Router();
  actions.use(pageHeaders);
  // Guessing tokens gets nowhere (HMAC), but nobody gets to try quickly either.
  actions.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.actionRequestsPerMinute,
      handler: (_req, res) =>
        send(
          res,
          429,
          'Even wachten',
          html`<h1>Even wachten</h1>${notice('error', 'Te veel verzoeken in korte tijd; probeer het over een minuut opnieuw.')}`,
        ),
    }),
  );
  actions.use(
    actionPages({
      households: deps.households,
      used: deps.used,
      audit: deps.audit,
      linkSecret: deps.linkSecret,
      policy: deps.policy,
      now: deps.now,
      dashboard: DASHBOARD,
    }),
  );
  actions.use((req, _res, next) => next(new ApiError(404, 'route_not_found', 'Deze link is onvolledig.')));
  actions.use(pageErrors);
  return { dashboard, actions };
}
