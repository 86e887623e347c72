/**
 * Figure 1, intake throughput at a fixed concurrency:
 *  (a) POST /households through the API process (README example: a child, a parent, an owner);
 *  (b) a bare `client.workflow.start` of the same workflow with the same input and codec;
 *  (c) a bare start followed by the `snapshot` query, which answers only after the first workflow
 *      task ran (the intake route also reads the household after starting it).
 * Where the API's time goes: the API's latency against (c) per request, plus the parts the route
 * adds that can be timed alone from outside: the `snapshot` query on a running household, one
 * append to the audit log (serialised across processes by an advisory lock), and the
 * read-model/first-task settle time after a bare start.
 */
import { AuditStore } from '../../../platform/store/audit';
import { queries } from '../../../workflows/messages';
import { historyProfile } from '../history';
import { bareStart, householdIdOf, intakeBody, startInput } from '../households';
import { log } from '../lifecycle';
import { mergeLoads, report, runLoad, type LoadResult } from '../load';
import type { Stack } from '../stack';
import { ratio, round } from '../stats';

export interface IntakeOptions {
  n: number;
  concurrency: number;
  warmup: number;
}

/** `label` keeps the references of a second run (the nation figure) apart from the first. */
export async function measureIntake(stack: Stack, o: IntakeOptions, label = 'r1') {
  const ref = (variant: string, i: number) => `BENCH-${stack.tag}-${label}-${variant}-${i}`;
  const apiIntake = (variant: string) => async (i: number) => {
    const res = await stack.call('POST', '/households', 'intake', intakeBody(ref(variant, i)));
    if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  };
  const bare = (variant: string) => async (i: number) => {
    await bareStart(stack.client, startInput(stack.idSecret, intakeBody(ref(variant, i)), stack.policy));
  };
  const bareAndFirstTask = (variant: string) => async (i: number) => {
    const id = await bareStart(stack.client, startInput(stack.idSecret, intakeBody(ref(variant, i)), stack.policy));
    await stack.client.workflow.getHandle(id).query(queries.snapshot);
  };
  /** Households of the operations that succeeded. */
  const ids = (variant: string, r: LoadResult) => [...r.byIndex.keys()].map((i) => householdIdOf(stack.idSecret, ref(variant, i)));
  const check = (what: string, r: LoadResult) => {
    if (r.errors) log(`${stack.engine.name}: intake ${what}: ${r.errors} of ${r.n} failed, e.g. ${r.errorExamples.join(' | ')}`);
    return r;
  };
  const deadlineMs = Math.max(300_000, o.n * 500);

  // Warm-up: connections, JIT, the worker's first tasks; not counted.
  check('warm-up', await runLoad(o.warmup, o.concurrency, apiIntake('warm-a')));
  check('warm-up', await runLoad(o.warmup, o.concurrency, bareAndFirstTask('warm-c')));

  // Interleaved rounds (a, c, b, each followed by waiting until its first tasks are done), so a
  // drift of the machine or a backlog left by one variant does not land on one variant only.
  log(`${stack.engine.name}: intake (a) API, (c) bare start + first task, (b) bare start: n=${o.n} each, concurrency ${o.concurrency}`);
  const rounds = 2;
  const size = Math.ceil(o.n / rounds);
  const parts: Record<'a' | 'b' | 'c', { result: LoadResult; offset: number }[]> = { a: [], b: [], c: [] };
  let bSettleMs = 0;
  for (let r = 0; r < rounds; r++) {
    const offset = r * size;
    const count = Math.min(size, o.n - offset);
    for (const v of ['a', 'c', 'b'] as const) {
      const op = v === 'a' ? apiIntake(v) : v === 'b' ? bare(v) : bareAndFirstTask(v);
      const result = check(`(${v})`, await runLoad(count, o.concurrency, (i) => op(offset + i), { deadlineMs }));
      parts[v].push({ result, offset });
      const started = [...result.byIndex.keys()].map((i) => householdIdOf(stack.idSecret, ref(v, offset + i)));
      // For (b) this is how long the worker still needed for the first tasks after the starts returned.
      const settle = await stack.waitSettled(started, 300_000);
      if (v === 'b') bSettleMs += settle;
      stack.started.push(...started);
    }
  }
  const a = mergeLoads(parts.a);
  const b = mergeLoads(parts.b);
  const c = mergeLoads(parts.c);

  // Parts of the route, each alone at the same concurrency. The query goes to the households
  // started last (in the worker's cache, as right after an intake), not to evicted ones.
  const cIds = ids('c', c);
  const recent = stack.started.slice(-Math.min(100, stack.started.length));
  const query = await runLoad(o.n, o.concurrency, async (i) => {
    await stack.client.workflow.getHandle(recent[i % recent.length]!).query(queries.snapshot);
  });
  const audit = new AuditStore(stack.db);
  const auditAppend = await runLoad(o.n, o.concurrency, async (i) => {
    await audit.append({
      who: { keyId: 'bench', role: 'coordinator' },
      what: { method: 'BENCH', route: '/bench/audit', householdId: cIds[i % cIds.length], status: 200 },
    });
  });

  // Per request: API minus (c), paired by index (the same position in the run).
  const diffs: number[] = [];
  for (const [i, ms] of a.byIndex) {
    const other = c.byIndex.get(i);
    if (other !== undefined) diffs.push(ms - other);
  }
  diffs.sort((x, y) => x - y);
  const pick = (p: number) => round(diffs[Math.min(diffs.length - 1, Math.ceil((p / 100) * diffs.length) - 1)] ?? NaN);

  const figure = (r: LoadResult) => report(r);
  // One intake's history once everything it started has finished: what a single intake costs in
  // workflow tasks, activities and local-activity markers.
  const oneIntake = cIds[0] ? await historyProfile(stack.client, cIds[0]) : undefined;
  return {
    /** Households started during the figure (for CPU per household; the figure also ran n snapshot queries and n audit appends). */
    cpuUnits: 3 * o.n + 2 * o.warmup,
    concurrency: o.concurrency,
    api: figure(a),
    bareStart: { ...figure(b), firstTasksDoneAfterRunMs: bSettleMs },
    bareStartFirstTask: figure(c),
    throughputPerSecond: { api: a.perSecond, bareStart: b.perSecond, bareStartFirstTask: c.perSecond },
    ratios: {
      apiOverBareStartFirstTask: ratio(a.perSecond, c.perSecond),
      apiOverBareStart: ratio(a.perSecond, b.perSecond),
    },
    oneIntakeHistory: oneIntake,
    breakdown: {
      note:
        'apiMinusStartFirstTaskMs: API latency minus (c) latency at the same index (same concurrency). ' +
        'The parts that can be timed alone at the same concurrency: snapshotQuery (the read after the start) and auditAppend (one audit line).',
      apiMinusStartFirstTaskMs: {
        p50: round(a.latencyMs.p50 - c.latencyMs.p50),
        p95: round(a.latencyMs.p95 - c.latencyMs.p95),
        pairedP50: pick(50),
        pairedP95: pick(95),
      },
      snapshotQuery: figure(query),
      auditAppend: figure(auditAppend),
    },
  };
}
