/**
 * Figure 6, one long life: the 18-month trajectory of test/workflow/trajectory.test.ts (a family
 * with a child, from report to closure; test/support/harness/trajectory.ts) on the time-skipping
 * test server, with a recording worker in this process. Reported: wall time, history events (every
 * run, following continue-as-new) per household-year, history bytes, and the size of the state
 * (the `snapshot` query as JSON) before closure and at the end.
 */
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { applyCommand } from '../../../domain/commands';
import { unmetCriteria } from '../../../domain/criteria';
import { duePlan } from '../../../domain/deadlines';
import { initialState } from '../../../domain/intake';
import type { HouseholdState } from '../../../domain/model';
import { DEFAULT_POLICY } from '../../../domain/policy';
import { Policy } from '../../../domain/schemas/policy';
import { householdView } from '../../../domain/view';
import { amsterdamDay, DAY_MS } from '../../../domain/time';
import { queries } from '../../../workflows/messages';
import { actorOf, Household, recordingWorker } from '../../../test/support/harness/household';
import { timeSkippingEnv } from '../../../test/support/harness/temporal';
import { REGIE, runTrajectory } from '../../../test/support/harness/trajectory';
import { eventsByType } from '../history';
import { log, onCleanup } from '../lifecycle';
import { round } from '../stats';

export async function measureLongLife() {
  const wall0 = performance.now();
  const env = await timeSkippingEnv();
  const teardown = onCleanup('time-skipping test server', () => env.teardown());
  try {
    const { worker, taskQueue, recorded } = await recordingWorker(env);
    const setupMs = performance.now() - wall0;
    const t0 = performance.now();
    const result = await worker.runUntil(() => trajectory(env, taskQueue));
    const trajectoryMs = performance.now() - t0;
    const activities = {
      notifications: recorded.notifications.length,
      webhooks: recorded.webhooks.length,
      summaries: recorded.summaries.length,
    };

    // Every run of the household, following continue-as-new from the first.
    const runs: { runId: string; events: number; bytes: number }[] = [];
    const byType: Record<string, number> = {};
    let runId: string | undefined = result.hh.handle.firstExecutionRunId;
    while (runId && runs.length < 100) {
      const history: temporal.api.history.v1.IHistory = await env.client.workflow
        .getHandle(result.hh.handle.workflowId, runId)
        .fetchHistory();
      const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
      runs.push({ runId, events: events.length, bytes: temporal.api.history.v1.History.encode(history).finish().length });
      for (const [k, v] of Object.entries(eventsByType(history))) byType[k] = (byType[k] ?? 0) + v;
      const last: temporal.api.history.v1.IHistoryEvent | undefined = events.at(-1);
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    const events = runs.reduce((a, r) => a + r.events, 0);
    const bytes = runs.reduce((a, r) => a + r.bytes, 0);
    const years = (Date.parse(result.final.closedAt!) - Date.parse(result.final.startedAt)) / (365.25 * DAY_MS);
    const start = result.hh.start;
    return {
      simulatedMonths: round(years * 12, 1),
      wallMs: round(performance.now() - wall0),
      setupMs: round(setupMs),
      trajectoryMs: round(trajectoryMs),
      commands: result.hh.commandsSent,
      runs: runs.length,
      historyEvents: events,
      historyEventsPerHouseholdYear: round(events / years),
      historyBytes: bytes,
      historyBytesPerHouseholdYear: round(bytes / years),
      maxEventsInOneRun: Math.max(...runs.map((r) => r.events)),
      historyEventsByType: byType,
      stateBytesBeforeClosure: result.stateBytesBeforeClosure,
      stateBytesMax: result.stateBytesMax,
      stateBytesFinal: Buffer.byteLength(JSON.stringify(result.final)),
      activities,
      domainCostsPerCall: {
        fresh: domainCosts(initialState(start, new Date(start.receivedAt), DEFAULT_POLICY), new Date(start.receivedAt)),
        after18Months: domainCosts(result.beforeClosure.state, result.beforeClosure.now),
      },
    };
  } finally {
    await teardown();
  }
}

/** Microseconds per call, after a warm-up. */
function perCallUs(fn: () => unknown, iterations = 300): number {
  for (let i = 0; i < 30; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return round(((performance.now() - t0) / iterations) * 1000);
}

/**
 * What the workflow computes at every task, timed in this process for one state: the domain
 * work of an accepted command is roughly 2 x applyCommand (validator and handler) + unmetCriteria
 * (the update's result) + householdView (which runs duePlan and unmetCriteria again) at the
 * wake-up, plus the JSON of the read-model row and the search attributes.
 */
function domainCosts(s: HouseholdState, now: Date) {
  const dangerId = s.dangers[0]?.id;
  const score = dangerId
    ? { dangerId, group: 'netwerk', value: 7, observedBehaviour: 'Afspraken nagekomen.', date: amsterdamDay(now) }
    : undefined;
  const actor = actorOf(REGIE);
  return {
    stateBytes: Buffer.byteLength(JSON.stringify(s)),
    householdViewUs: perCallUs(() => householdView(s, now, DEFAULT_POLICY)),
    duePlanUs: perCallUs(() => duePlan(s, now, DEFAULT_POLICY)),
    unmetCriteriaUs: perCallUs(() => unmetCriteria(s, now, DEFAULT_POLICY)),
    applyCommandRecordScoreUs: score ? perCallUs(() => applyCommand(s, 'recordScore', score, actor, now, DEFAULT_POLICY)) : undefined,
    jsonRoundTripUs: perCallUs(() => JSON.parse(JSON.stringify(s))),
    policyParseUs: perCallUs(() => Policy.parse(DEFAULT_POLICY)),
  };
}

/** The trajectory of a family with a child, measuring the state after every month and just before closure. */
async function trajectory(env: TestWorkflowEnvironment, taskQueue: string) {
  const hh = await Household.start(env, taskQueue, {
    members: [
      { ref: 'kind-1', isChild: true, vulnerableAdult: false },
      { ref: 'moeder', isChild: false, vulnerableAdult: false },
      { ref: 'vader', isChild: false, vulnerableAdult: false },
    ],
  });
  let stateBytesMax = 0;
  let stateBytesBeforeClosure = 0;
  let beforeClosure: { state: HouseholdState; now: Date } | undefined;
  const snapshot = async () => {
    const { state } = await hh.handle.query(queries.snapshot);
    stateBytesMax = Math.max(stateBytesMax, Buffer.byteLength(JSON.stringify(state)));
    return state;
  };
  const final = await runTrajectory(hh, async (milestone, month) => {
    if (milestone === 'risk month' || milestone === 'herstel month') await snapshot();
    if (milestone === 'risk month' && month % 5 === 4) log(`long life: month ${month + 2} of 19`);
    if (milestone === 'ready for closure') {
      const state = await snapshot();
      stateBytesBeforeClosure = Buffer.byteLength(JSON.stringify(state));
      beforeClosure = { state, now: new Date(await env.currentTimeMs()) };
    }
  });
  if (final.phase !== 'afgesloten') throw new Error(`long life: the trajectory ended in phase ${final.phase}`);
  return { hh, final, stateBytesBeforeClosure, stateBytesMax, beforeClosure: beforeClosure! };
}
