/**
 * The codec server for the Temporal Web UI: operators read a household's payloads in the UI, which
 * sends them here to be decrypted (POST /codec/decode, the UI's codec protocol). Coordinators only:
 * an API key (Bearer) or their dashboard session cookie, which the UI sends along when "include
 * cross-origin credentials" is on. Only the configured UI origin may call it from a browser (CORS).
 * Every decode is in the audit log, with the household ids the payloads name. Free texts stay
 * references: they live in Routekaart's database.
 *
 * The UI asks without credentials until "Include cross-origin credentials" is on, and retries: such
 * a request gets a 401 that says what to switch on, and does not count as a failed login (only a
 * presented key that fails does), so the UI never locks a coordinator out with 429s.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { AesGcmCodec } from '../platform/codec';
import type { Keyring } from '../platform/keyring';
import type { AuditStore } from '../platform/store/audit';
import type { Access, Caller } from './access';
import { auditLine } from './audit-trail';
import { ApiError, unauthenticated } from './errors';
import { failedAuthLimiter, type Limits } from './guards';
import type { Sessions } from './pages/session';

export interface CodecDeps {
  access: Access;
  sessions: Sessions;
  keyring: Keyring;
  audit: AuditStore;
  limits: Limits;
  /** The Temporal Web UI, e.g. http://localhost:8233. */
  uiOrigin: string;
  /** The Temporal namespace of this installation: the only one whose payloads are decoded here. */
  namespace: string;
}

const decoder = new TextDecoder();
const HOUSEHOLD_ID = /^hh-[A-Za-z0-9_-]{1,100}$/;
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const Payloads = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') })).max(1000),
});

const toPayload = (p: z.infer<typeof Payloads>['payloads'][number]): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data, 'base64')),
});
const fromPayload = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export function codecRouter(deps: CodecDeps): express.Router {
  const router = express.Router();
  const codec = new AesGcmCodec(deps.keyring);

  router.use((req: Request, res: Response, next: NextFunction) => {
    res.set({ 'Cache-Control': 'no-store', Vary: 'Origin' });
    if (req.get('origin') === deps.uiOrigin)
      res.set({
        'Access-Control-Allow-Origin': deps.uiOrigin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
        'Access-Control-Max-Age': '600',
      });
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });

  const limitGuesses = failedAuthLimiter(deps.limits);
  // Only a presented key is a guess worth counting; the UI's own credential-less retries are not.
  const limitPresentedKeys = (req: Request, res: Response, next: NextFunction) =>
    req.get('authorization') ? limitGuesses(req, res, next) : next();

  router.post('/decode', limitPresentedKeys, async (req, res, next) => {
    try {
      const caller: Caller | undefined = req.get('authorization')
        ? deps.access.authenticate(req.get('authorization'))
        : await deps.sessions.caller(req);
      if (!caller && !req.get('authorization'))
        throw new ApiError(
          401,
          'unauthenticated',
          'Log in op het dashboard als coördinator en zet in de Temporal UI bij "Codec Server" de optie ' +
            '"Include cross-origin credentials" aan; dan leest de UI de payloads met die sessie.',
        );
      if (!caller) throw unauthenticated();
      if (caller.via !== 'key' || caller.kind !== 'coordinator')
        throw new ApiError(403, 'forbidden', 'Alleen coördinatoren lezen payloads in de Temporal UI; elke inzage wordt vastgelegd.');
      const body = await new Promise<unknown>((resolve, reject) =>
        express.json({ limit: '4mb', type: () => true })(req, res, (err?: unknown) => (err ? reject(err) : resolve(req.body))),
      );
      const namespace = req.get('x-namespace') ?? deps.namespace;
      if (namespace !== deps.namespace)
        throw new ApiError(400, 'validation_failed', `Alleen payloads van namespace "${deps.namespace}" worden hier gelezen.`);
      const parsed = Payloads.safeParse(body);
      if (!parsed.success)
        throw new ApiError(400, 'validation_failed', 'Verwacht: { "payloads": [{ "metadata": {…}, "data": "…" }] } in base64.');
      const decoded = await codec.decode(parsed.data.payloads.map(toPayload)).catch(() => {
        throw new ApiError(
          400,
          'invalid_encoding',
          'Deze payloads zijn niet met een sleutel van deze installatie versleuteld, of zijn beschadigd.',
        );
      });
      // Recorded before the answer leaves: who read how many payloads of which households.
      await auditLine(deps.audit, caller, {
        method: 'POST',
        route: `/codec/decode?namespace=${namespace}`,
        status: 200,
        count: decoded.length,
        households: householdIdsIn(decoded),
      });
      res.json({ payloads: decoded.map(fromPayload) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** The household ids that decoded JSON payloads name (workflow input, state, update arguments). */
export function householdIdsIn(payloads: Payload[]): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'householdId' && typeof v === 'string' && HOUSEHOLD_ID.test(v)) ids.add(v);
      else visit(v, depth + 1);
    }
  };
  for (const p of payloads) {
    if (decoder.decode(p.metadata?.encoding ?? new Uint8Array()) !== 'json/plain') continue;
    try {
      visit(JSON.parse(decoder.decode(p.data ?? new Uint8Array())), 0);
    } catch {
      // Not JSON after all: it names no household.
    }
  }
  return [...ids].sort();
}
