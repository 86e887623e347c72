/**
 * The API's only door to Temporal: start, read (the 'snapshot' query), command (one update per
 * command). Lists come from the read model (platform/store/summaries.ts). Every call has a deadline, so an unreachable server answers 503 within
 * seconds instead of a hanging request, and every Temporal error leaves here as an ApiError.
 */
import { Client, isGrpcServiceError, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CommandType } from '../domain/command-types';
import type { StartInput } from '../domain/intake';
import { Policy } from '../domain/schemas/policy';
import { householdView, type HouseholdView } from '../domain/view';
import {
  queries,
  TASK_QUEUE,
  updates,
  WORKFLOW_TYPE,
  type CommandArgs,
  type CommandResult,
  type HouseholdWorkflowInput,
} from '../workflows/messages';
import { ApiError, fromTemporal } from './errors';

export interface TemporalTimeouts {
  /** Starts and queries (default 10 s). */
  readMs: number;
  /** Updates: the workflow must run the command (default 30 s). */
  writeMs: number;
  /** Health check (default 2 s). */
  healthMs: number;
  /** While Temporal is away: how often one request may probe whether it is back (default 2 s). */
  probeEveryMs: number;
}

export const DEFAULT_TIMEOUTS: TemporalTimeouts = { readMs: 10_000, writeMs: 30_000, healthMs: 2_000, probeEveryMs: 2_000 };

const unavailable = () => new ApiError(503, 'temporal_unavailable', 'Temporal is niet bereikbaar. Probeer het later opnieuw.');

/** UNAVAILABLE (14) anywhere in the cause chain: the connection, not a slow workflow. */
function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && e.code === 14) return true;
  }
  return false;
}

export class HouseholdGateway {
  constructor(
    private readonly client: Client,
    private readonly timeouts: TemporalTimeouts = DEFAULT_TIMEOUTS,
    private readonly now: () => Date = () => new Date(),
    /** The client shares the worker's NativeConnection (npm start): see AppDeps.eagerStart. */
    private readonly eagerStart = false,
  ) {}

  /**
   * Fail fast while Temporal is away: after a call found it unreachable, requests are answered 503
   * at once; at most every couple of seconds one health probe checks whether it is back. One log
   * line when it goes away and one when it returns, not one per request.
   */
  private outage?: { since: number; lastProbe: number };

  private wentAway(): void {
    if (this.outage) return;
    this.outage = { since: Date.now(), lastProbe: Date.now() };
    console.error('[api] Temporal unreachable: answering 503 until it is back');
  }

  private cameBack(): void {
    if (!this.outage) return;
    console.error(`[api] Temporal reachable again after ${Math.round((Date.now() - this.outage.since) / 1000)} s`);
    this.outage = undefined;
  }

  private async call<T>(ms: number, fn: () => Promise<T>, update = false): Promise<T> {
    if (this.outage) {
      if (Date.now() - this.outage.lastProbe < this.timeouts.probeEveryMs || !(await this.probe())) throw unavailable();
    }
    try {
      return await this.client.withDeadline(Date.now() + ms, fn);
    } catch (err) {
      const apiError = fromTemporal(err, update);
      if (apiError?.code === 'temporal_unavailable' && isUnreachable(err)) this.wentAway();
      throw apiError ?? err;
    }
  }

  private async probe(): Promise<boolean> {
    if (this.outage) this.outage.lastProbe = Date.now();
    try {
      await this.client.withDeadline(Date.now() + this.timeouts.healthMs, () => this.client.workflowService.getSystemInfo({}));
      this.cameBack();
      return true;
    } catch {
      this.wentAway();
      return false;
    }
  }

  /** Starts the household's workflow; false when it already existed (a repeated intake). */
  async start(start: StartInput, policy: Policy): Promise<boolean> {
    const input: HouseholdWorkflowInput = { kind: 'start', start, policy };
    try {
      await this.call(this.timeouts.readMs, () =>
        this.client.workflow.start(WORKFLOW_TYPE, {
          taskQueue: TASK_QUEUE,
          // The household id is the workflow id: a hash of organisation and reference, no personal data.
          workflowId: start.householdId,
          args: [input],
          // One household per id, ever: a running one is found again (FAIL answers ALREADY_EXISTS,
          // which tells us it was not new), and a closed one is never restarted with empty state.
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          requestEagerStart: this.eagerStart,
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
    const snapshot = await this.call(this.timeouts.readMs, () => this.client.workflow.getHandle(householdId).query(queries.snapshot));
    return householdView(snapshot.state, this.now(), Policy.parse(snapshot.policy));
  }

  /** Runs a command; the update's result is small (it is kept in history), so callers read the view after it. */
  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<CommandResult> {
    return this.call(
      this.timeouts.writeMs,
      () => this.client.workflow.getHandle(householdId).executeUpdate(updates[type], { args: [args], updateId }),
      true,
    );
  }

  async health(): Promise<boolean> {
    return this.probe();
  }
}
