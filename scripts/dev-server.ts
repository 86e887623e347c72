/**
 * The embedded Temporal dev server of `npm start`, supervised: its pid is kept in the data dir, so
 * a server left behind by a start that was killed (kill -9 leaves children running) is found and
 * stopped by the next start; and every port it needs is checked first, so a port held by something
 * else stops the start with a clear message instead of a half-started stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface DevServerOptions {
  bin: string;
  dataDir: string;
  namespace: string;
  port: number;
  uiPort: number;
  /** Extra arguments (search attributes, codec endpoint). */
  args: string[];
}

/** Is something listening on this loopback port? */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((res) => {
    const probe = createServer();
    probe.once('error', () => res(true));
    probe.listen(port, host, () => probe.close(() => res(false)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Stops a dev server an earlier start left running, when the pid file names one of ours. */
export async function stopLeftover(dataDir: string, db: string): Promise<boolean> {
  const pidFile = resolve(dataDir, 'temporal-dev.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  // Only ours: the same dev server on the same database file, never an unrelated process that reused the pid.
  if (!Number.isInteger(pid) || !alive(pid) || !commandLine(pid).includes(db)) return false;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

export async function startDevServer(o: DevServerOptions, apiPort: number): Promise<ChildProcess> {
  const db = resolve(o.dataDir, 'temporal.db');
  if (await stopLeftover(o.dataDir, db)) console.log('Stopped a Temporal dev server left running by an earlier start.');
  const ports = { Temporal: o.port, 'Temporal HTTP': o.port + 10, 'Temporal metrics': o.port + 20, 'Temporal UI': o.uiPort, API: apiPort };
  for (const [what, port] of Object.entries(ports)) {
    if (await portInUse(port))
      throw new Error(
        `Port ${port} (${what}) is in use by another program. Stop it, or choose other ports (TEMPORAL_DEV_PORT, TEMPORAL_UI_PORT, API_PORT).`,
      );
  }
  const server = spawn(
    o.bin,
    [
      'server',
      'start-dev',
      '--db-filename',
      db,
      '--ip',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--ui-port',
      String(o.uiPort),
      '--http-port',
      String(o.port + 10),
      '--metrics-port',
      String(o.port + 20),
      '--namespace',
      o.namespace,
      '--log-level',
      'error',
      ...o.args,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  writeFileSync(resolve(o.dataDir, 'temporal-dev.pid'), String(server.pid));
  server.once('exit', () => rmSync(resolve(o.dataDir, 'temporal-dev.pid'), { force: true }));
  return server;
}
