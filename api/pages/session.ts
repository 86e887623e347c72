/**
 * Logging in to the dashboard with an API key: the key is checked once and never stored; the
 * browser gets a signed, expiring session cookie naming the key's id (HttpOnly, SameSite=Strict,
 * Secure over https). A removed key ends its sessions at once: every request looks the id up.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { signToken, verifyToken } from '../../platform/signed-token';
import type { Access, Caller } from '../access';

const COOKIE = 'rk_sessie';
const CONTEXT = 'routekaart/dashboard-session/v1\n';
const HOURS = 8;
/** The key's id and the expiry (unix seconds). */
const Session = z.object({ k: z.string(), exp: z.number() });

export class Sessions {
  constructor(
    private readonly access: Access,
    private readonly secret: Buffer,
    private readonly now: () => Date,
    private readonly secure: boolean,
  ) {}

  /** Checks a key; on success sets the cookie and returns the caller. */
  login(res: Response, key: string): Extract<Caller, { via: 'key' }> | undefined {
    const caller = this.access.authenticate(`Bearer ${key.trim()}`);
    if (!caller) return undefined;
    const session = { k: caller.keyId, exp: Math.floor(this.now().getTime() / 1000) + HOURS * 3600 };
    res.cookie(COOKIE, signToken(this.secret, CONTEXT, session), {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      path: '/',
      maxAge: HOURS * 3600 * 1000,
    });
    return caller;
  }

  logout(res: Response): void {
    res.clearCookie(COOKIE, { path: '/' });
  }

  /** The caller of a valid, unexpired session cookie. */
  caller(req: Request): Extract<Caller, { via: 'key' }> | undefined {
    const session = verifyToken(this.secret, CONTEXT, Session, cookieValue(req.headers.cookie, COOKIE));
    if (!session || session.exp * 1000 <= this.now().getTime()) return undefined;
    return this.access.byId(session.k);
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
