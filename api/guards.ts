/**
 * What keeps a hostile or clumsy client from costing more than it may: request limits per API
 * key and per address, and refused attempts written to the audit log in batches (a flood of bad
 * keys must not become a flood of disk writes).
 */
import type { RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import type { AuditStore } from '../platform/store/audit';
import type { Caller } from './access';
import { auditLine } from './audit-trail';
import { ApiError } from './errors';

export interface Limits {
  /** Requests per minute for one API key (or signed link). */
  perKeyPerMinute: number;
  /** Refused authentications per minute from one address before it is told to wait. */
  failedAuthPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = { perKeyPerMinute: 1200, failedAuthPerMinute: 60 };

const tooMany = (): ApiError =>
  new ApiError(429, 'too_many_requests', 'Te veel verzoeken in korte tijd; probeer het over een minuut opnieuw.');

const common: Partial<Options> = {
  windowMs: 60_000,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_req, _res, next) => next(tooMany()),
};

/** Before authentication: counts only refused authentications (401), per address. */
export function failedAuthLimiter(limits: Limits): RequestHandler {
  return rateLimit({
    ...common,
    limit: limits.failedAuthPerMinute,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    skipSuccessfulRequests: true,
  });
}

/** After authentication: requests per key, whatever the address. */
export function perKeyLimiter(limits: Limits): RequestHandler {
  return rateLimit({
    ...common,
    limit: limits.perKeyPerMinute,
    keyGenerator: (_req, res) => {
      const caller = res.locals.caller as Caller;
      return caller.via === 'key' ? `key:${caller.keyId}` : `link:${caller.householdId}:${caller.sub}`;
    },
  });
}

/**
 * Refused attempts (no valid credentials) counted per method, route and status, and written as
 * one audit line per combination every few seconds.
 */
export class RefusedAttempts {
  private counts = new Map<string, { method: string; route: string; status: number; reason?: string; count: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly audit: AuditStore,
    everyMs = 5_000,
  ) {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  /** One refused attempt; `reason` is a code such as 'forged' for a link that is not ours. */
  record(method: string, route: string, status: number, reason?: string): void {
    const key = `${method} ${route} ${status} ${reason ?? ''}`;
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
