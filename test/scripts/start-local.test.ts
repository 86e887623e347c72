/**
 * `npm start` cannot be half-started: after a kill -9 the next start stops the dev server the
 * first one left behind and runs; a port held by another program stops the start with a clear
 * message; the published example keys never listen beyond loopback; the data dir and what is in
 * it belong to the service's user only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/harness/ports';
import { until } from '../support/harness/wait';

const ROOT = resolve(__dirname, '../..');
let dir: string;
const children: ChildProcess[] = [];

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start-local.ts')], {
    cwd: ROOT,
    // Metrics off: their fixed default ports may be taken by another run on the same machine.
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      ROUTEKAART_DATA_DIR: dir,
      METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      TEMPORAL_SDK_METRICS_PORT: '0',
      DEV_IDP_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  children.push(child);
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

const healthy = async (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/v1/health`)
    .then((r) => r.ok)
    .catch(() => false);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-start-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  const pidFile = join(dir, 'temporal-dev.pid');
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  } catch {
    // none left
  }
  rmSync(dir, { recursive: true, force: true });
});

test('after kill -9 the next start stops the leftover dev server and runs; files are private', async () => {
  const ports = {
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
  };
  const first = start(ports);
  await until('first start healthy', () => healthy(Number(ports.API_PORT)));
  const leftover = Number(readFileSync(join(dir, 'temporal-dev.pid'), 'utf8'));
  first.child.kill('SIGKILL');
  await first.exited;
  expect(alive(leftover)).toBe(true); // kill -9 leaves the dev server running

  const second = start(ports);
  await until('second start healthy', () => healthy(Number(ports.API_PORT)));
  expect(second.output()).toContain('Stopped a Temporal dev server left running by an earlier start.');
  expect(alive(leftover)).toBe(false);
  // Private: the data dir, generated keys and the dev server's database.
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  for (const f of ['payload-key', 'link-secret', 'id-secret', 'temporal.db'])
    expect([f, statSync(join(dir, f)).mode & 0o077]).toEqual([f, 0]);
  second.child.kill('SIGINT');
  expect(await second.exited).toBe(0);
}, 200_000);

test('a port held by another program stops the start with a clear message', async () => {
  const blocker: Server = createServer();
  const taken = await freePort();
  await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', r));
  try {
    const run = start({ TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), API_PORT: String(taken) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(new RegExp(`Port ${taken} \\(API\\) is in use by another program`));
  } finally {
    blocker.close();
  }
}, 60_000);

test('the published example keys never listen on another interface', async () => {
  const run = start({ API_HOST: '0.0.0.0', TEMPORAL_DEV_PORT: String(await freePort()), API_PORT: String(await freePort()) });
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain('Refusing to listen on 0.0.0.0 with published example keys');
}, 60_000);
