/**
 * EXPERIMENT (opt-in figure `preload`): does sharing modules between cached workflows save
 * memory and time? The SDK (1.24, reusable V8 context) instantiates every module of the workflow
 * bundle once per cached workflow, except modules listed in `bundlerOptions.preloadModules`, which
 * are loaded once and shared (deep-frozen). Variants, each on a fresh worker with a large cache,
 * loading the same existing households by query (a replay each):
 *   default: worker/main.ts as it is;
 *   zod: createWorker with preloadModules ['zod'];
 *   zod+domain: preloadModules ['zod', every domain/*.ts].
 * Per variant: replay rate, workflow-thread heap per cached household after a full GC, and a
 * functional check (an accepted and a refused command, a new household), since deep-frozen modules
 * can break code that mutates module state.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { amsterdamDay } from '../../../domain/time';
import { queries, updates } from '../../../workflows/messages';
import { ROOT } from '../engines';
import { bareStart, canScore, populationBody, PRO_ACTOR, startInput } from '../households';
import { log, sleep } from '../lifecycle';
import { report, runLoad } from '../load';
import type { Stack } from '../stack';
import { round } from '../stats';

export interface PreloadOptions {
  households: number;
  concurrency: number;
}

const EXPERIMENT_ENTRY = 'scripts/bench/experiments/worker-with-options.ts';

export async function measurePreload(stack: Stack, o: PreloadOptions) {
  if (stack.population.length < o.households)
    await stack.addPopulation(o.households - stack.population.length, 20, 'preload experiment population');
  const ids = stack.population.slice(0, o.households).map((p) => p.id);
  const scorable = stack.population.filter((p) => canScore(p.i)).map((p) => p.id);
  const domain = readdirSync(join(ROOT, 'domain'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, 'domain', f));
  const variants: { name: string; entry: string; options?: unknown }[] = [
    { name: 'default', entry: 'worker/main.ts' },
    { name: 'zod', entry: EXPERIMENT_ENTRY, options: { bundlerOptions: { preloadModules: ['zod'] } } },
    { name: 'zod+domain', entry: EXPERIMENT_ENTRY, options: { bundlerOptions: { preloadModules: ['zod', ...domain] } } },
  ];
  const out: Record<string, unknown> = { households: ids.length };
  let k = 0;
  for (const v of variants) {
    const [w] = await stack.restartWorkers(1, 20_000, v.options ? { BENCH_WORKER_OPTIONS: JSON.stringify(v.options) } : {}, v.entry);
    await sleep(3000);
    const idle = await w!.heap();
    const load = await runLoad(ids.length, o.concurrency, async (i) => {
      await stack.client.workflow.getHandle(ids[i]!).query(queries.snapshot);
    });
    await sleep(2000);
    const after = await w!.heap();
    const heapOf = (h: typeof idle) => (h && h.threads.length ? h.threads.reduce((a, t) => a + t.usedMb, 0) : undefined);
    const grown = heapOf(after) !== undefined && heapOf(idle) !== undefined ? heapOf(after)! - heapOf(idle)! : undefined;
    // Functional check, each with a deadline: a wrong preload fails workflow tasks, which would hang.
    const check: Record<string, string> = {};
    const within = <T>(p: Promise<T>) => stack.client.withDeadline(Date.now() + 15_000, () => p);
    const target = scorable[k++ % Math.max(1, scorable.length)];
    try {
      if (!target) throw new Error('no household to score');
      await within(
        stack.client.workflow.getHandle(target).executeUpdate(updates.recordScore, {
          args: [
            {
              actor: PRO_ACTOR,
              body: { dangerId: 'g1', group: 'netwerk', value: 7, observedBehaviour: 'Rustig.', date: amsterdamDay(new Date()) },
            },
          ],
        }),
      );
      check.acceptedCommand = 'ok';
    } catch (err) {
      check.acceptedCommand = String((err as Error).message).slice(0, 200);
    }
    try {
      await within(
        stack.client.workflow.getHandle(target ?? ids[0]!).executeUpdate(updates.recordScore, {
          args: [
            {
              actor: PRO_ACTOR,
              body: { dangerId: 'g9', group: 'netwerk', value: 7, observedBehaviour: 'x', date: amsterdamDay(new Date()) },
            },
          ],
        }),
      );
      check.refusedCommand = 'accepted (unexpected)';
    } catch (err) {
      check.refusedCommand = err instanceof WorkflowUpdateFailedError ? 'ok' : String((err as Error).message).slice(0, 200);
    }
    try {
      const id = await bareStart(
        stack.client,
        startInput(stack.idSecret, populationBody(`BENCH-${stack.tag}-preload-${v.name.replace(/[^A-Za-z0-9]/g, '-')}`, 3), stack.policy),
      );
      await stack.waitSettled([id], 20_000);
      check.newHousehold = 'ok';
    } catch (err) {
      check.newHousehold = String((err as Error).message).slice(0, 200);
    }
    out[v.name] = {
      preloadModules: (v.options as { bundlerOptions?: { preloadModules?: string[] } } | undefined)?.bundlerOptions?.preloadModules?.map(
        (m) => (m.startsWith(ROOT) ? m.slice(ROOT.length + 1) : m),
      ),
      replayByQuery: report(load),
      idleWorkflowThreadHeapMb: heapOf(idle),
      workflowThreadHeapMb: heapOf(after),
      workflowThreadMbPerCachedHousehold: grown === undefined ? undefined : round(grown / ids.length, 3),
      rssMb: after?.rssAfterGcMb,
      check,
    };
    log(`${stack.engine.name}: preload ${v.name}: ${JSON.stringify(out[v.name])}`);
  }
  await stack.restartWorkers(1, 250);
  return out;
}
