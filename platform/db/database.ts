/**
 * Routekaart's own database: PostgreSQL through `pg` when DATABASE_URL is set (production, several
 * processes), else PGlite, a real PostgreSQL compiled to WebAssembly that runs inside the process
 * (`npm start`, most tests). Both speak the same SQL, so every store is written once. PGlite was
 * chosen over SQLite for exactly that: one dialect (jsonb, arrays, advisory locks, triggers,
 * ON CONFLICT ... WHERE) in development, tests and production. Its limit: one process at a time
 * per data folder, which is what `npm start` is.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from './migrate';

/** Something that runs SQL: the database itself, or one transaction. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// bigint and numeric come back as strings from pg; every count and sequence here fits a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

class Postgres implements Database {
  readonly kind = 'postgres';
  constructor(private readonly pool: pg.Pool) {}

  async query<R>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(text, params)).rows as R[];
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({ query: async <R>(t: string, p: unknown[] = []) => (await client.query(t, p)).rows as R[] });
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

class Embedded implements Database {
  readonly kind = 'pglite';
  constructor(private readonly db: PGlite) {}

  async query<R>(text: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(text, params)).rows;
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn({ query: async <R>(t: string, p: unknown[] = []) => (await tx.query<R>(t, p)).rows }));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export interface DatabaseOptions {
  /** postgres://… : a PostgreSQL server. */
  url?: string;
  /** Folder of the embedded database when no url is given; unset: in memory (tests). */
  dataDir?: string;
  /** Connections per process (PostgreSQL only). */
  poolSize?: number;
}

/**
 * The embedded database keeps every page of its buffer pool in WASM memory for good, so the pool
 * is 32 MB instead of PostgreSQL's 128 MB (the files are in the OS page cache anyway): about 90 MB
 * less for `npm start` (issue 23).
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * PGlite on `dataDir` (in memory without one). A new folder is initialised in a short-lived child
 * process first: initdb leaves some 450 MB of WASM memory behind that PGlite never gives back, and
 * a thread (tried before) gave back its WASM memory but left about 150 MB of freed buffers in the
 * allocator's arenas, which glibc keeps; only the end of a process returns all of it (issue 23).
 */
async function openEmbedded(dataDir?: string): Promise<PGlite> {
  if (dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'))) await initialiseInChildProcess(dataDir);
  return PGlite.create(dataDir, { startParams: EMBEDDED_START_PARAMS });
}

const INITIALISE = `const w = JSON.parse(process.argv[1]);
  require(w.pglite).PGlite.create(w.dataDir, { startParams: w.startParams })
    .then((db) => db.close())
    .catch((err) => { console.error(err && err.message ? err.message : String(err)); process.exit(1); });`;

async function initialiseInChildProcess(dataDir: string): Promise<void> {
  const work = { pglite: require.resolve('@electric-sql/pglite'), dataDir, startParams: EMBEDDED_START_PARAMS };
  try {
    await promisify(execFile)(process.execPath, ['-e', INITIALISE, JSON.stringify(work)], {
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 120_000,
    });
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    throw new Error(`Initialising the embedded database in ${dataDir} failed: ${stderr?.trim() || message}`);
  }
}

/** Opens the database and brings its schema up to date (migrations are idempotent and locked). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db: Database = options.url
    ? new Postgres(new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 }))
    : new Embedded(await openEmbedded(options.dataDir));
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** `VALUES ($1, $2), ($3, $4)` for a multi-row INSERT of `rows`, with its parameters in order. */
export function valuesOf(rows: readonly (readonly unknown[])[]): { values: string; params: unknown[] } {
  let n = 0;
  const values = rows.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`).join(', ');
  return { values: `VALUES ${values}`, params: rows.flat() };
}

/** A timestamp column as an ISO string, whichever driver read it. */
export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A bytea column as a Buffer, whichever driver read it. */
export function bytes(value: unknown): Buffer {
  return Buffer.from(value as Uint8Array);
}
