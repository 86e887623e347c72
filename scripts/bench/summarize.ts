/**
 * `npx tsx scripts/bench/summarize.ts data/bench/a.json data/bench/b.json ...`: the key figures of
 * several benchmark runs as a Markdown table, per engine the median with [min - max] over the runs
 * that have the figure (and how many did). Runs may cover different figures (--only).
 */
import { readFileSync } from 'node:fs';
import { spread } from './stats';

type Json = Record<string, unknown>;

function get(o: unknown, path: string): number | undefined {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) && /^\d+$/.test(key) ? cur[Number(key)] : (cur as Json)[key];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : undefined;
}

/** Memory figures are a list per cache size: find the entry of this cache and step. */
function memory(e: Json, cache: number, households: number | 'idle', field: string): number | undefined {
  const list = (e.memory as Json[] | undefined) ?? [];
  const m = list.find((x) => x.cache === cache);
  if (!m) return undefined;
  if (households === 'idle') return get(m, field);
  const step = ((m.steps as Json[] | undefined) ?? []).find((s) => s.households === households);
  return step ? get(step, field) : undefined;
}

const ROWS: [string, (e: Json) => number | undefined][] = [
  ['1 intake/s, API (a)', (e) => get(e, 'intake.throughputPerSecond.api')],
  ['1 intake/s, bare start (b)', (e) => get(e, 'intake.throughputPerSecond.bareStart')],
  ['1 intake/s, bare start + first task (c)', (e) => get(e, 'intake.throughputPerSecond.bareStartFirstTask')],
  ['1 ratio API / (c)', (e) => get(e, 'intake.ratios.apiOverBareStartFirstTask')],
  ['1 intake latency p50 ms, API', (e) => get(e, 'intake.api.latencyMs.p50')],
  ['1 intake latency p50 ms, (c)', (e) => get(e, 'intake.bareStartFirstTask.latencyMs.p50')],
  ['1 API minus (c), paired p50 ms', (e) => get(e, 'intake.breakdown.apiMinusStartFirstTaskMs.pairedP50')],
  ['1 snapshot query alone p50 ms (c=10)', (e) => get(e, 'intake.breakdown.snapshotQuery.latencyMs.p50')],
  ['1 audit append alone p50 ms (c=10)', (e) => get(e, 'intake.breakdown.auditAppend.latencyMs.p50')],
  ['2 POST /scores p50 ms', (e) => get(e, 'commands.api.latencyMs.p50')],
  ['2 POST /scores p99 ms', (e) => get(e, 'commands.api.latencyMs.p99')],
  ['2 bare recordScore p50 ms', (e) => get(e, 'commands.bare.latencyMs.p50')],
  ['2 bare recordScore p99 ms', (e) => get(e, 'commands.bare.latencyMs.p99')],
  ['2 ratio p99 API / bare', (e) => get(e, 'commands.ratios.apiOverBareP99')],
  ['2 refused update p50 ms', (e) => get(e, 'commands.refused.latencyMs.p50')],
  ['2 recordEvidence warm, bare p50 ms', (e) => get(e, 'commands.warmEvidenceBare.latencyMs.p50')],
  ['2 recordEvidence cold (not cached), bare p50 ms', (e) => get(e, 'commands.coldEvidenceBare.latencyMs.p50')],
  ['2 recordEvidence cold, bare p99 ms', (e) => get(e, 'commands.coldEvidenceBare.latencyMs.p99')],
  ['2 recordEvidence cold, API p50 ms', (e) => get(e, 'commands.coldEvidenceApi.latencyMs.p50')],
  ['3 worker RSS idle MB (cache 250)', (e) => memory(e, 250, 'idle', 'idleRssMb')],
  ['3 worker RSS MB, 300 households, cache 250', (e) => memory(e, 250, 300, 'rssMb')],
  ['3 worker RSS MB, 1000 households, cache 250', (e) => memory(e, 250, 1000, 'rssMb')],
  ['3 same after a full GC, MB', (e) => memory(e, 250, 1000, 'afterFullGc.rssMb')],
  ['3 worker RSS MB, 1000 households, cache 20000', (e) => memory(e, 20000, 1000, 'rssMb')],
  ['3 MB RSS per household, 1000, cache 250', (e) => memory(e, 250, 1000, 'mbPerHousehold')],
  ['3 MB RSS per household, 1000, cache 20000', (e) => memory(e, 20000, 1000, 'mbPerHousehold')],
  ['3 workflow heap MB per cached household (after GC)', (e) => memory(e, 20000, 1000, 'afterFullGc.workflowThreadMbPerCachedHousehold')],
  ['4 month boundary lateness p50 ms', (e) => get(e, 'monthBoundary.mailLatenessMs.p50')],
  ['4 lateness p95 ms', (e) => get(e, 'monthBoundary.mailLatenessMs.p95')],
  ['4 lateness p99 ms', (e) => get(e, 'monthBoundary.mailLatenessMs.p99')],
  ['4 lateness max ms', (e) => get(e, 'monthBoundary.mailLatenessMs.max')],
  ['4 workflow task lateness p50 ms (sample)', (e) => get(e, 'monthBoundary.taskLatenessSampleMs.p50')],
  ['4 mails per second in the burst', (e) => get(e, 'monthBoundary.mailsPerSecond')],
  ['4 worker cores busy in the burst', (e) => get(e, 'monthBoundary.burstCpu.parts.workers.cores')],
  ['4 last mail s, Routekaart', (e) => get(e, 'monthBoundary.lastMailAfterS')],
  ['4 last mail s, bare workflows (same N, same run)', (e) => get(e, 'monthBoundaryBare.lastMailAfterS')],
  // Only when both bursts were complete (every mail caught) and set up in time.
  [
    '4 ratio last mail Routekaart / bare (goal <= 1.5)',
    (e) => ((e.monthBoundaryRatios as Json | undefined)?.valid ? get(e, 'monthBoundaryRatios.lastMail') : undefined),
  ],
  ['4 bare lateness p50 ms', (e) => get(e, 'monthBoundaryBare.mailLatenessMs.p50')],
  ['4 bare lateness p99 ms', (e) => get(e, 'monthBoundaryBare.mailLatenessMs.p99')],
  ['4 worker CPU ms per wake-up, Routekaart (goal <= 10)', (e) => get(e, 'monthBoundaryRatios.workerCpuPerWakeupMs.routekaart')],
  ['4 worker CPU ms per wake-up, bare', (e) => get(e, 'monthBoundaryRatios.workerCpuPerWakeupMs.bare')],
  ['4 ratio worker CPU per wake-up Routekaart / bare', (e) => get(e, 'monthBoundaryRatios.workerCpuPerWakeup')],
  ['4 Temporal CPU ms per wake-up, Routekaart', (e) => get(e, 'monthBoundaryRatios.temporalCpuPerWakeupMs.routekaart')],
  ['4 Temporal CPU ms per wake-up, bare', (e) => get(e, 'monthBoundaryRatios.temporalCpuPerWakeupMs.bare')],
  ['4 sticky cache hit rate in the burst, Routekaart', (e) => get(e, 'monthBoundary.sdkMetrics.cacheHitRate')],
  ['4 sticky cache hit rate in the burst, bare', (e) => get(e, 'monthBoundaryBare.sdkMetrics.cacheHitRate')],
  ['4 sticky cache misses (replays) per wake-up, Routekaart', (e) => get(e, 'monthBoundary.sdkMetrics.perWakeup.cacheMisses')],
  ['4 sticky cache misses (replays) per wake-up, bare', (e) => get(e, 'monthBoundaryBare.sdkMetrics.perWakeup.cacheMisses')],
  ['4 workflow tasks per wake-up, Routekaart', (e) => get(e, 'monthBoundary.sdkMetrics.perWakeup.executedTasks')],
  ['4 workflow tasks per wake-up, bare', (e) => get(e, 'monthBoundaryBare.sdkMetrics.perWakeup.executedTasks')],
  ['4 other work on the machine in the burst, cores, Routekaart', (e) => get(e, 'monthBoundary.burstCpu.otherProcesses.cores')],
  ['4 other work on the machine in the burst, cores, bare', (e) => get(e, 'monthBoundaryBare.burstCpu.otherProcesses.cores')],
  [
    '4 timed-out workflow tasks per workflow (sample), Routekaart',
    (e) => get(e, 'monthBoundary.historySample.workflowTaskTimedOutPerWorkflow'),
  ],
  [
    '4 timed-out workflow tasks per workflow (sample), bare',
    (e) => get(e, 'monthBoundaryBare.historySample.workflowTaskTimedOutPerWorkflow'),
  ],
  ['5 GET /households p95 ms', (e) => get(e, 'lists.firstPage.latencyMs.p95')],
  ['5 ?escalationLevel=1 p95 ms', (e) => get(e, 'lists.escalationLevel1.latencyMs.p95')],
  ['5 ?phase=veiligheid&pageSize=100 p95 ms', (e) => get(e, 'lists.veiligheidPage100.latencyMs.p95')],
  ['5 next pages (token) p95 ms', (e) => get(e, 'lists.nextPages.latencyMs.p95')],
  ['5 overview p95 ms', (e) => get(e, 'lists.overview.latencyMs.p95')],
  ['5 open households during lists', (e) => get(e, 'lists.openHouseholds')],
];

const LONG_LIFE: [string, (d: Json) => number | undefined][] = [
  ['6 wall ms, 18-month trajectory', (d) => get(d, 'longLife.trajectoryMs')],
  ['6 history events per household-year', (d) => get(d, 'longLife.historyEventsPerHouseholdYear')],
  ['6 history KB per household-year', (d) => (get(d, 'longLife.historyBytesPerHouseholdYear') ?? NaN) / 1024],
  ['6 runs (continue-as-new)', (d) => get(d, 'longLife.runs')],
  ['6 state bytes before closure', (d) => get(d, 'longLife.stateBytesBeforeClosure')],
];

/** The default deployment (`npm start`: one process with the embedded dev server, worker, API and PGlite). */
const DEFAULT_DEPLOYMENT: [string, (d: Json) => number | undefined][] = [
  ['D npm start RSS MB idle', (d) => get(d, 'defaultDeployment.rssMb.idle')],
  ['D npm start RSS MB at 1,000 households', (d) => get(d, 'defaultDeployment.rssMb.at1000')],
  ['D npm start RSS MB at 2,000 households', (d) => get(d, 'defaultDeployment.rssMb.at2000')],
  ['D npm start MB RSS per household', (d) => get(d, 'defaultDeployment.rssPerHouseholdMb')],
  ['D npm start intake/s, API', (d) => get(d, 'defaultDeployment.throughputPerSecond.api')],
  ['D npm start intake/s, bare start', (d) => get(d, 'defaultDeployment.throughputPerSecond.bareStart')],
  ['D npm start ratio API / bare start (goal >= 0.5)', (d) => get(d, 'defaultDeployment.intakeRatio')],
];

function cell(values: number[]): string {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return '-';
  const s = spread(v);
  return v.length === 1 ? `${s.median}` : `${s.median} [${s.min} - ${s.max}] (${s.runs})`;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: npx tsx scripts/bench/summarize.ts data/bench/<run>.json ...\n');
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Json);
const engines = ['dev', 'pg'];
const lines = [`| figure | ${engines.join(' | ')} |`, `| --- | ${engines.map(() => '---').join(' | ')} |`];
for (const [name, pick] of ROWS) {
  const cols = engines.map((en) => cell(runs.map((r) => ((r.engines as Json)?.[en] as Json | undefined) ?? {}).map((e) => pick(e) ?? NaN)));
  if (cols.every((c) => c === '-')) continue;
  lines.push(`| ${name} | ${cols.join(' | ')} |`);
}
for (const [name, pick] of LONG_LIFE) {
  const c = cell(runs.map((r) => pick(r) ?? NaN));
  if (c !== '-') lines.push(`| ${name} | ${c} (time-skipping server) | |`);
}
for (const [name, pick] of DEFAULT_DEPLOYMENT) {
  const c = cell(runs.map((r) => pick(r) ?? NaN));
  if (c !== '-') lines.push(`| ${name} | ${c} (its own dev server) | |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
