/**
 * The first job of a production deployment (docker-compose's `routekaart-check`): parses the
 * configuration and the access file exactly as the API and worker will, and refuses the published
 * example keys on a public interface. A mistake stops `docker compose up` once, with its message,
 * instead of a service that restarts in a loop.
 *
 *   API_HOST=0.0.0.0 node dist/scripts/check-config.js
 */
import { assertSafeInterface } from '../api/access';
import { loadAccessFile } from '../platform/access-file';
import { loadConfig } from '../platform/config';

export function checkConfig(env: NodeJS.ProcessEnv = process.env): string {
  const config = loadConfig(env);
  const access = loadAccessFile(config.accessFile);
  assertSafeInterface(config.api.host, access);
  return `[check-config] configuration and access file (${access.keys.length} keys) are valid for ${config.api.host}`;
}

if (require.main === module) {
  try {
    console.log(checkConfig());
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
