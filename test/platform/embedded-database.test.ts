/**
 * `npm start`'s embedded database (PGlite in <data>/db): a new folder is initialised in a child
 * process of its own (so initdb's memory goes with it) and then opened, with a small buffer pool
 * (issue 23). What it holds survives a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../platform/db/database';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-embedded-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a new folder is initialised, migrated and kept across a restart, with a 32 MB buffer pool', async () => {
  const dataDir = join(dir, 'db');
  const first = await openDatabase({ dataDir });
  expect(await first.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual([{ n: 0 }]); // migrated
  await first.query(`CREATE TABLE kept (k text)`);
  await first.query(`INSERT INTO kept VALUES ($1)`, ['k-1']);
  expect(await first.query(`SHOW shared_buffers`)).toEqual([{ shared_buffers: '32MB' }]);
  await first.close();

  const again = await openDatabase({ dataDir });
  expect(await again.query(`SELECT k FROM kept`)).toEqual([{ k: 'k-1' }]);
  await again.close();
}, 60_000);

test('a folder that cannot be initialised stops the start with its path', async () => {
  const notAFolder = join(dir, 'file');
  writeFileSync(notAFolder, 'x');
  await expect(openDatabase({ dataDir: join(notAFolder, 'db') })).rejects.toThrow(
    `Initialising the embedded database in ${join(notAFolder, 'db')} failed`,
  );
}, 60_000);
