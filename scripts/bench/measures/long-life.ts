/**
 * Figure 6, one long life: the 18-month trajectory of test/workflow/trajectory.test.ts (a family
 * with a child, from report to closure) on the time-skipping test server, with a worker in this
 * process and counting activities. Reported: wall time, history events (every run, following
 * continue-as-new) per household-year, history bytes, and the size of the state (the `snapshot`
 * query as JSON) before closure and at the end.
 * (Own harness rather than test/support/household.ts: that module uses jest globals, and the
 * production build compiles scripts/ without test/.)
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { CommandInput, CommandType } from '../../../domain/command-schemas';
import type { EvidenceItem, ProfessionalRef } from '../../../domain/model';
import { applyCommand } from '../../../domain/commands';
import { unmetCriteria } from '../../../domain/criteria';
import { duePlan } from '../../../domain/deadlines';
import { initialState, type StartInput } from '../../../domain/intake';
import type { HouseholdState } from '../../../domain/model';
import { DEFAULT_POLICY, Policy } from '../../../domain/policy';
import { householdView } from '../../../domain/view';
import { eligibleMembers } from '../../../domain/selectors';
import { addDays, amsterdamDay, amsterdamInstant, dateToUtc, DAY_MS } from '../../../domain/time';
import type { householdTrajectory } from '../../../workflows';
import { queries, SA, updates, WORKFLOW_TYPE } from '../../../workflows/messages';
import { ROOT } from '../engines';
import { eventsByType } from '../history';
import { log, onCleanup } from '../lifecycle';
import { round } from '../stats';

const pro = (professionalId: string, organisation: string): ProfessionalRef => ({ professionalId, organisation });
const actorOf = (p: ProfessionalRef) => ({ ...p, kind: 'professional' as const });
const VT = pro('p-vt-1', 'veilig-thuis');
const REGIE = pro('p-regie-1', 'lokaal-team');
const GW = pro('p-gw-1', 'jeugdformaat');
const GGZ = pro('p-ggz-1', 'ggz');

/** A Tuesday 10:00 in Amsterdam at least two days ahead (as test/support/clock.ts TUESDAY_10). */
function nextTuesdayTen(): number {
  let d = addDays(amsterdamDay(new Date()), 2);
  while (dateToUtc(d).getUTCDay() !== 2) d = addDays(d, 1);
  return Date.parse(amsterdamInstant(d, 10));
}

export async function measureLongLife() {
  const wall0 = performance.now();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolve(ROOT, '.tools/bin/temporal-test-server') } },
  });
  const teardown = onCleanup('time-skipping test server', () => env.teardown());
  try {
    await env.sleep(nextTuesdayTen() - (await env.currentTimeMs()));
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(
        Object.values(SA).map((k) => [k.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`]]),
      ),
    });
    const activities = { notifications: 0, webhooks: 0, summaries: 0 };
    const taskQueue = `bench-long-life-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../../workflows'),
      activities: {
        sendNotification: async () => {
          activities.notifications++;
          return { sent: 1, skipped: 0 };
        },
        deliverWebhooks: async (events: unknown[]) => {
          activities.webhooks += events.length;
        },
        recordSummary: async () => {
          activities.summaries++;
        },
      },
    });
    const setupMs = performance.now() - wall0;
    const t0 = performance.now();
    const result = await worker.runUntil(() => trajectory(env, taskQueue));
    const trajectoryMs = performance.now() - t0;

    // Every run of the household, following continue-as-new from the first.
    const runs: { runId: string; events: number; bytes: number }[] = [];
    const byType: Record<string, number> = {};
    let runId: string | undefined = result.handle.firstExecutionRunId;
    while (runId && runs.length < 100) {
      const history: temporal.api.history.v1.IHistory = await env.client.workflow.getHandle(result.handle.workflowId, runId).fetchHistory();
      const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
      runs.push({ runId, events: events.length, bytes: temporal.api.history.v1.History.encode(history).finish().length });
      for (const [k, v] of Object.entries(eventsByType(history))) byType[k] = (byType[k] ?? 0) + v;
      const last: temporal.api.history.v1.IHistoryEvent | undefined = events.at(-1);
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    const events = runs.reduce((a, r) => a + r.events, 0);
    const bytes = runs.reduce((a, r) => a + r.bytes, 0);
    const years = (Date.parse(result.final.closedAt!) - Date.parse(result.final.startedAt)) / (365.25 * DAY_MS);
    return {
      simulatedMonths: round(years * 12, 1),
      wallMs: round(performance.now() - wall0),
      setupMs: round(setupMs),
      trajectoryMs: round(trajectoryMs),
      commands: result.commands,
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
        fresh: domainCosts(
          initialState(result.start, new Date(result.start.receivedAt), DEFAULT_POLICY),
          new Date(result.start.receivedAt),
        ),
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

async function trajectory(env: TestWorkflowEnvironment, taskQueue: string) {
  const householdId = `hh-bench-${randomUUID().slice(0, 8)}`;
  const start: StartInput = {
    householdId,
    organisation: 'veilig-thuis',
    receivedAt: new Date(await env.currentTimeMs()).toISOString(),
    intake: {
      reference: `ref-${householdId}`,
      source: 'instantie',
      reportingOrganisation: 'politie',
      members: [
        { ref: 'kind-1', isChild: true, vulnerableAdult: false },
        { ref: 'moeder', isChild: false, vulnerableAdult: false },
        { ref: 'vader', isChild: false, vulnerableAdult: false },
      ],
      localTeamOrGi: false,
      jeugdbeschermer: false,
    },
  };
  const handle: WorkflowHandleWithFirstExecutionRunId<typeof householdTrajectory> = await env.client.workflow.start<
    typeof householdTrajectory
  >(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: householdId,
    args: [
      {
        kind: 'start',
        policy: DEFAULT_POLICY,
        start,
      },
    ],
  });
  let commands = 0;
  let stateBytesMax = 0;
  const view = () => handle.query(queries.view);
  const today = async () => amsterdamDay(new Date(await env.currentTimeMs()));
  const measureState = async () => {
    const snap = await handle.query(queries.snapshot);
    const bytes = Buffer.byteLength(JSON.stringify(snap.state));
    stateBytesMax = Math.max(stateBytesMax, bytes);
    return bytes;
  };
  const cmd = async <K extends CommandType>(type: K, who: ProfessionalRef, body: CommandInput<K>) => {
    commands++;
    await handle.executeUpdate(updates[type] as never, { args: [{ actor: actorOf(who), body }] as never });
  };
  const evidence = async (who: ProfessionalRef, items: EvidenceItem[]) => {
    const date = await today();
    for (const item of items) {
      const members = eligibleMembers((await view()).state, item).map((m) => m.ref);
      await cmd('recordEvidence', who, (members.length ? { item, date, members } : { item, date }) as CommandInput<'recordEvidence'>);
    }
  };
  const scoreMonth = async (value: number) => {
    const date = await today();
    for (const d of (await view()).state.dangers)
      for (const group of ['huishouden', 'netwerk', 'professionals'] as const)
        await cmd('recordScore', REGIE, {
          dangerId: d.id,
          group,
          value,
          observedBehaviour: `${group}: afspraken nagekomen, geen incidenten gezien`,
          date,
        });
  };
  const advance = async (ms: number) => {
    await env.sleep(ms);
    await view();
  };

  await cmd('assignRole', VT, { role: 'eigenaar_veiligheid', professional: VT });
  await cmd('assignRole', VT, { role: 'casusregisseur', professional: REGIE });
  await cmd('assignRole', REGIE, { role: 'veiligheidsplanner', professional: REGIE });
  await cmd('defineDanger', REGIE, {
    statement: 'Bij ruzie slaat vader; het kind of de kwetsbare volwassene raakt gewond.',
    safetyGoal: 'Ruzies lopen zonder geweld af; iedereen weet wie te bellen.',
  });
  await cmd('addNetworkMember', REGIE, { id: 'oma', kind: 'sociaal', safetyPersonFor: ['kind-1'], chair: true });
  await evidence(REGIE, [
    'genogram',
    'netwerkkaart',
    'drie_kolommen_analyse',
    'kindgesprek',
    'randvoorwaarden',
    'direct_veiligheidsplan',
    'veiligheidslogboek',
    'veilig_voorwerp',
    'rollen_bekend',
    'overeenstemming_professionals',
  ]);
  await advance(21 * DAY_MS);
  await evidence(REGIE, ['direct_plan_uitgevoerd', 'geen_nieuw_geweld', 'logboek_observaties']);
  await scoreMonth(6);
  await cmd('requestTransition', REGIE, { to: 'risicogestuurd' });
  await cmd('assignRole', REGIE, { role: 'gedragswetenschapper', professional: GW });
  await evidence(REGIE, [
    'analyse_herzien_giz',
    'genogram_tijdlijn',
    'veerkracht_kalender',
    'traject',
    'stabiel_veiligheidsplan',
    'woord_en_beeld',
  ]);
  for (let m = 0; m < 10; m++) {
    await advance(30 * DAY_MS);
    await scoreMonth(7);
    await evidence(REGIE, ['netwerkberaad']);
    await measureState();
    if (m % 5 === 4) log(`long life: month ${m + 2} of 19`);
  }
  await evidence(REGIE, ['stresstest', 'geen_nieuw_geweld', 'herstelbehoeften_bekend', 'afspraken_herstelfase']);
  await cmd('requestTransition', REGIE, { to: 'herstel' });
  await cmd('assignRole', REGIE, { role: 'herstelbehandelaar', professional: GGZ });
  for (const id of ['buurvrouw', 'voetbaltrainer']) await cmd('addNetworkMember', REGIE, { id, kind: 'sociaal' });
  await evidence(REGIE, ['herstelplan', 'herstelbehandelaar_geinformeerd']);
  for (let m = 0; m < 8; m++) {
    await advance(30 * DAY_MS);
    await scoreMonth(8);
    await evidence(REGIE, ['netwerkberaad']);
    await measureState();
  }
  await evidence(REGIE, ['behandeldoelen_bereikt', 'herstelplan_afgerond', 'professionaloverleg', 'evaluatie_netwerkvoorzitter']);
  const stateBytesBeforeClosure = await measureState();
  const beforeClosure = { state: (await handle.query(queries.snapshot)).state, now: new Date(await env.currentTimeMs()) };
  await cmd('requestTransition', REGIE, { to: 'afgesloten' });
  const final = await handle.result();
  if (final.phase !== 'afgesloten') throw new Error(`long life: the trajectory ended in phase ${final.phase}`);
  return { handle, final, commands, stateBytesBeforeClosure, stateBytesMax, beforeClosure, start };
}
