/**
 * Several processes, one Temporal and one PostgreSQL: two workers and two API processes, started
 * as real child processes with the production entry points (worker/main.ts, api/main.ts).
 *  - A burst of due escalations; one worker is killed with SIGKILL in the middle of it. Every mail
 *    reaches the real SMTP receiver on loopback exactly once (counted by Message-ID): the other
 *    worker takes over the dead one's attempts once their timeout has passed.
 *  - Both API processes write one audit chain, which verifies.
 *  - The coordinators' list shows every household once, in urgency order, across pages.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { hashKey } from '../../api/access';
import { addMonths, amsterdamDay, monthOf } from '../../domain/time';
import { openDatabase, type Database } from '../../platform/db/database';
import { AuditStore } from '../../platform/store/audit';
import { readMail } from '../mail/support/mime';
import { startSmtp, type SmtpCatcher } from '../mail/support/smtp';
import { startPostgres, type PostgresServer } from '../support/harness/postgres';
import { freePort } from '../support/harness/ports';
import { devServerEnv } from '../support/harness/temporal';
import { until } from '../support/harness/wait';

const ROOT = resolve(__dirname, '../..');
const HOUSEHOLDS = 12;
const KILL_AT = 15;

let pg: PostgresServer;
let env: TestWorkflowEnvironment;
let smtp: SmtpCatcher;
let db: Database;
let dir: string;
const children: ChildProcess[] = [];

/** A production entry point as a child process, TypeScript run directly (tsx). */
function start(entry: string, env: Record<string, string>, name: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (b: Buffer) => {
    lines.push(...b.toString().split('\n').filter(Boolean));
    // MULTI_DEBUG=1 keeps each process's whole output in the temp folder for a post-mortem.
    if (process.env.MULTI_DEBUG) appendFileSync(join(tmpdir(), `rk-multi-${name}.log`), b);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code && !signal) console.error(`[${name}] exited ${code}:\n${lines.slice(-20).join('\n')}`);
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  [pg, env, smtp] = await Promise.all([startPostgres(), devServerEnv(), startSmtp()]);
  db = await openDatabase({ url: pg.url() });
  dir = mkdtempSync(join(tmpdir(), 'rk-multi-'));
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.close();
  await Promise.all([pg?.stop(), env?.teardown(), smtp?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two workers and two APIs: mail exactly once across a SIGKILL, one audit chain, one urgency-ordered list', async () => {
  // Configuration shared by every process, as in production.
  const access = join(dir, 'access.json');
  const directory = join(dir, 'directory.json');
  const keys = [
    { id: 'intake-vt', kind: 'intake', organisation: 'veilig-thuis' },
    { id: 'coord', kind: 'coordinator', organisation: 'regio-haaglanden' },
  ].map((k) => ({ ...k, sha256: hashKey(k.id) }));
  writeFileSync(access, JSON.stringify({ keys, webhooks: {} }));
  const person = (n: string, org: string) => ({ name: `Professional ${n}`, email: `${n}@${org}.example.org`, organisation: org });
  writeFileSync(
    directory,
    JSON.stringify({
      professionals: { 'p-vt-1': person('p-vt-1', 'veilig-thuis'), 'p-lt-1': person('p-lt-1', 'lokaal-team') },
      organisations: {
        'veilig-thuis': { name: 'Veilig Thuis', leadEmail: 'lead@veilig-thuis.example.org', leadName: 'Lead VT' },
        'lokaal-team': { name: 'Lokaal team', leadEmail: 'lead@lokaal-team.example.org', leadName: 'Lead LT' },
      },
      coordinator: { name: 'Coördinator', email: 'coordinator@regio.example.org' },
    }),
  );
  const apiPorts = [await freePort(), await freePort()];
  const common = {
    TEMPORAL_ADDRESS: env.address,
    DATABASE_URL: pg.url(),
    ROUTEKAART_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    ROUTEKAART_LINK_SECRET: randomBytes(32).toString('base64'),
    // One household-id secret for every process on the shared database (required with DATABASE_URL).
    ROUTEKAART_ID_SECRET: randomBytes(32).toString('base64'),
    ROUTEKAART_ACCESS: access,
    ROUTEKAART_DIRECTORY: directory,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    // Mail at any hour (the test runs at any hour), and a short attempt so a dead worker's mail is retried soon.
    ROUTEKAART_POLICY: JSON.stringify({ workingHours: { from: 0, until: 24, everyDay: true }, mailAttemptSeconds: 8 }),
  };
  // Each process serves its metrics on a port of its own (the worker also the Temporal SDK's).
  const metricsPorts = {
    api: [await freePort(), await freePort()],
    worker: [await freePort(), await freePort()],
    sdk: [await freePort(), await freePort()],
  };
  const workers = [0, 1].map((i) =>
    start(
      'worker/main.ts',
      {
        ...common,
        ROUTEKAART_DATA_DIR: join(dir, `worker-${i}`),
        WORKER_METRICS_PORT: String(metricsPorts.worker[i]),
        TEMPORAL_SDK_METRICS_PORT: String(metricsPorts.sdk[i]),
      },
      `worker-${i}`,
    ),
  );
  apiPorts.forEach((port, i) =>
    start(
      'api/main.ts',
      { ...common, API_PORT: String(port), ROUTEKAART_DATA_DIR: join(dir, `api-${i}`), METRICS_PORT: String(metricsPorts.api[i]) },
      `api-${i}`,
    ),
  );
  const api = (i: number) => `http://127.0.0.1:${apiPorts[i % 2]}/api/v1`;
  for (const i of [0, 1])
    await until(
      `api ${i} healthy`,
      () => fetch(`${api(i)}/health`).then((r) => r.json() as Promise<{ status: string }>),
      (b: { status: string }) => b.status === 'ok',
    );

  // The burst: SIGKILL the first worker while mail is flowing. The SMTP receiver holds every reply
  // from that moment, lets the mails it already accepted be marked sent, kills, then refuses the
  // held ones (451: not accepted, retried later), so the only mails the dead worker had in hand are
  // ones the server never accepted.
  let killed = false;
  let holding: Promise<void> | undefined;
  smtp.gate = async (arrived) => {
    if (arrived === KILL_AT && !killed) {
      killed = true;
      holding = new Promise((r) => setTimeout(r, 1_500)).then(() => {
        workers[0]!.kill('SIGKILL');
        holding = undefined; // what arrives from now on is accepted again
      });
    }
    const held = holding;
    if (held) {
      await held;
      return 451;
    }
    return undefined;
  };
  const month = monthOf(amsterdamDay(new Date()));
  const ids: string[] = [];
  // Imported cases in phase Veiligheid for two months without a child conversation: R-13 is at
  // level 3 at once, and the phase runs longer than expected (R-62), for every household.
  await Promise.all(
    Array.from({ length: HOUSEHOLDS }, async (_, i) => {
      const res = await fetch(`${api(i)}/households`, {
        method: 'POST',
        headers: { Authorization: 'Bearer intake-vt', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          reference: `VT-MULTI-${i}`,
          source: 'instantie',
          reportingOrganisation: 'politie',
          members: [{ ref: 'kind-1', isChild: true }],
          owner: { professionalId: 'p-vt-1', organisation: 'veilig-thuis' },
          casusregisseur: { professionalId: 'p-lt-1', organisation: 'lokaal-team' },
          import: { startDate: `${addMonths(month, -3)}-01`, phase: 'veiligheid', phaseStartDate: `${addMonths(month, -3)}-01` },
        }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { householdId: string }).householdId);
    }),
  );
  expect(killed || smtp.received.length < KILL_AT).toBe(true);

  // Wait for quiet: every mail marked sent, nothing claimed, nothing arriving for a while.
  await until(
    'all mail settled',
    async () => {
      const [r] = await db.query<{ sent: number; sending: number }>(
        "SELECT count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*) FILTER (WHERE state = 'sending')::int AS sending FROM mail_sent",
      );
      const coordinator = smtp.received.filter((m) => m.envelopeTo.includes('coordinator@regio.example.org')).length;
      return { ...r!, coordinator, received: smtp.received.length };
    },
    (v) => v.sending === 0 && v.coordinator >= HOUSEHOLDS && v.sent === v.received,
    120_000,
  );
  expect(killed).toBe(true);
  // The held replies were refused (451): mail the killed worker had in hand was never accepted, and was sent later.
  expect(smtp.refusals).toBeGreaterThan(0);
  const messageIds = smtp.received.map((m) => readMail(m.raw).messageId);
  const counts = new Map<string, number>();
  for (const id of messageIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
  // Every household's R-13 escalation reached the coordinator, once.
  const toCoordinator = smtp.received.filter((m) => m.envelopeTo.includes('coordinator@regio.example.org')).map((m) => readMail(m.raw));
  for (const id of ids)
    expect(toCoordinator.filter((m) => m.header('x-routekaart-household') === id && m.header('x-routekaart-rule') === 'R-13')).toHaveLength(
      1,
    );

  // One audit chain from both API processes.
  for (let i = 0; i < 6; i++) await fetch(`${api(i)}/households/${ids[i]}`, { headers: { Authorization: 'Bearer coord' } });
  const verification = (await (await fetch(`${api(1)}/audit/verification`, { headers: { Authorization: 'Bearer coord' } })).json()) as {
    ok: boolean;
    entries: number;
  };
  expect(verification.ok).toBe(true);
  expect(verification.entries).toBeGreaterThanOrEqual(HOUSEHOLDS + 6);
  expect(await new AuditStore(db).verify()).toMatchObject({ ok: true });

  // The list, through either API, across pages: every household once, most urgent first.
  const seen: { householdId: string; escalationLevel: number; nextDeadline: string | null }[] = [];
  await until(
    'read model has every household at level 3',
    async () =>
      (await (await fetch(`${api(0)}/households/overview`, { headers: { Authorization: 'Bearer coord' } })).json()) as {
        byLevel: Record<string, number>;
      },
    (c) => c.byLevel['3'] === HOUSEHOLDS,
  );
  let token: string | undefined;
  let page = 0;
  do {
    const res = await fetch(`${api(page)}/households?pageSize=5${token ? `&nextPageToken=${token}` : ''}`, {
      headers: { Authorization: 'Bearer coord' },
    });
    const body = (await res.json()) as { items: typeof seen; nextPageToken?: string };
    seen.push(...body.items);
    token = body.nextPageToken;
    page++;
  } while (token && page < 10);
  expect(page).toBe(3);
  expect(seen.map((s) => s.householdId).sort()).toEqual([...ids].sort());
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1]!, seen[i]!];
    expect(
      a.escalationLevel > b.escalationLevel ||
        (a.escalationLevel === b.escalationLevel && (a.nextDeadline ?? '~') <= (b.nextDeadline ?? '~')),
    ).toBe(true);
  }

  // Metrics of the real processes: the read model's figures from either API, mail counted by the
  // surviving worker, and the Temporal SDK's own worker metrics.
  const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  for (const port of metricsPorts.api) {
    const text = await scrape(port);
    expect(text).toContain(`routekaart_households{phase="veiligheid"} ${HOUSEHOLDS}`);
    expect(text).toContain(`routekaart_households_escalated{level="3"} ${HOUSEHOLDS}`);
    expect(execFileSync(process.env.PROMTOOL_PATH ?? '/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe(
      '',
    );
  }
  const survivor = await scrape(metricsPorts.worker[1]!);
  const sentBySurvivor = [...survivor.matchAll(/^routekaart_mail_sent_total\{kind="\w+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  expect(sentBySurvivor).toBeGreaterThan(0);
  expect(await scrape(metricsPorts.sdk[1]!)).toMatch(/^temporal_\w+/m);
}, 300_000);
