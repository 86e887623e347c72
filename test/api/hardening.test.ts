/**
 * Findings of a hostile-client test, each as a regression test: no 5xx for anything a caller
 * sends, bodies not read before authentication, JSON for every error (405, OPTIONS), document
 * and validation agreeing, nothing recoverable from ids or update ids, the same answer for "not
 * involved" as for "unknown", limits per key and address, refused attempts audited in batches,
 * and fast 503s while Temporal is away. These need no Temporal server (those that do are in
 * households-intake, -commands and -access.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { assertSafeInterface } from '../../api/access';
import { DEFAULT_POLICY } from '../../domain/policy';
import { AccessFile } from '../../platform/access-file';
import type { Database } from '../../platform/db/database';
import { Keyring } from '../../platform/keyring';
import { AuditStore } from '../../platform/store/audit';
import { freshDatabase } from '../support/database';
import { freePort } from '../support/harness/ports';
import { accessFor, bearer, ID_SECRET, intakeBody } from './support';

let connection: Connection;
let db: Database;

beforeAll(async () => {
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
});
afterAll(async () => {
  await connection.close();
});

function appDeps(over: Partial<Parameters<typeof createApp>[0]> = {}): Parameters<typeof createApp>[0] {
  return {
    client: new Client({ connection }),
    access: accessFor(),
    db,
    keyring: new Keyring(randomBytes(32)),
    policy: DEFAULT_POLICY,
    linkSecret: randomBytes(32),
    idSecret: ID_SECRET,
    publicUrl: 'http://localhost:8080',
    timeouts: { readMs: 1_500, writeMs: 1_500, healthMs: 500, probeEveryMs: 60_000 },
    ...over,
  };
}

function app(over: Partial<Parameters<typeof createApp>[0]> = {}) {
  return supertest(createApp(appDeps(over)));
}

beforeEach(async () => {
  db = await freshDatabase();
});

describe('bodies', () => {
  test('a corrupt gzip, deflate or br body is a 4xx, never a 500', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await app()
        .post('/api/v1/households')
        .set('Authorization', bearer('intake-vt'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('xx');
      expect([encoding, res.status, res.body.error.code]).toEqual([encoding, 400, 'invalid_encoding']);
    }
  });

  test('a well-formed gzip body is read', async () => {
    // Raw bytes over HTTP (supertest re-encodes a Buffer body).
    const server = createApp(appDeps()).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const body = gzipSync(JSON.stringify({ reference: '' }));
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/households`, {
        method: 'POST',
        headers: { Authorization: bearer('intake-vt'), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body,
      });
      // Read and validated (400 for the empty reference), not refused for its encoding.
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    } finally {
      server.close();
    }
  });

  test('without valid credentials the body is neither read nor decoded', async () => {
    for (const [encoding, body] of [
      ['gzip', 'xx'],
      ['identity', '{not json'],
    ]) {
      const res = await app()
        .post('/api/v1/households')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding!)
        .send(body!);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  test('an unknown content encoding is 415', async () => {
    const res = await app()
      .post('/api/v1/households')
      .set('Authorization', bearer('intake-vt'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}');
    expect([res.status, res.body.error.code]).toEqual([415, 'unsupported_media_type']);
  });
});

describe('methods', () => {
  test('TRACE and other unsupported methods on a known path: 405 with Allow, as JSON', async () => {
    for (const method of ['trace', 'put', 'delete'] as const) {
      const res = await app()[method]('/api/v1/households');
      expect([method, res.status, res.type, res.body.error?.code]).toEqual([method, 405, 'application/json', 'method_not_allowed']);
      expect(res.headers.allow).toBe('GET, OPTIONS, POST');
    }
    expect((await app().delete('/api/v1/audit').set('Authorization', bearer('coord'))).status).toBe(405);
  });

  test('OPTIONS answers with the allowed methods and no text/plain body', async () => {
    const res = await app().options('/api/v1/households/hh-00000000000000000000/scores');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('OPTIONS, POST');
    expect(res.headers['content-type']).toBeUndefined();
  });

  test('an unknown path is a JSON 404', async () => {
    const res = await app().get('/api/v1/nergens');
    expect([res.status, res.type, res.body.error.code]).toEqual([404, 'application/json', 'route_not_found']);
  });
});

describe('what the document allows, the API accepts, and the other way round', () => {
  test('integers are written plainly: no hex, exponent or empty value', async () => {
    for (const q of ['pageSize=0x10', 'pageSize=1e2', 'pageSize=+5', 'pageSize= 5', 'escalationLevel=', 'pageSize=0', 'pageSize=501']) {
      const res = await app().get(`/api/v1/households?${q}`).set('Authorization', bearer('coord'));
      expect([q, res.status]).toEqual([q, 400]);
    }
    for (const q of ['pageSize=16', 'escalationLevel=2'])
      expect((await app().get(`/api/v1/households?${q}`).set('Authorization', bearer('coord'))).status).toBe(200);
  });

  test('a sequence number beyond the document’s maximum is a 400, not a database error', async () => {
    const res = await app().get('/api/v1/audit?after=25097745352298074210304').set('Authorization', bearer('coord'));
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
  });

  test('impossible dates and dates before 2000 are refused with a Dutch message; the document says format date', async () => {
    const doc = (await app().get('/api/v1/openapi.json')).body as {
      components: { schemas: Record<string, { properties?: Record<string, { format?: string; pattern?: string }> }> };
    };
    const score = doc.components.schemas.recordScoreBody!.properties!;
    expect(score.date).toMatchObject({ format: 'date' });
    expect(score.observedBehaviour!.pattern).toBe('\\S');
    // '' once threw inside validation (a 500 found by the fuzzer).
    for (const date of ['2026-02-30', '2026-13-01', '0000-01-01', '1999-12-31', '', '2026-1-1']) {
      const res = await app()
        .post('/api/v1/households/hh-00000000000000000000/scores')
        .set('Authorization', bearer('pro-vt'))
        .send({ dangerId: 'g1', group: 'netwerk', value: 7, observedBehaviour: 'x', date });
      expect([date, res.status]).toEqual([date, 400]);
    }
  });

  test('whitespace-only texts are refused, and the document says so (pattern \\S)', async () => {
    const res = await app()
      .post('/api/v1/households/hh-00000000000000000000/scores')
      .set('Authorization', bearer('pro-vt'))
      .send({ dangerId: 'g1', group: 'netwerk', value: 7, observedBehaviour: '\t', date: '2026-03-02' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.observedBehaviour');
  });
});

describe('limits and the audit of refused attempts', () => {
  test('a flood of bad keys from one address is slowed (429) and written to the audit log in batches, not line by line', async () => {
    const api = app({ limits: { failedAuthPerAddressPerMinute: 20 } });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await api.get('/api/v1/households/hh-00000000000000000000').set('Authorization', `Bearer wrong-${i}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    await new Promise((r) => setTimeout(r, 5_500));
    const audit = new AuditStore(db);
    // (Other tests' apps flush their own refused attempts into the shared test database as well.)
    const lines = (await audit.page({ limit: 100 })).filter((l) => l.what.route === '/api/v1/households/:id');
    // One line per route and status (401, 429) per batch, not thirty.
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.reduce((n, l) => n + (l.what.count ?? 1), 0)).toBe(30);
    expect(await audit.verify()).toMatchObject({ ok: true });
  }, 20_000);

  test('60 bad keys from one address do not lock out a valid key from that address (issue 19)', async () => {
    const api = app();
    for (let i = 0; i < 60; i++) expect((await api.get('/api/v1/households').set('Authorization', `Bearer wrong-${i}`)).status).toBe(401);
    expect((await api.get('/api/v1/households').set('Authorization', bearer('coord'))).status).toBe(200);
  });

  test('one bad key tried again and again is slowed by itself', async () => {
    const api = app({ limits: { failedAuthPerMinute: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.get('/api/v1/households').set('Authorization', 'Bearer wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await api.get('/api/v1/households').set('Authorization', 'Bearer wrong-2')).status).toBe(401);
  });

  test('a spoofed X-Forwarded-For from an address that is not the proxy does not reset the limit (issue 19)', async () => {
    // The proxy is 10.0.0.5; the test client (127.0.0.1) reaches the API directly and names any address it likes.
    const api = app({ trustProxy: '10.0.0.5', limits: { failedAuthPerAddressPerMinute: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await api.get('/api/v1/households').set('Authorization', `Bearer wrong-${i}`).set('X-Forwarded-For', `203.0.113.${i}`)).status,
      );
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  test('every refusal kind is in the audit chain with its reason and nothing presented, and the chain verifies (issue 19)', async () => {
    const api = app({ refusalsEveryMs: 100, limits: { failedAuthPerMinute: 2 } });
    // A 401 on a route that audits nothing else, a 401 on an audited one, a failed dashboard login,
    // a rate-limit hit, an unknown session cookie and a cross-origin form.
    expect((await api.get('/api/v1/households/overview').set('Authorization', 'Bearer secret-guess-1')).status).toBe(401);
    expect((await api.get('/api/v1/households/hh-00000000000000000000').set('Authorization', 'Bearer secret-guess-1')).status).toBe(401);
    expect((await api.get('/api/v1/households').set('Authorization', 'Bearer secret-guess-1')).status).toBe(429);
    expect((await api.post('/dashboard/login').type('form').send({ sleutel: 'secret-guess-2' })).status).toBe(401);
    expect((await api.get('/dashboard').set('Cookie', `rk_sessie=${'A'.repeat(43)}`)).status).toBe(303);
    expect((await api.post('/dashboard/logout').set('Origin', 'https://evil.example')).status).toBe(403);
    const audit = new AuditStore(db);
    const lines = await (async () => {
      for (;;) {
        const all = await audit.page({ limit: 100 });
        if (all.length >= 6) return all;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const seen = lines.map((l) => [l.what.method, l.what.route, l.what.status, l.what.reason, l.who]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['GET', '/api/v1/households/overview', 401, 'unauthenticated', null],
        ['GET', '/api/v1/households/:id', 401, 'unauthenticated', null],
        ['GET', '/api/v1/households', 429, 'too_many_requests', null],
        ['POST', '/dashboard/login', 401, 'unknown_key', null],
        ['GET', '/dashboard', 303, 'session_invalid', null],
        ['POST', '/dashboard/…', 403, 'cross_origin', null],
      ]),
    );
    const raw = (await db.query<{ line: string }>('SELECT line FROM audit_log')).map((r) => r.line).join('\n');
    expect(raw).not.toMatch(/secret-guess|AAAAAAAA|evil\.example/);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  test('per key: a caller beyond its limit gets 429 with a Dutch message', async () => {
    const api = app({ limits: { perKeyPerMinute: 5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.get('/api/v1/households').set('Authorization', bearer('coord'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const res = await api.get('/api/v1/households').set('Authorization', bearer('coord'));
    expect(res.body.error).toMatchObject({ code: 'too_many_requests' });
  });

  test('security headers on every answer (helmet)', async () => {
    const res = await app().get('/api/v1/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('Temporal away', () => {
  test('after the first call finds it unreachable, the next ones answer 503 at once', async () => {
    const api = app({ timeouts: { readMs: 3_000, writeMs: 3_000, healthMs: 1_000, probeEveryMs: 60_000 } });
    await api.get('/api/v1/health');
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const res = await api.get('/api/v1/households/hh-00000000000000000000').set('Authorization', bearer('pro-vt'));
      expect([res.status, res.body.error.code]).toEqual([503, 'temporal_unavailable']);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('intake', () => {
  test('an owner at an organisation outside the regional list is refused (409, section 5)', async () => {
    const res = await app()
      .post('/api/v1/households')
      .set('Authorization', bearer('intake-vt'))
      .send(intakeBody('ref-ks0', { owner: { professionalId: 'p-1', organisation: 'KS0' } }));
    expect([res.status, res.body.error.rule]).toEqual([409, 'sectie 5']);
  });
});

test('the published example keys never serve another interface than loopback', () => {
  const examples = AccessFile.parse({
    keys: [
      {
        id: 'dev-intake-vt',
        kind: 'intake',
        organisation: 'veilig-thuis',
        sha256: createHash('sha256').update('dev-intake-vt').digest('hex'),
      },
    ],
  });
  expect(() => assertSafeInterface('127.0.0.1', examples)).not.toThrow();
  expect(() => assertSafeInterface('0.0.0.0', examples)).toThrow(/example keys/);
  const own = AccessFile.parse({ keys: [{ id: 'vt-intake', kind: 'intake', organisation: 'veilig-thuis', sha256: 'a'.repeat(64) }] });
  expect(() => assertSafeInterface('0.0.0.0', own)).not.toThrow();
});
