/**
 * Single-use action links (issue 19): a link's nonce is consumed in one atomic INSERT before its
 * commands run, on the embedded PGlite and on a real PostgreSQL. Of concurrent uses, within one
 * process or from two connections (two API processes), exactly one wins.
 */
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { nonceKey, UsedActionLinks } from '../../platform/store/action-links';
import { freshDatabase } from '../support/database';
import { startPostgres, type PostgresServer } from '../support/harness/postgres';

let server: PostgresServer;
let dbCount = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** A migrated database, and a way to open a second connection to it where the engine allows one. */
const engines: [string, () => Promise<{ db: Database; another?: () => Promise<Database> }>][] = [
  ['PGlite (embedded)', async () => ({ db: await freshDatabase() })],
  [
    'PostgreSQL',
    async () => {
      const admin = await openDatabase({ url: server.url() });
      const name = `rk_links_${++dbCount}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      const db = await openDatabase({ url: server.url(name) });
      return { db, another: () => openDatabase({ url: server.url(name) }) };
    },
  ],
];

describe.each(engines)('%s', (_name, open) => {
  let db: Database;
  let another: (() => Promise<Database>) | undefined;
  beforeEach(async () => {
    ({ db, another } = await open());
    await migrate(db);
  });
  afterEach(async () => {
    await db?.close();
  });

  test('a nonce is consumed once; the key is the nonce, not the token, and reveals neither', async () => {
    const used = new UsedActionLinks(db);
    const key = nonceKey('nonce-aaaaaaaa');
    expect(key).toBe(nonceKey('nonce-aaaaaaaa'));
    expect(key).not.toBe(nonceKey('nonce-aaaaaaab'));
    expect(key).not.toContain('nonce');
    expect(await used.isUsed(key)).toBe(false);
    expect(await used.consume(key)).toBe(true);
    expect(await used.isUsed(key)).toBe(true);
    expect(await used.consume(key)).toBe(false);
    expect(await used.consume(nonceKey('nonce-aaaaaaab'))).toBe(true);
  });

  test('released after a refused first command, the link can be used again, once', async () => {
    const used = new UsedActionLinks(db);
    const key = nonceKey('nonce-released');
    expect(await used.consume(key)).toBe(true);
    await used.release(key);
    expect(await used.isUsed(key)).toBe(false);
    expect(await used.consume(key)).toBe(true);
    expect(await used.consume(key)).toBe(false);
  });

  test('concurrent consumes of one nonce: exactly one wins', async () => {
    const used = new UsedActionLinks(db);
    for (let round = 0; round < 5; round++) {
      const key = nonceKey(`nonce-race-${round}`);
      const results = await Promise.all(Array.from({ length: 12 }, () => used.consume(key)));
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  test('two processes (two connections) consuming the same nonce at once: exactly one wins', async () => {
    if (!another) return; // PGlite serves one process per data folder
    const second = await another();
    try {
      const [a, b] = [new UsedActionLinks(db), new UsedActionLinks(second)];
      for (let round = 0; round < 10; round++) {
        const key = nonceKey(`nonce-two-${round}`);
        const results = await Promise.all([a.consume(key), b.consume(key), a.consume(key), b.consume(key)]);
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });
});
