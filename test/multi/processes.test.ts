/**
 * Several processes, one Temporal and one PostgreSQL: two workers and two API processes, started
 * as real child processes with the production entry points (worker/main.ts, api/main.ts).
 *  - A burst of due escalations; one worker is killed with SIGKILL in the middle of it, the SMTP
 *    receiver on loopback left alone (it answers every mail at once, as a real server does). No
 *    mail is lost: the other worker takes over the dead one's attempts once their timeout has
 *    passed. A mail the server accepted just before the kill and that was not yet marked sent is
 *    sent once more, always with the Message-ID of the first copy: those duplicates are counted
 *    and reported, never asserted as a number (how many depends on timing). (The workers run
 *    before the intakes, as the intake answers with the household's view; the bench figure
 *    killburst starts its households with no worker running, for a burst all due at once.)
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
import { describeTally, tallyDeliveries } from '../mail/support/deliveries';
import { readMail } from '../mail/support/mime';
import { startSmtp, type ReceivedMail, type SmtpCatcher } from '../mail/support/smtp';
import { startPostgres, type PostgresServer } from '../support/harness/postgres';
import { freePort } from '../support/harness/ports';
import { devServerEnv } from '../support/harness/temporal';
import { until } from '../support/harness/wait';

const ROOT = resolve(__dirname, '../..');
/** Households of the burst, each mailing several people at once (R-13 at level 3, R-62). */
const HOUSEHOLDS = Number(process.env.MULTI_HOUSEHOLDS ?? 60);
/** The kill comes once this many mails have arrived: in the middle of the burst. */
const KILL_AT = HOUSEHOLDS;
/** Page size of the list: a few pages. */
const PAGE = Math.floor(HOUSEHOLDS / 3) + 1;

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

const parsed = new WeakMap<ReceivedMail, { household: string; messageId: string }>();
/** Parsed once per mail: the settle loop asks again and again. */
function headersOf(m: ReceivedMail): { household: string; messageId: string } {
  let h = parsed.get(m);
  if (!h) {
    const mail = readMail(m.raw);
    h = { household: mail.header('x-routekaart-household') ?? '', messageId: mail.messageId };
    parsed.set(m, h);
  }
  return h;
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

test('two workers and two APIs: no mail lost across a SIGKILL mid-burst, a duplicate only as the same Message-ID, one audit chain, one urgency-ordered list', async () => {
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
    ROUTEKAART_POLICY: JSON.stringify({ workingHours: { from: 0, until: 24, everyDay: true }, mailAttemptSeconds: 8, importReviewDays: 0 }),
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

  // The burst: SIGKILL the first worker while mail is flowing, with the mail server untouched. The
  // moment is random (up to 300 ms after the KILL_AT-th mail arrived), as a real crash is: not tied
  // to the receiver's replies, which run in this same process.
  let burstAt = 0;
  let killedAt = 0;
  const killer = setInterval(() => {
    if (burstAt || smtp.received.length < KILL_AT) return;
    burstAt = Date.now();
    clearInterval(killer);
    setTimeout(() => {
      killedAt = Date.now();
      workers[0]!.kill('SIGKILL');
    }, Math.random() * 300).unref();
  }, 5);
  killer.unref();
  const month = monthOf(amsterdamDay(new Date()));
  const ids: string[] = [];
  // Imported cases in phase Veiligheid for two months without a child conversation: R-13 is at
  // level 3 at once, and the phase runs longer than expected (R-62), for every household.
  // Ten intakes at a time, as an intake system sends them; a 5xx (Temporal slow or refusing on a busy
  // machine) is retried, as the API asks, and the intake is idempotent (R-01).
  const intake = async (i: number) => {
    for (let attempt = 1; ; attempt++) {
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
      // Ten intakes at once on 2 cores: a 503 while Temporal is slow is retried, as an intake system does.
      if (res.status >= 500 && attempt < 15) {
        await new Promise((r) => setTimeout(r, 2_000));
        continue;
      }
      // 200 only when an earlier attempt started it after all (idempotent intake, R-01).
      if (!(attempt === 1 ? [201] : [200, 201]).includes(res.status)) throw new Error(`intake ${i}: ${res.status} ${await res.text()}`);
      ids.push(((await res.json()) as { householdId: string }).householdId);
      return;
    }
  };
  const waiting = Array.from({ length: HOUSEHOLDS }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = waiting.shift(); i !== undefined; i = waiting.shift()) await intake(i);
    }),
  );

  // Wait for quiet: nothing claimed, every accepted mail marked sent, every household as many mails
  // as the one with most (the dead worker's attempts retried), and nothing new for a few seconds.
  let last = { received: -1, at: Date.now() };
  await until(
    'all mail settled',
    async () => {
      const [r] = await db.query<{ sent: number; sending: number }>(
        "SELECT count(*) FILTER (WHERE state = 'sent')::int AS sent, count(*) FILTER (WHERE state = 'sending')::int AS sending FROM mail_sent",
      );
      const perHousehold = new Map<string, Set<string>>();
      for (const m of smtp.received) {
        const { household, messageId } = headersOf(m);
        perHousehold.set(household, (perHousehold.get(household) ?? new Set()).add(messageId));
      }
      const counts = ids.map((id) => perHousehold.get(id)?.size ?? 0);
      const distinct = new Set(smtp.received.map((m) => headersOf(m).messageId)).size;
      if (smtp.received.length !== last.received) last = { received: smtp.received.length, at: Date.now() };
      return { ...r!, distinct, fewest: Math.min(...counts), most: Math.max(...counts), quietMs: Date.now() - last.at };
    },
    (v) => v.sending === 0 && v.sent === v.distinct && v.fewest === v.most && v.quietMs > 3_000,
    120_000,
  );
  expect(killedAt).toBeGreaterThan(0);
  // The kill reset the dead worker's open SMTP connections; nothing else went wrong at the receiver.
  expect(smtp.errors.filter((e) => !['ECONNRESET', 'EPIPE'].includes(e.code ?? ''))).toEqual([]);

  const sentLog = await db.query<{ message_id: string; sent_at: Date }>("SELECT message_id, sent_at FROM mail_sent WHERE state = 'sent'");
  const tally = tallyDeliveries(smtp.received, sentLog);
  // Nothing lost: every mail marked sent reached the server, and every mail the server took was marked.
  expect(tally.markedNotReceived).toEqual([]);
  expect(tally.receivedNotMarked).toEqual([]);
  // A duplicate is the same mail once more, never a new one: one Message-ID per mail (household, kind, rule, level, recipient).
  expect(tally.splitMails).toEqual([]);
  // Every household got the same mails (the same situation for each), the coordinator's R-13 escalation among them.
  const mails = smtp.received.map((m) => ({ ...m, mail: readMail(m.raw) }));
  const perHousehold = new Map<string, Set<string>>();
  for (const m of mails) {
    const household = m.mail.header('x-routekaart-household') ?? '';
    perHousehold.set(household, (perHousehold.get(household) ?? new Set()).add(m.mail.messageId));
  }
  expect([...perHousehold.keys()].sort()).toEqual([...ids].sort());
  const mailsPerHousehold = perHousehold.get(ids[0]!)!.size;
  expect([...perHousehold.values()].map((s) => s.size)).toEqual(ids.map(() => mailsPerHousehold));
  for (const id of ids)
    expect(
      mails.filter(
        (m) =>
          m.envelopeTo.includes('coordinator@regio.example.org') &&
          m.mail.header('x-routekaart-household') === id &&
          m.mail.header('x-routekaart-rule') === 'R-13',
      ).length,
    ).toBeGreaterThanOrEqual(1);
  if (process.env.MULTI_DEBUG) {
    const byId = new Map<string, number[]>();
    for (const m of mails) byId.set(m.mail.messageId, [...(byId.get(m.mail.messageId) ?? []), m.acceptedAt - killedAt]);
    const rows = new Map(sentLog.map((r) => [r.message_id, new Date(r.sent_at).getTime() - killedAt]));
    for (const [id, times] of byId) if (times.length > 1) console.log('DUP', id.slice(0, 30), times, rows.get(id));
    console.log(
      'arrivals around kill',
      mails
        .map((m) => m.acceptedAt - killedAt)
        .filter((t) => t > -500 && t < 500)
        .sort((a, b) => a - b)
        .join(' '),
    );
  }
  // Reported, not asserted (how many depends on timing): duplicates, and the window between the server's 250 and the mark.
  console.log(
    `kill -9 mid-burst: ${HOUSEHOLDS} households, ${describeTally(tally)}; ` +
      `killed ${killedAt - burstAt} ms after arrival ${KILL_AT}; receiver errors ${smtp.errors.length}`,
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
    const res = await fetch(`${api(page)}/households?pageSize=${PAGE}${token ? `&nextPageToken=${token}` : ''}`, {
      headers: { Authorization: 'Bearer coord' },
    });
    const body = (await res.json()) as { items: typeof seen; nextPageToken?: string };
    seen.push(...body.items);
    token = body.nextPageToken;
    page++;
  } while (token && page < 100);
  expect(page).toBe(Math.ceil(HOUSEHOLDS / PAGE));
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
