/**
 * Logging in to the dashboard with an API key: the key is checked once and never stored; the
 * browser gets a signed, expiring session cookie naming the key's id (HttpOnly, SameSite=Strict,
 * Secure over https). A removed key ends its sessions at once: every request looks the id up.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Access, Caller } from '../access';

const COOKIE = 'rk_sessie';
const CONTEXT = 'routekaart/dashboard-session/v1\n';
const HOURS = 8;

export class Sessions {
  constructor(
    private readonly access: Access,
    private readonly secret: Buffer,
    private readonly now: () => Date,
    private readonly secure: boolean,
  ) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(CONTEXT).update(payload).digest();
  }

  /** Checks a key; on success sets the cookie and returns the caller. */
  login(res: Response, key: string): Extract<Caller, { via: 'key' }> | undefined {
    const caller = this.access.authenticate(`Bearer ${key.trim()}`);
    if (!caller) return undefined;
    const payload = Buffer.from(JSON.stringify({ k: caller.keyId, exp: Math.floor(this.now().getTime() / 1000) + HOURS * 3600 })).toString(
      'base64url',
    );
    res.cookie(COOKIE, `${payload}.${this.mac(payload).toString('base64url')}`, {
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
    const raw = cookieValue(req.headers.cookie, COOKIE);
    const [payload, signature] = raw?.split('.') ?? [];
    if (!payload || !signature) return undefined;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const { k, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: string; exp: number };
      if (typeof exp !== 'number' || exp * 1000 <= this.now().getTime()) return undefined;
      return this.access.byId(k);
    } catch {
      return undefined;
    }
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
