/**
 * `npm run bench [-- options]`: Routekaart measured on two engines (and the default deployment,
 * `npm start`, on its own), printed as JSON and written to data/bench/<timestamp>.json. Figures are distributions and ratios measured in the same run, never
 * pass/fail thresholds. See docs/BENCHMARKS.md.
 *
 *   --engine dev|pg|both   which engines (default both)
 *   --full                 full mode (10,000 households per figure, 50,000 for the nation figure on pg)
 *   --scale F              multiply every household count and sample size by F (e.g. 0.02 to try full mode small)
 *   --only a,b             only these figures: intake, commands, memory, month, killburst, lists, longlife, longread, nation, default
 *   --skip a,b             all but these figures
 *   --pg-dir DIR           keep the pg engine's cluster in DIR (default: a temp folder, removed at the end)
 *   --out FILE             where to write the JSON (default data/bench/<timestamp>.json)
 *   --worker-node-options S  NODE_OPTIONS for the worker processes (e.g. '--max-old-space-size=768')
 *   --heap-snapshots DIR   after the memory figure's last step, V8 heap snapshots of the worker's threads into DIR
 *   --caches A,B           worker cache sizes of the memory figure (default 250,20000: the first with new
 *                          households, the second loading existing ones by query)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { cpuDelta } from './cpu';
import { ROOT, startDevEngine, startPgEngine, type Engine, type EngineName } from './engines';
import { buildForBench } from './processes';
import { cleanupAll, cleanupTo, installSignalHandlers, log, mark } from './lifecycle';
import { machine } from './machine';
import { measureBareBoundary, monthRatios } from './measures/bare-boundary';
import { measureCommands } from './measures/commands';
import { measureDefaultDeployment } from './measures/default-deployment';
import { measureIntake } from './measures/intake';
import { measureKillBurst } from './measures/kill-burst';
import { measureLists } from './measures/lists';
import { measureLongLife } from './measures/long-life';
import { measureLongRead } from './measures/long-read';
import { measureMemory } from './measures/memory';
import { measureMonthBoundary } from './measures/month-boundary';
import { measureNation } from './measures/nation';
import { Stack } from './stack';

const FIGURES = ['intake', 'commands', 'memory', 'month', 'killburst', 'lists', 'longlife', 'longread', 'nation', 'default'] as const;
type Figure = (typeof FIGURES)[number];
/** Figures that bring their own server and run without an engine. */
const OWN_SERVER: readonly Figure[] = ['longlife', 'default'];

interface Options {
  engines: EngineName[];
  full: boolean;
  scale: number;
  figures: Set<Figure>;
  pgDir?: string;
  out: string;
  workerNodeOptions: string;
  caches?: number[];
  heapSnapshots?: string;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n\n`);
  process.stderr.write(
    'usage: npm run bench -- [--engine dev|pg|both] [--full] [--scale F] [--only a,b] [--skip a,b] [--pg-dir DIR] [--out FILE]\n' +
      '                        [--worker-node-options "--max-old-space-size=768"]\n' +
      `figures: ${FIGURES.join(', ')}\n`,
  );
  process.exit(message ? 2 : 0);
}

function parseFigures(list: string): Figure[] {
  const out = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of out) if (!(FIGURES as readonly string[]).includes(f)) usage(`unknown figure '${f}'`);
  return out as Figure[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    engines: ['dev', 'pg'],
    full: false,
    scale: 1,
    figures: new Set(FIGURES),
    out: join(ROOT, 'data/bench', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
    workerNodeOptions: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case '--engine': {
        const v = value();
        if (v === 'both') o.engines = ['dev', 'pg'];
        else if (v === 'dev' || v === 'pg') o.engines = [v];
        else usage(`--engine must be dev, pg or both`);
        break;
      }
      case '--full':
        o.full = true;
        break;
      case '--scale': {
        o.scale = Number(value());
        if (!(o.scale > 0 && o.scale <= 10)) usage('--scale must be a number above 0 (at most 10)');
        break;
      }
      case '--only':
        o.figures = new Set(parseFigures(value()));
        break;
      case '--skip':
        for (const f of parseFigures(value())) o.figures.delete(f);
        break;
      case '--pg-dir':
        o.pgDir = resolve(value());
        break;
      case '--out':
        o.out = resolve(value());
        break;
      case '--caches':
        o.caches = value()
          .split(',')
          .map((c) => Number(c.trim()));
        if (o.caches.some((c) => !(Number.isInteger(c) && c >= 0))) usage('--caches takes cache sizes, e.g. 250,20000');
        break;
      case '--heap-snapshots':
        o.heapSnapshots = resolve(value());
        break;
      case '--worker-node-options':
        o.workerNodeOptions = value();
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  return o;
}

/** Household counts and sample sizes of a mode, scaled. */
function plan(o: Options) {
  const n = (v: number, floor = 20) => Math.max(floor, Math.round(v * o.scale));
  const full = o.full;
  return {
    intake: { n: n(full ? 1000 : 200), concurrency: 10, warmup: 10 },
    commands: { n: n(full ? 1000 : 300), cold: n(full ? 100 : 30, 10), households: 5 },
    memory: {
      caches: o.caches ?? [250, 20_000],
      steps: (full ? [1000, 10_000] : [300, 1000]).map((v) => n(v)),
      concurrency: 20,
      settleMs: 5000,
      snapshotDir: o.heapSnapshots,
    },
    month: { n: n(full ? 10_000 : 300), concurrency: 20, minLeadMs: 30_000, sample: 200 },
    killburst: { households: n(full ? 200 : 60), concurrency: 20 },
    lists: { households: n(full ? 10_000 : 1000), repeat: n(full ? 100 : 30), pages: 5 },
    nation: { households: n(50_000), workers: 2, workerCache: 250, setupConcurrency: 50 },
    default: { n: n(full ? 2000 : 1000), concurrency: 10 },
    workerCache: 250,
  };
}

type Json = Record<string, unknown>;

/** Writes what is measured so far: a full run takes hours, and one stopped early keeps its figures. */
let checkpoint: () => void = () => {};

async function attempt(into: Json, key: string, errors: string[], fn: () => Promise<unknown>, stack?: Stack): Promise<void> {
  const t0 = Date.now();
  const cpu0 = stack?.cpuSnapshot();
  try {
    into[key] = await fn();
    const value = into[key];
    if (stack && cpu0 && value && typeof value === 'object' && !Array.isArray(value))
      (value as Json).cpu = cpuDelta(cpu0, stack.cpuSnapshot(), (value as Json).cpuUnits as number | undefined);
    log(`${key}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
    checkpoint();
  } catch (err) {
    const message = (err as Error)?.stack ?? String(err);
    log(`${key} failed: ${message}`);
    into[key] = { error: String((err as Error)?.message ?? err).slice(0, 2000) };
    errors.push(`${key}: ${String((err as Error)?.message ?? err).slice(0, 500)}`);
  }
}

async function runEngine(name: EngineName, o: Options, p: ReturnType<typeof plan>, errors: string[], out: Json): Promise<void> {
  const depth = mark();
  const t0 = Date.now();
  try {
    const engine: Engine = name === 'dev' ? await startDevEngine() : await startPgEngine({ dir: o.pgDir });
    out.versions = engine.versions;
    const stack = await Stack.start(engine);
    stack.workerNodeOptions = o.workerNodeOptions;
    await stack.startApi();
    const want = (f: Figure) => o.figures.has(f);
    const memory: Json[] = [];
    const [firstCache, ...laterCaches] = p.memory.caches;
    if (want('memory') && firstCache !== undefined)
      await attempt(out, 'memoryFirstCache', errors, async () =>
        memory.push(await measureMemory(stack, { ...p.memory, cache: firstCache })),
      );
    if (stack.workers.length === 0 || (want('memory') && firstCache !== p.workerCache)) await stack.restartWorkers(1, p.workerCache);
    const usedForCold = new Set<string>();
    if (want('intake')) await attempt(out, 'intake', errors, () => measureIntake(stack, p.intake), stack);
    if (want('commands'))
      await attempt(
        out,
        'commands',
        errors,
        () => measureCommands(stack, { ...p.commands, workerCache: p.workerCache }, usedForCold),
        stack,
      );
    if (want('lists')) await attempt(out, 'lists', errors, () => measureLists(stack, p.lists), stack);
    if (want('longread')) await attempt(out, 'longRead', errors, () => measureLongRead(stack), stack);
    if (want('month')) {
      await attempt(out, 'monthBoundary', errors, () => measureMonthBoundary(stack, p.month), stack);
      // The bare baseline of the same shape, after Routekaart's burst settled, and the ratios.
      await attempt(out, 'monthBoundaryBare', errors, () => measureBareBoundary(stack, { ...p.month, workerCache: p.workerCache }));
      out.monthBoundaryRatios = monthRatios(out.monthBoundary as never, out.monthBoundaryBare as never);
    }
    if (want('killburst'))
      await attempt(out, 'killBurst', errors, () => measureKillBurst(stack, { ...p.killburst, workerCache: p.workerCache }), stack);
    // Later cache sizes are filled with households that exist already (the first population), by query.
    const reuse = stack.population.map((h) => h.id);
    for (const cache of want('memory') ? laterCaches : [])
      await attempt(out, `memoryCache${cache}`, errors, async () => memory.push(await measureMemory(stack, { ...p.memory, cache, reuse })));
    if (memory.length) {
      out.memory = memory;
      // The successful ones are in `memory`; a failed one keeps its { error } under its own key.
      for (const key of Object.keys(out))
        if ((key.startsWith('memoryFirstCache') || key.startsWith('memoryCache')) && !(out[key] as Json)?.error) delete out[key];
    }
    if (want('nation') && o.full && name === 'pg')
      await attempt(out, 'nation', errors, () =>
        measureNation(stack, { ...p.nation, intake: p.intake, commands: p.commands, lists: p.lists }, usedForCold),
      );
    out.openHouseholdsAtEnd = await stack.openHouseholds();
    out.mailsReceived = stack.mail.arrivals.length;
    out.apiMemory = stack.api?.memory();
    out.storeSizesMb = await engine.storeSizes();
    out.serverMemory = await engine.serverMemory();
  } catch (err) {
    log(`engine ${name} failed: ${(err as Error)?.stack ?? String(err)}`);
    out.error = String((err as Error)?.message ?? err).slice(0, 2000);
    errors.push(`${name}: ${out.error as string}`);
  } finally {
    log(`engine ${name}: stopping`);
    await cleanupTo(depth);
  }
  out.wallSeconds = Math.round((Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  installSignalHandlers();
  // Our own handlers stop the children; the SDK's runtime must not react to signals by itself.
  // Native (core) log lines are forwarded to the logger, which writes to stderr: stdout stays pure JSON.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  log('npm run build: the processes run the compiled code with the prebuilt workflow bundle, as in production');
  buildForBench();
  const p = plan(o);
  const errors: string[] = [];
  const result: Json = {
    mode: o.full ? 'full' : 'quick',
    scale: o.scale,
    engines: {},
    startedAt: new Date().toISOString(),
    machine: machine(),
    plan: p,
    figures: [...o.figures],
    workerNodeOptions: o.workerNodeOptions || undefined,
  };
  mkdirSync(dirname(o.out), { recursive: true });
  checkpoint = () => writeFileSync(o.out, `${JSON.stringify({ ...result, unfinished: true, errors }, null, 2)}\n`);
  // The long-life figure runs on its own time-skipping server and the default deployment (`npm
  // start`) brings its own dev server: no engine needed for them alone.
  const engineFigures = [...o.figures].filter((f) => !OWN_SERVER.includes(f));
  for (const name of engineFigures.length ? o.engines : []) {
    log(`engine ${name}: starting`);
    const out: Json = {};
    (result.engines as Json)[name] = out;
    await runEngine(name, o, p, errors, out);
  }
  if (o.figures.has('default')) {
    const depth = mark();
    try {
      await attempt(result, 'defaultDeployment', errors, () => measureDefaultDeployment(p.default));
    } finally {
      log('default deployment: stopping');
      await cleanupTo(depth);
    }
  }
  if (o.figures.has('longlife')) await attempt(result, 'longLife', errors, () => measureLongLife());
  result.finishedAt = new Date().toISOString();
  result.errors = errors;
  writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  log(`written to ${o.out}`);
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error)?.stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanupAll();
    // Connections of the SDK keep the event loop alive: leave once everything is stopped.
    process.exit(process.exitCode ?? 0);
  });
