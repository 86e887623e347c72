/**
 * What the month boundary (Routekaart) and its bare baseline share: the common instant (the same
 * lead-time logic), watching the burst at the SMTP catcher with the CPU and the SDK's cache metrics
 * of the workers that serve it, and a sample of histories after it.
 */
import type { Arrival } from '../smtp';
import { cpuDelta } from '../cpu';
import { historyProfile } from '../history';
import { sleep } from '../../../test/support/harness/wait';
import { log } from '../lifecycle';
import { runLoad } from '../load';
import type { RoutekaartProcess } from '../processes';
import { scrapeSdkMetrics, sdkMetricsDelta } from '../sdk-metrics';
import type { Stack } from '../stack';
import { round, summarize } from '../stats';

/**
 * A common instant a little after the setup of `n` workflows can end: 1.3 times what the measured
 * settle rate predicts plus 15 s, at least `minLeadMs`, on a whole second.
 */
export function commonInstant(stack: Stack, n: number, minLeadMs: number): number {
  const rate = stack.settleRate ?? 10;
  const leadMs = Math.max(minLeadMs, (n / rate) * 1300 + 15_000);
  return Math.ceil((Date.now() + leadMs) / 1000) * 1000;
}

/**
 * How long to wait for the last mail after the instant: 0.1 s per workflow, at least 5 minutes (at
 * least 2 minutes before: on a busy machine 1,000 households needed more, and a cut-off burst gives
 * no last mail and no ratio).
 */
export const burstWaitMs = (n: number) => Math.max(300_000, n * 100);

export interface BurstWatch {
  label: string;
  /** The common instant, ms. */
  planned: number;
  ids: string[];
  /** Whether a mail is the wake-up mail of one of `ids`; the household (workflow id) it is for. */
  wakeupOf(m: Arrival): string | undefined;
  /** The workers that serve this burst (CPU per wake-up and SDK metrics are theirs). */
  workers: RoutekaartProcess[];
  maxWaitMs: number;
}

/** Waits for the instant, then for every wake-up mail (bounded); CPU and cache figures from the instant to the last mail. */
export async function watchBurst(stack: Stack, w: BurstWatch) {
  const first = new Map<string, number>();
  const set = new Set(w.ids);
  let seen = 0;
  const scan = () => {
    const arrivals = stack.mail.arrivals;
    for (; seen < arrivals.length; seen++) {
      const m = arrivals[seen]!;
      const id = w.wakeupOf(m);
      if (id && set.has(id) && !first.has(id)) first.set(id, m.at);
    }
  };
  const peak = { rssMb: 0 };
  while (Date.now() < w.planned) await sleep(Math.min(200, w.planned - Date.now()));
  const scrape = () => Promise.all(w.workers.map((p) => scrapeSdkMetrics(p.sdkMetricsPort)));
  const [cpu0, metrics0] = [stack.cpuSnapshot(w.workers), await scrape()];
  let lastLog = Date.now();
  while (first.size < w.ids.length && Date.now() < w.planned + w.maxWaitMs) {
    await sleep(500);
    scan();
    for (const p of w.workers) peak.rssMb = Math.max(peak.rssMb, p.memory()?.rssMb ?? 0);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`${stack.engine.name}: ${w.label}: ${first.size}/${w.ids.length} mails after ${Math.round((Date.now() - w.planned) / 1000)} s`);
    }
  }
  scan();
  const burstCpu = cpuDelta(cpu0, stack.cpuSnapshot(w.workers), first.size);
  const sum = (list: (Record<string, number> | undefined)[]) =>
    list.some((x) => !x)
      ? undefined
      : list.reduce<Record<string, number>>((acc, x) => {
          for (const [k, v] of Object.entries(x!)) acc[k] = (acc[k] ?? 0) + v;
          return acc;
        }, {});
  const atLastMail = sum(await scrape());
  // The wake-up goes on after its mail: the task that records the activity's completion and sets
  // the next timer waits in the queue behind the burst's first tasks. Until the workers' task
  // counters stand still for 3 s (at most 2 minutes): the whole wake-up, CPU and cache.
  const tasks = (m: Record<string, number> | undefined) =>
    m ? (m.workflow_task_execution_latency_seconds_count ?? 0) + (m.activity_execution_latency_seconds_count ?? 0) : undefined;
  let settled = atLastMail;
  if (settled) {
    const end = Date.now() + 120_000;
    for (let still = 0; still < 3 && Date.now() < end;) {
      await sleep(1000);
      const next = sum(await scrape());
      still = next && tasks(next) === tasks(settled) ? still + 1 : 0;
      settled = next ?? settled;
    }
  }
  const settledCpu = settled ? cpuDelta(cpu0, stack.cpuSnapshot(w.workers), first.size) : undefined;
  const arrivals = [...first.values()].sort((a, b) => a - b);
  return {
    first,
    figures: {
      mailsReceived: first.size,
      missing: w.ids.length - first.size,
      mailLatenessMs: summarize(arrivals.map((at) => at - w.planned)),
      lastMailAfterS: arrivals.length ? round((arrivals.at(-1)! - w.planned) / 1000) : null,
      mailsPerSecond: arrivals.length > 1 ? round((arrivals.length / Math.max(1, arrivals.at(-1)! - w.planned)) * 1000, 1) : null,
      workerPeakRssMb: peak.rssMb,
      /** CPU from the instant to the last mail, per mail. */
      burstCpu,
      /** CPU from the instant until the workers' task counters stood still (the whole wake-up), per mail. */
      settledCpu,
      /** The SDK's sticky-cache and replay counters from the instant until the workers stood still (summed over the workers). */
      sdkMetrics: sdkMetricsDelta(sum(metrics0), settled, first.size),
      /** The same counters from the instant to the last mail only. */
      sdkMetricsToLastMail: sdkMetricsDelta(sum(metrics0), atLastMail, first.size),
    },
  };
}

/**
 * Histories of a sample of the workflows after the burst: events per workflow and how many
 * workflow tasks timed out (a task that waited past the sticky queue's timeout is handed out again
 * with the full history and replayed).
 */
export async function historySample(stack: Stack, ids: string[], size: number) {
  const step = Math.max(1, Math.floor(ids.length / size));
  const sample = ids.filter((_, k) => k % step === 0).slice(0, size);
  const events: number[] = [];
  const timedOut: number[] = [];
  await runLoad(sample.length, 5, async (k) => {
    const h = await historyProfile(stack.client, sample[k]!);
    events.push(h.events);
    timedOut.push(h.byType.WORKFLOW_TASK_TIMED_OUT ?? 0);
  });
  const mean = (v: number[]) => (v.length ? round(v.reduce((a, b) => a + b, 0) / v.length, 2) : null);
  return {
    workflows: events.length,
    eventsPerWorkflow: mean(events),
    workflowTaskTimedOutPerWorkflow: mean(timedOut),
    withATimedOutTask: timedOut.filter((x) => x > 0).length,
  };
}
