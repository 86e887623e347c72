/**
 * The API's parts that need no Temporal server: access keys, the audit chain, the webhook activity
 * against a local HTTP receiver, the 503 answers when Temporal is unreachable, and the OpenAPI
 * document covering every route and error.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import supertest from 'supertest';
import { createWebhookActivities, webhookSignature } from '../../activities/webhook';
import type { WebhookEvent } from '../../domain/notifications';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Access, hashKey, loadAccess } from '../../api/access';
import { AccessFile } from '../../platform/access-file';
import { Keyring } from '../../platform/keyring';
import { WebhookLog } from '../../platform/store/webhooks';
import { freshDatabase } from '../support/database';
import { freePort } from '../support/harness/ports';
import { createApp } from '../../api/app';
import { main as hashKeyCli } from '../../api/hash-key';
import { householdIdFor } from '../../api/ids';
import { accessFor, bearer, intakeBody, today, ID_SECRET } from './support';

const tmp = () => mkdtempSync(join(tmpdir(), 'rk-api-'));

describe('access keys', () => {
  test('keys are stored as sha256 and matched to organisation, kind and professional', () => {
    const access = accessFor();
    expect(access.authenticate('Bearer pro-vt')).toEqual({
      via: 'key',
      keyId: 'pro-vt',
      kind: 'professional',
      organisation: 'veilig-thuis',
      professionalId: 'p-vt-1',
    });
    expect(access.authenticate('bearer coord')).toMatchObject({ kind: 'coordinator', organisation: 'regio-haaglanden' });
    for (const header of [undefined, '', 'Bearer', 'Bearer pro-vt extra', 'Basic pro-vt', 'Bearer PRO-VT', `Bearer ${hashKey('pro-vt')}`]) {
      expect(access.authenticate(header)).toBeUndefined();
    }
  });

  test('the access file is validated: hashes, duplicates, webhooks', () => {
    const dir = tmp();
    const file = join(dir, 'access.json');
    writeFileSync(
      file,
      JSON.stringify({
        keys: [
          { id: 'a', kind: 'intake', organisation: 'veilig-thuis', sha256: hashKey('a') },
          { id: 'a', kind: 'professional', organisation: 'veilig-thuis', sha256: 'plaintext-key' },
        ],
        webhooks: { 'veilig-thuis': { url: 'ftp://x', secret: 'short' } },
      }),
    );
    expect(() => loadAccess(file)).toThrow(
      /keys\.1\.sha256[\s\S]*keys\.1\.professionalId[\s\S]*webhooks\.veilig-thuis\.url[\s\S]*webhooks\.veilig-thuis\.secret/,
    );
    const ok = AccessFile.safeParse({
      keys: [
        { id: 'a', kind: 'intake', organisation: 'x', sha256: hashKey('a') },
        { id: 'a', kind: 'intake', organisation: 'y', sha256: hashKey('b') },
      ],
    });
    expect(ok.success).toBe(false);
  });

  test('the example access file is valid and opens with the documented local keys', () => {
    const access = loadAccess(join(__dirname, '../../config/access.example.json'));
    expect(access.authenticate('Bearer dev-intake-vt')).toMatchObject({ kind: 'intake', organisation: 'veilig-thuis' });
    expect(access.authenticate('Bearer dev-coordinator')).toMatchObject({ kind: 'coordinator' });
  });

  test('hash-key prints the sha256 an operator puts in the file, or generates a key', async () => {
    expect(await hashKeyCli(['s3cret-key'])).toBe(hashKey('s3cret-key'));
    const generated = await hashKeyCli(['--generate']);
    const [, key] = /key:\s+(\S+)/.exec(generated)!;
    expect(generated).toContain(`sha256: ${hashKey(key!)}`);
  });

  test('household ids: a hash of organisation and reference, no personal data', () => {
    expect(householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1')).toMatch(/^hh-[0-9a-f]{20}$/);
    expect(householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1')).toBe(householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1'));
    expect(householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1')).not.toBe(householdIdFor(ID_SECRET, 'lokaal-team', 'ref-1'));
    // Keyed: without the secret, a guessable reference cannot be found back from the id.
    expect(householdIdFor(Buffer.from('another-secret-of-32-bytes-000000'), 'veilig-thuis', 'ref-1')).not.toBe(
      householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1'),
    );
    const unsalted = 'hh-' + createHash('sha256').update('veilig-thuis\nref-1').digest('hex').slice(0, 20);
    expect(householdIdFor(ID_SECRET, 'veilig-thuis', 'ref-1')).not.toBe(unsalted);
  });
});

describe('webhook activity', () => {
  const ev: WebhookEvent = {
    idempotencyKey: 'hh-1:webhook:fase:veiligheid:2025-01-01T00:00:00.000Z',
    householdId: 'hh-1',
    organisation: 'veilig-thuis',
    intakeReference: 'ref-1',
    type: 'fase',
    occurredAt: '2025-01-01T00:00:00.000Z',
    data: { phase: 'veiligheid', via: 'criteria' },
  };
  let server: Server;
  let status = 204;
  const got: { headers: Record<string, unknown>; body: string }[] = [];
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    got.length = 0;
    status = 204;
  });

  let webhookLog: WebhookLog;
  beforeAll(async () => {
    webhookLog = new WebhookLog(await freshDatabase());
  });

  const activities = (endpoint?: { url: string; secret: string }) =>
    createWebhookActivities({ endpoints: (org) => (org === 'veilig-thuis' ? endpoint : undefined), log: webhookLog });

  test('POSTs the event as JSON with an HMAC signature and the event id', async () => {
    await activities({ url, secret: 'secret-of-veilig-thuis' }).deliverWebhook(ev);
    expect(got).toHaveLength(1);
    const [r] = got;
    expect(JSON.parse(r!.body)).toEqual(ev);
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers['x-routekaart-event-id']).toBe(ev.idempotencyKey);
    const expected = `sha256=${createHmac('sha256', 'secret-of-veilig-thuis').update(r!.body).digest('hex')}`;
    expect(r!.headers['x-routekaart-signature']).toBe(expected);
    expect(webhookSignature('secret-of-veilig-thuis', r!.body)).toBe(expected);
  });

  test('no webhook configured: nothing is sent', async () => {
    await activities(undefined).deliverWebhook(ev);
    expect(got).toHaveLength(0);
  });

  test('no webhook configured: a batch neither sends nor reads the delivery log', async () => {
    let reads = 0;
    const counting = Object.assign(Object.create(webhookLog) as WebhookLog, {
      get: (key: string) => (reads++, webhookLog.get(key)),
    });
    const none = createWebhookActivities({ endpoints: () => undefined, log: counting });
    await none.deliverWebhooks([ev, { ...ev, idempotencyKey: `${ev.idempotencyKey}:2` }]);
    expect(got).toHaveLength(0);
    expect(reads).toBe(0);
    const some = createWebhookActivities({ endpoints: () => ({ url, secret: 'secret-of-veilig-thuis' }), log: counting });
    await some.deliverWebhooks([{ ...ev, idempotencyKey: `${ev.idempotencyKey}:3` }]);
    expect(reads).toBe(1);
    expect(got).toHaveLength(1);
  });

  test('5xx, 408, 429 and network errors are retried; other 4xx fail for good', async () => {
    const a = activities({ url, secret: 'secret-of-veilig-thuis' });
    for (const s of [500, 503, 408, 429]) {
      status = s;
      const err = await a.deliverWebhook(ev).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err instanceof ApplicationFailure && err.nonRetryable).toBe(false);
    }
    for (const s of [400, 401, 404, 410]) {
      status = s;
      const err = await a.deliverWebhook(ev).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
    }
    const closed = createWebhookActivities({
      endpoints: () => ({ url: 'http://127.0.0.1:1/hook', secret: 'secret-of-veilig-thuis' }),
      log: webhookLog,
    });
    const err = await closed.deliverWebhook(ev).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
  });

  test("one step's events in one activity: a retry sends only what was not delivered; a rejected event holds back no other", async () => {
    const a = activities({ url, secret: 'secret-of-veilig-thuis' });
    const step = ['a', 'b', 'c'].map((k) => ({ ...ev, idempotencyKey: `hh-batch:webhook:${k}` }));
    // The receiver fails the second event once: the batch is retried, and only b and c go again.
    let calls = 0;
    const flaky = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(++calls === 2 ? 503 : 204).end());
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`;
    const b = activities({ url: flakyUrl, secret: 'secret-of-veilig-thuis' });
    await expect(b.deliverWebhooks(step)).rejects.toThrow('1 of 3 webhook events not delivered, will retry');
    await b.deliverWebhooks(step);
    expect(calls).toBe(4);
    for (const e of step) expect((await webhookLog.get(e.idempotencyKey))?.delivered).toBe(true);
    await new Promise<void>((r) => flaky.close(() => r()));

    // A 4xx is final for that event; the others are still delivered and the activity succeeds.
    status = 410;
    const rejected = step.map((e) => ({ ...e, idempotencyKey: `${e.idempotencyKey}:rejected` }));
    await expect(a.deliverWebhooks(rejected)).resolves.toBeUndefined();
    expect(got).toHaveLength(3);
  });
});

describe('Temporal unreachable', () => {
  let connection: Connection;
  let request: ReturnType<typeof supertest>;
  beforeAll(async () => {
    // A port nobody listens on.
    connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const app = createApp({
      client: new Client({ connection }),
      access: accessFor(),
      db: await freshDatabase(),
      keyring: new Keyring(randomBytes(32)),
      policy: DEFAULT_POLICY,
      linkSecret: randomBytes(32),
      idSecret: ID_SECRET,
      publicUrl: 'http://localhost:8080',
      timeouts: { readMs: 1_500, writeMs: 1_500, healthMs: 1_000 },
    });
    request = supertest(app);
  });
  afterAll(async () => {
    await connection.close();
  });

  test('503 with a JSON error on health, intake, reads and commands; the list still answers from the read model', async () => {
    const health = await request.get('/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'degraded', temporal: 'unreachable' });
    const id = 'hh-00000000000000000000';
    const calls = [
      request.post('/api/v1/households').set('Authorization', bearer('intake-vt')).send(intakeBody('down-1')),
      request.get(`/api/v1/households/${id}`).set('Authorization', bearer('pro-vt')),
      request.post(`/api/v1/households/${id}/evidence`).set('Authorization', bearer('pro-vt')).send({ item: 'genogram', date: today() }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(503);
      expect(res.type).toBe('application/json');
      expect(res.body.error.code).toBe('temporal_unavailable');
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const list = await request.get('/api/v1/households').set('Authorization', bearer('coord'));
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [] });
  });

  test('validation and authentication still answer without Temporal', async () => {
    expect((await request.get('/api/v1/households/hh-00000000000000000000')).status).toBe(401);
    expect((await request.post('/api/v1/households').set('Authorization', bearer('intake-vt')).send({})).status).toBe(400);
  });
});

describe('OpenAPI', () => {
  let doc: {
    openapi: string;
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
          security?: unknown[];
        }
      >
    >;
    components: { schemas: Record<string, unknown> };
  };
  let request: ReturnType<typeof supertest>;
  const connection = Connection.lazy({ address: '127.0.0.1:1' });

  beforeAll(async () => {
    const app = createApp({
      client: new Client({ connection }),
      access: new Access(AccessFile.parse({ keys: [] })),
      db: await freshDatabase(),
      keyring: new Keyring(randomBytes(32)),
      policy: DEFAULT_POLICY,
      linkSecret: randomBytes(32),
      idSecret: ID_SECRET,
      publicUrl: 'http://localhost:8080',
    });
    request = supertest(app);
    doc = (await request.get('/api/v1/openapi.json')).body;
  });
  afterAll(async () => {
    await connection.close();
  });

  test('describes every endpoint with its errors, from the zod schemas', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ key: `${m.toUpperCase()} ${path}`, op })),
    );
    const keys = ops.map((o) => o.key);
    const h = '/api/v1/households';
    expect(keys).toEqual(
      expect.arrayContaining([
        `POST ${h}`,
        `GET ${h}`,
        `GET ${h}/{id}`,
        `GET ${h}/{id}/criteria`,
        `GET ${h}/{id}/plan`,
        `GET ${h}/{id}/timeline`,
        `GET ${h}/{id}/plans`,
        `GET ${h}/{id}/plans/{planId}/versions/{version}`,
        `GET ${h}/{id}/log`,
        ...[
          'scores',
          'dangers',
          'roles',
          'members',
          'network',
          'evidence',
          'huisverbod',
          'huisverbod/extensions',
          'handovers',
          'transitions',
          'closure',
        ].map((p) => `POST ${h}/{id}/${p}`),
        `PATCH ${h}/{id}/dangers/{dangerId}`,
        `PATCH ${h}/{id}/network/{memberId}`,
        `POST ${h}/{id}/handovers/{handoverId}/confirmation`,
        `POST ${h}/{id}/handovers/{handoverId}/cancellation`,
        'GET /api/v1/health',
        'GET /api/v1/audit',
        'GET /api/v1/openapi.json',
      ]),
    );
    for (const { key, op } of ops) {
      if (key.endsWith('/health') || key.endsWith('/openapi.json')) continue;
      const statuses = Object.keys(op.responses);
      expect([
        key,
        statuses.filter((s) => ['400', '401', '503'].includes(s) || (key.includes('{id}') && ['403', '404'].includes(s))),
      ]).toEqual([key, expect.arrayContaining(key.includes('{id}') ? ['401', '403', '404'] : ['401'])]);
      for (const s of statuses.filter((x) => x >= '400'))
        expect(op.responses[s]!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/Error');
    }
    const commandOps = ops.filter((o) => o.key.startsWith('POST /api/v1/households/{id}') || o.key.startsWith('PATCH'));
    for (const { key, op } of commandOps)
      expect([key, Object.keys(op.responses)]).toEqual([key, expect.arrayContaining(['200', '400', '401', '403', '404', '409', '503'])]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['IntakeInput', 'HouseholdView', 'HouseholdList', 'recordScoreBody', 'Error']),
    );
  });

  test('Swagger UI is served at /api/docs', async () => {
    const res = await request.get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
  });
});
