/**
 * sendNotification against a real SMTP server on loopback: nothing twice (retries, a shared
 * sent-log, concurrent attempts, the crash window) and nothing lost (4xx, refused connections, 5xx,
 * refused logins and malformed requests). Content and invites: send-content.test.ts.
 */
import { ApplicationFailure } from '@temporalio/common';
import { createMailActivities, SmtpTransientError, SMTP_PERMANENT_FAILURE } from '../../activities/mail';
import { recipientsFor } from '../../domain/notifications';
import { ADDR, ALL_NAMES, captureLogger, EVA, FATMA, removeTempDirs, request, smtpDeps, freshMailStore } from './support/fixtures';
import { readMail } from './support/mime';
import { MailStore } from '../../platform/store/mail';
import { freshDatabase } from '../support/database';
import { closedPort, resetCatcher, startSmtp, type SmtpCatcher } from './support/smtp';

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  removeTempDirs();
});
beforeEach(() => resetCatcher(smtp));

describe('nothing twice', () => {
  test('the same request sent twice (a retry) is received once', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await expect(sendNotification(request())).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });
    await expect(sendNotification(request())).resolves.toEqual({ sent: 0, skipped: 1, queued: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  test('the sent-log is shared: another worker (or a restarted one) does not send it again; it holds no address or name', async () => {
    const db = await freshDatabase();
    await createMailActivities(smtpDeps(smtp.port, new MailStore(db))).sendNotification(request());
    await expect(createMailActivities(smtpDeps(smtp.port, new MailStore(db))).sendNotification(request())).resolves.toEqual({
      sent: 0,
      skipped: 1,
      queued: 0,
    });
    expect(smtp.received).toHaveLength(1);
    const rows = await db.query<Record<string, unknown>>('SELECT * FROM mail_sent');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ idempotency_key: request().idempotencyKey, recipient: 'jf-0142', state: 'sent' });
    expect(rows[0]!.message_id).toBe(readMail(smtp.received[0]!.raw).messageId);
    expect(JSON.stringify(rows)).not.toContain('@jeugdformaat');
    expect(JSON.stringify(rows)).not.toContain('Yilmaz');
  });

  test('concurrent attempts of the same notification send it once', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const results = await Promise.allSettled([sendNotification(request()), sendNotification(request()), sendNotification(request())]);
    // One attempt claims and sends; the others find it claimed and fail retryably, and their retry skips it.
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.sent === 1)).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SmtpTransientError);
    await expect(sendNotification(request())).resolves.toMatchObject({ sent: 0, skipped: 1 });
    expect(smtp.received).toHaveLength(1);
  });

  test('a new event for the same household is a new mail', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(request());
    await sendNotification(request({ idempotencyKey: 'hh-7f3a9c:R-32:score:d1:2025-03:0:2025-03-27T08:00:00.000Z' }));
    expect(smtp.received).toHaveLength(2);
    const ids = smtp.received.map((r) => readMail(r.raw).messageId);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test('documented limit: a crash between SMTP acceptance and the mark gives one duplicate after the lease, with the same Message-ID', async () => {
    const db = await freshDatabase();
    await createMailActivities(smtpDeps(smtp.port, new MailStore(db))).sendNotification(request());
    // The mark never reached the database: the row is still a claim, whose lease runs out.
    await db.query("UPDATE mail_sent SET state = 'sending', claimed_until = now() - interval '1 second'");
    await createMailActivities(smtpDeps(smtp.port, new MailStore(db))).sendNotification(request());
    expect(smtp.received).toHaveLength(2);
    const [a, b] = smtp.received.map((r) => readMail(r.raw).messageId);
    expect(a).toBe(b);
  });

  test('while another attempt holds the claim (another worker sending it), this attempt retries instead of sending', async () => {
    const db = await freshDatabase();
    const first = createMailActivities(smtpDeps(smtp.port, new MailStore(db), { leaseMs: 60_000 }));
    await first.sendNotification(request());
    await db.query("UPDATE mail_sent SET state = 'sending', claimed_until = now() + interval '1 minute'");
    await expect(createMailActivities(smtpDeps(smtp.port, new MailStore(db))).sendNotification(request())).rejects.toBeInstanceOf(
      SmtpTransientError,
    );
    expect(smtp.received).toHaveLength(1);
  });
});

describe('nothing lost', () => {
  test('4xx: a retryable error, then delivered exactly once when the server accepts again', async () => {
    const logger = captureLogger();
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore(), { logger }));
    smtp.mode = { kind: 'refuse', code: 451, at: 'rcpt' };
    const err = await sendNotification(request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmtpTransientError);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toContain('jf-0142: 451');
    expect((err as Error).message).not.toContain('@');

    smtp.mode = { kind: 'refuse', code: 452, at: 'data' };
    await expect(sendNotification(request())).rejects.toBeInstanceOf(SmtpTransientError);
    expect(smtp.received).toHaveLength(0);
    expect(smtp.refusals).toBe(2);

    smtp.mode = { kind: 'accept' };
    await expect(sendNotification(request())).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });
    await expect(sendNotification(request())).resolves.toEqual({ sent: 0, skipped: 1, queued: 0 });
    expect(smtp.received).toHaveLength(1);
    // Logs name the recipient by pseudonymous id only.
    const logged = JSON.stringify(logger.lines);
    expect(logged).toContain('jf-0142');
    for (const a of Object.values(ADDR)) expect(logged).not.toContain(a);
    for (const n of ALL_NAMES) expect(logged).not.toContain(n);
  });

  test('connection refused: a retryable error, without trying every other recipient against a dead server', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(await closedPort(), await freshMailStore()));
    const err = await sendNotification(request({ level: 3, recipients: recipientsFor({ responsible: [FATMA] }, 3, EVA) })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SmtpTransientError);
    expect((err as Error).message).toMatch(/jf-0142: (ECONNECTION|ESOCKET|ECONNREFUSED)$/);
  });

  test('5xx: a non-retryable ApplicationFailure, after the other recipients were served', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    smtp.mode = { kind: 'refuse', code: 550, at: 'rcpt', only: [ADDR.eva] };
    const err = await sendNotification(request({ level: 2, recipients: recipientsFor({ responsible: [FATMA] }, 2, EVA) })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe(SMTP_PERMANENT_FAILURE);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('gw-0801: 550');
    expect(failure.message).not.toContain('@');
    expect(failure.details?.[0]).toMatchObject({ sent: 2, failures: [{ recipient: 'gw-0801', permanent: true, responseCode: 550 }] });
    expect(smtp.received.map((r) => r.envelopeTo[0]).sort()).toEqual([ADDR.fatma, ADDR.leadJf].sort());
  });

  test('a permanent and a transient failure together: retryable until only the permanent one is left', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const req = request({ level: 2, recipients: recipientsFor({ responsible: [FATMA] }, 2, EVA) });
    smtp.mode = { kind: 'perAddress', codes: { [ADDR.fatma]: 451, [ADDR.eva]: 550 } };
    const first = await sendNotification(req).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SmtpTransientError);
    expect((first as Error).message).toContain('jf-0142: 451');
    expect((first as Error).message).toContain('gw-0801: 550');
    expect(smtp.received.map((r) => r.envelopeTo[0])).toEqual([ADDR.leadJf]);

    smtp.mode = { kind: 'perAddress', codes: { [ADDR.eva]: 550 } };
    const second = await sendNotification(req).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ApplicationFailure);
    expect((second as ApplicationFailure).details?.[0]).toMatchObject({ sent: 1, skipped: 1 });
    expect(smtp.received.map((r) => r.envelopeTo[0])).toEqual([ADDR.leadJf, ADDR.fatma]);
  });

  test('a refused login is retryable: configuration gets fixed, the mail must not be lost', async () => {
    const authing = await startSmtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth: (_auth, _session, cb) => cb(Object.assign(new Error('535 5.7.8 Authentication failed'), { responseCode: 535 })),
    });
    try {
      const deps = smtpDeps(authing.port, await freshMailStore());
      if (deps.transport.kind !== 'smtp') throw new Error('unexpected');
      deps.transport.smtp.auth = { user: 'routekaart', pass: 'fout' };
      const err = await createMailActivities(deps)
        .sendNotification(request())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SmtpTransientError);
      expect((err as Error).message).toContain('EAUTH');
    } finally {
      await authing.close();
    }
  });

  test('a malformed request fails non-retryably, before anything is sent', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const bad = { ...request(), kind: 'onbekend' } as unknown as Parameters<typeof sendNotification>[0];
    await expect(sendNotification(bad)).rejects.toMatchObject({ type: 'InvalidNotification', nonRetryable: true });
    expect(smtp.received).toHaveLength(0);
  });
});
