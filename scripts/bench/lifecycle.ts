/**
 * Everything the benchmark starts is registered here and stopped in reverse order: at the end, on
 * an error, on Ctrl-C (SIGINT), SIGTERM and SIGHUP. Children run in their own process group
 * (`detached`), so a Ctrl-C reaches only this process, which then stops them in order; if this
 * process dies anyway, the `exit` hook still sends SIGKILL to every child it knows.
 */
import type { ChildProcess } from 'node:child_process';
import { withTimeout } from '../../test/support/harness/wait';

type Cleanup = { name: string; run: () => Promise<void> | void };

const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();
let stopping: Promise<void> | undefined;

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Registers a cleanup; returns a function that runs it now (once) and removes it from the list. */
export function onCleanup(name: string, run: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { name, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await runOne(entry);
  };
}

/** A child process that must never outlive the benchmark. */
export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

async function runOne(c: Cleanup): Promise<void> {
  try {
    await withTimeout(Promise.resolve(c.run()), 60_000, `cleanup ${c.name}`);
  } catch (err) {
    log(`cleanup ${c.name} failed: ${(err as Error).message}`);
  }
}

/** The current depth of the cleanup list: `cleanupTo(mark())` later stops what was started in between. */
export function mark(): number {
  return cleanups.length;
}

/** Runs the cleanups registered after `depth`, newest first. */
export async function cleanupTo(depth: number): Promise<void> {
  while (cleanups.length > depth) await runOne(cleanups.pop()!);
}

/** Runs every cleanup, newest first. Safe to call more than once. */
export function cleanupAll(): Promise<void> {
  stopping ??= (async () => {
    while (cleanups.length) await runOne(cleanups.pop()!);
  })();
  return stopping;
}

let installed = false;
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping everything the benchmark started`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid) killGroup(c.pid, 'SIGKILL');
  });
}

/** Signals a child's whole process group (children are started detached), falling back to the pid. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
