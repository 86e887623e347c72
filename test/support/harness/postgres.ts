/**
 * A real PostgreSQL server for the tests and the benchmark: Debian's binaries, a fresh cluster
 * (initdb, trust authentication, loopback only) started with pg_ctl. As root the cluster belongs
 * to the `postgres` user (PostgreSQL refuses to run as root). scripts/install-test-deps installs
 * the package when it is missing.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export interface PostgresServer {
  port: number;
  /** The cluster's data folder. */
  dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** The folder of the cluster, which the caller removes; default a temporary folder that stop() removes. */
  dir?: string;
  /**
   * PostgreSQL's own durability settings, so figures compare with production (the benchmark).
   * Default off: tests skip fsync and stop the server at once.
   */
  durable?: boolean;
  maxConnections?: number;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (Debian package postgresql): run scripts/install-test-deps');
}

/** The postmaster's pid from a data folder (also of clusters started elsewhere, e.g. scripts/start-temporal-postgres). */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = binDir();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rk-pg-'));
  const root = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    execFileSync(root ? 'runuser' : join(bin, cmd), root ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, {
      stdio: 'pipe',
      timeout: 120_000,
    });
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  const durable = options.durable ?? false;
  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', ...(durable ? [] : ['--no-sync']), '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  const settings = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    ...(durable ? [] : ['-c fsync=off -c synchronous_commit=off -c full_page_writes=off']),
    ...(options.maxConnections ? [`-c max_connections=${options.maxConnections}`] : []),
  ];
  run('pg_ctl', ['-D', dataDir, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', settings.join(' '), 'start']);
  return {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', durable ? 'fast' : 'immediate', '-w', '-t', '30', 'stop']);
      } catch {
        // A server that does not stop in time is killed: nothing may outlive a test run or a benchmark.
        const pid = postmasterPid(dataDir);
        try {
          if (pid) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      } finally {
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
