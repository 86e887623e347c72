/**
 * A household harness for workflow tests: a real worker on a real Temporal server, with recording
 * activities (the mail and webhook activities have their own tests against real SMTP and HTTP).
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { CommandInput, CommandType } from '../../domain/command-schemas';
import type { IntakeInput } from '../../domain/intake';
import type { Actor, EvidenceItem, ProfessionalRef } from '../../domain/model';
import type { NotificationRequest, WebhookEvent } from '../../domain/notifications';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import type { HouseholdSummary } from '../../domain/summary';
import { amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import type { householdTrajectory } from '../../workflows';
import { TASK_QUEUE, updates, queries, WORKFLOW_TYPE, type RefusalDetails } from '../../workflows/messages';
import { evidenceBody, sampleIntake } from './state';
import type { StartInstant } from './clock';
import { timeSkippingEnv, workflowBundle } from './temporal';

export const DAY = 24 * 60 * 60 * 1000;

export const pro = (professionalId: string, organisation: string): ProfessionalRef => ({ professionalId, organisation });
export const actorOf = (p: ProfessionalRef): Actor => ({ ...p, kind: 'professional' });

export interface Recorded {
  notifications: NotificationRequest[];
  webhooks: WebhookEvent[];
  summaries: HouseholdSummary[];
}

export async function recordingWorker(
  env: TestWorkflowEnvironment,
  overrides: Partial<Record<'sendNotification' | 'deliverWebhook', (x: never) => Promise<unknown>>> = {},
) {
  const recorded: Recorded = { notifications: [], webhooks: [], summaries: [] };
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      sendNotification: async (req: NotificationRequest) => {
        if (overrides.sendNotification) await overrides.sendNotification(req as never);
        recorded.notifications.push(req);
        return { sent: 1, skipped: 0 };
      },
      // The workflow sends a step's events together; the override sees them one by one.
      deliverWebhooks: async (events: WebhookEvent[]) => {
        for (const ev of events) {
          if (overrides.deliverWebhook) await overrides.deliverWebhook(ev as never);
          recorded.webhooks.push(ev);
        }
      },
      recordSummary: async (summary: HouseholdSummary) => {
        recorded.summaries.push(summary);
      },
    },
  });
  return { worker, taskQueue, recorded };
}

const started: WorkflowHandle[] = [];

/**
 * Terminates every household a test left running: the time-skipping server does not skip time
 * while a workflow task waits for a worker, so a leftover would stall the next test's clock.
 */
export async function terminateAll(): Promise<void> {
  for (const h of started.splice(0)) {
    await h.terminate('test finished').catch(() => undefined);
  }
}

export class Household {
  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly handle: WorkflowHandle<typeof householdTrajectory>,
  ) {}

  static async start(
    env: TestWorkflowEnvironment,
    taskQueue: string,
    intake: Partial<IntakeInput> = {},
    policy: Partial<Policy> = {},
  ): Promise<Household> {
    const householdId = `hh-test-${randomUUID().slice(0, 8)}`;
    const now = new Date(await env.currentTimeMs());
    const handle = await env.client.workflow.start<typeof householdTrajectory>(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: householdId,
      args: [
        {
          kind: 'start',
          policy: { ...DEFAULT_POLICY, ...policy },
          start: {
            householdId,
            organisation: 'veilig-thuis',
            receivedAt: now.toISOString(),
            intake: sampleIntake(`ref-${householdId}`, intake),
          },
        },
      ],
    });
    started.push(handle);
    return new Household(env, handle);
  }

  async today(): Promise<string> {
    return amsterdamDay(new Date(await this.env.currentTimeMs()));
  }

  /** Runs a command, then reads the view (as the API does). */
  async cmd<K extends CommandType>(type: K, actor: Actor, body: CommandInput<K>): Promise<HouseholdView> {
    await this.handle.executeUpdate(updates[type] as never, { args: [{ actor, body }] as never });
    return this.view();
  }

  /** Records evidence dated today; per-member items for every eligible member. */
  async evidence(actor: Actor, items: EvidenceItem[]): Promise<HouseholdView> {
    const date = await this.today();
    let view = await this.view();
    for (const item of items) view = await this.cmd('recordEvidence', actor, evidenceBody(view.state, item, date));
    return view;
  }

  view(): Promise<HouseholdView> {
    return this.handle.query(queries.view);
  }

  async advance(ms: number): Promise<HouseholdView> {
    await this.env.sleep(ms);
    // A query after the sleep returns once the workflow has processed the timers that fired.
    return this.view();
  }
}

/** Polls until the condition holds (activities complete asynchronously). */
export async function eventually<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`Condition not reached; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

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
