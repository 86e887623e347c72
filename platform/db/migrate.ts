/**
 * Versioned migrations, run at every start and idempotent: each version is applied once, in
 * order, inside one transaction that holds an advisory lock, so processes starting together do
 * not race. A migration is never edited once released; a change is a new version.
 */
import type { Database } from './database';
import { MIGRATIONS } from './schema';

/** Arbitrary, fixed: the advisory lock every Routekaart process takes to migrate. */
const MIGRATION_LOCK = 72_746_101;

export async function migrate(db: Database): Promise<number[]> {
  // Up to date: nothing to lock or create (the application's role in production may not create tables).
  if (await upToDate(db)) return [];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version int PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

async function upToDate(db: Database): Promise<boolean> {
  const [t] = await db.query<{ exists: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!t?.exists) return false;
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  return MIGRATIONS.every((m) => done.has(m.version));
}

/**
 * Production: the application's own role may read and add, but never change or remove audit
 * lines (also enforced by a trigger, for every role). Run by the migration job as the owner.
 */
export async function grantApplicationRole(db: Database, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`Invalid role name: ${role}`);
  await db.transaction(async (tx) => {
    await tx.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await tx.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, schema_migrations FROM ${role}`);
    await tx.query(`REVOKE INSERT ON schema_migrations FROM ${role}`);
    await tx.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  });
}
