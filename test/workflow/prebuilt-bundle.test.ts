/**
 * Issue 23: `npm run build` writes the workflow bundle once (scripts/bundle-workflows.ts), and a
 * worker started from dist/ loads it instead of running webpack at every start. A bundle older than
 * any file of its code is never used: it would run old workflow code.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWorkflowBundle } from '../../scripts/bundle-workflows';
import { workerBundling } from '../../worker/bundle';
import { actorOf, Household, pro, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();
let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rk-bundle-'));
  bundle = join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle(bundle);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the prebuilt bundle is used while it is newer than every file of its code, and not after a change', () => {
  const code = join(dir, 'code', 'deadlines');
  mkdirSync(code, { recursive: true });
  const file = join(code, 'plan.js');
  writeFileSync(file, '// code');
  const past = new Date(Date.parse('2026-01-01T00:00:00Z'));
  utimesSync(file, past, past);
  expect(workerBundling(bundle, [join(dir, 'code')])).toEqual({ workflowBundle: { codePath: bundle } });
  // A file changed after the bundle was written (here: dated a day after it).
  const later = new Date(Date.now() + 86_400_000);
  utimesSync(file, later, later);
  expect(workerBundling(bundle, [join(dir, 'code')])).toMatchObject({ workflowsPath: expect.any(String) });
  expect(workerBundling(join(dir, 'absent.js'), [join(dir, 'code')])).toMatchObject({ workflowsPath: expect.any(String) });
});

test('a dependency installed after the bundle was written (a newer lock file) makes the worker bundle anew', () => {
  const code = join(dir, 'deps', 'domain');
  mkdirSync(code, { recursive: true });
  const lock = join(dir, 'deps', 'package-lock.json');
  writeFileSync(join(code, 'view.js'), '// code');
  writeFileSync(lock, '{}');
  const past = new Date(Date.parse('2026-01-01T00:00:00Z'));
  utimesSync(join(code, 'view.js'), past, past);
  utimesSync(lock, past, past);
  expect(workerBundling(bundle, [code, lock])).toEqual({ workflowBundle: { codePath: bundle } });
  const later = new Date(Date.now() + 86_400_000);
  utimesSync(lock, later, later);
  expect(workerBundling(bundle, [code, lock])).toMatchObject({ workflowsPath: expect.any(String) });
});

test('a worker runs households from the prebuilt bundle, the shared domain included', async () => {
  const { worker, taskQueue } = await recordingWorker(testEnv(), {}, { codePath: bundle });
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue);
    const owner = pro('p-vt-1', 'veilig-thuis');
    const view = await hh.cmd('assignRole', actorOf(owner), { role: 'eigenaar_veiligheid', professional: owner });
    expect(view.state.phase).toBe('veiligheid');
  });
});
