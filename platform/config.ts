/**
 * Configuration of the whole service (worker, API, local start), parsed once from the
 * environment with zod; a wrong value stops the start with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Policy } from '../domain/policy';
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
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /**
   * Worker tuning. A household in the worker's cache costs about 1.4 MB of live workflow heap
   * (docs/BENCHMARKS.md); an evicted household is replayed from its history at its next task. 250
   * keeps the live heap near 350 MB whatever the number of households. Cap V8's heap as well
   * (NODE_OPTIONS=--max-old-space-size=768, as docker-compose.yml does for the worker), or garbage
   * lets RSS grow past 2 GB before V8 collects it.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(250),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1000).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(1000).optional(),
  /** Requests per minute per API key, and refused authentications per minute per address. */
  API_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(1200),
  API_RATE_LIMIT_FAILED_AUTH: z.coerce.number().int().min(1).default(60),
  /** Express `trust proxy` behind a reverse proxy (e.g. 1 or 'loopback'), for the per-address limit. */
  API_TRUST_PROXY: z.string().optional(),
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
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
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE } : { dataDir: resolve(dataDir, 'db') },
    api: {
      port: e.API_PORT,
      host: e.API_HOST,
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.API_PORT}`).replace(/\/$/, ''),
      limits: { perKeyPerMinute: e.API_RATE_LIMIT_PER_KEY, failedAuthPerMinute: e.API_RATE_LIMIT_FAILED_AUTH },
      trustProxy:
        e.API_TRUST_PROXY === undefined ? undefined : /^\d+$/.test(e.API_TRUST_PROXY) ? Number(e.API_TRUST_PROXY) : e.API_TRUST_PROXY,
    },
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalUiOrigin: (e.TEMPORAL_UI_ORIGIN ?? `http://localhost:${e.TEMPORAL_UI_PORT}`).replace(/\/$/, ''),
    metrics: {
      host: e.METRICS_HOST,
      apiPort: e.METRICS_PORT,
      workerPort: e.WORKER_METRICS_PORT,
      sdkPort: e.TEMPORAL_SDK_METRICS_PORT,
    },
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    smtp: e.SMTP_HOST ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE, user: e.SMTP_USER, pass: e.SMTP_PASS } : undefined,
    mailFrom: e.MAIL_FROM,
    mailSendConcurrency: e.MAIL_SEND_CONCURRENCY,
  };
}
