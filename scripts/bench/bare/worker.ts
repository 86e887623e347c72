/**
 * The bare baseline's worker (scripts/bench/bare/workflows.ts), a process of its own like the
 * Routekaart worker (worker/main.ts) and configured from the same environment: the same Temporal
 * address, payload codec, SDK runtime (metrics port), worker options (cache size, task slots,
 * sticky-queue timeout) and SMTP settings. Only the task queue and the workflow differ.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { mailDelivery } from '../../../activities/mail/transport';
import { dataConverter } from '../../../platform/codec';
import { loadConfig } from '../../../platform/config';
import { installRuntime } from '../../../worker/telemetry';
import { bareActivities } from './activities';

export const BARE_TASK_QUEUE = 'routekaart-bench-bare';
export const BARE_WORKFLOW_TYPE = 'bareBoundary';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.smtp) throw new Error('bare worker: SMTP_HOST is required (the bench SMTP catcher)');
  installRuntime(config);
  const connection = await NativeConnection.connect({ address: config.temporal.address ?? 'localhost:7233' });
  const delivery = mailDelivery({
    kind: 'smtp',
    smtp: { host: config.smtp.host, port: config.smtp.port, secure: config.smtp.secure, maxInFlight: config.mailSendConcurrency },
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: bareActivities(delivery, config.mailFrom),
    dataConverter: dataConverter(config.keyring),
    ...config.worker,
  });
  const stop = () => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.run();
  await connection.close();
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
