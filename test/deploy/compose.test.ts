/**
 * docker-compose.yml, checked by reading (no container engine runs here): images pinned, the
 * environment of our services is exactly what platform/config.ts accepts and parses with generated
 * secrets, health checks where others wait for health, no secret in the file, and every required
 * variable documented in .env.example.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../platform/config';

const root = resolve(__dirname, '../..');
interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const ours = services.filter(([, s]) => s.build !== undefined);
const envExample = readFileSync(join(root, '.env.example'), 'utf8');

/** Variables only the jobs read, besides the service's configuration. */
const JOB_VARIABLES = ['DATABASE_APP_ROLE', 'NODE_OPTIONS'];

/** What `docker compose` does with ${NAME:?msg}, ${NAME:-default}, ${NAME} and $$, for one .env. */
function interpolate(value: string, env: Record<string, string>): string {
  return value
    .replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (op === '?') throw new Error(`${name} is required: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    })
    .replace(/\$\$/g, '$');
}

/** A filled-in .env: every secret as `openssl rand -base64 32` makes it, chosen to hold '/' and '+'. */
function generatedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of envExample.matchAll(/^([A-Z0-9_]+)=$/gm)) {
    let secret = randomBytes(32).toString('base64');
    while (!/[/+]/.test(secret)) secret = randomBytes(32).toString('base64');
    env[m[1]!] = m[1] === 'ROUTEKAART_PAYLOAD_KEYS_PREVIOUS' ? '' : secret;
  }
  return env;
}

test('every image is pinned to a version, and our own image builds on the Node the project declares', () => {
  for (const [name, s] of services) {
    if (s.build !== undefined) continue;
    expect([name, s.image]).toEqual([name, expect.stringMatching(/^[a-z0-9./-]+:v?\d+(\.\d+)*[-\w.]*$/)]);
    expect(s.image).not.toMatch(/:latest$/);
  }
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const major = Number(/ARG NODE_IMAGE=node:(\d+)/.exec(dockerfile)?.[1]);
  const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node as string;
  expect(major).toBeGreaterThanOrEqual(Number(/>=\s*(\d+)/.exec(engines)?.[1]));
});

test("our services' environment is exactly what the configuration schema reads, and it parses", () => {
  const dotenv = generatedEnv();
  for (const [name, s] of ours) {
    const env = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''), dotenv)]));
    for (const key of Object.keys(env))
      expect([name, key, [...CONFIG_VARIABLES, ...JOB_VARIABLES].includes(key)]).toEqual([name, key, true]);
    const data = mkdtempSync(join(tmpdir(), 'rk-compose-'));
    try {
      // Paths inside the container, read as the app will; files are not opened by loadConfig.
      const config = loadConfig({ ...env, ROUTEKAART_DATA_DIR: data });
      const url = new URL((config.database as { url: string }).url);
      // The password survives the URL whatever `openssl rand -base64 32` made.
      const password = name === 'routekaart-migrate' ? dotenv.ROUTEKAART_OWNER_PASSWORD : dotenv.ROUTEKAART_APP_PASSWORD;
      expect(decodeURIComponent(url.password)).toBe(password);
      expect(config.temporal.address).toBe('temporal:7233');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
    // The directory and access files are read from the mounted config folder.
    expect(s.volumes).toContain('./config:/etc/routekaart:ro');
    expect(env.ROUTEKAART_ACCESS).toMatch(/^\/etc\/routekaart\//);
  }
});

test('the identity provider reaches our services: OIDC_* pass through, unset by default, and an issuer from .env is used with MFA required', () => {
  for (const [name, s] of ours.filter(([n]) => n !== 'routekaart-migrate')) {
    const dotenv = generatedEnv();
    const env = (extra: Record<string, string>) =>
      Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''), { ...dotenv, ...extra })]));
    const data = mkdtempSync(join(tmpdir(), 'rk-compose-'));
    try {
      expect([name, loadConfig({ ...env({}), ROUTEKAART_DATA_DIR: data }).oidc.issuer]).toEqual([name, undefined]);
      const oidc = loadConfig({
        ...env({ OIDC_ISSUER: 'https://login.example.nl/realms/zorg', OIDC_CLIENT_SECRET: 'not-a-real-secret' }),
        ROUTEKAART_DATA_DIR: data,
      }).oidc;
      expect([name, oidc]).toEqual([
        name,
        expect.objectContaining({ issuer: 'https://login.example.nl/realms/zorg', clientId: 'routekaart', requireMfa: true }),
      ]);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }
});

test('whoever waits for a service to be healthy gets a health check to wait for, and the long-running ones of ours have one', () => {
  for (const [name, s] of services) {
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      expect([name, dep, compose.services[dep] !== undefined]).toEqual([name, dep, true]);
      if (condition === 'service_healthy') expect([dep, compose.services[dep]!.healthcheck?.test]).toEqual([dep, expect.anything()]);
      if (condition === 'service_completed_successfully') expect([dep, compose.services[dep]!.restart]).toEqual([dep, 'no']);
    }
  }
  for (const [name, s] of ours.filter(([, s]) => s.restart !== 'no'))
    expect([name, s.healthcheck?.test]).toEqual([name, expect.anything()]);
});

test('no secret is written in the file: passwords, keys and secrets come from .env, and .env.example names each', () => {
  const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  expect(text).not.toMatch(/[A-Za-z0-9+/]{40,}={0,2}/);
  for (const [name, s] of services) {
    for (const [key, value] of Object.entries(s.environment ?? {})) {
      if (!/PASSWORD|SECRET|_KEY$|_KEYS_|PASS$|PWD$|TOKEN/.test(key)) continue;
      expect([name, key, String(value)]).toEqual([name, key, expect.stringMatching(/^\$\{[A-Z0-9_]+(:[?-][^}]*)?\}$/)]);
    }
  }
  for (const m of text.matchAll(/\$\{([A-Z0-9_]+):\?/g)) expect([m[1], envExample.includes(`${m[1]}=`)]).toEqual([m[1], true]);
});
