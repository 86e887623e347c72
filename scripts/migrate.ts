/**
 * The database job of a production deployment (docker-compose's `routekaart-migrate`): brings
 * Routekaart's schema up to date as the owning role, grants the application's role what it needs
 * (never UPDATE or DELETE on the audit log), and, after a key rotation, re-encrypts stored texts
 * under the current key. The worker and API also migrate at start, when their role may.
 *
 *   DATABASE_URL=postgres://owner@host/routekaart DATABASE_APP_ROLE=routekaart_app node dist/scripts/migrate.js [--reencrypt]
 */
import { loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db/database';
import { grantApplicationRole } from '../platform/db/migrate';
import { TextStore, textRefKey } from '../platform/store/texts';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    const role = process.env.DATABASE_APP_ROLE;
    if (role) {
      await grantApplicationRole(db, role);
      console.log(`[migrate] schema up to date; role ${role} granted`);
    } else {
      console.log('[migrate] schema up to date');
    }
    if (process.argv.includes('--reencrypt')) {
      const texts = new TextStore(db, config.keyring, textRefKey(config.idSecret));
      let total = 0;
      for (let n = await texts.reencrypt(); n > 0; n = await texts.reencrypt()) total += n;
      console.log(`[migrate] ${total} texts re-encrypted under the current key`);
    }
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
