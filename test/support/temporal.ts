/**
 * Real Temporal servers for tests, from the binaries scripts/install-temporal provides (never the
 * SDK's download): the time-skipping test server for workflow timing, the dev server for
 * visibility (list queries) and for update paths in real time.
 */
import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { SA } from '../../workflows/messages';
import { TUESDAY_10, type StartInstant } from './clock';

const TOOLS = resolve(__dirname, '../../.tools/bin');

// Worker warnings and errors only: info lines would bury the test results.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this module registry
}

/**
 * A time-skipping server whose clock stands at `startAt` (default: a Tuesday 10:00 in Amsterdam),
 * so no test depends on the real date or hour it runs at.
 */
export async function timeSkippingEnv(startAt: StartInstant = TUESDAY_10): Promise<TestWorkflowEnvironment> {
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
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolve(TOOLS, 'temporal') },
      searchAttributes: Object.values(SA),
      extraArgs: ['--log-level', 'error', ...extraArgs],
    },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
