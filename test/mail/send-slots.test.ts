/**
 * A worker sends only a few mails at once (MAIL_SEND_CONCURRENCY, issue 19): claim, send and mark
 * happen inside one slot, so a crash can catch at most that many mails between the SMTP server's
 * acceptance and the sent-log's mark. Checked against a real SMTP server that holds each reply a
 * little: never more mails waiting for their 250 than there are slots, and every one is sent and
 * marked.
 */
import { createMailActivities } from '../../activities/mail';
import { freshMailStore, removeTempDirs, request, smtpDeps } from './support/fixtures';
import { startSmtp, type SmtpCatcher } from './support/smtp';

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  removeTempDirs();
});

test('twelve notifications at once with three send slots: at most three mails in flight, all twelve sent and marked', async () => {
  let waiting = 0;
  let most = 0;
  smtp.gate = async () => {
    waiting++;
    most = Math.max(most, waiting);
    await new Promise((r) => setTimeout(r, 40));
    waiting--;
    return undefined;
  };
  const store = await freshMailStore();
  const { sendNotification } = createMailActivities(
    smtpDeps(smtp.port, store, {
      transport: { kind: 'smtp', smtp: { host: '127.0.0.1', port: smtp.port, secure: false, maxInFlight: 3 } },
    }),
  );
  const requests = Array.from({ length: 12 }, (_, i) =>
    request({ idempotencyKey: `hh-7f3a9c:R-32:score:d1:2025-03:0:slot-${i}`, householdId: 'hh-7f3a9c' }),
  );
  const results = await Promise.all(requests.map((r) => sendNotification(r)));

  expect(results.map((r) => r.sent)).toEqual(requests.map(() => 1));
  expect(smtp.received).toHaveLength(12);
  expect(most).toBe(3);
  // Sent again (a retry of every attempt): each is marked sent, so nothing goes out twice.
  const again = await Promise.all(requests.map((r) => sendNotification(r)));
  expect(again.map((r) => r.skipped)).toEqual(requests.map(() => 1));
  expect(smtp.received).toHaveLength(12);
});
