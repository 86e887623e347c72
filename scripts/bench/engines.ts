/**
 * The two engines the benchmark compares, each with Routekaart's own PostgreSQL database:
 *  - dev: the Temporal CLI dev server (SQLite file in a temp folder, search attributes registered
 *    with `--search-attribute`, as scripts/start-local.ts does) plus a PostgreSQL cluster of its
 *    own in a temp folder (worker and API are separate processes, so PGlite cannot be used);
 *  - pg:  the real Temporal server on PostgreSQL (scripts/start-temporal-postgres, in a temp
 *    --dir on free ports), with Routekaart's database `routekaart_bench` in the same PostgreSQL.
 * Both listen on 127.0.0.1 only and are removed at the end (stop, then the temp folder).
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SEARCH_ATTRIBUTE_CLI_ARGS } from '../../workflows/messages';
import { postmasterPid, startPostgres } from '../../test/support/harness/postgres';
import { freePort, portIsFree } from '../../test/support/harness/ports';
import { waitForTemporal } from '../../test/support/harness/temporal';
import { sleep, withTimeout } from '../../test/support/harness/wait';
import { killGroup, log, onCleanup, track } from './lifecycle';
import { processCpu, processMemory, treeCpu, treeMemory, type ProcessMemory } from './processes';

export const ROOT = resolve(__dirname, '../..');
const TEMPORAL_CLI = resolve(ROOT, '.tools/bin/temporal');
export const BENCH_DATABASE = 'routekaart_bench';

export type EngineName = 'dev' | 'pg';

export interface Engine {
  name: EngineName;
  /** host:port of the Temporal frontend. */
  temporalAddress: string;
  /** Routekaart's own database for worker and API. */
  databaseUrl: string;
  versions: Record<string, string>;
  /** Sizes in MB of the engine's stores (PostgreSQL databases, SQLite files). */
  storeSizes(): Promise<Record<string, number>>;
  /** Memory of the Temporal server process(es) and of PostgreSQL. */
  serverMemory(): Promise<Record<string, ProcessMemory | undefined>>;
  /** CPU seconds used so far by the Temporal server process(es) and by PostgreSQL (all backends alive now). */
  cpuSeconds(): Record<string, number>;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    execFile(
      cmd,
      args,
      { cwd: ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) rej(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-3000)}`));
        else res({ stdout, stderr });
      },
    );
  });
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

async function databaseSizes(adminUrl: string, names: string[]): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const n of names) {
      const r = await client.query<{ size: string }>('SELECT pg_database_size($1)::text AS size', [n]);
      out[n] = Math.round((Number(r.rows[0]!.size) / 1024 / 1024) * 10) / 10;
    }
    return out;
  } finally {
    await client.end();
  }
}

async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  } finally {
    await client.end();
  }
}

function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // PostgreSQL runs as user postgres when we are root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  return dir;
}

function fileMb(path: string): number {
  try {
    return Math.round((statSync(path).size / 1024 / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

export async function startDevEngine(): Promise<Engine> {
  if (!existsSync(TEMPORAL_CLI)) throw new Error('Temporal CLI missing: run `bash scripts/install-temporal`');
  const dir = makeTempDir('rk-bench-dev-');
  const removeDir = onCleanup('dev engine folder', () => rmSync(dir, { recursive: true, force: true }));
  const pgDir = join(dir, 'pg');
  mkdirSync(pgDir, { mode: 0o755 });
  // PostgreSQL's own durability settings, so its figures compare with the pg engine's PostgreSQL.
  const pgServer = await startPostgres({ dir: pgDir, durable: true, maxConnections: 200 });
  const stopPg = onCleanup('dev engine PostgreSQL', () => pgServer.stop());
  await createDatabase(pgServer.url(), BENCH_DATABASE);

  const port = await freePort();
  const dbFile = join(dir, 'temporal.db');
  const server = spawn(
    TEMPORAL_CLI,
    [
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--headless',
      '--http-port',
      String(await freePort()),
      '--metrics-port',
      String(await freePort()),
      '--log-level',
      'error',
      ...SEARCH_ATTRIBUTE_CLI_ARGS,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  track(server);
  let stderr = '';
  server.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const stopServer = onCleanup('dev server', async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    killGroup(server.pid!, 'SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (server.exitCode === null && server.signalCode === null) killGroup(server.pid!, 'SIGKILL');
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitForTemporal(address, 60_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  const cliVersion = (await run(TEMPORAL_CLI, ['--version'], 10_000)).stdout.trim();
  return {
    name: 'dev',
    temporalAddress: address,
    databaseUrl: pgServer.url(BENCH_DATABASE),
    versions: { temporal: cliVersion, routekaartPostgres: await postgresVersion(pgServer.url()) },
    async storeSizes() {
      return {
        ...(await databaseSizes(pgServer.url(), [BENCH_DATABASE])),
        'temporal.db (SQLite)': fileMb(dbFile),
        'temporal.db-wal': fileMb(`${dbFile}-wal`),
      };
    },
    async serverMemory() {
      const pm = postmasterPid(pgServer.dataDir);
      return {
        temporalDevServer: server.pid ? processMemory(server.pid) : undefined,
        postgres: pm ? treeMemory(pm) : undefined,
      };
    },
    cpuSeconds() {
      const pm = postmasterPid(pgServer.dataDir);
      return { temporal: (server.pid && processCpu(server.pid)) || 0, postgres: pm ? treeCpu(pm) : 0 };
    },
    async stop() {
      await stopServer();
      await stopPg();
      await removeDir();
    },
  };
}

const SCRIPT = resolve(ROOT, 'scripts/start-temporal-postgres');

/** SIGKILL to processes whose command line contains `marker` (a temp folder of this run: ours only). */
function killByCommandLine(marker: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker)) {
        log(`pg engine: process ${entry} was still running after stop; killing it`);
        process.kill(Number(entry), 'SIGKILL');
      }
    } catch {
      // gone
    }
  }
}

/** A frontend port F whose whole family of ports (see docs/TEMPORAL-POSTGRES.md) is free. */
async function freeFrontendPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Membership ports (F-300 ...) are stored in a smallint column: F stays below 32,767.
    const f = 20_000 + Math.floor(Math.random() * 12_000);
    const family = [f - 300, f - 299, f - 298, f - 294, f, f + 1, f + 2, f + 6, f + 10, f + 20, f + 21, f + 22, f + 26];
    let free = true;
    for (const p of family) if (!(await portIsFree(p))) free = false;
    if (free) return f;
  }
  throw new Error('no free port family for the Temporal server');
}

export async function startPgEngine(options: { dir?: string } = {}): Promise<Engine> {
  const temp = !options.dir;
  const dir = options.dir ? resolve(options.dir) : makeTempDir('rk-bench-pg-');
  const pgPort = await freePort();
  const fePort = await freeFrontendPort();
  const args = ['--dir', dir];
  // The script recognises its server processes by the real path of the binary: give it the real
  // tools folder even when .tools is a symbolic link.
  const scriptEnv = { ...process.env, ROUTEKAART_TOOLS_DIR: realpathSync(join(ROOT, '.tools')) };
  log(`pg engine: starting Temporal on PostgreSQL in ${dir} (first time in a folder: ~10 s)`);
  const stopScript = onCleanup('pg engine (start-temporal-postgres stop)', async () => {
    await run(SCRIPT, ['stop', ...args], 90_000, scriptEnv).catch((err: Error) => log(err.message));
    // Safety net: a server process of this folder that is still there (its config lives in the folder).
    killByCommandLine(`${dir}/config/`);
    if (temp) rmSync(dir, { recursive: true, force: true });
  });
  const started = await run(SCRIPT, ['start', ...args, '--pg-port', String(pgPort), '--frontend-port', String(fePort)], 240_000, scriptEnv);
  const env = Object.fromEntries(
    (await run(SCRIPT, ['env', ...args], 30_000, scriptEnv)).stdout
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const address = env.TEMPORAL_ADDRESS ?? started.stdout.trim().split('\n').at(-1)!;
  const port = Number(/:(\d+)\//.exec(env.DATABASE_URL ?? '')?.[1] ?? pgPort);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitForTemporal(address, 30_000);
  await createDatabase(adminUrl, BENCH_DATABASE);
  const serverVersion = await run(join(ROOT, '.tools/temporal-server-1.30.4/temporal-server'), ['--version'], 10_000)
    .then((r) => r.stdout.trim() || r.stderr.trim())
    .catch(() => 'temporal-server 1.30.4');
  const pids = () =>
    Object.fromEntries(
      (existsSync(join(dir, 'run')) ? readdirSync(join(dir, 'run')) : [])
        .filter((f) => f.endsWith('.pid') && f.startsWith('temporal-'))
        .map((f) => [f.replace(/\.pid$/, ''), Number(readFileSync(join(dir, 'run', f), 'utf8').trim())]),
    );
  return {
    name: 'pg',
    temporalAddress: address,
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/${BENCH_DATABASE}`,
    versions: { temporalServer: serverVersion, postgres: await postgresVersion(adminUrl) },
    storeSizes: () => databaseSizes(adminUrl, ['temporal', 'temporal_visibility', BENCH_DATABASE]),
    async serverMemory() {
      const out: Record<string, ProcessMemory | undefined> = {};
      for (const [name, pid] of Object.entries(pids())) out[name] = processMemory(pid);
      const pm = postmasterPid(join(dir, 'pg'));
      out.postgres = pm ? treeMemory(pm) : undefined;
      return out;
    },
    cpuSeconds() {
      const pm = postmasterPid(join(dir, 'pg'));
      const temporal = Object.values(pids()).reduce((a, pid) => a + (processCpu(pid) ?? 0), 0);
      return { temporal, postgres: pm ? treeCpu(pm) : 0 };
    },
    async stop() {
      await withTimeout(stopScript(), 120_000, 'pg engine stop');
    },
  };
}
