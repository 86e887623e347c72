/**
 * How the workflow code is bundled, in one place for the worker, the tests and the benchmark.
 *
 * With the SDK's reusable V8 context every workflow gets its own copy of each module it imports,
 * evaluated again whenever a household is loaded into the cache (a new run, or a replay after
 * eviction). domain/ is pure (no state, no clock, no Node), so it is preloaded once per worker and
 * shared, deep-frozen by the SDK, by every cached household (issue 23). Not shared: the zod schemas
 * (domain/schemas/) and the checked commands (domain/commands.ts), because zod completes a schema
 * on first use and a frozen one cannot be; the workflow loads them only to validate a command
 * (workflows/bodies.ts). eslint.config.mjs keeps the shared modules from importing them at run time.
 * Only workflows/, the SDK's workflow library and, on a command, the schemas stay per household.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

const DOMAIN = join(__dirname, '..', 'domain');

/** Never shared: they build zod schemas. */
const PER_HOUSEHOLD = /^(schemas\/|commands\.[jt]s$)/;

/** Sets the workflow context's stack-trace limit while the context is built (workflows/stack-traces.ts). */
const STACK_TRACES = join(__dirname, '..', 'workflows', 'stack-traces');

/**
 * The modules every household shares instead of evaluating its own copy, as paths webpack
 * resolves: the stack-trace limit first, then domain/ but the schemas.
 */
export function sharedWorkflowModules(): string[] {
  const domain = readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.[jt]s$/.test(f) && !f.endsWith('.d.ts') && !PER_HOUSEHOLD.test(f))
    .map((f) => join(DOMAIN, f.replace(/\.[jt]s$/, '')))
    .sort();
  return [STACK_TRACES, ...domain];
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Where `npm run build` writes the bundle (scripts/bundle-workflows.ts): dist/workflow-bundle.js. */
export const PREBUILT_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

/** The lock file of the installed dependencies (the SDK's workflow library is bundled too): beside the sources, or above dist/. */
const LOCK_FILE = [join(__dirname, '..', 'package-lock.json'), join(__dirname, '..', '..', 'package-lock.json')].find(existsSync);

/** The newest modification time of the code the bundle is made of: folders (workflows/, domain/) and single files. */
function newestCode(paths: readonly string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!statSync(path).isDirectory()) {
      newest = Math.max(newest, statSync(path).mtimeMs);
      continue;
    }
    for (const f of readdirSync(path, { recursive: true, encoding: 'utf8' }))
      if (/\.([jt]s|json)$/.test(f)) newest = Math.max(newest, statSync(join(path, f)).mtimeMs);
  }
  return newest;
}

/**
 * For `Worker.create`: the prebuilt bundle when there is one newer than every file of the code it
 * is made of and than the dependencies' lock file (an older one would run old workflow code, or an
 * older SDK), else the workflows to bundle now (under tsx: the tests and the benchmark; or after a
 * tsc or an npm install without the bundle step).
 */
export function workerBundling(
  prebuilt = PREBUILT_BUNDLE,
  code: readonly string[] = [dirname(WORKFLOWS_PATH), DOMAIN, ...(LOCK_FILE ? [LOCK_FILE] : [])],
) {
  if (existsSync(prebuilt) && statSync(prebuilt).mtimeMs >= newestCode(code)) return { workflowBundle: { codePath: prebuilt } };
  return { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: sharedWorkflowModules() } };
}

/** For `bundleWorkflowCode` (tests, replay, scripts/bundle-workflows.ts): the same bundle the worker builds. */
export function bundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> {
  return { workflowsPath: WORKFLOWS_PATH, preloadModules: sharedWorkflowModules() };
}
