/** DATABASE_PASSWORD: a generated password with '/', '+' and '=' reaches PostgreSQL intact (docker-compose.yml builds the URL this way). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'pg-connection-string';
import { loadConfig } from '../../platform/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rk-config-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const password = 'a/b+c=d@e:f%g?h#i';
const ID_SECRET = Buffer.alloc(32, 7).toString('base64');

test('the password given apart from the URL is what the driver sends', () => {
  const c = loadConfig({
    ROUTEKAART_DATA_DIR: dir,
    DATABASE_URL: 'postgres://app@db:5432/routekaart',
    DATABASE_PASSWORD: password,
    ROUTEKAART_ID_SECRET: ID_SECRET,
  });
  const url = (c.database as { url: string }).url;
  expect(parse(url)).toMatchObject({ user: 'app', password, host: 'db', port: '5432', database: 'routekaart' });
});

test('it overrides a password in the URL, and without it the URL is used as given', () => {
  const withBoth = loadConfig({
    ROUTEKAART_DATA_DIR: dir,
    DATABASE_URL: 'postgres://app:old@db/rk',
    DATABASE_PASSWORD: password,
    ROUTEKAART_ID_SECRET: ID_SECRET,
  });
  expect(parse((withBoth.database as { url: string }).url).password).toBe(password);
  const urlOnly = loadConfig({ ROUTEKAART_DATA_DIR: dir, DATABASE_URL: 'postgres://app:old@db/rk', ROUTEKAART_ID_SECRET: ID_SECRET });
  expect((urlOnly.database as { url: string }).url).toBe('postgres://app:old@db/rk');
});
