/**
 * One declaration per dashboard page, as route() (api/route.ts) is for the JSON API. From it comes
 * the whole handler chain: the content policy (no script at all), who is reading (a session or a
 * signed link, api/pages/readers.ts), what they may see (R-64), the query and form parsed with
 * zod, the audit line written before anything leaves, and every error as a Dutch HTML page.
 * Pages say only what they show.
 */
import type { DirectoryNames } from '../../platform/directory';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import type { AuditStore } from '../../platform/store/audit';
import type { Visibility } from '../../platform/store/summaries';
import { mayRead, type Caller } from '../access';
import { auditLine } from '../audit-trail';
import { ApiError, notInvolved, toApiError } from '../errors';
import type { RefusedAttempts } from '../guards';
import type { HouseholdService } from '../household-service';
import type { Values } from './fields';
import { frame, notice } from './frame';
import { PageRefusal, visibilityOf, type Readers, type ReaderKind, type ReaderOf } from './readers';

export const DASHBOARD = '/dashboard';
export const ACTIONS = '/acties';
/** The family's personal log links (issue 21). */
export const LOG = '/log';

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

export interface PageContext {
  router: express.Router;
  /** Where the router is mounted: pages are audited under their full path. */
  mount: string;
  readers: Readers;
  households: HouseholdService;
  audit: AuditStore;
  /** Refusals before anyone is known (a forged link) are audited in batches, as the API's are. */
  refused: RefusedAttempts;
  /** Who is reading, by name in the page's header. */
  names?: DirectoryNames;
}

type Schema = z.ZodType | undefined;
type Out<T extends Schema> = T extends z.ZodType ? z.output<T> : undefined;

export interface PageSpec<R extends ReaderKind, P extends Schema, Q extends Schema> {
  method: 'get' | 'post';
  /** Express form, below the mount: '/households/:id'. */
  path: string;
  /** Who may read it: nobody in particular, a session, or a session or signed link of a kind. */
  reader: R;
  /** Path parameters; a value they refuse is a 404 page with this message. */
  params?: P;
  notFound?: string;
  /** The query: a value it refuses is handed on as a Dutch message, shown next to the filters. */
  query?: Q;
  /** A urlencoded form within these limits, read only once the reader is known. */
  form?: { limit: string; parameterLimit: number };
  /** Runs before the reader is known (a limit on failed logins). */
  before?: RequestHandler[];
  /** Every answer to a known reader goes to the audit log, refusals included. */
  audit?: boolean;
}

export interface PageInput<R extends ReaderKind, P extends Schema, Q extends Schema> {
  reader: ReaderOf[R];
  params: Out<P>;
  query: { value?: Out<Q>; error?: string; given: Record<string, string> };
  form: Values;
  /** What this reader may list (R-64); only for a session's reader. */
  scope: Visibility;
  /** The household with its texts, when this reader may see it (R-64); the audit line names it either way. */
  household: (householdId: string) => Promise<HouseholdView>;
  /** The same check, without opening any text: for pages that open only the texts they show. */
  householdIds: (householdId: string) => Promise<HouseholdView>;
  /** The request and the answer, for what only they carry (the session cookie of a login and logout). */
  req: Request;
  res: Response;
}

export type PageReply =
  | { status?: number; title: string; body: SafeHtml; hideWho?: boolean }
  | { redirect: string }
  | { file: { contentType: string; body: string | Buffer; headers?: Record<string, string> } };

/** Only a path of our own pages after login, never another site. */
export function safeNext(raw: unknown): string {
  const next = typeof raw === 'string' ? raw : '';
  return /^\/(dashboard|acties)(\/[A-Za-z0-9._~%/-]*)?$/.test(next) && !next.includes('//') ? next : DASHBOARD;
}

function whoOf(c: Caller, names?: DirectoryNames): string {
  if (c.via === 'link') return c.sub;
  if (c.kind === 'coordinator') return names ? names.coordinator() : `coördinator (${c.organisation})`;
  if (c.professionalId) return names ? names.professional(c.professionalId, c.organisation) : `${c.professionalId} (${c.organisation})`;
  return `${c.keyId} (${names ? names.organisation(c.organisation) : c.organisation})`;
}

/** Sends a page in the frame: with who is reading and, for a session, the menu. */
export function sendPage(res: Response, status: number, title: string, body: SafeHtml, who?: Caller, names?: DirectoryNames): void {
  res
    .status(status)
    .type('html')
    .send(
      frame(
        {
          title,
          base: DASHBOARD,
          who: who ? whoOf(who, names) : undefined,
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
}

function loginButton(next: string, label = 'Inloggen'): SafeHtml {
  return html`<a class="button" href="${DASHBOARD}/login?next=${encodeURIComponent(safeNext(next))}">${label}</a>`;
}

/** Every error as a Dutch page; a refused link says why and offers to log in instead. */
function sendError(req: Request, res: Response, e: ApiError): void {
  if (e instanceof PageRefusal && e.linkPage) {
    return sendPage(
      res,
      e.status,
      'Link werkt niet',
      html`<h1>Deze link werkt niet</h1>${notice('error', e.message)}
<p>${loginButton(e.linkPage.next)}</p>
<p class="muted">Na het inloggen vindt u het huishouden en uw taken in het dashboard. Elke herinnering bevat ook een nieuwe link.</p>`,
    );
  }
  const login = e.status === 401 || e.status === 404 || e.status === 403;
  sendPage(
    res,
    e.status,
    'Niet gelukt',
    html`<h1>Dat lukte niet</h1>${notice('error', e.message)}${login ? html`<p>${loginButton(req.originalUrl.split('?')[0]!)}</p>` : ''}`,
  );
}

/** The query's plain values: repeated and empty parameters are left out, as filters that are not set. */
function givenQuery(req: Request): Record<string, string> {
  return Object.fromEntries(Object.entries(req.query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/** Registers one page: its handler chain from reader to audit line. */
export function page<R extends ReaderKind, P extends Schema = undefined, Q extends Schema = undefined>(
  ctx: PageContext,
  spec: PageSpec<R, P, Q>,
  handler: (input: PageInput<R, P, Q>) => Promise<PageReply>,
): void {
  const route = `${ctx.mount}${spec.path}`;
  const form = spec.form ? express.urlencoded({ extended: false, ...spec.form }) : undefined;
  const readForm = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => (form ? form(req, res, (err?: unknown) => (err ? reject(err) : resolve())) : resolve()));

  const run = async (req: Request, res: Response): Promise<void> => {
    let reader: Caller | undefined;
    let householdId: string | undefined;
    const record = async (status: number, reason?: string) => {
      if (!spec.audit) return;
      if (!reader) return ctx.refused.record(req.method, route, status, reason ?? 'unauthenticated');
      await auditLine(ctx.audit, reader, { method: req.method, route, householdId, status, reason });
    };
    try {
      const params = spec.params?.safeParse(req.params);
      if (params && !params.success) throw new ApiError(404, 'route_not_found', spec.notFound ?? 'Deze pagina bestaat niet.');
      const resolved = await ctx.readers.resolve(spec.reader, req);
      if (resolved === 'login') return res.redirect(303, `${DASHBOARD}/login?next=${encodeURIComponent(req.originalUrl.split('?')[0]!)}`);
      reader = resolved.caller;
      householdId = resolved.householdId;
      const given = givenQuery(req);
      const query = spec.query?.safeParse(given);
      await readForm(req, res);
      const reply = await handler({
        reader: resolved.reader as ReaderOf[R],
        params: params?.data as Out<P>,
        query: {
          given,
          value: query?.success ? (query.data as Out<Q>) : undefined,
          error: query && !query.success ? query.error.issues.map((i) => i.message).join(' ') : undefined,
        },
        form: (req.body ?? {}) as Values,
        scope: reader?.via === 'key' ? visibilityOf(reader) : {},
        household: async (id) => {
          householdId = id;
          const ids = await ctx.households.readIds(id);
          if (!reader || !mayRead(reader, ids)) throw notInvolved();
          return ctx.households.withTexts(ids);
        },
        householdIds: async (id) => {
          householdId = id;
          const ids = await ctx.households.readIds(id);
          if (!reader || !mayRead(reader, ids)) throw notInvolved();
          return ids;
        },
        req,
        res,
      });
      if ('redirect' in reply) return res.redirect(303, reply.redirect);
      const status = 'file' in reply ? 200 : (reply.status ?? 200);
      try {
        await record(status);
      } catch {
        console.error(`[pages] audit log not writable; ${req.method} ${route} not shown`);
        throw new ApiError(503, 'audit_unavailable', 'Het auditlogboek is niet beschikbaar; de pagina is niet getoond.');
      }
      if ('file' in reply)
        return void res
          .set(reply.file.headers ?? {})
          .type(reply.file.contentType)
          .send(reply.file.body);
      sendPage(res, status, reply.title, reply.body, reply.hideWho ? undefined : reader, ctx.names);
    } catch (err) {
      const e = toApiError(err);
      if (e.status >= 500 && e.code === 'internal') console.error(`[pages] ${req.method} ${route}: ${(err as Error)?.name ?? typeof err}`);
      if (e instanceof PageRefusal) {
        reader ??= e.reader;
        householdId ??= e.householdId;
      }
      // A refusal is shown even when its audit line could not be written: it shows nothing of a household.
      if (e.code !== 'audit_unavailable')
        await record(e.status, e instanceof PageRefusal ? e.reason : undefined).catch(() =>
          console.error(`[pages] audit log not writable; refusal of ${req.method} ${route} not recorded`),
        );
      sendError(req, res, e);
    }
  };
  ctx.router[spec.method](spec.path, ...(spec.before ?? []), (req: Request, res: Response) => run(req, res));
}

/** A router for pages: the content policy on every answer, also on the pages of errors. */
export function pageRouter(): express.Router {
  const router = express.Router();
  router.use(pageHeaders);
  return router;
}

/** After the pages: an unknown path, and an error outside any page, as Dutch pages. */
export function finishPages(router: express.Router, notFound: string): void {
  router.use((_req, _res, next) => next(new ApiError(404, 'route_not_found', notFound)));
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = toApiError(err);
    if (e.status >= 500 && e.code === 'internal')
      console.error(`[pages] ${req.method} ${req.baseUrl}: ${(err as Error)?.name ?? typeof err}`);
    sendError(req, res, e);
  });
}
