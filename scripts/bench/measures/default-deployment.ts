/**
 * The default deployment (`npm start`): scripts/start-local.ts as one child process with the
 * embedded Temporal dev server (its own child), the worker, the API and Routekaart's database in
 * embedded PGlite, started as scripts/fuzz.ts starts it (tsx, temp data dir, free loopback ports,
 * the documented dev intake key `dev-intake-vt`, rate limits lifted, output to a file).
 *
 * Measured: RSS of the start-local process idle after the start, then N intakes through
 * POST /households at a fixed concurrency with RSS after every 1,000 (and at N); then, against the
 * same dev server, N/2 bare `client.workflow.start` of the same workflow with the same input and
 * payload codec (the keys are set by environment, so the benchmark holds the same keyring and id
 * secret). `intakeRatio` = API rate / bare rate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { dataConverter } from '../../../platform/codec';
import { CONFIG_VARIABLES } from '../../../platform/config';
import { Keyring } from '../../../platform/keyring';
import { Policy } from '../../../domain/schemas/policy';
import { freePort, portIsFree } from '../../../test/support/harness/ports';
import { sleep, until, withTimeout } from '../../../test/support/harness/wait';
import { ROOT } from '../engines';
import { bareStart, householdIdOf, intakeBody, startInput } from '../households';
import { killGroup, log, onCleanup, track } from '../lifecycle';
import { mergeLoads, report, runLoad, type LoadResult } from '../load';
import { entryArgs, machineBusySeconds, processMemory, treeCpu, treeMemory, type ProcessMemory } from '../processes';
import { BENCH_POLICY_OVERRIDES } from '../stack';
import { ratio, round } from '../stats';

export interface DefaultDeploymentOptions {
  /** Intakes through the API; the bare starts are n/2. */
  n: number;
  concurrency: number;
}

/** The documented dev intake key of config/access.example.json (organisation veilig-thuis). */
const INTAKE_KEY = 'dev-intake-vt';
/** An owner that config/directory.example.json knows (the bench's own owner is only in its own directory). */
const OWNER = { professionalId: 'vt-0117', organisation: 'veilig-thuis' };
/** RSS is read after every this many intakes, and at N. */
const RSS_EVERY = 1000;

/** A free TEMPORAL_DEV_PORT: the dev server also takes port + 10 (HTTP) and port + 20 (metrics). */
async function freeDevPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p + 20 <= 65535 && (await portIsFree(p + 10)) && (await portIsFree(p + 20))) return p;
  }
  throw new Error('no free port p with p + 10 and p + 20 free for the dev server');
}

/** Starts scripts/start-local.ts in its own process group; stopped with SIGINT (as Ctrl-C) by the cleanup. */
async function startLocal(dir: string, env: Record<string, string>, apiBase: string) {
  const logFile = join(dir, 'start-local.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, entryArgs('scripts/start-local.ts'), {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  track(child);
  const tail = (n = 30) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  };
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const groupAlive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  onCleanup('start-local', async () => {
    const gone = new Promise((r) => (exited() ? r(undefined) : child.once('exit', r)));
    if (!exited()) process.kill(child.pid!, 'SIGINT');
    await Promise.race([gone, sleep(30_000)]);
    if (!exited()) {
      log(`default: start-local did not stop within 30 s of SIGINT; SIGTERM to its group`);
      killGroup(child.pid!, 'SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
    }
    // Whatever is left of its group (the dev server, should start-local have died first).
    if (groupAlive()) killGroup(child.pid!, 'SIGKILL');
    await Promise.race([gone, sleep(5_000)]);
  });
  const t0 = Date.now();
  await until(
    'start-local healthy',
    async () => {
      if (exited()) throw new Error(`start-local exited (${child.exitCode ?? child.signalCode}):\n${tail()}`);
      const res = await fetch(`${apiBase}/health`, { signal: AbortSignal.timeout(2000) });
      return ((await res.json()) as { status: string }).status;
    },
    (s) => s === 'ok',
    180_000,
    500,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${tail()}`);
  });
  return { child, pid: child.pid!, startupMs: Date.now() - t0, tail, exited };
}

/** The processes of a tree by name, with their RSS (which child is what: the dev server, esbuild). */
function treeProcesses(pid: number, depth = 0): { pid: number; name: string; rssMb?: number }[] {
  let name = '?';
  const kids: number[] = [];
  try {
    name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const line = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (line) kids.push(...line.split(/\s+/).map(Number));
    }
  } catch {
    // gone meanwhile
  }
  const own = { pid, name, rssMb: processMemory(pid)?.rssMb };
  return [own, ...(depth < 5 ? kids.flatMap((k) => treeProcesses(k, depth + 1)) : [])];
}

/** Waits until the process tree uses less than `cores` of CPU over 2 s (bounded); returns the ms waited. */
async function quiet(pid: number, timeoutMs: number, cores = 0.1): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const c0 = treeCpu(pid);
    await sleep(2000);
    const used = (treeCpu(pid) - c0) / 2;
    if (used < cores) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) {
      log(`default: the process tree still used ${round(used, 2)} cores after ${Math.round(timeoutMs / 1000)} s; going on`);
      return Date.now() - t0;
    }
  }
}

/** CPU of the process tree, of the benchmark itself and of the whole machine, for one phase. */
function cpuMeter(pid: number) {
  const own = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const t0 = Date.now();
  const [tree0, own0, busy0] = [treeCpu(pid), own(), machineBusySeconds()];
  return (units: number) => {
    const seconds = (Date.now() - t0) / 1000;
    const tree = treeCpu(pid) - tree0;
    const driver = own() - own0;
    const other = Math.max(0, machineBusySeconds() - busy0 - tree - driver);
    return {
      startLocalTreeSeconds: round(tree, 2),
      startLocalTreeMsPerHousehold: round((tree * 1000) / Math.max(1, units)),
      startLocalTreeCores: round(tree / seconds, 2),
      benchmarkDriverSeconds: round(driver, 2),
      otherProcessesCores: round(other / seconds, 2),
    };
  };
}

export async function measureDefaultDeployment(o: DefaultDeploymentOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'rk-bench-default-'));
  onCleanup('default deployment folder', () => rmSync(dir, { recursive: true, force: true }));
  const payloadKey = randomBytes(32);
  const idSecret = randomBytes(32);
  const policy = Policy.parse(BENCH_POLICY_OVERRIDES);
  const tag = randomBytes(3).toString('hex');
  const apiPort = await freePort();
  const devPort = await freeDevPort();
  // The default deployment: none of the service's variables from the benchmark's environment
  // (no TEMPORAL_ADDRESS, DATABASE_URL, SMTP_HOST, OIDC_ISSUER), only ports, keys and limits.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !CONFIG_VARIABLES.includes(k)),
  ) as Record<string, string>;
  const env: Record<string, string> = {
    ...inherited,
    NODE_OPTIONS: '',
    ROUTEKAART_DATA_DIR: join(dir, 'data'),
    API_PORT: String(apiPort),
    TEMPORAL_DEV_PORT: String(devPort),
    TEMPORAL_UI_PORT: String(await freePort()),
    DEV_IDP_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    TEMPORAL_SDK_METRICS_PORT: String(await freePort()),
    // The keys start-local would generate into its data dir, set here so that the bare client has
    // the same payload codec and household ids.
    ROUTEKAART_PAYLOAD_KEY: payloadKey.toString('base64'),
    ROUTEKAART_ID_SECRET: idSecret.toString('base64'),
    // Mail at any hour, as every figure: nothing depends on the hour of the run.
    ROUTEKAART_POLICY: JSON.stringify(BENCH_POLICY_OVERRIDES),
    API_RATE_LIMIT_PER_KEY: '10000000',
    API_RATE_LIMIT_FAILED_AUTH: '1000000',
  };
  const apiBase = `http://127.0.0.1:${apiPort}/api/v1`;
  log(`default: starting scripts/start-local.ts (API ${apiPort}, dev server ${devPort})`);
  const local = await startLocal(dir, env, apiBase);
  const alive = () => {
    if (local.exited()) throw new Error(`start-local exited (${local.child.exitCode ?? local.child.signalCode}):\n${local.tail()}`);
  };
  const mem = () => ({ process: processMemory(local.pid), tree: treeMemory(local.pid) });
  const running = async () => {
    alive();
    const res = await fetch(`${apiBase}/households/overview`, {
      headers: { Authorization: `Bearer ${INTAKE_KEY}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
    return ((await res.json()) as { total: number }).total;
  };
  const settled = async (want: number, what: string) => {
    const t0 = Date.now();
    await until(what, running, (total) => total >= want, Math.max(120_000, want * 200), 1000);
    return Date.now() - t0;
  };

  const idleQuietMs = await quiet(local.pid, 60_000);
  const idle = { ...mem(), processes: treeProcesses(local.pid) };
  log(`default: started in ${Math.round(local.startupMs / 1000)} s; idle RSS ${idle.process?.rssMb} MB (tree ${idle.tree?.rssMb} MB)`);

  // (a) N intakes through POST /households, RSS after every 1,000 and at N.
  const ref = (variant: string, i: number) => `BENCH-${tag}-default-${variant}-${i}`;
  const body = (reference: string) => intakeBody(reference, { owner: OWNER });
  const apiIntake = async (i: number) => {
    alive();
    const res = await fetch(`${apiBase}/households`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${INTAKE_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body(ref('a', i))),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${text.slice(0, 200)}`);
  };
  const check = (what: string, r: LoadResult) => {
    if (r.errors) log(`default: ${what}: ${r.errors} of ${r.n} failed, e.g. ${r.errorExamples.join(' | ')}`);
    return r;
  };
  const deadlineMs = Math.max(300_000, o.n * 500);
  log(`default: (a) ${o.n} intakes through POST /households, concurrency ${o.concurrency}`);
  const apiCpu = cpuMeter(local.pid);
  const parts: { result: LoadResult; offset: number }[] = [];
  const steps: { intakes: number; households: number; process?: ProcessMemory; tree?: ProcessMemory }[] = [];
  for (let offset = 0; offset < o.n; offset += RSS_EVERY) {
    const count = Math.min(RSS_EVERY, o.n - offset);
    const result = check('(a) API', await runLoad(count, o.concurrency, (i) => apiIntake(offset + i), { deadlineMs }));
    parts.push({ result, offset });
    const households = parts.reduce((s, p) => s + p.result.ok, 0);
    steps.push({ intakes: offset + count, households, ...mem() });
    log(`default: ${households} intakes, RSS ${steps.at(-1)?.process?.rssMb} MB`);
  }
  const a = mergeLoads(parts);
  const apiCpuUsed = apiCpu(a.ok);
  const afterApiSettleMs = await settled(a.ok, 'the API intakes in the read model');
  const afterApiQuietMs = await quiet(local.pid, 60_000);

  // (b) N/2 bare starts of the same workflow, same input and codec, against the same dev server.
  const connection = await Connection.connect({ address: `127.0.0.1:${devPort}`, connectTimeout: 10_000 });
  onCleanup('default bench connection', () => connection.close());
  const client = new Client({ connection, dataConverter: dataConverter(new Keyring(payloadKey)) });
  await withTimeout(connection.workflowService.getSystemInfo({}), 10_000, 'dev server system info');
  const bareN = Math.max(1, Math.round(o.n / 2));
  log(`default: (b) ${bareN} bare client.workflow.start, concurrency ${o.concurrency}`);
  const bareCpu = cpuMeter(local.pid);
  const b = check(
    '(b) bare',
    await runLoad(
      bareN,
      o.concurrency,
      async (i) => {
        alive();
        await withTimeout(bareStart(client, startInput(idSecret, body(ref('b', i)), policy)), 60_000, 'bare start');
      },
      { deadlineMs },
    ),
  );
  // How long the worker still needed for the first tasks after the starts returned.
  const bareFirstTasksDoneAfterRunMs = await settled(a.ok + b.ok, 'the bare starts in the read model');
  const bareCpuUsed = bareCpu(b.ok);
  const end = mem();

  // The API reads an intake of its own and a bare one by the ids the benchmark derives: same id
  // secret, and the bare start's payloads decrypt in start-local (same keyring).
  const readable = async (id: string) => {
    const res = await fetch(`${apiBase}/households/${id}`, {
      headers: { Authorization: `Bearer ${INTAKE_KEY}` },
      signal: AbortSignal.timeout(10_000),
    });
    await res.text();
    return res.status === 200;
  };
  const sameKeys = (await readable(householdIdOf(idSecret, ref('a', 0)))) && (await readable(householdIdOf(idSecret, ref('b', 0))));

  const at = (n: number) => steps.find((s) => s.intakes === n)?.process?.rssMb;
  const last = steps.at(-1);
  const idleRss = idle.process?.rssMb;
  const perHousehold = (s: typeof last) =>
    s?.process && idleRss !== undefined && s.households ? round((s.process.rssMb - idleRss) / s.households, 3) : undefined;
  return {
    entry: entryArgs('scripts/start-local.ts').join(' '),
    n: o.n,
    bareN,
    concurrency: o.concurrency,
    startupMs: local.startupMs,
    idleQuietMs,
    /** RSS (VmRSS) of the start-local process, MB; the tree adds the dev server (and any other child). */
    rssMb: { idle: idleRss, at1000: at(1000), at2000: at(2000), atN: last?.process?.rssMb, afterBare: end.process?.rssMb },
    rssPerHouseholdMb: perHousehold(last),
    memory: { idle, steps, afterBare: { households: a.ok + b.ok, ...end } },
    api: report(a),
    bareStart: { ...report(b), firstTasksDoneAfterRunMs: bareFirstTasksDoneAfterRunMs },
    throughputPerSecond: { api: a.perSecond, bareStart: b.perSecond },
    intakeRatio: ratio(a.perSecond, b.perSecond),
    settle: { afterApiSettleMs, afterApiQuietMs },
    cpu: { api: apiCpuUsed, bare: bareCpuUsed },
    sameKeys,
  };
}
