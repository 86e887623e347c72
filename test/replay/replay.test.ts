/**
 * Replays the workflow histories recorded by the test suite (test/replay/histories, recorded with
 * RECORD_HISTORIES=1 npx jest test/workflow) against the current workflow code: a change that
 * would break households already running fails here. Breaking changes go behind patched().
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { HISTORY_DIR } from '../support/histories';
import { workflowBundle } from '../support/harness/temporal';

const files = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.pb'));

test('recorded histories exist', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test.each(files)('replays %s without nondeterminism', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(resolve(HISTORY_DIR, file)));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
});
