/**
 * Routekaart's database for tests: one embedded PGlite per test file, and a fresh schema in it
 * for every test that asks (creating a schema is instant, starting PGlite is not). Tests in a
 * file run one after another, so the search path always points at the current test's schema.
 */
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';

let shared: Promise<Database> | undefined;
let schemas = 0;

export async function freshDatabase(): Promise<Database> {
  shared ??= openDatabase({});
  const db = await shared;
  const schema = `test_${++schemas}`;
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`SET search_path TO ${schema}`);
  await migrate(db);
  // The shared instance lives until the test file ends.
  return { kind: db.kind, query: (t, p) => db.query(t, p), transaction: (fn) => db.transaction(fn), close: async () => undefined };
}
