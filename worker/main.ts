/**
 * The worker: one entry that connects to Temporal, encrypts payloads with the codec and wires the
 * activities (mail from the directory, webhooks from the access file). `npm start` runs it in
 * the same process as the API; in production it runs alone (`node dist/worker/main.js`).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { mailDepsFromConfig } from '../activities/mail';
import { loadAccess } from '../api/access';
import { TASK_QUEUE } from '../workflows/messages';
import { dataConverter } from './codec';
import { loadConfig, type Config } from './config';
import { ensureSchedules } from './schedules';

export async function createWorker(config: Config, connection?: NativeConnection): Promise<{ worker: Worker; connection: NativeConnection }> {
  const conn = connection ?? (await NativeConnection.connect({ address: config.temporal.address ?? 'localhost:7233' }));
  const access = loadAccess(config.accessFile);
  const worker = await Worker.create({
    connection: conn,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ mail: mailDepsFromConfig(config), webhook: { endpoints: access.webhook } }),
    dataConverter: dataConverter(config.payloadKey),
  });
  const scheduling = await Connection.connect({ address: config.temporal.address ?? 'localhost:7233' });
  try {
    await ensureSchedules(new Client({ connection: scheduling, namespace: config.temporal.namespace, dataConverter: dataConverter(config.payloadKey) }));
  } finally {
    await scheduling.close();
  }
  return { worker, connection: conn };
}

if (require.main === module) {
  (async () => {
    const { worker, connection } = await createWorker(loadConfig());
    const stop = () => worker.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await worker.run();
    await connection.close();
  })().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
