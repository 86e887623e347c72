/**
 * Figure 3, memory of one worker process (VmRSS of the child from /proc) with a given workflow
 * cache size: idle after start, then after N households of the mixed population each ran their
 * first task on it (and so entered its cache, up to the cache size). A fresh worker per cache
 * size; the households are new ones, so every one passes through this worker.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { queries } from '../../../workflows/messages';
import { sleep } from '../../../test/support/harness/wait';
import { log } from '../lifecycle';
import { runLoad } from '../load';
import type { Stack } from '../stack';
import { round } from '../stats';

export interface MemoryOptions {
  /**
   * Existing households to load instead of starting new ones: each is touched with a `snapshot`
   * query, which a fresh worker answers by replaying the household's history, after which it
   * stays in the cache like any other (faster than starting new households on a small machine).
   */
  reuse?: string[];
  cache: number;
  steps: number[];
  concurrency: number;
  /** Quiet time before reading memory (the worker finishes activities, the heap settles). */
  settleMs: number;
  /** If set, V8 heap snapshots of the worker's threads after the last step, into a folder per cache size here. */
  snapshotDir?: string;
}

export async function measureMemory(stack: Stack, o: MemoryOptions) {
  const [worker] = await stack.restartWorkers(1, o.cache);
  await sleep(o.settleMs);
  const idle = worker!.memory();
  if (!idle) throw new Error('worker memory not readable');
  // After a full GC in every thread: what is really held (the RSS above also holds garbage).
  const idleHeap = await worker!.heap();
  const threadHeap = (h: typeof idleHeap) => (h && h.threads.length ? round(h.threads.reduce((a, t) => a + t.usedMb, 0)) : undefined);
  // Committed, not used: the pages the RSS holds.
  const committed = (h: typeof idleHeap) =>
    h && {
      mainHeapTotalMb: h.main.totalMb,
      mainSpacesMb: h.main.spacesMb,
      workflowThreadHeapTotalMb: round(h.threads.reduce((a, t) => a + t.totalMb, 0)),
      workflowThreadSpacesMb: h.threads[0]?.spacesMb,
    };
  const steps: Record<string, unknown>[] = [];
  let done = 0;
  for (const n of o.steps) {
    if (o.reuse && o.reuse.length >= n) {
      // In chunks, so a worker that dies on the way (its heap limit) is noticed with the count reached.
      const batch = o.reuse.slice(done, n);
      let loaded = 0;
      let perSecond = 0;
      for (let at = 0; at < batch.length; at += 500) {
        const chunk = batch.slice(at, at + 500);
        const r = await runLoad(chunk.length, o.concurrency, async (i) => {
          await stack.client.workflow.getHandle(chunk[i]!).query(queries.snapshot);
        });
        if (worker!.child.exitCode !== null || worker!.child.signalCode !== null) {
          steps.push({ households: done + loaded, workerExited: true, lastLines: worker!.tail(5) });
          log(`${stack.engine.name}: memory (cache ${o.cache}): the worker exited after about ${done + loaded} households`);
          return { cache: o.cache, idleRssMb: idle.rssMb, steps, worker: worker!.name, workerExitedAfterHouseholds: done + loaded };
        }
        if (r.errors) throw new Error(`memory: ${r.errors} queries failed, e.g. ${r.errorExamples.join(' | ')}`);
        loaded += chunk.length;
        perSecond = r.perSecond;
      }
      const r = { perSecond };
      log(
        `${stack.engine.name}: memory (cache ${o.cache}) to ${n}: ${batch.length} existing households loaded by query (${r.perSecond}/s)`,
      );
    } else await stack.addPopulation(n - done, o.concurrency, `memory (cache ${o.cache}) to ${n}`);
    done = n;
    await sleep(o.settleMs);
    const m = worker!.memory();
    if (!m) throw new Error(`${worker!.name} is gone:\n${worker!.tail()}`);
    const grown = m.rssMb - idle.rssMb;
    const cached = Math.min(n, o.cache);
    const h = await worker!.heap();
    const wfHeap = threadHeap(h);
    const wfGrown = wfHeap !== undefined && threadHeap(idleHeap) !== undefined ? wfHeap - threadHeap(idleHeap)! : undefined;
    steps.push({
      households: n,
      cachedAtMost: cached,
      rssMb: m.rssMb,
      peakRssMb: m.hwmMb,
      growthMb: round(grown),
      mbPerHousehold: round(grown / n, 3),
      mbPerCachedHousehold: round(grown / cached, 3),
      afterFullGc: h && {
        rssMb: h.rssAfterGcMb,
        mainHeapUsedMb: h.main.usedMb,
        mainExternalMb: h.main.externalMb,
        workflowThreadHeapUsedMb: wfHeap,
        workflowThreadHeapGrowthMb: wfGrown === undefined ? undefined : round(wfGrown),
        workflowThreadMbPerCachedHousehold: wfGrown === undefined ? undefined : round(wfGrown / cached, 3),
        ...committed(h),
      },
      openHouseholdsOnServer: await stack.openHouseholds(),
    });
    log(`${stack.engine.name}: memory cache ${o.cache}: ${n} households -> RSS ${m.rssMb} MB (idle ${idle.rssMb} MB)`);
  }
  let heapSnapshots: string[] | undefined;
  if (o.snapshotDir) {
    const dir = join(o.snapshotDir, `cache-${o.cache}`);
    mkdirSync(dir, { recursive: true });
    heapSnapshots = await worker!.heapSnapshots(dir);
    log(`${stack.engine.name}: memory cache ${o.cache}: heap snapshots ${heapSnapshots?.join(', ') ?? 'not written in time'}`);
  }
  return {
    heapSnapshots,
    cache: o.cache,
    households: o.reuse && o.reuse.length >= (o.steps.at(-1) ?? 0) ? 'existing, loaded by query' : 'new, started on this worker',
    idleRssMb: idle.rssMb,
    idleAfterFullGc: idleHeap && { rssMb: idleHeap.rssAfterGcMb, main: idleHeap.main, threads: idleHeap.threads },
    steps,
    worker: worker!.name,
  };
}
