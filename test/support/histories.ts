/**
 * Workflow histories recorded by the test suite, kept under test/replay/histories and replayed in
 * CI (test/replay), so a change that would break running households is caught before it ships.
 * Set RECORD_HISTORIES=1 to (re)record them. Recording overwrites: keep the files of earlier code
 * (they hold the pre-patch paths) and add the new ones under a dated name, e.g.
 * `trajectory-family.2026-12-06.pb` (recorded after the `webhook-events-with-read-model-row` patch).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORY_DIR = resolve(__dirname, '../replay/histories');

export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORY_DIR, { recursive: true });
  // Binary protobuf: exact, and smaller than the JSON form.
  writeFileSync(resolve(HISTORY_DIR, `${name}.pb`), temporal.api.history.v1.History.encode(history).finish());
}
