/**
 * Bounded load: `n` operations with at most `concurrency` in flight, each timed. Errors are
 * counted and a few kept as examples; the whole run has a deadline, after which no new operation
 * starts.
 */
import { round, summarize, type Summary } from './stats';

export interface LoadResult {
  n: number;
  ok: number;
  errors: number;
  errorExamples: string[];
  concurrency: number;
  wallMs: number;
  /** Completed operations per second over the wall time. */
  perSecond: number;
  latencyMs: Summary;
  /** Latency of each successful operation by its index (for pairing two runs). */
  byIndex: Map<number, number>;
}

export async function runLoad(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  options: { deadlineMs?: number } = {},
): Promise<LoadResult> {
  const latencies: number[] = [];
  const byIndex = new Map<number, number>();
  const errorExamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + (options.deadlineMs ?? 600_000);
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= n || performance.now() > deadline) return;
      const t0 = performance.now();
      try {
        await op(i);
        const ms = performance.now() - t0;
        latencies.push(ms);
        byIndex.set(i, ms);
      } catch (err) {
        errors++;
        if (errorExamples.length < 3) errorExamples.push(String((err as Error)?.message ?? err).slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, lane));
  const wallMs = performance.now() - started;
  return {
    n,
    ok: latencies.length,
    errors,
    errorExamples,
    concurrency,
    wallMs: round(wallMs),
    perSecond: round((latencies.length / wallMs) * 1000, 2),
    latencyMs: summarize(latencies),
    byIndex,
  };
}

/** The printable part of a load result (without the per-index map). */
export function report(r: LoadResult): Omit<LoadResult, 'byIndex'> {
  const { byIndex: _byIndex, ...rest } = r;
  return rest;
}

/** Several runs of the same operation (rounds) as one result: index i of round r becomes offset[r] + i. */
export function mergeLoads(parts: { result: LoadResult; offset: number }[]): LoadResult {
  const byIndex = new Map<number, number>();
  for (const { result, offset } of parts) for (const [i, ms] of result.byIndex) byIndex.set(offset + i, ms);
  const wallMs = parts.reduce((a, p) => a + p.result.wallMs, 0);
  const ok = byIndex.size;
  return {
    n: parts.reduce((a, p) => a + p.result.n, 0),
    ok,
    errors: parts.reduce((a, p) => a + p.result.errors, 0),
    errorExamples: parts.flatMap((p) => p.result.errorExamples).slice(0, 3),
    concurrency: parts[0]?.result.concurrency ?? 0,
    wallMs: round(wallMs),
    perSecond: round((ok / wallMs) * 1000, 2),
    latencyMs: summarize([...byIndex.values()]),
    byIndex,
  };
}

/**
 * Several sequential operations measured side by side: round i runs each once (op(i)), in an
 * order that rotates with i, so that every series meets the same moments of the machine (a GC,
 * a checkpoint of the database, another process's burst). Their ratios then compare like with
 * like, which series run one after another do not.
 */
export async function runInterleaved<K extends string>(
  n: number,
  ops: Record<K, (i: number) => Promise<void>>,
): Promise<Record<K, LoadResult>> {
  const keys = Object.keys(ops) as K[];
  const parts = new Map<K, { result: LoadResult; offset: number }[]>(keys.map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!;
      parts.get(k)!.push({ result: await runLoad(1, 1, () => ops[k](i)), offset: i });
    }
  }
  return Object.fromEntries(keys.map((k) => [k, mergeLoads(parts.get(k)!)])) as Record<K, LoadResult>;
}
