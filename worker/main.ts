/**
 * The worker: one entry that connects to Temporal, encrypts payloads with the codec and wires the
 * activities (mail from the directory, webhooks from the access file, the read model and the
 * sent-log in Routekaart's database). `npm start` runs it in the same process as the API; in
 * production it runs alone (`node dist/worker/main.js`), as many times as needed.
 */
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { directoryFromFile } from '../platform/directory';
import type { MailDeps } from '../activities/mail';
import { memberLinks } from '../activities/mail/member-reminder';
import { holidaysKnownUntil } from '../domain/calendar';
import { addMonthsToDate, amsterdamDay } from '../domain/time';
import { loadAccessFile } from '../platform/access-file';
import { dataConverter } from '../platform/codec';
import { loadConfig, type Config } from '../platform/config';
import { openDatabase, type Database } from '../platform/db/database';
import { Metrics, serveMetrics } from '../platform/metrics';
import { restrictFileModes } from '../platform/files';
import { assertSupportedNode } from '../platform/node-version';
import { MailStore } from '../platform/store/mail';
import { FollowUpStore } from '../platform/store/follow-up';
import { SummaryStore } from '../platform/store/summaries';
import { SummaryWriter } from '../platform/store/summary-writer';
import { LogLinks } from '../platform/store/log-links';
import { TextStore, textRefKey } from '../platform/store/texts';
import { WebhookLog } from '../platform/store/webhooks';
import { TASK_QUEUE } from '../workflows/messages';
import { workerBundling } from './bundle';
import { sizeWorkflowThreadYoungGeneration } from './heap';
import { ensureSchedules } from './schedules';
import { installRuntime } from './telemetry';

/** MailDeps from the service configuration: SMTP when SMTP_HOST is set, else the outbox folder. */
export function mailDepsFromConfig(
  config: Pick<Config, 'smtp' | 'dataDir' | 'mailFrom' | 'linkSecret' | 'directoryFile'> &
    Partial<Pick<Config, 'mailSendConcurrency'>> & { api: Pick<Config['api'], 'publicUrl'> },
  store: MailStore,
): MailDeps {
  const smtp = config.smtp;
  return {
    transport: smtp
      ? {
          kind: 'smtp',
          smtp: {
            host: smtp.host,
            port: smtp.port,
            secure: smtp.secure,
            auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
            maxInFlight: config.mailSendConcurrency,
          },
        }
      : { kind: 'outbox', dir: join(config.dataDir, 'outbox') },
    from: config.mailFrom,
    directory: directoryFromFile(config.directoryFile),
    publicUrl: config.api.publicUrl,
    linkSecret: config.linkSecret,
    store,
  };
}

export async function createWorker(
  config: Config,
  db: Database,
  connection?: NativeConnection,
  metrics?: Metrics,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const conn = connection ?? (await NativeConnection.connect({ address: config.temporal.address ?? 'localhost:7233' }));
  const webhooks = loadAccessFile(config.accessFile).webhooks;
  const mail = mailDepsFromConfig(config, new MailStore(db));
  const summaries = new SummaryStore(db);
  const endpoints = (organisation: string) => webhooks[organisation];
  sizeWorkflowThreadYoungGeneration(config.workflowThreadSemiSpaceMb);
  const worker = await Worker.create({
    connection: conn,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUE,
    ...workerBundling(),
    activities: createActivities({
      // Issue 21: members are reminded through their log link; the address is opened only when the mail is made.
      mail: {
        ...mail,
        metrics,
        members: memberLinks(
          new LogLinks(db),
          new TextStore(db, config.keyring, textRefKey(config.idSecret)),
          config.linkSecret,
          config.api.publicUrl,
        ),
      },
      weekly: { ...mail, summaries, policy: config.policy },
      followUp: { ...mail, followUps: new FollowUpStore(db) },
      webhook: { endpoints, log: new WebhookLog(db), metrics },
      readModel: {
        summaries: new SummaryWriter(db),
        textRefKey: textRefKey(config.idSecret),
        endpoints,
      },
    }),
    dataConverter: dataConverter(config.keyring),
    ...config.worker,
  });
  const scheduling = await Connection.connect({ address: config.temporal.address ?? 'localhost:7233' });
  try {
    await ensureSchedules(
      new Client({ connection: scheduling, namespace: config.temporal.namespace, dataConverter: dataConverter(config.keyring) }),
    );
  } finally {
    await scheduling.close();
  }
  return { worker, connection: conn };
}

/** The holiday list is data that runs out: say so well before it does. */
function warnWhenHolidaysRunOut(now = new Date()): void {
  const until = holidaysKnownUntil();
  if (until < addMonthsToDate(amsterdamDay(now), 24))
    console.warn(`[worker] domain/holidays.json knows public holidays until ${until}; extend it (R-02 working days, mail hours).`);
}

if (require.main === module) {
  (async () => {
    assertSupportedNode();
    restrictFileModes();
    warnWhenHolidaysRunOut();
    const config = loadConfig();
    installRuntime(config);
    const db = await openDatabase(config.database);
    const metrics = new Metrics();
    metrics.observeReadModel(() => new SummaryStore(db).operational(new Date()));
    const metricsServer =
      config.metrics.workerPort > 0 ? await serveMetrics(metrics, config.metrics.host, config.metrics.workerPort) : undefined;
    const { worker, connection } = await createWorker(config, db, undefined, metrics);
    const stop = () => worker.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await worker.run();
    metricsServer?.close();
    await connection.close();
    await db.close();
  })().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
