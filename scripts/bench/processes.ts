/**
 * Routekaart's real entry points as child processes, run as production runs them: the compiled
 * JavaScript in dist/ with the prebuilt workflow bundle (`npm run build`, which the benchmark runs
 * first; the image's `node dist/worker/main.js`). The bare baseline's worker, which is not part of
 * the build, runs through tsx. Also what the benchmark reads of a process: resident memory from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TASK_QUEUE } from '../../workflows/messages';
import { sleep, until } from '../../test/support/harness/wait';
import { killGroup, onCleanup, track } from './lifecycle';

const ROOT = join(__dirname, '../..');
const PROBE = pathToFileURL(join(__dirname, 'child-probe.mjs')).href;

export interface ProcessMemory {
  /** Resident set size now (VmRSS), MB. */
  rssMb: number;
  /** Peak resident set size (VmHWM), MB. */
  hwmMb: number;
  /** Proportional set size (shared pages counted once over the processes sharing them), MB. */
  pssMb?: number;
  /** Processes summed (a process tree). */
  processes?: number;
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function statusKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function pssKb(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function processMemory(pid: number): ProcessMemory | undefined {
  const rss = statusKb(pid, 'VmRSS');
  if (rss === undefined) return undefined;
  const pss = pssKb(pid);
  return { rssMb: mb(rss), hwmMb: mb(statusKb(pid, 'VmHWM') ?? rss), pssMb: pss === undefined ? undefined : mb(pss) };
}

/** Memory of a process and all its descendants (PostgreSQL: postmaster and backends). */
export function treeMemory(rootPid: number): ProcessMemory | undefined {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number) => {
    for (let p: number | undefined = pid, hops = 0; p && hops < 20; p = parent.get(p), hops++) if (p === rootPid) return true;
    return false;
  };
  let rss = 0;
  let hwm = 0;
  let pss = 0;
  let n = 0;
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    rss += statusKb(pid, 'VmRSS') ?? 0;
    hwm += statusKb(pid, 'VmHWM') ?? 0;
    pss += pssKb(pid) ?? 0;
    n++;
  }
  return n ? { rssMb: mb(rss), hwmMb: mb(hwm), pssMb: mb(pss), processes: n } : undefined;
}

/** What child-probe.mjs reports after a full GC in every thread of the process. */
export interface HeapReport {
  rssBeforeGcMb: number;
  rssAfterGcMb: number;
  main: { usedMb: number; totalMb: number; externalMb: number; limitMb: number; arrayBuffersMb: number; spacesMb: Record<string, number> };
  /** Worker threads (the SDK's workflow thread): V8 heap after GC, and the heap's limit. */
  threads: { threadId: number; usedMb: number; totalMb: number; externalMb: number; limitMb: number; spacesMb: Record<string, number> }[];
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) of one process or thread from its stat line. */
function statCpu(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function processCpu(pid: number): number | undefined {
  return statCpu(`/proc/${pid}/stat`);
}

/** CPU seconds of a process and its descendants that are alive now. */
export function treeCpu(rootPid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let p: number | undefined = Number(entry);
    for (let hops = 0; p && hops < 20 && p !== rootPid; hops++) {
      try {
        const stat: string = readFileSync(`/proc/${p}/stat`, 'utf8');
        p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      } catch {
        p = undefined;
      }
    }
    if (p === rootPid) total += statCpu(`/proc/${entry}/stat`) ?? 0;
  }
  return total;
}

/**
 * CPU seconds per thread of a process, grouped: `main` is the main thread (tid = pid); others by
 * thread name (Node's worker threads, where the SDK runs workflow code, are named `node` like the
 * main thread; the SDK's Rust core names its threads, e.g. `tokio-runtime-w`, `workflow-proces`).
 */
export function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let comm = 'unknown';
      try {
        comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      } catch {
        // gone
      }
      const key = Number(tid) === pid ? 'main' : comm === 'node' ? 'node (worker threads)' : comm;
      out[key] = (out[key] ?? 0) + (statCpu(`/proc/${pid}/task/${tid}/stat`) ?? 0);
    }
  } catch {
    // process gone
  }
  return out;
}

/** CPU seconds the whole machine has been busy (all cores, from /proc/stat). */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

export interface RoutekaartProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  memory(): ProcessMemory | undefined;
  /** Full GC in every thread, then the heaps (undefined if the process does not answer in 15 s). */
  heap(): Promise<HeapReport | undefined>;
  /** V8 heap snapshots of every thread, written into `dir` (undefined if the process does not answer in 3 min). */
  heapSnapshots(dir: string): Promise<string[] | undefined>;
  /** The last lines it printed. */
  tail(lines?: number): string;
  /** Port of the Temporal SDK's Prometheus metrics (workers started by the bench), if any. */
  sdkMetricsPort?: number;
  stop(): Promise<void>;
}

/** `npm run build` once per benchmark run: dist/ and dist/workflow-bundle.js from the code as it is now. */
export function buildForBench(): void {
  // Their output goes to stderr: the benchmark's stdout is its JSON.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

/** How to run an entry point: its compiled file in dist/ when the build made one, else the TypeScript through tsx. */
export function entryArgs(entry: string): string[] {
  const compiled = join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'));
  return existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(ROOT, entry)];
}

function spawnEntry(entry: string, name: string, env: Record<string, string>, logDir: string): RoutekaartProcess {
  // The entry point as production runs it, plus an observer: --expose-gc and child-probe.mjs let
  // the benchmark ask for a full GC and the heap of every thread over IPC.
  const child = spawn(process.execPath, ['--expose-gc', '--import', PROBE, ...entryArgs(entry)], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  track(child);
  const file = createWriteStream(join(logDir, `${name}.log`));
  const lines: string[] = [];
  const keep = (b: Buffer) => {
    file.write(b);
    lines.push(...b.toString().split('\n').filter(Boolean));
    if (lines.length > 400) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => file.end());
  let stopping = false;
  const stopNow = onCleanup(name, async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    killGroup(child.pid!, 'SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child.pid!, 'SIGKILL');
      await Promise.race([exited, sleep(5_000)]);
    }
  });
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`[bench] ${name} exited unexpectedly (${code ?? signal}):\n${lines.slice(-30).join('\n')}\n`);
  });
  return {
    name,
    pid: child.pid!,
    child,
    memory: () => processMemory(child.pid!),
    heap: () => ask(child, 'bench:memory', 'bench:memory', 15_000, (m) => m as HeapReport),
    heapSnapshots: (dir) => ask(child, { type: 'bench:snapshot', dir }, 'bench:snapshot', 180_000, (m) => (m as { files: string[] }).files),
    tail: (n = 30) => lines.slice(-n).join('\n'),
    stop: stopNow,
  };
}

/** Sends `message` to the child's probe and resolves with what its answer of type `answer` carries, or undefined after `timeoutMs`. */
function ask<T>(child: ChildProcess, message: unknown, answer: string, timeoutMs: number, read: (m: unknown) => T): Promise<T | undefined> {
  return new Promise((resolve) => {
    if (!child.connected) return resolve(undefined);
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const onMessage = (m: unknown) => {
      if ((m as { type?: string })?.type === answer) done(read(m));
    };
    const done = (r: T | undefined) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(r);
    };
    child.on('message', onMessage);
    child.send(message as never);
  });
}

function ensureAlive(p: RoutekaartProcess): void {
  if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${p.name} exited:\n${p.tail()}`);
}

/**
 * Starts worker/main.ts (or another worker entry, e.g. the bare baseline's) and waits until it
 * polls its task queue (its identity is pid@host).
 */
export async function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  logDir: string,
  client: Client,
  namespace = 'default',
  worker: { entry: string; taskQueue: string } = { entry: 'worker/main.ts', taskQueue: TASK_QUEUE },
): Promise<RoutekaartProcess> {
  const p = spawnEntry(worker.entry, name, env, logDir);
  const identity = `${p.pid}@${hostname()}`;
  try {
    await until(
      `${name} polling ${worker.taskQueue}`,
      async () => {
        ensureAlive(p);
        const res = await client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: worker.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return (res.pollers ?? []).some((x) => x.identity === identity);
      },
      (ok) => ok,
      120_000,
      500,
    );
  } catch (err) {
    await p.stop();
    throw new Error(`${(err as Error).message}\n${p.tail()}`);
  }
  return p;
}

/** Starts api/main.ts and waits until /api/v1/health says ok. */
export async function startApiProcess(name: string, env: Record<string, string>, logDir: string, port: number): Promise<RoutekaartProcess> {
  const p = spawnEntry('api/main.ts', name, env, logDir);
  try {
    await until(
      `${name} healthy`,
      async () => {
        ensureAlive(p);
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
        return ((await res.json()) as { status: string }).status;
      },
      (s) => s === 'ok',
      90_000,
      500,
    );
  } catch (err) {
    await p.stop();
    throw new Error(`${(err as Error).message}\n${p.tail()}`);
  }
  return p;
}
