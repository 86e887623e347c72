/**
 * Dashboard sessions kept server-side (issue 19): logging out ends the session for any copy of
 * its cookie, a login gets a new session id, a session ends after 30 idle minutes and after 8
 * hours whatever happens (an injected clock, no waiting), and a form posted from another site
 * is refused with 403 and changes nothing. No Temporal server is needed: the overview reads only
 * our database.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { Database } from '../../platform/db/database';
import { Keyring } from '../../platform/keyring';
import { SESSION_LIMITS } from '../../platform/store/sessions';
import { freshDatabase } from '../support/database';
import { accessFor, ID_SECRET } from './support';

let connection: Connection;
let db: Database;
let clock: Date;
const PUBLIC_URL = 'https://routekaart.example.org';

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  connection = Connection.lazy({ address: `127.0.0.1:${port}` });
});
afterAll(async () => {
  await connection.close();
});
beforeEach(async () => {
  db = await freshDatabase();
  clock = new Date('2026-03-02T08:00:00Z');
});

function app() {
  return supertest(
    createApp({
      client: new Client({ connection }),
      access: accessFor(),
      db,
      keyring: new Keyring(randomBytes(32)),
      policy: DEFAULT_POLICY,
      linkSecret: randomBytes(32),
      idSecret: ID_SECRET,
      publicUrl: PUBLIC_URL,
      now: () => clock,
    }),
  );
}

const later = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const MINUTE = 60_000;

/** Logs in and returns the session cookie as a browser would send it back. */
async function login(api: ReturnType<typeof app>, key = 'coord', cookie?: string): Promise<string> {
  const req = api.post('/dashboard/login').type('form');
  if (cookie) void req.set('Cookie', cookie);
  const res = await req.send({ sleutel: key, next: '/dashboard' });
  expect(res.status).toBe(303);
  const set = res.headers['set-cookie'] as unknown as string[];
  expect(set[0]).toMatch(/rk_sessie=.*HttpOnly.*Secure.*SameSite=Strict/i);
  return set[0]!.split(';')[0]!;
}

const overview = (api: ReturnType<typeof app>, cookie: string) => api.get('/dashboard').set('Cookie', cookie);

test('after logout the old cookie is refused, also a copy of it kept elsewhere', async () => {
  const api = app();
  const cookie = await login(api);
  expect((await overview(api, cookie)).status).toBe(200);
  const out = await api.post('/dashboard/logout').set('Cookie', cookie);
  expect([out.status, out.headers.location]).toEqual([303, '/dashboard/login']);
  const again = await overview(api, cookie);
  expect([again.status, again.headers.location]).toEqual([303, '/dashboard/login?next=%2Fdashboard']);
  // The database keeps only a hash of the session id.
  const stored = await db.query<{ id_hash: string; revoked_at: unknown }>('SELECT id_hash, revoked_at FROM dashboard_sessions');
  expect(stored).toHaveLength(1);
  expect(stored[0]!.revoked_at).not.toBeNull();
  expect(cookie).not.toContain(stored[0]!.id_hash);
});

test('a login gets a new session id and ends the one the browser had', async () => {
  const api = app();
  const first = await login(api);
  const second = await login(api, 'pro-vt', first);
  expect(second).not.toBe(first);
  expect((await overview(api, first)).status).toBe(303);
  expect((await overview(api, second)).status).toBe(200);
});

test('30 idle minutes end a session; a request within them restarts the idle clock', async () => {
  const api = app();
  const cookie = await login(api);
  later(SESSION_LIMITS.idleMs - MINUTE);
  expect((await overview(api, cookie)).status).toBe(200);
  later(SESSION_LIMITS.idleMs - MINUTE);
  expect((await overview(api, cookie)).status).toBe(200);
  later(SESSION_LIMITS.idleMs);
  expect((await overview(api, cookie)).status).toBe(303);
});

test('8 hours after login a session ends, however active', async () => {
  expect(SESSION_LIMITS).toEqual({ idleMs: 30 * MINUTE, absoluteMs: 8 * 60 * MINUTE });
  const api = app();
  const cookie = await login(api);
  for (let t = 20 * MINUTE; t < SESSION_LIMITS.absoluteMs; t += 20 * MINUTE) {
    later(20 * MINUTE);
    expect([t, (await overview(api, cookie)).status]).toEqual([t, 200]);
  }
  later(20 * MINUTE);
  expect((await overview(api, cookie)).status).toBe(303);
});

describe('forms from another site (cross-site request forgery)', () => {
  test('a cross-origin logout is refused with 403 and the session lives on', async () => {
    const api = app();
    const cookie = await login(api);
    for (const headers of [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'null' }]) {
      const res = await api.post('/dashboard/logout').set('Cookie', cookie).set(headers);
      expect([headers, res.status]).toEqual([headers, 403]);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await overview(api, cookie)).status).toBe(200);
  });

  test('a cross-origin login is refused with 403 and starts no session', async () => {
    const api = app();
    const res = await api
      .post('/dashboard/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ sleutel: 'coord', next: '/dashboard' });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await db.query('SELECT 1 FROM dashboard_sessions')).toHaveLength(0);
  });

  test('a cross-origin action form is refused before it is read', async () => {
    const res = await app()
      .post('/acties/hh-00000000000000000000/whatever')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ datum: '2026-03-02' });
    expect(res.status).toBe(403);
  });

  test('our own forms pass: same-origin by Sec-Fetch-Site, by our public origin, or by the Host they were sent to', async () => {
    const api = app();
    for (const headers of [
      { 'Sec-Fetch-Site': 'same-origin' },
      { Origin: PUBLIC_URL },
      { Origin: 'http://dashboard.local', Host: 'dashboard.local' },
    ]) {
      const res = await api.post('/dashboard/login').set(headers).type('form').send({ sleutel: 'coord', next: '/dashboard' });
      expect([headers, res.status]).toEqual([headers, 303]);
    }
  });
});
