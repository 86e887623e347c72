/**
 * Real Temporal servers for the tests and the benchmark, from the binaries scripts/install-temporal
 * provides (never the SDK's download): the time-skipping test server for workflow timing, the dev
 * server for visibility (list queries) and for update paths in real time.
 */
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleOptions } from '../../../worker/bundle';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { SA } from '../../../workflows/messages';
import { TUESDAY_10, type StartInstant } from '../clock';
import { until } from './wait';

const TOOLS = resolve(__dirname, '../../../.tools/bin');

/**
 * Worker warnings and errors only: info lines would bury the test results. A process that
 * installed its own runtime first (the benchmark) keeps it.
 */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process (or this module registry)
  }
}

/**
 * A time-skipping server whose clock stands at `startAt` (default: a Tuesday 10:00 in Amsterdam),
 * so nothing depends on the real date or hour it runs at.
 */
export async function timeSkippingEnv(startAt: StartInstant = TUESDAY_10): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolve(TOOLS, 'temporal-test-server') } },
  });
  const target = Date.parse(startAt.at());
  const now = await env.currentTimeMs();
  if (target < now) throw new Error(`start instant ${startAt.name} lies in the past`);
  await env.sleep(target - now);
  // The test server knows no custom search attributes until they are added (it has no list call).
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      Object.values(SA).map((k) => [k.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`]]),
    ),
  });
  return env;
}

export function devServerEnv(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolve(TOOLS, 'temporal') },
      searchAttributes: Object.values(SA),
      extraArgs: ['--log-level', 'error', ...extraArgs],
    },
  });
}

/** Waits until a Temporal frontend answers at `address` (host:port). */
export async function waitForTemporal(address: string, timeoutMs: number): Promise<void> {
  await until(
    `Temporal at ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    (up) => up,
    timeoutMs,
    500,
  );
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per process (per test file under jest). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  bundle ??= bundleWorkflowCode({ ...bundleOptions(), logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
