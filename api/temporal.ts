/**
 * The API's only door to Temporal: start, read (the 'snapshot' query), command (one update per
 * command). Lists come from the read model (platform/store/summaries.ts). Every call has a deadline, so an unreachable server answers 503 within
 * seconds instead of a hanging request, and every Temporal error leaves here as an ApiError.
 */
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CommandType } from '../domain/command-schemas';
import type { StartInput } from '../domain/intake';
import { Policy } from '../domain/policy';
import { householdView, type HouseholdView } from '../domain/view';
import {
  queries,
  TASK_QUEUE,
  updates,
  workflowIdFor,
  WORKFLOW_TYPE,
  type CommandArgs,
  type HouseholdWorkflowInput,
} from '../workflows/messages';
import { fromTemporal } from './errors';

export interface TemporalTimeouts {
  /** Starts and queries (default 10 s). */
  readMs: number;
  /** Updates: the workflow must run the command (default 30 s). */
  writeMs: number;
  /** Health check (default 2 s). */
  healthMs: number;
}

export const DEFAULT_TIMEOUTS: TemporalTimeouts = { readMs: 10_000, writeMs: 30_000, healthMs: 2_000 };

export class HouseholdGateway {
  constructor(
    private readonly client: Client,
    private readonly timeouts: TemporalTimeouts = DEFAULT_TIMEOUTS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async call<T>(ms: number, fn: () => Promise<T>, afterView = false): Promise<T> {
    try {
      return await this.client.withDeadline(Date.now() + ms, fn);
    } catch (err) {
      throw fromTemporal(err, afterView) ?? err;
    }
  }

  /** Starts the household's workflow; false when it already existed (a repeated intake). */
  async start(start: StartInput, policy: Policy): Promise<boolean> {
    const input: HouseholdWorkflowInput = { kind: 'start', start, policy };
    try {
      await this.call(this.timeouts.readMs, () =>
        this.client.workflow.start(WORKFLOW_TYPE, {
          taskQueue: TASK_QUEUE,
          workflowId: workflowIdFor(start.householdId),
          args: [input],
          // One household per id, ever: a running one is found again (FAIL answers ALREADY_EXISTS,
          // which tells us it was not new), and a closed one is never restarted with empty state.
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** The household as of now: the workflow's state, viewed with the caller's clock (not the workflow's last wake-up). */
  async view(householdId: string): Promise<HouseholdView> {
    const snapshot = await this.call(this.timeouts.readMs, () =>
      this.client.workflow.getHandle(workflowIdFor(householdId)).query(queries.snapshot),
    );
    return householdView(snapshot.state, this.now(), Policy.parse(snapshot.policy));
  }

  /** Runs a command; the update's result is small (it is kept in history), so callers read the view after it. */
  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<void> {
    await this.call(
      this.timeouts.writeMs,
      () => this.client.workflow.getHandle(workflowIdFor(householdId)).executeUpdate(updates[type], { args: [args], updateId }),
      true,
    );
  }

  async health(): Promise<boolean> {
    try {
      await this.client.withDeadline(Date.now() + this.timeouts.healthMs, () => this.client.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }
}
