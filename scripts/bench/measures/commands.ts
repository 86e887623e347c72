/**
 * Figure 2, commands, one at a time (a professional does not send ten at once), the first four
 * series interleaved (runInterleaved: each round sends one of each, so they share the machine's moments):
 *  - api:      POST /households/{id}/scores through the API process (text sealed in the database,
 *              update, read of the view with texts opened, audit line);
 *  - apiMinimal: the same with `Prefer: return=minimal` (no read of the view after the update);
 *  - bare:     the same command as a bare `executeUpdate(updates.recordScore)` with the codec;
 *  - refused:  a bare update the validator refuses (unknown danger): the round trip through
 *              Temporal and the worker without any change of state, history or read model;
 *  - cold:     recordEvidence (a genogram, accepted in every phase), bare and through the API, to
 *              households that are not in the worker's cache (the worker replays their history
 *              first): households started long enough ago that more than the cache size of other
 *              households started since; compared with the same command to warm households.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { amsterdamDay } from '../../../domain/time';
import { updates } from '../../../workflows/messages';
import { bareStart, DANGER, intakeBody, populationBody, PRO_ACTOR, startInput } from '../households';
import { log } from '../lifecycle';
import { report, runInterleaved, runLoad } from '../load';
import type { Stack } from '../stack';
import { ratio, summarize } from '../stats';

export interface CommandOptions {
  n: number;
  cold: number;
  /** Households commands rotate over (warm: they stay in the cache). */
  households: number;
  /** The running workers' cache size (for choosing evicted households). */
  workerCache: number;
}

const GROUPS = ['huishouden', 'netwerk', 'professionals'] as const;

function scoreBody(dangerId: string, i: number) {
  return {
    dangerId,
    group: GROUPS[i % 3]!,
    value: 6 + (i % 3),
    observedBehaviour: 'Afspraken nagekomen; geen incidenten gezien bij het ophalen van school.',
    date: amsterdamDay(new Date()),
  };
}

/** Households started early enough that more than `cache` others were started after them. */
function evicted(stack: Stack, cache: number): string[] {
  return stack.started.slice(0, Math.max(0, stack.started.length - (cache + 50)));
}

async function historyLength(stack: Stack, id: string): Promise<number | undefined> {
  try {
    const d = await stack.client.workflow.getHandle(id).describe();
    return d.historyLength;
  } catch {
    return undefined;
  }
}

export async function measureCommands(stack: Stack, o: CommandOptions, used = new Set<string>(), label = 'r1') {
  // Households for the warm runs: through the API (danger defined through the API) and bare.
  const apiIds: { id: string; danger: string }[] = [];
  for (let k = 0; k < o.households; k++) {
    const res = await stack.call('POST', '/households', 'intake', intakeBody(`BENCH-${stack.tag}-${label}-cmd-${k}`));
    if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}`);
    const id = res.body.householdId as string;
    const d = await stack.call('POST', `/households/${id}/dangers`, 'professional', DANGER);
    if (d.status !== 200) throw new Error(`POST /dangers answered ${d.status}: ${JSON.stringify(d.body).slice(0, 200)}`);
    const dangers = (d.body.state as { dangers: { id: string }[] }).dangers;
    apiIds.push({ id, danger: dangers[0]!.id });
  }
  const bareIds: string[] = [];
  for (let k = 0; k < o.households; k++) {
    bareIds.push(
      await bareStart(stack.client, startInput(stack.idSecret, populationBody(`BENCH-${stack.tag}-${label}-cmdb-${k}`, 1), stack.policy)),
    );
  }
  await stack.waitSettled(bareIds, 60_000);
  stack.started.push(...apiIds.map((h) => h.id), ...bareIds);

  const apiScore = (id: string, danger: string, i: number, headers: Record<string, string> = {}) =>
    stack.call('POST', `/households/${id}/scores`, 'professional', scoreBody(danger, i), 60_000, headers).then((res) => {
      if (res.status !== 200) throw new Error(`POST /scores answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    });
  const bareScore = (id: string, dangerId: string, i: number) =>
    stack.client.workflow.getHandle(id).executeUpdate(updates.recordScore, { args: [{ actor: PRO_ACTOR, body: scoreBody(dangerId, i) }] });

  const warmApi = (i: number) => apiScore(apiIds[i % apiIds.length]!.id, apiIds[i % apiIds.length]!.danger, i);
  const warmApiMinimal = (i: number) =>
    apiScore(apiIds[i % apiIds.length]!.id, apiIds[i % apiIds.length]!.danger, o.n + i, { Prefer: 'return=minimal' });
  const warmBare = (i: number) => bareScore(bareIds[i % bareIds.length]!, 'g1', i).then(() => undefined);
  const refused = async (i: number) => {
    try {
      await bareScore(bareIds[i % bareIds.length]!, 'g9', i);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return;
      throw err;
    }
    throw new Error('the update was accepted, a refusal was expected');
  };

  await runLoad(Math.min(10, o.n), 1, warmApi);
  await runLoad(Math.min(10, o.n), 1, warmBare);
  log(`${stack.engine.name}: commands: ${o.n} rounds of one through the API (full, minimal), bare, refused`);
  const {
    api,
    apiMinimal,
    bare,
    refused: refusedRun,
  } = await runInterleaved(o.n, { api: warmApi, apiMinimal: warmApiMinimal, bare: warmBare, refused });

  // Cold: a command to households evicted from the cache. recordEvidence (a genogram dated today)
  // is accepted in every phase, so any household started long enough ago will do; the same
  // command to warm households is the comparison.
  const evidenceBody = { item: 'genogram' as const, date: amsterdamDay(new Date()) };
  const bareEvidence = (id: string) =>
    stack.client.workflow
      .getHandle(id)
      .executeUpdate(updates.recordEvidence, { args: [{ actor: PRO_ACTOR, body: evidenceBody }] })
      .then(() => undefined);
  const apiEvidence = (id: string) =>
    stack.call('POST', `/households/${id}/evidence`, 'professional', evidenceBody).then((res) => {
      if (res.status !== 200) throw new Error(`POST /evidence answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    });
  const warmEvidenceBare = await runLoad(Math.max(10, Math.round(o.n / 2)), 1, (i) => bareEvidence(bareIds[i % bareIds.length]!));
  const warmEvidenceApi = await runLoad(Math.max(10, Math.round(o.n / 2)), 1, (i) => apiEvidence(apiIds[i % apiIds.length]!.id));
  let candidates = evicted(stack, o.workerCache).filter((id) => !used.has(id));
  if (candidates.length < 2 * o.cold) {
    const missing = 2 * o.cold - candidates.length;
    log(`${stack.engine.name}: commands: starting ${missing + o.workerCache + 60} households to have ${2 * o.cold} evicted ones`);
    await stack.addPopulation(missing + o.workerCache + 60, 20, 'cold-command households');
    candidates = evicted(stack, o.workerCache).filter((id) => !used.has(id));
  }
  const coldBareIds = candidates.slice(0, o.cold);
  const coldApiIds = candidates.slice(o.cold, 2 * o.cold);
  for (const id of [...coldBareIds, ...coldApiIds]) used.add(id);
  const coldHistory = coldBareIds[0] ? await historyLength(stack, coldBareIds[0]) : undefined;
  log(`${stack.engine.name}: commands: ${coldBareIds.length} + ${coldApiIds.length} to households not in the cache`);
  const coldBare = await runLoad(coldBareIds.length, 1, (i) => bareEvidence(coldBareIds[i]!));
  const coldApi = await runLoad(coldApiIds.length, 1, (i) => apiEvidence(coldApiIds[i]!));

  // Does the API's cost grow with the household? Each read after a command opens every text of
  // the household; the first and last fifth of the run differ by n/5 scores per household.
  const fifth = (r: typeof api, last: boolean) =>
    summarize([...r.byIndex].filter(([i]) => (last ? i >= (4 * o.n) / 5 : i < o.n / 5)).map(([, ms]) => ms)).p50;

  return {
    apiGrowth: {
      note: `p50 of the first and last fifth of the sequential runs; each household got ${Math.round(o.n / o.households)} scores in the run`,
      apiFirstFifthP50: fifth(api, false),
      apiLastFifthP50: fifth(api, true),
      bareFirstFifthP50: fifth(bare, false),
      bareLastFifthP50: fifth(bare, true),
    },
    api: report(api),
    apiMinimal: report(apiMinimal),
    bare: report(bare),
    refused: report(refusedRun),
    warmEvidenceBare: report(warmEvidenceBare),
    warmEvidenceApi: report(warmEvidenceApi),
    coldEvidenceBare: { ...report(coldBare), historyEventsBefore: coldHistory },
    coldEvidenceApi: report(coldApi),
    warmHistoryEventsAfter: {
      api: await historyLength(stack, apiIds[0]!.id),
      bare: await historyLength(stack, bareIds[0]!),
    },
    ratios: {
      apiOverBareP50: ratio(api.latencyMs.p50, bare.latencyMs.p50),
      apiOverBareP99: ratio(api.latencyMs.p99, bare.latencyMs.p99),
      apiMinimalOverBareP50: ratio(apiMinimal.latencyMs.p50, bare.latencyMs.p50),
      apiMinimalOverBareP99: ratio(apiMinimal.latencyMs.p99, bare.latencyMs.p99),
      bareOverRefusedP50: ratio(bare.latencyMs.p50, refusedRun.latencyMs.p50),
      coldOverWarmBareP50: ratio(coldBare.latencyMs.p50, warmEvidenceBare.latencyMs.p50),
      coldOverWarmApiP50: ratio(coldApi.latencyMs.p50, warmEvidenceApi.latencyMs.p50),
    },
  };
}
