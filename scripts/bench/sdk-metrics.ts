/**
 * The Temporal SDK's own worker metrics (Prometheus text on TEMPORAL_SDK_METRICS_PORT, installed by
 * worker/telemetry.ts), read around a burst: sticky-cache hits and misses, forced evictions, and
 * workflow tasks that were replays (`workflow_task_replay_latency`, a histogram: its count). A
 * smaller cache must not hide cost, so the month boundary reports these per wake-up. What the SDK's
 * core says they count: a hit, "the workflow cache was used for a new workflow task"; a miss, "the
 * workflow cache was missing a workflow for a sticky task"; a forced eviction, "evictions of cached
 * workflows"; the replay-latency histogram, "workflow task replay latencies" (its count; in the
 * runs of 2026-12-05 it counted every workflow task, as the execution-latency histogram did, so
 * the misses are the replays: a task whose workflow was not in the cache replays its history).
 */

/** Every sample summed over its labels, by name without the `temporal_` prefix and `_total` suffix. */
export async function scrapeSdkMetrics(port: number | undefined): Promise<Record<string, number> | undefined> {
  if (!port) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
    const out: Record<string, number> = {};
    for (const line of (await res.text()).split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const value = Number(m[2]);
      if (!Number.isFinite(value)) continue;
      const name = m[1]!.replace(/^temporal_/, '').replace(/_total$/, '');
      out[name] = (out[name] ?? 0) + value;
    }
    return out;
  } catch {
    return undefined;
  }
}

const COUNTERS = {
  cacheHits: 'sticky_cache_hit',
  cacheMisses: 'sticky_cache_miss',
  forcedEvictions: 'sticky_cache_total_forced_eviction',
  replayLatencyCount: 'workflow_task_replay_latency_seconds_count',
  executedTasks: 'workflow_task_execution_latency_seconds_count',
  taskFailures: 'workflow_task_execution_failed',
} as const;

/** What the worker's cache did between two scrapes, per wake-up (`units`) where that makes sense. */
export function sdkMetricsDelta(before: Record<string, number> | undefined, after: Record<string, number> | undefined, units: number) {
  if (!before || !after) return undefined;
  const d = (name: string) => (after[name] === undefined ? undefined : after[name]! - (before[name] ?? 0));
  const counts = Object.fromEntries(Object.entries(COUNTERS).map(([k, name]) => [k, d(name)])) as Record<
    keyof typeof COUNTERS,
    number | undefined
  >;
  const per = (v: number | undefined) => (v === undefined || units <= 0 ? undefined : Math.round((v / units) * 100) / 100);
  const lookups = (counts.cacheHits ?? 0) + (counts.cacheMisses ?? 0);
  return {
    ...counts,
    cacheSizeAfter: after.sticky_cache_size,
    cacheHitRate: lookups ? Math.round(((counts.cacheHits ?? 0) / lookups) * 1000) / 1000 : undefined,
    perWakeup: {
      cacheHits: per(counts.cacheHits),
      cacheMisses: per(counts.cacheMisses),
      forcedEvictions: per(counts.forcedEvictions),
      replayLatencyCount: per(counts.replayLatencyCount),
      executedTasks: per(counts.executedTasks),
    },
  };
}
