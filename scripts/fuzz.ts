/**
 * A hostile and clumsy client, automated: schemathesis (from PyPI, in a project-local venv) runs
 * against the OpenAPI document a real local stack serves (Temporal dev server, worker, API, the
 * embedded database), once with an intake key and once with a professional key, and the run
 * passes only with no 5xx and no answer that breaks the document (status, content type, schema).
 *
 *   npm run fuzz                 # at least 25,000 requests
 *   npm run fuzz -- --quick      # a few thousand, part of `npm test`
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../test/support/harness/ports';
import { until } from '../test/support/harness/wait';

const SCHEMATHESIS = '4.32.5';
const root = [resolve(__dirname, '..'), resolve(__dirname, '../..')].find((d) => existsSync(join(d, 'package.json')))!;
const venv = join(root, '.tools', `venv-schemathesis-${SCHEMATHESIS}`);
const quick = process.argv.includes('--quick');

function installSchemathesis(): string {
  const bin = join(venv, 'bin', 'schemathesis');
  if (existsSync(bin)) return bin;
  console.log(`[fuzz] installing schemathesis ${SCHEMATHESIS} into ${venv}`);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS}`], { stdio: 'inherit' });
  return bin;
}

interface RunResult {
  key: string;
  requests: number;
  failures: number;
  exitCode: number;
  /** Why the run was stopped before schemathesis ended it. */
  stuck?: string;
}

/** A run's wall-clock bound: CI has 90 minutes for everything, and a stuck run must end with a reason. */
const RUN_LIMIT_MS = (quick ? 10 : 90) * 60_000;

/**
 * Ends a run the moment the API stops answering: a request that blocks the event loop (as a year
 * 0000 in a month query once did) would otherwise let schemathesis time out on every later request
 * for half an hour. Three health checks in a row without an answer within 5 s stop it.
 */
function watchApi(api: string, child: ChildProcess, onStuck: (why: string) => void): () => void {
  let misses = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > RUN_LIMIT_MS) {
      onStuck(`run took longer than ${RUN_LIMIT_MS / 60_000} minutes`);
      child.kill('SIGKILL');
      return;
    }
    fetch(`${api}/health`, { signal: AbortSignal.timeout(5000) })
      .then(() => (misses = 0))
      .catch(() => {
        if (++misses < 3) return;
        onStuck('the API stopped answering /health (a request blocked it; the last requests above show which)');
        child.kill('SIGKILL');
      });
  }, 5000);
  return () => clearInterval(timer);
}

/**
 * One schemathesis run; its JSON report gives the number of requests. Its console output goes to a
 * file and is shown only when the run fails: its pytest-style closing banner ("=== 3 warnings in
 * 22s ===") would otherwise be read by CI as a test runner that ran no test.
 */
function schemathesis(bin: string, api: string, key: string, reportDir: string): Promise<RunResult> {
  const report = join(reportDir, `${key}.ndjson`);
  const log = join(reportDir, `${key}.log`);
  const args = [
    'run',
    `${api}/openapi.json`,
    '--header',
    `Authorization: Bearer ${key}`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance',
    '--max-examples',
    quick ? '15' : '400',
    '--phases',
    quick ? 'examples,coverage,fuzzing' : 'examples,coverage,fuzzing,stateful',
    // One worker: hypothesis' lambda-source cache is not thread-safe, and two workers made
    // schemathesis fail on its own KeyError now and then (seen in CI, with 0 API failures).
    '--workers',
    '1',
    '--seed',
    '20261130',
    '--suppress-health-check',
    'all',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    report,
    '--generation-database',
    'none',
    '--no-color',
  ];
  return new Promise((res) => {
    const out = openSync(log, 'a');
    const child = spawn(bin, args, { stdio: ['ignore', out, out], env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    let stuck: string | undefined;
    const stopWatching = watchApi(api, child, (why) => (stuck ??= why));
    child.once('exit', (code) => {
      stopWatching();
      closeSync(out);
      let requests = 0;
      let failures = 0;
      for (const line of existsSync(report) ? readFileSync(report, 'utf8').split('\n') : []) {
        // Every recorded interaction is one request; failures are counted by the checks that failed.
        requests += (line.match(/"request":/g) ?? []).length;
        failures += (line.match(/"status":\s*"failure"/g) ?? []).length;
      }
      const exitCode = stuck ? 1 : (code ?? 1);
      if (exitCode !== 0) console.error(`[fuzz] ${key}: schemathesis said (${log}):\n${readFileSync(log, 'utf8')}`);
      res({ key, requests, failures, exitCode, stuck });
    });
  });
}

async function main(): Promise<void> {
  const bin = installSchemathesis();
  const dir = mkdtempSync(join(tmpdir(), 'rk-fuzz-'));
  const apiPort = await freePort();
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    ROUTEKAART_DATA_DIR: join(dir, 'data'),
    API_PORT: String(apiPort),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    // The fuzzer is one fast client: the limits would only slow it down.
    API_RATE_LIMIT_PER_KEY: '1000000',
    API_RATE_LIMIT_FAILED_AUTH: '1000000',
  };
  // The stack's output goes to a file, never to an unread pipe (a full pipe blocks a Node process).
  const stackLog = join(dir, 'stack.log');
  const stack: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start-local.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', openSync(stackLog, 'a'), openSync(stackLog, 'a')],
  });
  const api = `http://127.0.0.1:${apiPort}/api/v1`;
  try {
    await until('stack healthy', () => fetch(`${api}/health`).then((r) => r.ok), Boolean, 120_000, 500);
    // One real household, so that some paths meet a household and not only 404s.
    await fetch(`${api}/households`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-intake-vt', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        reference: 'FUZZ-1',
        source: 'instantie',
        reportingOrganisation: 'politie',
        members: [{ ref: 'kind-1', isChild: true }],
        owner: { professionalId: 'vt-0117', organisation: 'veilig-thuis' },
      }),
    });
    const results: RunResult[] = [];
    for (const key of ['dev-intake-vt', 'dev-pro-vt']) {
      const result = await schemathesis(bin, api, key, dir);
      results.push(result);
      // A stuck API stays stuck: the next key would only wait on it too.
      if (result.stuck) break;
    }
    const requests = results.reduce((n, r) => n + r.requests, 0);
    const failed = results.filter((r) => r.exitCode !== 0);
    console.log(`[fuzz] ${requests} requests; ${results.map((r) => `${r.key}: ${r.requests} requests, exit ${r.exitCode}`).join('; ')}`);
    for (const r of results.filter((x) => x.stuck)) console.error(`[fuzz] ${r.key}: stopped, ${r.stuck}`);
    if (failed.length) {
      console.error(`[fuzz] the stack's last lines (${stackLog}):\n${readFileSync(stackLog, 'utf8').split('\n').slice(-40).join('\n')}`);
      throw new Error(`schemathesis found failures (5xx or answers that break the document): ${failed.map((r) => r.key).join(', ')}`);
    }
    if (!quick && requests < 25_000) throw new Error(`only ${requests} requests; the full run needs at least 25,000`);
    console.log('[fuzz] passed: no 5xx, no answer that breaks the document');
  } finally {
    stack.kill('SIGINT');
    await new Promise((r) => stack.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[fuzz] ${(err as Error).message}`);
  process.exit(1);
});
