/**
 * Starts the API on its own: a Temporal client with the payload codec, the access file, the audit
 * log in the data dir, and the HTTP server. scripts/start-local.ts calls `startApi(config)`.
 */
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { dataConverter } from '../platform/codec';
import { loadConfig, type Config } from '../platform/config';
import { loadAccess } from './access';
import { createApp } from './app';
import { AuditLog } from './audit';

export async function startApi(config: Config): Promise<{ close(): Promise<void>; url: string }> {
  const access = loadAccess(config.accessFile);
  const audit = await AuditLog.open(config.dataDir);
  // Lazy: the API starts (and reports 503) while Temporal is still coming up or away.
  const connection = Connection.lazy({ address: config.temporal.address ?? 'localhost:7233' });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config.keyring) });
  const app = createApp({ client, access, audit, policy: config.policy, linkSecret: config.linkSecret, publicUrl: config.api.publicUrl });
  const server = app.listen(config.api.port);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await connection.close();
      await audit.close();
    },
  };
}

if (require.main === module) {
  startApi(loadConfig()).then(
    (api) => {
      console.log(`Routekaart API on ${api.url}/api/v1 (docs: ${api.url}/api/docs)`);
      const stop = () => void api.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
