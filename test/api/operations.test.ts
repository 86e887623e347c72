/**
 * What operators use, against the real API, worker and Temporal dev server: the codec server that
 * lets the Temporal Web UI show a household's payloads (coordinators only, CORS for the UI's origin,
 * every decode audited), and the Prometheus metrics, checked by Prometheus's own `promtool check
 * metrics` (Debian package 'prometheus').
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import supertest from 'supertest';
import { Metrics } from '../../platform/metrics';
import { SummaryStore } from '../../platform/store/summaries';
import { bearer, eventually, intakeBody, startStack, type Stack } from './support';

const UI = 'http://localhost:8233';
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';

let s: Stack;
let metrics: Metrics;
let householdId: string;

beforeAll(async () => {
  metrics = new Metrics();
  s = await startStack({}, { metrics });
  metrics.observeReadModel(() => new SummaryStore(s.db).operational(new Date()));
  const res = await s.request
    .post('/api/v1/households')
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody('ops-codec', { owner: { professionalId: 'p-vt-1', organisation: 'veilig-thuis' } }));
  expect(res.status).toBe(201);
  householdId = res.body.householdId;
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** The encrypted payloads of the household's first event, as the Temporal UI sends them: base64 JSON. */
async function encryptedPayloads(): Promise<{ metadata: Record<string, string>; data: string }[]> {
  const history = await s.client.workflowService.getWorkflowExecutionHistory({
    namespace: 'default',
    execution: { workflowId: householdId },
  });
  const input = history.history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
  return input.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data!).toString('base64'),
  }));
}

describe('codec server for the Temporal Web UI', () => {
  test('a coordinator reads the decrypted payloads; the decode is audited', async () => {
    const payloads = await encryptedPayloads();
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(payloads[0]!.data, 'base64').toString()).not.toContain(householdId);
    const res = await s.request
      .post('/codec/decode')
      .set('Authorization', bearer('coord'))
      .set('Origin', UI)
      .set('X-Namespace', 'default')
      .send({ payloads });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const decoded = res.body.payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(decoded[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(decoded[0]!.data, 'base64').toString())).toMatchObject({ kind: 'start', start: { householdId } });
    const audit = await s.audit.page({ limit: 1000 });
    expect(audit.at(-1)).toMatchObject({
      who: { keyId: 'coord', role: 'coordinator' },
      what: { route: '/codec/decode?namespace=default', count: 1, status: 200, households: [householdId] },
    });
  });

  test("the UI's retries without credentials get a 401 that says what to switch on, never a 429 that locks out", async () => {
    const payloads = await encryptedPayloads();
    // More than the failed-login limit per minute, as the UI retries each page's payloads.
    for (let i = 0; i < 70; i++) {
      const res = await s.request.post('/codec/decode').set('Origin', UI).set('X-Namespace', 'default').send({ payloads });
      expect(res.status).toBe(401);
      expect(res.headers['access-control-allow-origin']).toBe(UI);
      expect(res.body.error.message).toContain('Include cross-origin credentials');
    }
    const agent = supertest.agent(s.app);
    await agent.post('/dashboard/login').type('form').send({ sleutel: 'coord' });
    const res = await agent.post('/codec/decode').set('Origin', UI).set('X-Namespace', 'default').send({ payloads });
    expect(res.status).toBe(200);
  });

  test('another namespace is refused and nothing is decoded', async () => {
    const res = await s.request
      .post('/codec/decode')
      .set('Authorization', bearer('coord'))
      .set('X-Namespace', 'someone-else')
      .send({ payloads: await encryptedPayloads() });
    expect(res.status).toBe(400);
    expect(res.body.payloads).toBeUndefined();
  });

  test("a coordinator's dashboard session works too, as the UI sends it with cross-origin credentials", async () => {
    const agent = supertest.agent(s.app);
    await agent.post('/dashboard/login').type('form').send({ sleutel: 'coord' });
    const res = await agent
      .post('/codec/decode')
      .set('Origin', UI)
      .send({ payloads: await encryptedPayloads() });
    expect(res.status).toBe(200);
  });

  test('everyone else is refused, and nothing is decoded for them', async () => {
    const payloads = await encryptedPayloads();
    for (const key of ['pro-vt', 'intake-vt'] as const) {
      const res = await s.request.post('/codec/decode').set('Authorization', bearer(key)).send({ payloads });
      expect(res.status).toBe(403);
      expect(res.body.payloads).toBeUndefined();
    }
    const none = await s.request.post('/codec/decode').send({ payloads });
    expect(none.status).toBe(401);
    const professionalSession = supertest.agent(s.app);
    await professionalSession.post('/dashboard/login').type('form').send({ sleutel: 'pro-vt' });
    expect((await professionalSession.post('/codec/decode').send({ payloads })).status).toBe(403);
  });

  test('CORS: the preflight answers for the UI origin only', async () => {
    const ok = await s.request.options('/codec/decode').set('Origin', UI).set('Access-Control-Request-Method', 'POST');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-headers']).toContain('X-Namespace');
    const other = await s.request
      .options('/codec/decode')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('payloads that are not ours are a 400, not a crash', async () => {
    const res = await s.request
      .post('/codec/decode')
      .set('Authorization', bearer('coord'))
      .send({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') }, data: 'AAAA' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_encoding');
  });
});

describe('Prometheus metrics', () => {
  test('the exposition passes promtool and carries the figures operators alert on', async () => {
    // Some traffic first: reads, a refused call, the intake above.
    await s.request.get(`/api/v1/households/${householdId}`).set('Authorization', bearer('coord'));
    await s.request.get('/api/v1/households/hh-0000000000000000000a').set('Authorization', bearer('coord'));
    const text = await eventually(
      async () => (await metrics.text()).body,
      (t) => /routekaart_households\{phase="veiligheid"\} [1-9]/.test(t),
    );
    expect(existsSync(PROMTOOL)).toBe(true);
    // promtool exits non-zero on a malformed exposition and prints lint problems; both fail here.
    const lint = execFileSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint).toBe('');

    expect(text).toMatch(
      /routekaart_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/households\/:id",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /routekaart_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/households\/:id",status="404"\} [1-9]/,
    );
    expect(text).toMatch(/routekaart_audit_writes_total\{outcome="written"\} [1-9]/);
    expect(text).toMatch(/routekaart_households_escalated\{level="0"\} [1-9]/);
    expect(text).toMatch(/routekaart_reminders\{state="due"\} \d/);
    expect(text).toMatch(/routekaart_open_handovers 0/);
    // No household id or token ever becomes a label.
    expect(text).not.toContain(householdId);
    expect(text).not.toMatch(/hh-[0-9a-f]{6}/);
  });
});
