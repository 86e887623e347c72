/**
 * `npm start`: the whole service on one machine. Without TEMPORAL_ADDRESS it starts the embedded
 * Temporal dev server (SQLite under the data dir, so households survive a restart; custom search
 * attributes registered; Web UI on), then the worker and the API. Ctrl-C stops all of it.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { startApi } from '../api/main';
import { createWorker } from '../worker/main';
import { installRuntime } from '../worker/telemetry';
import { Metrics, serveMetrics } from '../platform/metrics';
import { SummaryStore } from '../platform/store/summaries';
import { assertSafeInterface } from '../api/access';
import { loadAccessFile } from '../platform/access-file';
import { loadConfig } from '../platform/config';
import { restrictFileModes } from '../platform/files';
import { assertSupportedNode } from '../platform/node-version';
import { startDevIdp, type DevIdp } from './dev-idp';
import { startDevServer } from './dev-server';
import { loadDirectory } from '../platform/directory';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../platform/db/database';
import { SEARCH_ATTRIBUTE_CLI_ARGS } from '../workflows/messages';

/** The project folder: one up from scripts/ when run as TypeScript, two up from dist/scripts/ when compiled. */
const root = [resolve(__dirname, '..'), resolve(__dirname, '../..')].find((d) => existsSync(resolve(d, 'package.json')))!;

// Local defaults: the example directory and access files (documented dev keys). Production sets its own.
process.env.ROUTEKAART_DIRECTORY ??= resolve(root, 'config/directory.example.json');
process.env.ROUTEKAART_ACCESS ??= resolve(root, 'config/access.example.json');

async function waitForTemporal(address: string, server?: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server && server.exitCode !== null) throw new Error(`Temporal dev server exited with code ${server.exitCode}`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer within 60 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The development identity provider on loopback, its accounts the directory's people. */
async function startLocalIdp(config: ReturnType<typeof loadConfig>): Promise<DevIdp> {
  const directory = loadDirectory(config.directoryFile);
  const organisation = (id: string) => directory.organisations[id]?.name ?? id;
  const clientSecret = randomBytes(24).toString('base64url');
  const idp = await startDevIdp({
    accounts: [
      ...Object.entries(directory.professionals).map(([id, p]) => ({
        id,
        name: p.name,
        email: p.email,
        label: organisation(p.organisation),
      })),
      { id: 'coordinator', name: directory.coordinator.name, email: directory.coordinator.email, label: 'Coördinator' },
    ],
    client: { id: config.oidc.clientId, secret: clientSecret, redirectUris: [`${config.api.publicUrl}/dashboard/auth/callback`] },
    audience: config.oidc.audience,
    port: config.devIdpPort,
  });
  config.oidc = { ...config.oidc, issuer: idp.issuer, clientSecret, development: true };
  return idp;
}

let server: ChildProcess | undefined;
// Never leave the dev server behind, whatever way this process ends.
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
});

async function main(): Promise<void> {
  assertSupportedNode();
  restrictFileModes();
  const config = loadConfig();
  // Warnings only in the log, and the SDK's worker metrics on their own port.
  installRuntime(config);
  // Refuse before anything starts: the published example keys never leave loopback.
  assertSafeInterface(config.api.host, loadAccessFile(config.accessFile));
  if (!config.temporal.address) {
    const port = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
    const bin = resolve(root, '.tools/bin/temporal');
    if (!existsSync(bin)) throw new Error('Temporal CLI missing: run `bash scripts/install-temporal` (npm start does this).');
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    server = await startDevServer(
      {
        bin,
        dataDir: config.dataDir,
        namespace: config.temporal.namespace,
        port,
        uiPort: config.temporalUiPort,
        // The UI asks the API's codec server to decrypt payloads for coordinators (docs/OPERATIONS.md).
        args: [...SEARCH_ATTRIBUTE_CLI_ARGS, '--ui-codec-endpoint', `${config.api.publicUrl}/codec`],
      },
      config.api.port,
    );
    config.temporal.address = `127.0.0.1:${port}`;
  }
  await waitForTemporal(config.temporal.address!, server);
  // Personal login: the organisation's provider when configured, else the development provider
  // with the directory's people as one-click accounts (never started once an issuer is set).
  const idp = config.oidc.issuer ? undefined : await startLocalIdp(config);
  // One database for worker and API: the embedded PGlite in <data>/db opens in one process only.
  const db = await openDatabase(config.database);
  // One process, one set of metrics: API, worker and read model on METRICS_PORT.
  const metrics = new Metrics();
  metrics.observeReadModel(() => new SummaryStore(db).operational(new Date()));
  const metricsServer = config.metrics.apiPort > 0 ? await serveMetrics(metrics, config.metrics.host, config.metrics.apiPort) : undefined;
  const { worker, connection } = await createWorker(config, db, undefined, metrics);
  const running = worker.run();
  // The API shares the worker's connection, so an intake starts its household eagerly (issue 23).
  const api = await startApi(config, db, metrics, connection);

  console.log(`Routekaart is running.
  API:          ${api.url}/api/v1
  OpenAPI docs: ${api.url}/api/docs
  Dashboard:    ${api.url}/dashboard
  Login:        ${idp ? `development provider ${idp.issuer} (choose a person of config/directory.example.json)` : config.oidc.issuer}
  Temporal UI:  ${server ? `http://localhost:${config.temporalUiPort}` : '(external Temporal: see its own UI)'}
  Metrics:      ${metricsServer ? `http://${config.metrics.host}:${config.metrics.apiPort}/metrics` : '(off)'}${config.metrics.sdkPort ? ` and http://${config.metrics.host}:${config.metrics.sdkPort}/metrics (Temporal SDK)` : ''}
  Data:         ${config.dataDir}${config.smtp ? '' : `\n  Mail outbox:  ${resolve(config.dataDir, 'outbox')} (no SMTP_HOST set)`}
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    await api.close();
    await idp?.close();
    metricsServer?.close();
    // The SDK's runtime already starts shutting the worker down on SIGINT/SIGTERM.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await db.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await running.catch(async (err: unknown) => {
    console.error(`Worker stopped: ${(err as Error).message}`);
    await stop();
  });
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
