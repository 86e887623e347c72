/**
 * Figure 4, a month boundary: N households whose deadline falls at the same instant, as at 00:00
 * on the first of a month or 09:00 on a working day, and how late each one's mail reaches the SMTP
 * server.
 *
 * How the common instant is made (domain/deadlines.ts): an imported case in phase Afstemming
 * without an owner has the R-02 cause with `overdueAt` = 09:00 (Amsterdam) of its start date, and
 * escalation level 1 at `overdueAt + escalationLadderDays[0]` (moved into working hours, which are
 * 24/7 here). With the start date 30 days back and escalationLadderDays[0] a fraction of days, level
 * 1 falls exactly at a chosen instant T a little after the setup ends; its reminder (R-02, after
 * `ownerReminderWorkingDays`) is far away, so nothing is mailed before T. The policy has no import
 * review (`importReviewDays` 0), which would move the ladder to each household's own review end. At T every workflow's
 * timer fires, the workflow (most of them evicted from the cache) is replayed, climbs to level 1
 * and mails the organisation lead (no owner yet). The plan is checked with the domain functions
 * before anything starts.
 *
 * Reported: lateness of each household's level-1 mail at the SMTP catcher against T (p50, p95,
 * p99, max), plus two earlier points of the same path: the workflow task that noticed the level
 * (`levelNotedAt`, workflow time, from a sample of snapshots) and the read-model row written in
 * that task (`updated_at`). The SDK's cache counters over the burst and a sample of histories
 * (timed-out workflow tasks) say how much of it was replay. The bare baseline of the same shape
 * follows in the same run (measures/bare-boundary.ts).
 */
import { addWorkingDays } from '../../../domain/calendar';
import { duePlan } from '../../../domain/deadlines';
import { initialState } from '../../../domain/intake';
import { Policy } from '../../../domain/schemas/policy';
import { addDays, amsterdamDay, DAY_MS, morningOf } from '../../../domain/time';
import { queries } from '../../../workflows/messages';
import { historyProfile } from '../history';
import { bareStart, startInput } from '../households';
import { log } from '../lifecycle';
import { report, runLoad } from '../load';
import { BENCH_POLICY_OVERRIDES, type Stack } from '../stack';
import { summarize } from '../stats';
import { burstWaitMs, commonInstant, historySample, watchBurst } from './burst';

export interface MonthBoundaryOptions {
  n: number;
  concurrency: number;
  /** At least this long between now and the common instant. */
  minLeadMs: number;
  /** Snapshots queried afterwards for the task time (bounded). */
  sample: number;
}

export async function measureMonthBoundary(stack: Stack, o: MonthBoundaryOptions) {
  const now = new Date();
  const startDate = addDays(amsterdamDay(now), -30);
  const overdueAt = Date.parse(morningOf(addWorkingDays(startDate, 0)));
  const target = commonInstant(stack, o.n, o.minLeadMs);
  const d0 = (target - overdueAt) / DAY_MS;
  const policy = Policy.parse({
    ...BENCH_POLICY_OVERRIDES,
    ownerReminderWorkingDays: 400,
    ownerEscalationWorkingDays: 0,
    escalationLadderDays: [d0, d0 + 30, d0 + 60],
    // No calm-import review (issue 22, domain/import-review.ts): with one, what was overdue at import
    // climbs only from the review's end, per household, and no common instant is left.
    importReviewDays: 0,
  });
  const body = (i: number) => ({
    reference: `BENCH-${stack.tag}-month-${i}`,
    source: 'instantie',
    reportingOrganisation: 'politie',
    members: [
      { ref: 'kind-1', isChild: true },
      { ref: 'ouder-1', isChild: false },
    ],
    import: { startDate, phase: 'afstemming', phaseStartDate: startDate },
  });

  // The plan, checked with the domain before anything starts.
  const probe = startInput(stack.idSecret, body(0), policy, now);
  if (probe.kind !== 'start') throw new Error('unreachable');
  const plan = duePlan(initialState(probe.start, now, policy), now, policy);
  const r02 = plan.deadlines.find((d) => d.kind === 'eigenaar_ontbreekt');
  const planned = r02?.ladder ? Date.parse(r02.ladder[0]) : NaN;
  if (
    !(Math.abs(planned - target) < 1000) ||
    plan.dueReminders.length ||
    plan.levels.some((l) => l.level > 0) ||
    plan.deadlines.length !== 1
  )
    throw new Error(`month boundary: the plan is not what was intended: ${JSON.stringify(plan).slice(0, 500)}`);
  if (plan.nextWakeAt !== r02!.ladder![0]) throw new Error(`month boundary: next wake ${plan.nextWakeAt}, expected ${r02!.ladder![0]}`);
  log(`${stack.engine.name}: month boundary: ${o.n} households, common instant in ${Math.round((planned - Date.now()) / 1000)} s`);

  const ids: string[] = [];
  const setup = await runLoad(
    o.n,
    o.concurrency,
    async (i) => {
      ids.push(await bareStart(stack.client, startInput(stack.idSecret, body(i), policy)));
    },
    { deadlineMs: Math.max(60_000, planned - Date.now() - 2000) },
  );
  await stack.waitSettled(ids, Math.max(10_000, planned - Date.now())).catch((err: Error) => log(err.message));
  stack.started.push(...ids);
  const setupDoneAt = Date.now();
  const valid = setup.errors === 0 && setupDoneAt < planned - 1000;
  if (!valid) log(`${stack.engine.name}: month boundary: setup did not finish before the instant; figures are marked invalid`);

  const burst = await watchBurst(stack, {
    label: 'month boundary',
    planned,
    ids,
    wakeupOf: (m) => (m.level === '1' ? m.household : undefined),
    workers: stack.workers,
    maxWaitMs: burstWaitMs(o.n),
  });

  // The read-model row written by the task that climbed the level (DB clock, same machine).
  const rows = await stack.db.query<{ updated_at: Date }>(
    'SELECT updated_at FROM household_summaries WHERE household_id = ANY($1) AND escalation_level >= 1',
    [ids],
  );
  const readModel = rows.map((r) => new Date(r.updated_at).getTime() - planned);
  // The workflow task that noticed level 1 (workflow time), for a sample.
  const sample = ids.filter((_, k) => k % Math.max(1, Math.floor(ids.length / o.sample)) === 0).slice(0, o.sample);
  const noted: number[] = [];
  await runLoad(sample.length, 5, async (k) => {
    const snap = await stack.client.workflow.getHandle(sample[k]!).query(queries.snapshot);
    const e = snap.state.escalations.find((x) => x.key === 'R-02:eigenaar');
    if (e?.levelNotedAt) noted.push(Date.parse(e.levelNotedAt) - planned);
  });

  // One household's history after the burst: what one wake-up at the boundary cost in events.
  const oneHousehold = ids[0] ? await historyProfile(stack.client, ids[0]) : undefined;
  const histories = await historySample(stack, ids, 20);
  // What the workers hold after the burst once garbage is collected (peak RSS above includes garbage).
  const afterBurst = await Promise.all(
    stack.workers.map(async (w) => ({ name: w.name, rssMb: w.memory()?.rssMb, afterFullGc: await w.heap() })),
  );

  return {
    households: o.n,
    valid,
    plannedInstant: new Date(planned).toISOString(),
    setup: { ...report(setup), settledBeforeInstantMs: planned - setupDoneAt },
    ...burst.figures,
    readModelWrittenLatenessMs: summarize(readModel),
    taskLatenessSampleMs: summarize(noted),
    workersAfterBurst: afterBurst,
    oneHouseholdHistory: oneHousehold,
    historySample: histories,
  };
}
