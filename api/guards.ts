/**
 * What keeps a hostile or clumsy client from costing more than it may: request limits per API
 * key, per presented credential and per address, and refusals (no valid credentials, too many
 * requests, a form from another site) written to the audit log in batches (a flood of bad keys
 * must not become a flood of disk writes).
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { AuditStore } from '../platform/store/audit';
import type { Caller } from './access';
import { auditLine } from './audit-trail';
import { ApiError } from './errors';

export interface Limits {
  /** Requests per minute for one API key (or signed link). */
  perKeyPerMinute: number;
  /** Refused authentications per minute with one and the same credential before it is told to wait. */
  failedAuthPerMinute: number;
  /**
   * Refused authentications per minute from one address, whatever credentials they carried: far
   * above the per-credential bar, so that colleagues behind one address keep working while
   * somebody there tries bad keys.
   */
  failedAuthPerAddressPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = { perKeyPerMinute: 1200, failedAuthPerMinute: 60, failedAuthPerAddressPerMinute: 600 };

const tooMany = (): ApiError =>
  new ApiError(429, 'too_many_requests', 'Te veel verzoeken in korte tijd; probeer het over een minuut opnieuw.');

const common: Partial<Options> = {
  windowMs: 60_000,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_req, _res, next) => next(tooMany()),
  requestWasSuccessful: (_req, res) => res.statusCode !== 401,
  skipSuccessfulRequests: true,
};

/** The credential a request presents, as a hash (never kept in the clear, not even in memory). */
function credentialKey(req: Request): string {
  const presented = req.get('authorization');
  if (!presented) return `none:${ipKeyGenerator(req.ip ?? '')}`;
  return `credential:${createHash('sha256').update(presented, 'utf8').digest('base64url')}`;
}

/**
 * Before authentication: counts only refused authentications (401), per presented credential
 * and, at a much higher bar, per address. A valid key is never slowed by somebody else's bad
 * ones from the same address (a shared office or NAT), until that address floods.
 */
export function failedAuthLimiter(limits: Limits): RequestHandler {
  // One count per app (one Limits object), shared by every route: spreading guesses over routes gains nothing.
  const shared = failedAuthLimiters.get(limits);
  if (shared) return shared;
  const perCredential = rateLimit({ ...common, limit: limits.failedAuthPerMinute, keyGenerator: credentialKey });
  const perAddress = rateLimit({ ...common, limit: limits.failedAuthPerAddressPerMinute });
  const limiter: RequestHandler = (req, res, next) => {
    void perAddress(req, res, (err?: unknown) => (err ? next(err) : void perCredential(req, res, next)));
  };
  failedAuthLimiters.set(limits, limiter);
  return limiter;
}

const failedAuthLimiters = new WeakMap<Limits, RequestHandler>();

/** After authentication: requests per key, whatever the address. */
export function perKeyLimiter(limits: Limits): RequestHandler {
  return rateLimit({
    ...common,
    requestWasSuccessful: undefined,
    skipSuccessfulRequests: false,
    limit: limits.perKeyPerMinute,
    keyGenerator: (_req, res) => {
      const caller = res.locals.caller as Caller;
      return caller.via === 'key' ? `key:${caller.keyId}` : `link:${caller.householdId}:${caller.sub}`;
    },
  });
}

/** Why a request was refused, for the audit line: set where the refusal is decided. */
export function refusedBecause(res: Response, reason: string): void {
  res.locals.refusal = reason;
}

/** Answers that are refusals whatever their route: no valid credentials, too many requests. */
const REFUSAL_STATUSES = new Set([401, 429]);

/** The route as the audit line names it: a template, never the path (paths carry ids and tokens). */
function routeOf(req: Request, res: Response): string {
  const template = res.locals.routeTemplate as string | undefined;
  if (template) return template;
  // The mount point from the original URL: req.baseUrl is gone once an error left its router.
  const mount = `/${req.originalUrl.split(/[/?]/)[1] ?? ''}`;
  if (req.route) return `${mount}${String(req.route.path)}`.replace(/\/$/, '');
  return `${mount}/…`;
}

/**
 * Writes every refusal to the audit log, on every route (also those that audit nothing else):
 * with its reason (the error code), never with what was presented. An audited route that wrote
 * its own line for the request (res.locals.audited) is not counted twice.
 */
export function auditRefusals(refused: RefusedAttempts): RequestHandler {
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
      if (typeof code === 'string') res.locals.errorCode = code;
      return json(body);
    };
    res.on('finish', () => {
      if (res.locals.audited) return;
      const explicit = res.locals.refusal as string | undefined;
      if (!explicit && !REFUSAL_STATUSES.has(res.statusCode)) return;
      const reason =
        explicit ?? (res.locals.errorCode as string | undefined) ?? (res.statusCode === 429 ? 'too_many_requests' : 'unauthenticated');
      refused.record(req.method, routeOf(req, res), res.statusCode, reason);
    });
    next();
  };
}

/**
 * Refused attempts counted per method, route, status and reason, and written as one audit line
 * per combination every few seconds.
 */
export class RefusedAttempts {
  private counts = new Map<string, { method: string; route: string; status: number; reason: string; count: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly audit: AuditStore,
    everyMs = 5_000,
  ) {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  /** Writes what is counted and stops counting: before the database closes, so no refusal goes unrecorded. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** One refused attempt; `reason` is a code such as 'forged' or 'unauthenticated', never what was presented. */
  record(method: string, route: string, status: number, reason: string): void {
    const key = `${method} ${route} ${status} ${reason}`;
    const c = this.counts.get(key) ?? { method, route, status, reason, count: 0 };
    c.count++;
    this.counts.set(key, c);
  }

  async flush(): Promise<void> {
    const batch = [...this.counts.values()];
    this.counts = new Map();
    for (const c of batch) {
      await auditLine(this.audit, null, c).catch(() => {
        console.error('[api] audit log not writable; refused attempts not recorded');
      });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
