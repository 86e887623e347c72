/**
 * EXPERIMENT, not a production entry point: worker/main.ts's own `createWorker` with extra
 * Worker options from BENCH_WORKER_OPTIONS (JSON), merged into the configuration's worker options
 * (which createWorker spreads into Worker.create). Used by the benchmark's `preload` figure to
 * measure options before anyone changes worker/main.ts, e.g.
 *   BENCH_WORKER_OPTIONS='{"bundlerOptions":{"preloadModules":["zod"]}}'
 */
import { loadConfig } from '../../../platform/config';
import { openDatabase } from '../../../platform/db/database';
import { createWorker } from '../../../worker/main';

(async () => {
  const config = loadConfig();
  const extra = JSON.parse(process.env.BENCH_WORKER_OPTIONS ?? '{}') as Record<string, unknown>;
  const db = await openDatabase(config.database);
  const { worker, connection } = await createWorker({ ...config, worker: { ...config.worker, ...extra } } as typeof config, db);
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
  await connection.close();
  await db.close();
})().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
