/**
 * Starts the API on its own: a Temporal client with the payload codec, the access file, the
 * database, and the HTTP server. scripts/start-local.ts calls `startApi(config, db, metrics, connection)`
 * with the database and the worker's NativeConnection it shares with the worker.
 */
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Client, Connection, type ConnectionLike } from '@temporalio/client';
import { dataConverter } from '../platform/codec';
import { loadConfig, type Config } from '../platform/config';
import { openDatabase, type Database } from '../platform/db/database';
import { restrictFileModes } from '../platform/files';
import { assertSupportedNode } from '../platform/node-version';
import { Metrics, serveMetrics } from '../platform/metrics';
import { SummaryStore } from '../platform/store/summaries';
import { assertSafeInterface, loadAccess } from './access';
import { createApp } from './app';
import { OidcClient } from './identity/oidc';
import { People } from './identity/people';
import { directoryFromFile } from '../platform/directory';

/** Personal login when an issuer is configured (`npm start` configures its development provider). */
async function personalLogin(config: Config) {
  const { issuer, clientSecret, clientId, audience, requireMfa, development } = config.oidc;
  if (!issuer || !clientSecret) return undefined;
  const oidc = await OidcClient.discover({
    issuer,
    clientId,
    clientSecret,
    audience,
    redirectUri: `${config.api.publicUrl}/dashboard/auth/callback`,
  });
  return { oidc, people: new People(directoryFromFile(config.directoryFile)), requireMfa, peopleKeys: development };
}

/**
 * `workerConnection`: the NativeConnection of a worker in this process. The API then uses it too,
 * which lets an intake start its household eagerly on that worker; its owner closes it.
 */
export async function startApi(
  config: Config,
  db: Database,
  metrics?: Metrics,
  workerConnection?: ConnectionLike,
): Promise<{ close(): Promise<void>; url: string }> {
  const access = loadAccess(config.accessFile);
  assertSafeInterface(config.api.host, access.file);
  // Lazy: the API starts (and reports 503) while Temporal is still coming up or away.
  const connection = workerConnection ?? Connection.lazy({ address: config.temporal.address ?? 'localhost:7233' });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config.keyring) });
  const identity = await personalLogin(config);
  const app = createApp({
    client,
    eagerStart: workerConnection !== undefined,
    access,
    db,
    keyring: config.keyring,
    policy: config.policy,
    linkSecret: config.linkSecret,
    idSecret: config.idSecret,
    publicUrl: config.api.publicUrl,
    limits: config.api.limits,
    trustProxy: config.api.trustProxy,
    metrics,
    temporalUiOrigin: config.temporalUiOrigin,
    directory: directoryFromFile(config.directoryFile),
    identity,
  });
  const server = app.listen(config.api.port, config.api.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await (app.locals.closeAudit as () => Promise<void>)();
      if (!workerConnection) await connection.close();
    },
  };
}

if (require.main === module) {
  (async () => {
    assertSupportedNode();
    restrictFileModes();
    const config = loadConfig();
    const db = await openDatabase(config.database);
    const metrics = new Metrics();
    metrics.observeReadModel(() => new SummaryStore(db).operational(new Date()));
    const metricsServer = config.metrics.apiPort > 0 ? await serveMetrics(metrics, config.metrics.host, config.metrics.apiPort) : undefined;
    const api = await startApi(config, db, metrics);
    console.log(`Routekaart API on ${api.url}/api/v1 (docs: ${api.url}/api/docs)`);
    const stop = () => void api.close().then(() => (metricsServer?.close(), db.close()).then(() => process.exit(0)));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  })().catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
