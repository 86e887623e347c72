/**
 * Logging in to the dashboard with an API key: the key is checked once and never stored. The
 * browser gets a random session id in a cookie (HttpOnly, SameSite=Strict, Secure over https);
 * the session itself lives in our database (platform/store/sessions.ts), so logging out ends it
 * at once for every process, and it ends by itself after 30 idle minutes or 8 hours. Each login
 * gets a new id (the old one of that browser is revoked). A removed key ends its sessions at
 * once: every request looks the key id up.
 */
import type { Request, RequestHandler, Response } from 'express';
import { newSessionId, SESSION_LIMITS, type SessionStore } from '../../platform/store/sessions';
import type { Access, Caller } from '../access';
import type { People } from '../identity/people';
import { ApiError } from '../errors';
import { refusedBecause } from '../guards';

const COOKIE = 'rk_sessie';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
type KeyCaller = Extract<Caller, { via: 'key' }>;

export class Sessions {
  /** The caller each request's cookie was resolved to (by `resolve`), for the rest of that request. */
  private readonly resolved = new WeakMap<Request, KeyCaller>();

  constructor(
    private readonly access: Access,
    private readonly store: SessionStore,
    private readonly now: () => Date,
    private readonly secure: boolean,
    /** Personal logins (OpenID Connect): a session names its person, found again in the directory at every request. */
    private readonly people?: People,
  ) {}

  /**
   * Middleware before every page that reads a session: looks the cookie's session up (which also
   * restarts its idle clock), so that `caller` answers without waiting.
   */
  readonly resolve: RequestHandler = (req, res, next) => {
    const id = sessionIdOf(req);
    if (!id) return next();
    this.store.touch(id, this.now()).then((keyId) => {
      const caller = keyId ? (this.people?.byPrincipal(keyId) ?? this.access.byId(keyId)) : undefined;
      if (caller) this.resolved.set(req, caller);
      else {
        refusedBecause(res, 'session_invalid');
        // The browser forgets a session that is over, instead of presenting it on every page.
        res.clearCookie(COOKIE, { path: '/' });
      }
      next();
    }, next);
  };

  /** Checks a key; on success starts a new session (ending the browser's previous one) and returns the caller. */
  async login(req: Request, res: Response, key: string): Promise<KeyCaller | undefined> {
    const caller = this.access.authenticate(`Bearer ${key.trim()}`);
    if (!caller) {
      refusedBecause(res, 'unknown_key');
      return undefined;
    }
    await this.start(req, res, caller);
    return caller;
  }

  /**
   * Starts a new session for a caller whose identity was checked (a key, or a person from the
   * identity provider), ending the browser's previous session: a new id at every login.
   */
  async start(req: Request, res: Response, caller: KeyCaller): Promise<void> {
    const previous = sessionIdOf(req);
    if (previous) await this.store.revoke(previous, this.now());
    const id = newSessionId();
    await this.store.create(id, caller.keyId, this.now());
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/', maxAge: SESSION_LIMITS.absoluteMs });
  }

  /** Ends the session in the database, so the cookie opens nothing any more, wherever it was copied to. */
  async logout(req: Request, res: Response): Promise<void> {
    const id = sessionIdOf(req);
    if (id) await this.store.revoke(id, this.now());
    res.clearCookie(COOKIE, { path: '/' });
  }

  /** The caller of a live session (resolved by `resolve` earlier in this request). */
  caller(req: Request): KeyCaller | undefined {
    return this.resolved.get(req);
  }
}

function sessionIdOf(req: Request): string | undefined {
  for (const part of req.headers.cookie?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) {
      const value = v.join('=');
      return SESSION_ID.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * Refuses a form posted from another site (cross-site request forgery), for every state-changing
 * method: the browser's Sec-Fetch-Site must say same-origin, or, from a browser that does not
 * send it, the Origin must be ours (the public URL, or the Host the request was sent to). A
 * request without either header comes from no browser and carries no ambient credentials of a
 * person; it passes (as in Go's CrossOriginProtection).
 */
export function sameOriginForms(publicUrl: string): RequestHandler {
  const own = new URL(publicUrl).origin;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    const ours = origin === own || (origin !== undefined && hostOf(origin) === req.get('host'));
    const allowed = site !== undefined ? site === 'same-origin' || site === 'none' || ours : origin === undefined || ours;
    if (allowed) return next();
    refusedBecause(res, 'cross_origin');
    next(new ApiError(403, 'forbidden', 'Dit formulier komt van een andere website en is daarom geweigerd; er is niets gewijzigd.'));
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
