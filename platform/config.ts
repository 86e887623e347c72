/**
 * Configuration of the whole service (worker, API, local start), parsed once from the
 * environment with zod; a wrong value stops the start with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Policy } from '../domain/schemas/policy';
import { Keyring } from './keyring';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const Env = z.object({
  /** host:port of the Temporal frontend; unset for `npm start` means: start the embedded dev server. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Where local state lives: dev server database, generated keys, mail outbox, audit log, sent-log. */
  ROUTEKAART_DATA_DIR: z.string().default('./data'),
  /** base64 of 32 bytes: AES-256-GCM key for Temporal payloads and stored texts. Generated into the data dir when unset. */
  ROUTEKAART_PAYLOAD_KEY: z.string().optional(),
  /** Comma-separated base64 keys that were current before a rotation: they decrypt, never encrypt. */
  ROUTEKAART_PAYLOAD_KEYS_PREVIOUS: z.string().optional(),
  /** Secret for signed dashboard links in e-mails and webhook-independent tokens. Generated when unset. */
  ROUTEKAART_LINK_SECRET: z.string().optional(),
  /** Keys the household ids (HMAC of organisation and reference). Generated when unset; never change it. */
  ROUTEKAART_ID_SECRET: z.string().optional(),
  /** JSON overriding any field of the method's policy (domain/policy.ts). */
  ROUTEKAART_POLICY: z.string().optional(),
  /** JSON file: professionals, organisation leads, coordinator (addresses live here, not in workflows). */
  ROUTEKAART_DIRECTORY: z.string().default('./config/directory.json'),
  /** JSON file: API keys (hashed) per organisation and role, webhooks per organisation. */
  ROUTEKAART_ACCESS: z.string().default('./config/access.json'),
  /** PostgreSQL for Routekaart's own data (audit, mail, read model, texts); unset: embedded PGlite in <data>/db. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * The database password, apart from DATABASE_URL: generated passwords (openssl rand -base64 32)
   * hold '/', '+' and '=', which a URL would have to percent-encode. Overrides the URL's password.
   */
  DATABASE_PASSWORD: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * Worker tuning. A household in the worker's cache costs about 0.08 MB of live workflow heap and
   * 0.3 MB of RSS (compiled worker: 254 MB idle, 847-865 MB with 2,000 cached, 966-1,019 MB after
   * 2,000 more were loaded and evicted; docs/BENCHMARKS.md);
   * an evicted household is replayed from its history at its next task. 250 suits `npm start`,
   * which holds the API and the database in the same process; a worker of its own can cache 2,000
   * in about 1.1 GiB. Cap V8's heap as well (NODE_OPTIONS=--max-old-space-size=768, as
   * docker-compose.yml does for the worker), or garbage lets RSS grow far past what is live.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).optional(),
  /**
   * Seconds a workflow task may wait on this worker's sticky queue before any worker may take it
   * (and replay the household from its history). The SDK's 10 s made nearly every wake-up of a
   * month-boundary burst a replay (docs/BENCHMARKS.md); a dead worker's households wait this long.
   */
  WORKER_STICKY_QUEUE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  /**
   * MB of V8's semi-space (half the young generation) in the workflow thread; 0 keeps V8's own
   * choice. V8 grows it to 64 MB as the cache fills, so a new space of 128 MB of RSS mostly holds
   * garbage; 16 MB saved 107-126 MB at 2,000 cached households (docs/BENCHMARKS.md, issue 23).
   */
  WORKER_WORKFLOW_SEMI_SPACE_MB: z.coerce.number().int().min(0).max(256).default(16),
  /**
   * Requests per minute per API key; refused authentications per minute with one credential, and
   * (a much higher bar) from one address.
   */
  API_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(1200),
  API_RATE_LIMIT_FAILED_AUTH: z.coerce.number().int().min(1).default(60),
  API_RATE_LIMIT_FAILED_AUTH_PER_ADDRESS: z.coerce.number().int().min(1).default(600),
  /**
   * Behind a reverse proxy: the proxy's own addresses or subnets (comma-separated, e.g.
   * '10.0.0.5' or '172.18.0.0/16' or 'loopback'), whose X-Forwarded-For is believed. Never a hop
   * count: with one, any client that reaches the API directly chooses its own address. Unset: off.
   */
  API_TRUST_PROXY: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const problem = value === undefined ? undefined : trustProxyProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Interface the API listens on; loopback unless deliberately opened (never with the example keys). */
  API_HOST: z.string().default('127.0.0.1'),
  /** Base URL people use to reach the API and dashboard (links in e-mails); default http://localhost:<API_PORT>. */
  PUBLIC_URL: z.string().url().optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  /**
   * Prometheus metrics (GET /metrics, docs/OPERATIONS.md), each on its own port, 0 = off: the API
   * process (also `npm start`), a worker process running alone, and the Temporal SDK's own worker
   * metrics. Bound to METRICS_HOST, loopback unless deliberately opened.
   */
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  TEMPORAL_SDK_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9466),
  /**
   * Personal login (OpenID Connect): the organisation's identity provider (Entra ID, Keycloak, ...).
   * Unset for `npm start`: it starts the embedded development provider (scripts/dev-idp.ts) instead.
   */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('routekaart'),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The API's audience in access tokens (an absolute URI); default <PUBLIC_URL>/api. */
  OIDC_AUDIENCE: z.string().url().optional(),
  /** Refuse a login whose amr/acr shows no second factor. */
  OIDC_REQUIRE_MFA: bool.default(false),
  /** Port of the embedded development identity provider (`npm start` without OIDC_ISSUER). */
  DEV_IDP_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  /** The Temporal Web UI's origin, the only one allowed to call /codec/decode (CORS); unset: the local dev UI. */
  TEMPORAL_UI_ORIGIN: z.string().url().optional(),
  /** SMTP; when SMTP_HOST is unset mail is written to <data>/outbox as .eml files. */
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  MAIL_FROM: z.string().default('Routekaart <routekaart@localhost>'),
  /** Mails one worker sends at once: a crash can duplicate at most these (README, "Mail exactly once"). */
  MAIL_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
});

export type Config = ReturnType<typeof loadConfig>;

/** Every environment variable the service reads (docker-compose.yml is checked against this list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Why a `trust proxy` value is refused, or undefined when every entry is an address, subnet or preset. */
function trustProxyProblem(value: string): string | undefined {
  if (/^\s*\d+\s*$/.test(value))
    return `a hop count (${value.trim()}) lets any client that reaches the API directly choose its own address; give the proxy's address or subnet instead (e.g. 10.0.0.5 or 172.18.0.0/16 or loopback)`;
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (PROXY_PRESETS.has(entry)) continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length)
      return `'${entry}' is not an address, a subnet (address/prefix) or one of ${[...PROXY_PRESETS].join(', ')}`;
  }
  return undefined;
}

/** Personal login settings when an issuer is configured (then the client secret is required too). */
function oidcSettings(e: z.infer<typeof Env>) {
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`).replace(/\/$/, '');
  const base = { clientId: e.OIDC_CLIENT_ID, requireMfa: e.OIDC_REQUIRE_MFA, audience: e.OIDC_AUDIENCE ?? `${publicUrl}/api` };
  if (!e.OIDC_ISSUER) return { ...base, issuer: undefined, clientSecret: undefined, development: false };
  if (!e.OIDC_CLIENT_SECRET) throw new Error('Invalid configuration:\n  OIDC_CLIENT_SECRET: required with OIDC_ISSUER');
  // `development`: the issuer is npm start's own provider, where the documented people's keys
  // (config/access.example.json) still work on the API for trying it with curl.
  return { ...base, issuer: e.OIDC_ISSUER, clientSecret: e.OIDC_CLIENT_SECRET, development: false };
}

/** Reads a secret from env, or from a file in the data dir, creating it once (local default). */
function secret(value: string | undefined, dataDir: string, file: string): Buffer {
  if (value) return Buffer.from(value, 'base64');
  const path = resolve(dataDir, file);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}

/** The URL with the password percent-encoded, so any character survives the driver's decoding. */
function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty value is an unset one: docker compose passes `${NAME:-}` as "", and an empty
  // OIDC_ISSUER must mean "no issuer", not "an invalid URL".
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  // Two processes on one database must derive the same household id from the same intake
  // (api/ids.ts): a secret generated into each process's own data dir would split them.
  if (e.DATABASE_URL && !e.ROUTEKAART_ID_SECRET)
    throw new Error(
      'Invalid configuration:\n  ROUTEKAART_ID_SECRET: required with DATABASE_URL (a shared database): every API process must derive the same household ids; set the same base64 secret of 32 bytes for all of them (openssl rand -base64 32)',
    );
  const dataDir = resolve(e.ROUTEKAART_DATA_DIR);
  // Keys, databases and the mail outbox: the service's own user only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const payloadKey = secret(e.ROUTEKAART_PAYLOAD_KEY, dataDir, 'payload-key');
  if (payloadKey.length !== 32) throw new Error('Invalid configuration:\n  ROUTEKAART_PAYLOAD_KEY: must be base64 of 32 bytes');
  const previousKeys = (e.ROUTEKAART_PAYLOAD_KEYS_PREVIOUS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => Buffer.from(k, 'base64'));
  if (previousKeys.some((k) => k.length !== 32))
    throw new Error('Invalid configuration:\n  ROUTEKAART_PAYLOAD_KEYS_PREVIOUS: every key must be base64 of 32 bytes');
  let policy: Policy;
  try {
    policy = Policy.parse(e.ROUTEKAART_POLICY ? JSON.parse(e.ROUTEKAART_POLICY) : {});
  } catch (err) {
    throw new Error(`Invalid configuration:\n  ROUTEKAART_POLICY: ${(err as Error).message}`);
  }
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE },
    dataDir,
    keyring: new Keyring(payloadKey, previousKeys),
    linkSecret: secret(e.ROUTEKAART_LINK_SECRET, dataDir, 'link-secret'),
    idSecret: secret(e.ROUTEKAART_ID_SECRET, dataDir, 'id-secret'),
    policy,
    directoryFile: resolve(e.ROUTEKAART_DIRECTORY),
    accessFile: resolve(e.ROUTEKAART_ACCESS),
    database: e.DATABASE_URL
      ? { url: withPassword(e.DATABASE_URL, e.DATABASE_PASSWORD), poolSize: e.DATABASE_POOL_SIZE }
      : { dataDir: resolve(dataDir, 'db') },
    api: {
      port: e.API_PORT,
      host: e.API_HOST,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`).replace(/\/$/, ''),
      limits: {
        perKeyPerMinute: e.API_RATE_LIMIT_PER_KEY,
        failedAuthPerMinute: e.API_RATE_LIMIT_FAILED_AUTH,
        failedAuthPerAddressPerMinute: e.API_RATE_LIMIT_FAILED_AUTH_PER_ADDRESS,
      },
      trustProxy: e.API_TRUST_PROXY?.trim() || undefined,
    },
    oidc: oidcSettings(e),
    devIdpPort: e.DEV_IDP_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalUiOrigin: (e.TEMPORAL_UI_ORIGIN ?? `http://localhost:${e.TEMPORAL_UI_PORT}`).replace(/\/$/, ''),
    metrics: {
      host: e.METRICS_HOST,
      apiPort: e.METRICS_PORT,
      workerPort: e.WORKER_METRICS_PORT,
      sdkPort: e.TEMPORAL_SDK_METRICS_PORT,
    },
    // Passed to the SDK's Worker.create as it is; the workflow thread's heap setting is not an option of it.
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      stickyQueueScheduleToStartTimeout: e.WORKER_STICKY_QUEUE_TIMEOUT_SECONDS * 1000,
    },
    workflowThreadSemiSpaceMb: e.WORKER_WORKFLOW_SEMI_SPACE_MB,
    smtp: e.SMTP_HOST ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, pass: e.SMTP_PASS } : undefined,
    mailFrom: e.MAIL_FROM,
    mailSendConcurrency: e.MAIL_SEND_CONCURRENCY,
  };
}
