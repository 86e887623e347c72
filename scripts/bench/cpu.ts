/**
 * Where CPU time goes while a figure runs: seconds per part of the system (workers, API, Temporal
 * server, PostgreSQL, the benchmark itself, and everything else on the machine), and as cores
 * (seconds per wall second). Processes that exited meanwhile (restarted workers) are not counted.
 */
import { machineBusySeconds } from './processes';

export interface CpuSnapshot {
  at: number;
  parts: Record<string, number>;
  workerThreads: Record<string, number>;
  machine: number;
}

export function snapshotOf(parts: Record<string, number>, workerThreads: Record<string, number>): CpuSnapshot {
  return { at: Date.now(), parts, workerThreads, machine: machineBusySeconds() };
}

/** `units`: how many households (or operations) the work was for; adds CPU milliseconds per unit. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot, units?: number) {
  const wallS = Math.max(0.001, (after.at - before.at) / 1000);
  const entry = (v: number) => ({ seconds: Math.round(v * 10) / 10, cores: Math.round((v / wallS) * 100) / 100 });
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(b)
        .map(([k, v]) => [k, v - (a[k] ?? 0)] as const)
        .filter(([, v]) => v >= 0.05)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => [k, entry(v)]),
    );
  const ours = Object.entries(after.parts).reduce((sum, [k, v]) => sum + Math.max(0, v - (before.parts[k] ?? 0)), 0);
  const machine = after.machine - before.machine;
  const perUnitMs =
    units && units > 0
      ? Object.fromEntries(
          Object.entries(after.parts)
            .map(([k, v]) => [k, Math.round(((v - (before.parts[k] ?? 0)) * 1000 * 10) / units) / 10] as const)
            .filter(([, v]) => v > 0),
        )
      : undefined;
  return {
    wallSeconds: Math.round(wallS * 10) / 10,
    parts: diff(before.parts, after.parts),
    units,
    perUnitMs,
    /** Busy CPU of processes that are not part of this benchmark (other work on the machine). */
    otherProcesses: entry(Math.max(0, machine - ours)),
    machineBusy: entry(machine),
    workerThreads: diff(before.workerThreads, after.workerThreads),
  };
}
