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
