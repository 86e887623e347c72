/**
 * Jest's side of the household harness (./harness/household.ts): a fresh time-skipping server per
 * test, and the rule ids of a refused command.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RefusalDetails } from '../../workflows/messages';
import type { StartInstant } from './clock';
import { terminateAll } from './harness/household';
import { timeSkippingEnv } from './harness/temporal';

/**
 * One time-skipping server per test: skipped time is global to a server, and a workflow left
 * waiting for a worker would hold its clock. Its clock starts at `startAt` (default: a Tuesday
 * 10:00 in Amsterdam); call it inside a describe block to give that block's tests another start.
 * Returns a getter for the current test's environment.
 */
export function useTimeSkippingEnv(startAt?: StartInstant): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeEach(async () => {
    env = await timeSkippingEnv(startAt);
  }, 60_000);
  afterEach(async () => {
    await terminateAll();
    await env?.teardown();
  });
  return () => env!;
}

/** The rule and unmet rule ids of a refused command (fails the test when it was accepted). */
export async function refusal(p: Promise<unknown>): Promise<{ rule: string; unmet: string[] }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const d = (err.cause as { details?: RefusalDetails[] }).details![0]!;
      return { rule: d.rule, unmet: d.unmet.map((u) => u.rule) };
    }
    throw err;
  }
  throw new Error('expected the command to be refused');
}
