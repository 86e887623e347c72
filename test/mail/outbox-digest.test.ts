/**
 * The outbox (no SMTP configured), the optional daily digest, and a run inside Temporal's
 * MockActivityEnvironment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { verifyHouseholdLink } from '../../platform/links';
import { createMailActivities, messageIdFor, SmtpTransientError } from '../../activities/mail';
import { mailDepsFromConfig } from '../../worker/main';
import {
  ADDR,
  ALL_NAMES,
  FATMA,
  freshMailStore,
  FROM,
  NOW,
  removeTempDirs,
  request,
  RUBEN,
  SECRET,
  smtpDeps,
  tempDir,
} from './support/fixtures';
import { icsLines, readMail } from './support/mime';
import { startSmtp, type SmtpCatcher } from './support/smtp';

afterAll(() => removeTempDirs());

describe('outbox (no SMTP configured)', () => {
  test('writes each mail as an .eml file, once, with the same headers and parts as over SMTP', async () => {
    const dir = tempDir();
    const outbox = join(dir, 'outbox');
    const deps = { ...smtpDeps(0, await freshMailStore()), transport: { kind: 'outbox' as const, dir: outbox } };
    const { sendNotification } = createMailActivities(deps);
    await expect(sendNotification(request())).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });
    await expect(sendNotification(request())).resolves.toEqual({ sent: 0, skipped: 1, queued: 0 });
    await sendNotification(request({ kind: 'netwerkberaad', rule: 'R-36', idempotencyKey: 'k-nb', meetingAt: '2025-04-08T08:00:00.000Z' }));

    const files = readdirSync(outbox).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^hh-7f3a9c-[a-z_]+-0-[0-9a-f]{16}\.eml$/.test(f))).toBe(true);
    const score = readMail(
      readFileSync(
        join(
          outbox,
          files.find((f) => f.includes('-score-'))!,
        ),
      ),
    );
    expect(score.header('to')).toBe(`Fatma Yilmaz <${ADDR.fatma}>`);
    expect(score.messageId).toBe(messageIdFor(request().idempotencyKey, ADDR.fatma, 'routekaart.example.org'));
    expect(score.subject).toBe('Herinnering: Maandelijkse score van de veiligheidsschalen (huishouden hh-7f3a9c)');
    expect(score.text).toContain('R-32');
    expect(score.html).toContain('R-32');
    const meeting = readMail(
      readFileSync(
        join(
          outbox,
          files.find((f) => f.includes('-netwerkberaad-'))!,
        ),
      ),
    );
    const ics = meeting.calendarParts.find((p) => p.contentType === 'text/calendar')!;
    expect(icsLines(ics.body.toString('utf8'))).toContain('METHOD:REQUEST');
    // No temp files left behind.
    expect(readdirSync(outbox).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('mailDepsFromConfig: the outbox without SMTP_HOST, SMTP with it', async () => {
    const store = await freshMailStore();
    const base = {
      dataDir: '/data',
      mailFrom: FROM,
      linkSecret: SECRET,
      directoryFile: '/cfg/directory.json',
      api: { port: 8080, host: '127.0.0.1', publicUrl: 'https://rk.example.org' },
    };
    const local = mailDepsFromConfig({ ...base, smtp: undefined }, store);
    expect(local.transport).toEqual({ kind: 'outbox', dir: '/data/outbox' });
    expect(local.store).toBe(store);
    const smtp = mailDepsFromConfig(
      { ...base, smtp: { host: 'smtp.example.org', port: 587, secure: false, user: 'rk', pass: 'geheim' } },
      store,
    );
    expect(smtp.transport).toEqual({
      kind: 'smtp',
      smtp: { host: 'smtp.example.org', port: 587, secure: false, auth: { user: 'rk', pass: 'geheim' } },
    });
  });
});

describe('daily digest (directory digest: true)', () => {
  let smtp: SmtpCatcher;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.mode = { kind: 'accept' };
  });

  const forRuben = (householdId: string, over: Parameters<typeof request>[0] = {}) =>
    request({
      householdId,
      idempotencyKey: `${householdId}:R-32:score:d1:2025-03:0`,
      recipients: { professionals: [RUBEN], organisationLeads: [], coordinator: false },
      ...over,
    });

  test('reminders wait for the digest, escalations and invites do not; one digest a day, each reminder once', async () => {
    let now = NOW;
    const store = await freshMailStore();
    const { sendNotification, sendDigests } = createMailActivities(smtpDeps(smtp.port, store, { now: () => now }));

    await expect(sendNotification(forRuben('hh-1'))).resolves.toEqual({ sent: 0, skipped: 0, queued: 1 });
    await expect(sendNotification(forRuben('hh-1'))).resolves.toEqual({ sent: 0, skipped: 1, queued: 0 });
    await expect(
      sendNotification(forRuben('hh-2', { kind: 'overdracht', rule: 'R-24', reason: 'Overdracht staat open.' })),
    ).resolves.toMatchObject({ queued: 1 });
    // Mixed: Fatma gets her mail now, Ruben's waits.
    await expect(
      sendNotification(forRuben('hh-3', { recipients: { professionals: [FATMA, RUBEN], organisationLeads: [], coordinator: false } })),
    ).resolves.toEqual({ sent: 1, skipped: 0, queued: 1 });
    expect(smtp.received.map((r) => r.envelopeTo[0])).toEqual([ADDR.fatma]);
    // Escalations and meetings go out at once.
    await expect(sendNotification(forRuben('hh-1', { level: 1, idempotencyKey: 'hh-1:esc:1' }))).resolves.toMatchObject({ sent: 1 });
    await expect(
      sendNotification(
        forRuben('hh-4', { kind: 'netwerkberaad', rule: 'R-36', idempotencyKey: 'hh-4:nb', meetingAt: '2025-04-08T08:00:00.000Z' }),
      ),
    ).resolves.toMatchObject({ sent: 1 });
    expect(smtp.received.map((r) => r.envelopeTo[0])).toEqual([ADDR.fatma, ADDR.ruben, ADDR.ruben]);
    smtp.received.length = 0;

    await expect(sendDigests()).resolves.toEqual({ sent: 1, skipped: 0, queued: 0, reminders: 3 });
    expect(smtp.received).toHaveLength(1);
    const digest = readMail(smtp.received[0]!.raw);
    expect(smtp.received[0]!.envelopeTo).toEqual([ADDR.ruben]);
    expect(digest.subject).toBe('Dagoverzicht Routekaart naar Veiligheid: 3 herinneringen (maandag 10 maart 2025)');
    expect(digest.messageId).toBe(messageIdFor('digest:2025-03-10', ADDR.ruben, 'routekaart.example.org'));
    for (const h of ['hh-1', 'hh-2', 'hh-3']) expect(digest.text).toContain(`(huishouden ${h})`);
    expect(digest.text).toContain('R-24');
    const links = digest.text.match(/https:\/\/\S+/g) ?? [];
    expect(links).toHaveLength(3);
    for (const l of links) {
      const claims = verifyHouseholdLink(SECRET, new URL(l).searchParams.get('token')!, now);
      expect(claims?.sub).toBe('ds-0311');
      expect(l).toContain(`/dashboard/households/${claims!.householdId}?`);
    }

    // Same day again: nothing new; a reminder queued later that day waits for tomorrow.
    await expect(sendDigests()).resolves.toEqual({ sent: 0, skipped: 0, queued: 0, reminders: 0 });
    await sendNotification(forRuben('hh-5'));
    await expect(sendDigests()).resolves.toEqual({ sent: 0, skipped: 1, queued: 0, reminders: 0 });
    expect(smtp.received).toHaveLength(1);
    now = new Date(NOW.getTime() + 86_400_000);
    // A restarted (or another) worker reads the queue and the sent-log from the database.
    const restarted = createMailActivities(smtpDeps(smtp.port, store, { now: () => now }));
    await expect(restarted.sendDigests()).resolves.toEqual({ sent: 1, skipped: 0, queued: 0, reminders: 1 });
    const second = readMail(smtp.received[1]!.raw);
    expect(second.subject).toBe('Dagoverzicht Routekaart naar Veiligheid: 1 herinnering (dinsdag 11 maart 2025)');
    expect(second.text).toContain('hh-5');
    expect(second.text).not.toContain('hh-1');
    await expect(restarted.sendDigests()).resolves.toMatchObject({ sent: 0 });
  });

  test('a digest refused with 4xx is retried and delivered once', async () => {
    const { sendNotification, sendDigests } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(forRuben('hh-1'));
    smtp.mode = { kind: 'refuse', code: 421, at: 'rcpt' };
    await expect(sendDigests()).rejects.toBeInstanceOf(SmtpTransientError);
    smtp.mode = { kind: 'accept' };
    await expect(sendDigests()).resolves.toMatchObject({ sent: 1, reminders: 1 });
    await expect(sendDigests()).resolves.toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });
});

describe('inside a Temporal activity', () => {
  test('runs in MockActivityEnvironment, logs through the activity logger without personal data; a 5xx is a non-retryable SmtpPermanentFailure', async () => {
    const smtp = await startSmtp();
    try {
      const { sendNotification } = createMailActivities({ ...smtpDeps(smtp.port, await freshMailStore()), logger: undefined });
      const entries: LogEntry[] = [];
      const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('INFO', (e) => entries.push(e)) });
      await expect(env.run(sendNotification, request())).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });
      smtp.mode = { kind: 'refuse', code: 550, at: 'rcpt' };
      const err = await env.run(sendNotification, request({ idempotencyKey: 'k-550' })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'SmtpPermanentFailure', nonRetryable: true });
      expect(entries.find((e) => e.message === 'Mail sent')?.meta).toMatchObject({ householdId: 'hh-7f3a9c', recipient: 'jf-0142' });
      expect(entries.find((e) => e.message === 'Mail not delivered')?.meta).toMatchObject({ responseCode: 550, permanent: true });
      const logged = JSON.stringify(entries.map((e) => [e.message, e.meta]));
      for (const a of Object.values(ADDR)) expect(logged).not.toContain(a);
      for (const n of ALL_NAMES) expect(logged).not.toContain(n);
    } finally {
      await smtp.close();
    }
  });
});
