/** docker-compose.yml's first run: the example keys are refused on 0.0.0.0 once, and `hash-key --renew` makes a file that starts. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashKey } from '../../api/access';
import { renewAccessFile } from '../../api/hash-key';
import { AccessFile, loadAccessFile } from '../../platform/access-file';
import { checkConfig } from '../../scripts/check-config';

const example = resolve(__dirname, '../../config/access.example.json');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-first-run-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the check refuses the published example keys on a public interface, naming the way out', () => {
  expect(() => checkConfig({ ROUTEKAART_DATA_DIR: dir, ROUTEKAART_ACCESS: example, API_HOST: '0.0.0.0' })).toThrow(/hash-key\.js --renew/);
  expect(checkConfig({ ROUTEKAART_DATA_DIR: dir, ROUTEKAART_ACCESS: example })).toContain('127.0.0.1');
});

test('a renewed access file keeps every entry, holds only new hashes, and passes the check on 0.0.0.0', () => {
  const { file, keys } = renewAccessFile(example);
  const renewed = AccessFile.parse(JSON.parse(file));
  const original = loadAccessFile(example);
  expect(renewed.keys.map(({ sha256: _, ...k }) => k)).toEqual(original.keys.map(({ sha256: _, ...k }) => k));
  // Each printed key hashes to its entry; no entry still carries a published key.
  const printed = [...keys.matchAll(/^(\S+)\s+\S+\s+(rk_\S+)$/gm)].map((m) => [m[1], m[2]] as const);
  expect(printed).toHaveLength(original.keys.length);
  for (const [id, key] of printed) expect(renewed.keys.find((k) => k.id === id)!.sha256).toBe(hashKey(key!));
  for (const k of renewed.keys) expect(k.sha256).not.toBe(hashKey(k.id));
  expect(file).not.toContain('rk_');
  const path = join(dir, 'access.json');
  writeFileSync(path, file);
  expect(checkConfig({ ROUTEKAART_DATA_DIR: dir, ROUTEKAART_ACCESS: path, API_HOST: '0.0.0.0' })).toContain('0.0.0.0');
});
