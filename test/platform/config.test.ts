import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../platform/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('defaults: loopback only, links follow the API port, the data dir and generated keys are private', () => {
  const data = join(dir, 'data');
  const c = loadConfig({ ROUTEKAART_DATA_DIR: data, API_PORT: '9123' });
  expect(c.api.host).toBe('127.0.0.1');
  expect(c.api.publicUrl).toBe('http://localhost:9123');
  expect(statSync(data).mode & 0o777).toBe(0o700);
  for (const f of ['payload-key', 'link-secret', 'id-secret']) expect(statSync(join(data, f)).mode & 0o777).toBe(0o600);
  expect(c.database).toEqual({ dataDir: join(data, 'db') });
});

test('a wrong value stops the start with a message naming the variable', () => {
  expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, API_PORT: 'x' })).toThrow(/API_PORT/);
  expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, ROUTEKAART_PAYLOAD_KEYS_PREVIOUS: 'dG9vLXNob3J0' })).toThrow(
    /ROUTEKAART_PAYLOAD_KEYS_PREVIOUS/,
  );
  expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
});

test('with a shared database the household-id secret must be configured; alone, it is generated (issue 19)', () => {
  const shared = { ROUTEKAART_DATA_DIR: dir, DATABASE_URL: 'postgres://app@db.example:5432/routekaart' };
  expect(() => loadConfig(shared)).toThrow(/ROUTEKAART_ID_SECRET: required with DATABASE_URL/);
  const secret = Buffer.alloc(32, 7).toString('base64');
  expect(loadConfig({ ...shared, ROUTEKAART_ID_SECRET: secret }).idSecret).toEqual(Buffer.alloc(32, 7));
  const alone = loadConfig({ ROUTEKAART_DATA_DIR: dir });
  expect(alone.idSecret).toHaveLength(32);
  expect(statSync(join(dir, 'id-secret')).isFile()).toBe(true);
});

test('trust proxy: the proxy by address or subnet, never by hop count; off by default (issue 19)', () => {
  expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, API_TRUST_PROXY: '1' })).toThrow(/API_TRUST_PROXY: a hop count \(1\)/);
  for (const bad of ['true', '10.0.0.300', '10.0.0.0/33', 'proxy.example'])
    expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, API_TRUST_PROXY: bad })).toThrow(/API_TRUST_PROXY/);
  for (const good of ['10.0.0.5', '172.18.0.0/16', 'loopback', 'loopback, 10.1.2.3', 'fd00::/8'])
    expect(loadConfig({ ROUTEKAART_DATA_DIR: dir, API_TRUST_PROXY: good }).api.trustProxy).toBe(good);
  expect(loadConfig({ ROUTEKAART_DATA_DIR: dir }).api.trustProxy).toBeUndefined();
});

test("the workflow thread's semi-space: 16 MB by default, 0 leaves V8's own, a wrong value stops the start (issue 23)", () => {
  expect(loadConfig({ ROUTEKAART_DATA_DIR: dir }).workflowThreadSemiSpaceMb).toBe(16);
  expect(loadConfig({ ROUTEKAART_DATA_DIR: dir, WORKER_WORKFLOW_SEMI_SPACE_MB: '0' }).workflowThreadSemiSpaceMb).toBe(0);
  expect(() => loadConfig({ ROUTEKAART_DATA_DIR: dir, WORKER_WORKFLOW_SEMI_SPACE_MB: '-1' })).toThrow(/WORKER_WORKFLOW_SEMI_SPACE_MB/);
});
