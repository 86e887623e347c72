/**
 * The API's only door to Temporal: start, read (the 'view' query), command (one update per command)
 * and list (visibility). Every call has a deadline, so an unreachable server answers 503 within
 * seconds instead of a hanging request, and every Temporal error leaves here as an ApiError.
 */
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { CommandType } from '../domain/command-schemas';
import type { StartInput } from '../domain/intake';
import { Policy } from '../domain/policy';
import { householdView, type HouseholdView } from '../domain/view';
import {
  queries,
  SA,
  TASK_QUEUE,
  updates,
  workflowIdFor,
  WORKFLOW_TYPE,
  type CommandArgs,
  type HouseholdWorkflowInput,
} from '../workflows/messages';
import { fromTemporal } from './errors';
import { type HouseholdListQuery, type HouseholdSummary } from './types';

export interface TemporalTimeouts {
  /** Starts, queries, lists (default 10 s). */
  readMs: number;
  /** Updates: the workflow must run the command (default 30 s). */
  writeMs: number;
  /** Health check (default 2 s). */
  healthMs: number;
}

export const DEFAULT_TIMEOUTS: TemporalTimeouts = { readMs: 10_000, writeMs: 30_000, healthMs: 2_000 };

/** temporal.api.enums.v1.WorkflowExecutionStatus, a stable part of Temporal's API. */
const STATUS_BY_CODE: Record<number, HouseholdSummary['status']> = {
  1: 'running',
  2: 'completed',
  3: 'failed',
  4: 'cancelled',
  5: 'terminated',
  6: 'continued_as_new',
  7: 'timed_out',
  8: 'paused',
};

/** Values in a visibility query come from validated input; quotes are escaped all the same. */
const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

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

  /** Runs a command; the update's result is small (it is kept in history), so the view is read after it. */
  async command<K extends CommandType>(householdId: string, type: K, args: CommandArgs<K>, updateId?: string): Promise<HouseholdView> {
    await this.call(
      this.timeouts.writeMs,
      () => this.client.workflow.getHandle(workflowIdFor(householdId)).executeUpdate(updates[type], { args: [args], updateId }),
      true,
    );
    return this.view(householdId);
  }

  async health(): Promise<boolean> {
    try {
      await this.client.withDeadline(Date.now() + this.timeouts.healthMs, () => this.client.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  /** One page of the visibility list. `restrict` narrows to what the caller may see. */
  async list(
    q: HouseholdListQuery,
    restrict: { organisation?: string; intakeOrganisation?: string },
  ): Promise<{ items: HouseholdSummary[]; nextPageToken?: string }> {
    const where = [`WorkflowType = ${quote(WORKFLOW_TYPE)}`];
    // A continued-as-new run is history of the same household, never a household of its own.
    if (q.status === 'running') where.push(`ExecutionStatus = 'Running'`);
    else if (q.status === 'closed') where.push(`ExecutionStatus != 'Running'`, `ExecutionStatus != 'ContinuedAsNew'`);
    else where.push(`ExecutionStatus != 'ContinuedAsNew'`);
    if (restrict.organisation) where.push(`${SA.organisations.name} = ${quote(restrict.organisation)}`);
    if (restrict.intakeOrganisation) where.push(`${SA.intakeOrganisation.name} = ${quote(restrict.intakeOrganisation)}`);
    if (q.phase) where.push(`${SA.phase.name} = ${quote(q.phase)}`);
    if (q.organisation) where.push(`${SA.organisations.name} = ${quote(q.organisation)}`);
    if (q.casusregisseur) where.push(`${SA.casusregisseur.name} = ${quote(q.casusregisseur)}`);
    if (q.escalationLevel !== undefined) where.push(`${SA.escalationLevel.name} >= ${q.escalationLevel}`);
    if (q.openHandover !== undefined) where.push(`${SA.openHandover.name} = ${q.openHandover}`);
    if (q.overdue !== undefined) where.push(`${SA.overdue.name} = ${q.overdue}`);

    const response = await this.call(this.timeouts.readMs, () =>
      this.client.workflowService.listWorkflowExecutions({
        namespace: this.client.options.namespace,
        query: where.join(' AND '),
        pageSize: q.pageSize,
        nextPageToken: q.nextPageToken ? Buffer.from(q.nextPageToken, 'base64url') : undefined,
      }),
    );
    const items: HouseholdSummary[] = [];
    for (const raw of response.executions) {
      const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
      const phase = sa.get(SA.phase);
      // Not yet in the overview: the workflow writes its attributes with its first task.
      if (!phase || !raw.execution?.workflowId) continue;
      const next = sa.get(SA.nextDeadline);
      items.push({
        householdId: raw.execution.workflowId,
        phase: phase as HouseholdSummary['phase'],
        organisations: sa.get(SA.organisations) ?? [],
        intakeOrganisation: sa.get(SA.intakeOrganisation) ?? '',
        casusregisseur: sa.get(SA.casusregisseur) || null,
        escalationLevel: sa.get(SA.escalationLevel) ?? 0,
        runMonths: sa.get(SA.runMonths) ?? 0,
        nextDeadline: next ? next.toISOString() : null,
        openHandover: sa.get(SA.openHandover) ?? false,
        overdue: sa.get(SA.overdue) ?? false,
        startedAt: (sa.get(SA.startedAt) ?? optionalTsToDate(raw.startTime) ?? new Date(0)).toISOString(),
        phaseStartedAt: sa.get(SA.phaseStartedAt)?.toISOString() ?? null,
        status: STATUS_BY_CODE[raw.status ?? 0] ?? 'unknown',
      });
    }
    // SQL visibility rejects ORDER BY: most urgent first, within the page.
    items.sort(
      (a, b) =>
        b.escalationLevel - a.escalationLevel ||
        (a.nextDeadline ?? '9999').localeCompare(b.nextDeadline ?? '9999') ||
        a.householdId.localeCompare(b.householdId),
    );
    const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
    return { items, nextPageToken: token };
  }
}
