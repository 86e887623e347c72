/**
 * The API over HTTP against a real Temporal dev server and the real worker: keys for several
 * organisations and roles, a local webhook receiver, and polling for what is eventually consistent.
 */
import { Keyring } from '../../platform/keyring';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import type { Application } from 'express';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import supertest from 'supertest';
import { withRow } from '../../activities';
import { createWebhookActivities } from '../../activities/webhook';
import type { IntakeInput } from '../../domain/intake';
import type { NotificationRequest, WebhookEvent } from '../../domain/notifications';
import type { HouseholdView } from '../../domain/view';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { createMailActivities } from '../../activities/mail';
import type { Directory } from '../../platform/directory';
import { MailStore } from '../../platform/store/mail';
import type { Metrics } from '../../platform/metrics';
import { amsterdamDay } from '../../domain/time';
import { dataConverter } from '../../platform/codec';
import { TASK_QUEUE } from '../../workflows/messages';
import { Access, hashKey } from '../../api/access';
import { AccessFile, type KeyEntry } from '../../platform/access-file';
import { createApp, type AppDeps } from '../../api/app';
import type { Limits } from '../../api/guards';
import { AuditStore } from '../../platform/store/audit';
import { openDatabase, type Database } from '../../platform/db/database';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { WebhookLog } from '../../platform/store/webhooks';
import { textRefKey } from '../../platform/store/texts';
import { createReadModelActivities } from '../../activities/read-model';
import { devServerEnv, workflowBundle } from '../support/harness/temporal';

type KeySpec = Omit<KeyEntry, 'sha256' | 'id'> & { professionalId?: string };

/** Plaintext keys of the test: the key is its own id. */
export const KEYS = {
  'intake-vt': { kind: 'intake', organisation: 'veilig-thuis' },
  'intake-lt': { kind: 'intake', organisation: 'lokaal-team' },
  'pro-vt': { kind: 'professional', organisation: 'veilig-thuis', professionalId: 'p-vt-1' },
  'pro-vt2': { kind: 'professional', organisation: 'veilig-thuis', professionalId: 'p-vt-2' },
  'pro-lt': { kind: 'professional', organisation: 'lokaal-team', professionalId: 'p-lt-1' },
  'pro-pers': { kind: 'professional', organisation: 'perspektief', professionalId: 'p-pers-1' },
  'pro-ggz': { kind: 'professional', organisation: 'ggz', professionalId: 'p-ggz-1' },
  'pro-gi': { kind: 'professional', organisation: 'gi', professionalId: 'p-gi-1' },
  coord: { kind: 'coordinator', organisation: 'regio-haaglanden' },
} as const satisfies Record<string, KeySpec>;
export type KeyName = keyof typeof KEYS;

export function accessFor(webhooks: AccessFile['webhooks'] = {}): Access {
  const keys = Object.entries(KEYS).map(([id, spec]) => ({ id, sha256: hashKey(id), ...spec }));
  return new Access(AccessFile.parse({ keys, webhooks }));
}

export const bearer = (key: KeyName) => `Bearer ${key}`;
/** The household-id key of every test app. */
export const ID_SECRET = Buffer.from('test-household-id-secret-0123456');
export const today = () => amsterdamDay(new Date());

export function intakeBody(reference: string, extra: Partial<IntakeInput> = {}): Record<string, unknown> {
  return {
    reference,
    source: 'instantie',
    reportingOrganisation: 'politie',
    members: [
      { ref: 'kind-1', isChild: true },
      { ref: 'ouder-1', isChild: false },
    ],
    ...extra,
  };
}

/** The households resource of the API. */
export const H = '/api/v1/households';

/** Professionals of the test keys (KEYS), as commands name them. */
export const vt1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
export const vt2 = { professionalId: 'p-vt-2', organisation: 'veilig-thuis' };
export const lt1 = { professionalId: 'p-lt-1', organisation: 'lokaal-team' };
export const pers1 = { professionalId: 'p-pers-1', organisation: 'perspektief' };

/** The household view an API response carries. */
export function view(res: { body: unknown }): HouseholdView {
  return res.body as HouseholdView;
}

/**
 * Requests as one of the test keys, and an intake that returns the household's id (201 or 200), on
 * the stack a test file starts in beforeAll: `stack` reads it when a test runs.
 */
export function householdCalls(stack: () => Stack) {
  function as(key: KeyName) {
    const auth = (t: supertest.Test) => t.set('Authorization', bearer(key));
    return {
      get: (path: string) => auth(stack().request.get(path)),
      post: (path: string, body: unknown) => auth(stack().request.post(path)).send(body as object),
      patch: (path: string, body: unknown) => auth(stack().request.patch(path)).send(body as object),
    };
  }

  async function intake(reference: string, key: KeyName = 'intake-vt', extra = {}): Promise<string> {
    const res = await as(key).post(H, intakeBody(reference, extra));
    expect([200, 201]).toContain(res.status);
    return res.body.householdId as string;
  }

  return { as, intake };
}

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1 that can be down (closed) and come back on the same port. */
export class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface Stack {
  env: TestWorkflowEnvironment;
  client: Client;
  /** Routekaart's database (embedded PGlite): audit log, texts, read model. */
  db: Database;
  audit: AuditStore;
  keyring: Keyring;
  /** The real app, for a test that serves it on a port of its own (the dashboard in a browser). */
  app: Application;
  request: ReturnType<typeof supertest>;
  linkSecret: Buffer;
  notifications: NotificationRequest[];
  webhookAttempts: WebhookEvent[];
  close(): Promise<void>;
}

export interface StackOptions {
  policy?: Policy;
  /** Real mail over SMTP on loopback (the notifications are still recorded); links point at publicUrl. */
  mail?: { smtpPort: number; directory: Directory };
  /** The directory the pages show names from (defaults to the mail's). */
  directory?: Directory;
  publicUrl?: string;
  /** The household-link and action-link secret (random by default). */
  linkSecret?: Buffer;
  /** Counted by the app and the activities, as in a process that serves /metrics. */
  metrics?: Metrics;
  /** Request limits per key and per address (api/guards.ts); the defaults otherwise. */
  limits?: Partial<Limits>;
  /** Personal login and people's bearer tokens (api/identity). */
  identity?: AppDeps['identity'];
}

/** Dev server, real worker (real webhook activity, recording or real mail), client with the codec, the app. */
export async function startStack(webhooks: AccessFile['webhooks'], options: StackOptions = {}): Promise<Stack> {
  // devServerEnv also installs a runtime that logs warnings only.
  const env = await devServerEnv();
  const keyring = new Keyring(randomBytes(32));
  const converter = dataConverter(keyring);
  const db = await openDatabase({});
  const access = accessFor(webhooks);
  const notifications: NotificationRequest[] = [];
  const webhookAttempts: WebhookEvent[] = [];
  const webhook = createWebhookActivities({
    endpoints: (org) => access.file.webhooks[org],
    log: new WebhookLog(db),
    timeoutMs: 2_000,
    metrics: options.metrics,
  });
  const readModel = createReadModelActivities({
    summaries: new SummaryWriter(db),
    textRefKey: textRefKey(ID_SECRET),
    endpoints: (org) => access.file.webhooks[org],
  });
  const linkSecret = options.linkSecret ?? randomBytes(32);
  const publicUrl = options.publicUrl ?? 'http://localhost:8080';
  const mail = options.mail
    ? createMailActivities({
        transport: { kind: 'smtp', smtp: { host: '127.0.0.1', port: options.mail.smtpPort, secure: false } },
        from: 'Routekaart naar Veiligheid <routekaart@routekaart.example.org>',
        directory: options.mail.directory,
        publicUrl,
        linkSecret,
        store: new MailStore(db),
        metrics: options.metrics,
      })
    : undefined;
  const sendNotification = async (req: NotificationRequest) => {
    notifications.push(req);
    return mail ? mail.sendNotification(req) : { sent: 1, skipped: 0 };
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    dataConverter: converter,
    activities: {
      sendNotification,
      notifyWithRow: withRow(sendNotification, readModel.recordSummary),
      ...(mail ? { sendDigests: mail.sendDigests } : {}),
      async deliverWebhooks(events: WebhookEvent[]) {
        webhookAttempts.push(...events);
        return webhook.deliverWebhooks(events);
      },
      ...readModel,
    },
  });
  const running = worker.run();
  const client = new Client({ connection: env.connection, dataConverter: converter });
  const app = createApp({
    client,
    access,
    db,
    keyring,
    policy: options.policy ?? DEFAULT_POLICY,
    linkSecret,
    idSecret: ID_SECRET,
    publicUrl,
    metrics: options.metrics,
    limits: options.limits,
    temporalUiOrigin: 'http://localhost:8233',
    ...((options.directory ?? options.mail?.directory) ? { directory: () => (options.directory ?? options.mail?.directory)! } : {}),
    identity: options.identity,
  });
  return {
    env,
    client,
    db,
    audit: new AuditStore(db),
    keyring,
    app,
    request: supertest(app),
    linkSecret,
    notifications,
    webhookAttempts,
    async close() {
      worker.shutdown();
      await running;
      await (app.locals.closeAudit as () => Promise<void>)();
      await db.close();
      await env.teardown();
    },
  };
}

export { eventually } from '../support/harness/wait';
