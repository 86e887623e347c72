/**
 * One household on a real Temporal server, driven as the API drives it (updates, then the view
 * query), and a worker with recording activities (the mail and webhook activities have their own
 * tests against real SMTP and HTTP). Used by the workflow tests and the benchmark's long life.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { CommandSchemas, type CommandInput } from '../../../domain/schemas/commands';
import type { CommandType } from '../../../domain/command-types';
import type { IntakeInput, StartInput } from '../../../domain/intake';
import type { EvidenceItem } from '../../../domain/evidence-items';
import type { Actor, ProfessionalRef } from '../../../domain/model';
import type { NotificationRequest, WebhookEvent } from '../../../domain/notifications';
import { withRow } from '../../../activities';
import type { StepRecord } from '../../../activities/read-model';
import { DEFAULT_POLICY, type Policy } from '../../../domain/policy';
import type { HouseholdSummary } from '../../../domain/summary';
import { amsterdamDay } from '../../../domain/time';
import type { HouseholdView } from '../../../domain/view';
import type { householdTrajectory } from '../../../workflows';
import { TASK_QUEUE, updates, queries, WORKFLOW_TYPE } from '../../../workflows/messages';
import { evidenceBody, sampleIntake } from '../state';
import { workflowBundle } from './temporal';

export const DAY = 24 * 60 * 60 * 1000;

export const pro = (professionalId: string, organisation: string): ProfessionalRef => ({ professionalId, organisation });
export const actorOf = (p: ProfessionalRef): Actor => ({ ...p, kind: 'professional' });

export interface Recorded {
  notifications: NotificationRequest[];
  webhooks: WebhookEvent[];
  summaries: HouseholdSummary[];
}

/**
 * The household workflow's activities when a test looks at none of them: every mail counts as sent,
 * no webhook goes out, no read-model row is kept, and no organisation has a webhook endpoint.
 */
export const quietActivities = () => ({
  sendNotification: async () => ({ sent: 1, skipped: 0 }),
  notifyWithRow: async () => ({ sent: 1, skipped: 0 }),
  deliverWebhooks: async () => undefined,
  recordSummary: async () => undefined,
  recordStep: async (): Promise<string[]> => [],
});

export async function recordingWorker(
  env: TestWorkflowEnvironment,
  overrides: Partial<Record<'sendNotification' | 'deliverWebhook' | 'recordStep', (x: never) => Promise<unknown>>> = {},
  bundle?: WorkflowBundleOption,
) {
  const recorded: Recorded = { notifications: [], webhooks: [], summaries: [] };
  const taskQueue = `${TASK_QUEUE}-${randomUUID()}`;
  const sendNotification = async (req: NotificationRequest) => {
    if (overrides.sendNotification) await overrides.sendNotification(req as never);
    recorded.notifications.push(req);
    return { sent: 1, skipped: 0 };
  };
  const recordSummary = async (summary: HouseholdSummary) => void recorded.summaries.push(summary);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle ?? (await workflowBundle()),
    activities: {
      sendNotification,
      notifyWithRow: withRow(sendNotification, recordSummary),
      // The workflow sends a step's events together; the override sees them one by one.
      deliverWebhooks: async (events: WebhookEvent[]) => {
        for (const ev of events) {
          if (overrides.deliverWebhook) await overrides.deliverWebhook(ev as never);
          recorded.webhooks.push(ev);
        }
      },
      recordSummary,
      // Unless overridden, every organisation has an endpoint, so every event reaches deliverWebhooks above.
      recordStep: async (step: StepRecord) => {
        if (step.summary) await recordSummary(step.summary);
        return overrides.recordStep ? overrides.recordStep(step as never) : step.organisations;
      },
    },
  });
  return { worker, taskQueue, recorded };
}

const started: Household[] = [];

/**
 * Terminates every household started here and left running: the time-skipping server does not
 * skip time while a workflow task waits for a worker, so a leftover would stall the next test's clock.
 */
export async function terminateAll(): Promise<void> {
  for (const h of started.splice(0)) {
    await h.handle.terminate('test finished').catch(() => undefined);
  }
}

export class Household {
  /** Updates sent, accepted or refused. */
  commandsSent = 0;

  constructor(
    readonly env: TestWorkflowEnvironment,
    readonly handle: WorkflowHandleWithFirstExecutionRunId<typeof householdTrajectory>,
    readonly start: StartInput,
  ) {}

  static async start(
    env: TestWorkflowEnvironment,
    taskQueue: string,
    intake: Partial<IntakeInput> = {},
    policy: Partial<Policy> = {},
  ): Promise<Household> {
    const householdId = `hh-test-${randomUUID().slice(0, 8)}`;
    const start: StartInput = {
      householdId,
      organisation: 'veilig-thuis',
      receivedAt: new Date(await env.currentTimeMs()).toISOString(),
      intake: sampleIntake(`ref-${householdId}`, intake),
    };
    const handle = await env.client.workflow.start<typeof householdTrajectory>(WORKFLOW_TYPE, {
      taskQueue,
      workflowId: householdId,
      args: [{ kind: 'start', policy: { ...DEFAULT_POLICY, ...policy }, start }],
    });
    const household = new Household(env, handle, start);
    started.push(household);
    return household;
  }

  async today(): Promise<string> {
    return amsterdamDay(new Date(await this.env.currentTimeMs()));
  }

  /** Runs a command (one update) without reading anything back. */
  async send<K extends CommandType>(type: K, actor: Actor, body: CommandInput<K>): Promise<void> {
    this.commandsSent++;
    // As the API does: the body in the form its schema gives (a body that does not parse goes as it is, to be refused).
    const parsed = CommandSchemas[type].safeParse(body);
    await this.handle.executeUpdate(updates[type] as never, { args: [{ actor, body: parsed.success ? parsed.data : body }] as never });
  }

  /** Runs a command, then reads the view (as the API does). */
  async cmd<K extends CommandType>(type: K, actor: Actor, body: CommandInput<K>): Promise<HouseholdView> {
    await this.send(type, actor, body);
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
