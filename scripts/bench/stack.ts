/**
 * Routekaart on one engine, as in production: worker process(es) and an API process with their
 * configuration (keys hashed in an access file, a directory of people, secrets, policy), mail to
 * a loopback SMTP catcher, and, for the benchmark itself, a Temporal client with the same payload
 * codec and a connection to Routekaart's database.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { hashKey } from '../../api/access';
import { Policy } from '../../domain/schemas/policy';
import { dataConverter } from '../../platform/codec';
import { openDatabase, type Database } from '../../platform/db/database';
import { Keyring } from '../../platform/keyring';
import { snapshotOf, type CpuSnapshot } from './cpu';
import { freePort } from '../../test/support/harness/ports';
import { sleep } from '../../test/support/harness/wait';
import type { Engine } from './engines';
import { bareStart, INTAKE_ORG, OWNER, populationBody, REGISSEUR, startInput } from './households';
import { log, onCleanup } from './lifecycle';
import { runLoad } from './load';
import { BARE_TASK_QUEUE } from './bare/worker';
import { processCpu, startApiProcess, startWorkerProcess, threadCpu, type RoutekaartProcess } from './processes';
import { startMailCatcher, type MailCatcher } from './smtp';

/** Mail at any hour: figures must not depend on the hour the benchmark runs. */
export const BENCH_POLICY_OVERRIDES = { workingHours: { from: 0, until: 24, everyDay: true } };

export interface Keys {
  intake: string;
  professional: string;
  coordinator: string;
}

export class Stack {
  readonly policy: Policy = Policy.parse(BENCH_POLICY_OVERRIDES);
  readonly keys: Keys = {
    intake: `bench-intake-${randomBytes(12).toString('hex')}`,
    professional: `bench-pro-${randomBytes(12).toString('hex')}`,
    coordinator: `bench-coord-${randomBytes(12).toString('hex')}`,
  };
  readonly payloadKey = randomBytes(32);
  readonly idSecret = randomBytes(32);
  readonly linkSecret = randomBytes(32);
  /** Tag of this run in intake references (several runs on one database never collide). */
  readonly tag = randomBytes(3).toString('hex');
  workers: RoutekaartProcess[] = [];
  api?: RoutekaartProcess;
  apiBase = '';
  /** Households started through the population helper, in order (id and population index). */
  readonly population: { id: string; i: number }[] = [];
  /** Every household the benchmark started on this stack, in start order (for choosing evicted ones). */
  readonly started: string[] = [];
  /** NODE_OPTIONS for worker processes (--worker-node-options), e.g. '--max-old-space-size=768'. */
  workerNodeOptions = '';
  /** Measured setup rate (households whose first task completed, per second) for planning. */
  settleRate?: number;
  private workerSeq = 0;

  readonly client: Client;

  private constructor(
    readonly engine: Engine,
    readonly dir: string,
    readonly connection: Connection,
    readonly db: Database,
    readonly mail: MailCatcher,
  ) {
    this.client = new Client({ connection, dataConverter: dataConverter(new Keyring(this.payloadKey)) });
  }

  static async start(engine: Engine): Promise<Stack> {
    const dir = mkdtempSync(join(tmpdir(), `rk-bench-${engine.name}-app-`));
    onCleanup(`${engine.name} app folder`, () => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'logs'));
    const connection = await Connection.connect({ address: engine.temporalAddress, connectTimeout: 10_000 });
    onCleanup(`${engine.name} bench connection`, () => connection.close());
    const db = await openDatabase({ url: engine.databaseUrl, poolSize: 5 });
    onCleanup(`${engine.name} bench database pool`, () => db.close());
    const mail = await startMailCatcher();
    const stack = new Stack(engine, dir, connection, db, mail);
    stack.writeConfigFiles();
    return stack;
  }

  private writeConfigFiles(): void {
    const keys = [
      { id: 'bench-intake', kind: 'intake', organisation: INTAKE_ORG, sha256: hashKey(this.keys.intake) },
      {
        id: 'bench-pro',
        kind: 'professional',
        organisation: OWNER.organisation,
        professionalId: OWNER.professionalId,
        sha256: hashKey(this.keys.professional),
      },
      { id: 'bench-coord', kind: 'coordinator', organisation: 'regio-haaglanden', sha256: hashKey(this.keys.coordinator) },
    ];
    writeFileSync(join(this.dir, 'access.json'), JSON.stringify({ keys, webhooks: {} }));
    const person = (id: string, org: string) => ({ name: `Professional ${id}`, email: `${id}@${org}.example.org`, organisation: org });
    writeFileSync(
      join(this.dir, 'directory.json'),
      JSON.stringify({
        professionals: {
          [OWNER.professionalId]: person(OWNER.professionalId, OWNER.organisation),
          [REGISSEUR.professionalId]: person(REGISSEUR.professionalId, REGISSEUR.organisation),
        },
        organisations: {
          'veilig-thuis': { name: 'Veilig Thuis', leadEmail: 'lead@veilig-thuis.example.org', leadName: 'Lead VT' },
          'lokaal-team': { name: 'Lokaal team', leadEmail: 'lead@lokaal-team.example.org', leadName: 'Lead LT' },
        },
        coordinator: { name: 'Coördinator', email: 'coordinator@regio.example.org' },
      }),
    );
  }

  /** Environment shared by worker and API processes (as test/multi/processes.test.ts passes it). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      TEMPORAL_ADDRESS: this.engine.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      DATABASE_URL: this.engine.databaseUrl,
      ROUTEKAART_PAYLOAD_KEY: this.payloadKey.toString('base64'),
      ROUTEKAART_LINK_SECRET: this.linkSecret.toString('base64'),
      ROUTEKAART_ID_SECRET: this.idSecret.toString('base64'),
      ROUTEKAART_ACCESS: join(this.dir, 'access.json'),
      ROUTEKAART_DIRECTORY: join(this.dir, 'directory.json'),
      ROUTEKAART_POLICY: JSON.stringify(BENCH_POLICY_OVERRIDES),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.mail.port),
      // Metrics endpoints (where the configuration has them) off: several workers and an API run
      // side by side on one machine, and fixed default ports would collide. Worker processes get
      // the SDK's metrics on a free port of their own (workerEnv).
      METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      TEMPORAL_SDK_METRICS_PORT: '0',
      ...extra,
    };
  }

  /**
   * A worker process's environment: the shared one, its own data folder and cache size, and the
   * SDK's Prometheus metrics on a free port of its own (read by the month boundary: cache hits,
   * misses, replays).
   */
  private async workerEnv(name: string, maxCached: number, extra: Record<string, string>) {
    const dataDir = join(this.dir, name);
    mkdirSync(dataDir);
    const sdkMetricsPort = await freePort();
    const env = this.env({
      ROUTEKAART_DATA_DIR: dataDir,
      WORKER_MAX_CACHED_WORKFLOWS: String(maxCached),
      TEMPORAL_SDK_METRICS_PORT: String(sdkMetricsPort),
      ...(this.workerNodeOptions ? { NODE_OPTIONS: this.workerNodeOptions } : {}),
      ...extra,
    });
    return { env, sdkMetricsPort };
  }

  /** Replaces the running workers by `count` fresh ones with this cache size. */
  async restartWorkers(count: number, maxCached: number, extra: Record<string, string> = {}): Promise<RoutekaartProcess[]> {
    await this.stopWorkers();
    const started = await Promise.all(
      Array.from({ length: count }, async () => {
        const name = `${this.engine.name}-worker-${++this.workerSeq}`;
        const { env, sdkMetricsPort } = await this.workerEnv(name, maxCached, extra);
        const p = await startWorkerProcess(name, env, join(this.dir, 'logs'), this.client);
        return Object.assign(p, { sdkMetricsPort });
      }),
    );
    this.workers = started;
    log(`${this.engine.name}: ${count} worker(s) running, cache ${maxCached} (pid ${started.map((w) => w.pid).join(', ')})`);
    return started;
  }

  /**
   * The bare baseline's worker (scripts/bench/bare/worker.ts) beside Routekaart's, with the same
   * environment and cache size; not in `workers` (its CPU is read apart). Stop it with `stop()`.
   */
  async startBareWorker(maxCached: number): Promise<RoutekaartProcess> {
    const name = `${this.engine.name}-bare-worker-${++this.workerSeq}`;
    const { env, sdkMetricsPort } = await this.workerEnv(name, maxCached, {});
    const p = await startWorkerProcess(name, env, join(this.dir, 'logs'), this.client, 'default', {
      entry: 'scripts/bench/bare/worker.ts',
      taskQueue: BARE_TASK_QUEUE,
    });
    log(`${this.engine.name}: bare worker running, cache ${maxCached} (pid ${p.pid})`);
    return Object.assign(p, { sdkMetricsPort });
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
    this.workers = [];
  }

  async startApi(): Promise<void> {
    const port = await freePort();
    const dataDir = join(this.dir, 'api');
    mkdirSync(dataDir, { recursive: true });
    this.api = await startApiProcess(
      `${this.engine.name}-api`,
      // The per-key request limit (1,200 a minute by default) would cap one intake key at 20/s: the
      // benchmark measures the service behind it, so the limit is lifted for its keys.
      this.env({ ROUTEKAART_DATA_DIR: dataDir, API_PORT: String(port), API_HOST: '127.0.0.1', API_RATE_LIMIT_PER_KEY: '10000000' }),
      join(this.dir, 'logs'),
      port,
    );
    this.apiBase = `http://127.0.0.1:${port}/api/v1`;
  }

  /** One API call with a key; returns status and parsed body. Bounded by a timeout. */
  async call(
    method: string,
    path: string,
    key: keyof Keys,
    body?: unknown,
    timeoutMs = 60_000,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.apiBase}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.keys[key]}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { raw: text.slice(0, 300) };
    }
    return { status: res.status, body: parsed };
  }

  /** CPU seconds used so far, per part of the system (and per thread name inside these workers). */
  cpuSnapshot(workerProcesses: RoutekaartProcess[] = this.workers): CpuSnapshot {
    const workerThreads: Record<string, number> = {};
    let workers = 0;
    for (const w of workerProcesses) {
      for (const [name, sec] of Object.entries(threadCpu(w.pid))) {
        workerThreads[name] = (workerThreads[name] ?? 0) + sec;
        workers += sec;
      }
    }
    const own = process.cpuUsage();
    return snapshotOf(
      {
        workers,
        api: (this.api && processCpu(this.api.pid)) || 0,
        ...this.engine.cpuSeconds(),
        benchmarkDriver: (own.user + own.system) / 1e6,
      },
      workerThreads,
    );
  }

  /** Read-model rows that exist among these household ids. */
  async summariesWritten(ids: string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const [r] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM household_summaries WHERE household_id = ANY($1)', [
        ids.slice(i, i + 5000),
      ]);
      n += Number(r?.n ?? 0);
    }
    return n;
  }

  async openHouseholds(): Promise<number> {
    const [r] = await this.db.query<{ n: number }>("SELECT count(*)::int AS n FROM household_summaries WHERE status = 'running'");
    return Number(r?.n ?? 0);
  }

  /** Waits until every one of these households has had its first workflow task (its read-model row exists). */
  async waitSettled(ids: string[], timeoutMs: number): Promise<number> {
    const t0 = Date.now();
    let n = 0;
    for (;;) {
      // A worker that died (e.g. at its heap limit) will not settle anything: fail at once.
      const dead = this.workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
      if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}):\n${dead.tail(10)}`);
      n = await this.summariesWritten(ids).catch(() => n);
      if (n >= ids.length) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`${ids.length} households settled: only ${n} within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(1000);
    }
  }

  /**
   * Adds `count` households of the mixed population through bare starts (setup, not timed as a
   * figure) and waits until the workers have run the first task of each.
   */
  async addPopulation(count: number, concurrency = 20, label = 'population'): Promise<string[]> {
    if (count <= 0) return [];
    const base = this.population.length;
    const ids: string[] = [];
    const t0 = Date.now();
    let lastLog = t0;
    const r = await runLoad(
      count,
      concurrency,
      async (k) => {
        const i = base + k;
        const input = startInput(this.idSecret, populationBody(`BENCH-${this.tag}-pop-${i}`, i), this.policy);
        const id = await bareStart(this.client, input);
        ids.push(id);
        this.population.push({ id, i });
        this.started.push(id);
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          log(`${this.engine.name}: ${label}: ${k + 1}/${count} started`);
        }
      },
      { deadlineMs: Math.max(600_000, count * 200) },
    );
    if (r.errors) throw new Error(`${label}: ${r.errors} starts failed, e.g. ${r.errorExamples.join(' | ')}`);
    await this.waitSettled(ids, Math.max(120_000, count * 100));
    const seconds = (Date.now() - t0) / 1000;
    this.settleRate = count / seconds;
    log(`${this.engine.name}: ${label}: ${count} households settled in ${seconds.toFixed(1)} s (${this.settleRate.toFixed(1)}/s)`);
    return ids;
  }
}
