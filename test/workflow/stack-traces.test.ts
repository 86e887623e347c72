/**
 * Issue 23: workflow code captures at most WORKFLOW_STACK_FRAMES frames (workflows/stack-traces.ts),
 * set once in the shared workflow context; the stack-trace query still says where a household waits.
 */
import { defineQuery } from '@temporalio/workflow';
import { WORKFLOW_STACK_FRAMES } from '../../workflows/stack-traces';
import { Household, recordingWorker } from '../support/harness/household';
import { useTimeSkippingEnv } from '../support/household';

const testEnv = useTimeSkippingEnv();

interface EnhancedStackTrace {
  stacks: { locations: { file_path?: string; function_name?: string; line?: number }[] }[];
}
const enhancedStackTrace = defineQuery<EnhancedStackTrace>('__enhanced_stack_trace');

test('a waiting household answers the stack-trace query with short stacks that name the workflow code', async () => {
  const { worker, taskQueue } = await recordingWorker(testEnv());
  await worker.runUntil(async () => {
    const hh = await Household.start(testEnv(), taskQueue);
    const trace = await hh.handle.query(enhancedStackTrace);
    expect(trace.stacks.length).toBeGreaterThan(0);
    // One captured frame is the promise hook's own.
    for (const s of trace.stacks) expect(s.locations.length).toBeLessThanOrEqual(WORKFLOW_STACK_FRAMES - 1);
    const files = trace.stacks.flatMap((s) => s.locations.map((l) => l.file_path ?? ''));
    expect(files.some((f) => /workflows\/(run|household|outbox)\.ts$/.test(f))).toBe(true);
  });
});
