/**
 * Figure 4's baseline, in the same run and on the same engine after the Routekaart boundary: N
 * bare workflows of the same shape (scripts/bench/bare: a timer until a common instant T', one
 * activity that sends one mail through nodemailer to the same SMTP catcher, then a long sleep),
 * served by a worker process of their own with the same environment, cache size and worker options
 * as Routekaart's. T' comes from the same lead-time logic. Reported as for Routekaart: lateness of
 * each mail against T', the worker's CPU per wake-up, the SDK's cache hits, misses and replays,
 * and a sample of histories; `monthRatios` sets the two side by side.
 */
import { BARE_MAIL_KIND } from '../bare/activities';
import { BARE_TASK_QUEUE, BARE_WORKFLOW_TYPE } from '../bare/worker';
import type { BareInput } from '../bare/workflows';
import { historyProfile } from '../history';
import { sleep } from '../../../test/support/harness/wait';
import { log } from '../lifecycle';
import { report, runLoad } from '../load';
import type { Stack } from '../stack';
import { ratio } from '../stats';
import { burstWaitMs, commonInstant, historySample, watchBurst } from './burst';

export interface BareBoundaryOptions {
  n: number;
  concurrency: number;
  minLeadMs: number;
  workerCache: number;
}

/** Bare workflows whose first workflow task ran (the timer is set: at least 5 events). */
async function waitTimersSet(stack: Stack, ids: string[], untilMs: number): Promise<number> {
  const pending = new Set(ids);
  while (pending.size && Date.now() < untilMs) {
    const list = [...pending];
    await runLoad(list.length, 20, async (k) => {
      const d = await stack.client.workflow.getHandle(list[k]!).describe();
      if (d.historyLength >= 5) pending.delete(list[k]!);
    });
    if (pending.size) await sleep(500);
  }
  return ids.length - pending.size;
}

export async function measureBareBoundary(stack: Stack, o: BareBoundaryOptions) {
  const worker = await stack.startBareWorker(o.workerCache);
  try {
    const planned = commonInstant(stack, o.n, o.minLeadMs);
    const dueAt = new Date(planned).toISOString();
    log(`${stack.engine.name}: bare boundary: ${o.n} bare workflows, common instant in ${Math.round((planned - Date.now()) / 1000)} s`);
    const ids: string[] = [];
    const setup = await runLoad(
      o.n,
      o.concurrency,
      async (i) => {
        const workflowId = `bench-${stack.tag}-bare-${i}`;
        const input: BareInput = { dueAt, to: 'lead@veilig-thuis.example.org' };
        await stack.client.workflow.start(BARE_WORKFLOW_TYPE, { taskQueue: BARE_TASK_QUEUE, workflowId, args: [input] });
        ids.push(workflowId);
      },
      { deadlineMs: Math.max(60_000, planned - Date.now() - 2000) },
    );
    const settled = await waitTimersSet(stack, ids, planned - 1000);
    const setupDoneAt = Date.now();
    const valid = setup.errors === 0 && settled === o.n && setupDoneAt < planned - 1000;
    if (!valid) log(`${stack.engine.name}: bare boundary: setup did not finish before the instant; figures are marked invalid`);

    const burst = await watchBurst(stack, {
      label: 'bare boundary',
      planned,
      ids,
      wakeupOf: (m) => (m.kind === BARE_MAIL_KIND ? m.household : undefined),
      workers: [worker],
      maxWaitMs: burstWaitMs(o.n),
    });
    const oneWorkflowHistory = ids[0] ? await historyProfile(stack.client, ids[0]) : undefined;
    return {
      workflows: o.n,
      valid,
      plannedInstant: dueAt,
      setup: { ...report(setup), timersSet: settled, settledBeforeInstantMs: planned - setupDoneAt },
      ...burst.figures,
      workerAfterBurst: { name: worker.name, rssMb: worker.memory()?.rssMb, afterFullGc: await worker.heap() },
      oneWorkflowHistory,
      historySample: await historySample(stack, ids, 20),
    };
  } finally {
    await worker.stop();
  }
}

type Figures = Partial<Awaited<ReturnType<typeof measureBareBoundary>>>;

/** Routekaart's month boundary over the bare one of the same run (null where either is missing). */
export function monthRatios(routekaart: Figures | undefined, bare: Figures | undefined) {
  if (!routekaart || !bare || !('lastMailAfterS' in routekaart) || !('lastMailAfterS' in bare)) return undefined;
  // The whole wake-up (until the workers stood still) where the SDK's counters were read, else to the last mail.
  const cpu = (f: Figures, part: string) => (f.settledCpu ?? f.burstCpu)?.perUnitMs?.[part];
  return {
    /** Both set up before their instant and every mail caught; otherwise the last mail is a lower bound. */
    valid: Boolean(routekaart.valid && bare.valid && !routekaart.missing && !bare.missing),
    lastMail: ratio(routekaart.lastMailAfterS ?? undefined, bare.lastMailAfterS ?? undefined),
    latencyP50: ratio(routekaart.mailLatenessMs?.p50, bare.mailLatenessMs?.p50),
    latencyP95: ratio(routekaart.mailLatenessMs?.p95, bare.mailLatenessMs?.p95),
    latencyP99: ratio(routekaart.mailLatenessMs?.p99, bare.mailLatenessMs?.p99),
    workerCpuPerWakeup: ratio(cpu(routekaart, 'workers'), cpu(bare, 'workers')),
    temporalCpuPerWakeup: ratio(cpu(routekaart, 'temporal'), cpu(bare, 'temporal')),
    /** The figures the goal is stated in (≤ 1.5× bare, ≤ 10 ms), side by side; no verdict here. */
    lastMailAfterS: { routekaart: routekaart.lastMailAfterS, bare: bare.lastMailAfterS },
    workerCpuPerWakeupMs: { routekaart: cpu(routekaart, 'workers'), bare: cpu(bare, 'workers') },
    temporalCpuPerWakeupMs: { routekaart: cpu(routekaart, 'temporal'), bare: cpu(bare, 'temporal') },
  };
}
