/**
 * Issue 21, R-20: the member who checks an agreement is reminded first, through their personal log
 * link, against a real SMTP server on loopback and Routekaart's database (PGlite): the address is
 * read from the link (encrypted at rest) when the mail is made, the mail carries a working log link
 * and no name or case detail, it goes out once, and a member without a usable link gets nothing
 * (no professional, lead or coordinator instead).
 */
import { randomBytes } from 'node:crypto';
import { createMailActivities } from '../../activities/mail';
import { memberLinks } from '../../activities/mail/member-reminder';
import { checkLogLink } from '../../platform/links';
import { Keyring } from '../../platform/keyring';
import { LogLinks } from '../../platform/store/log-links';
import { MailStore } from '../../platform/store/mail';
import { TextStore } from '../../platform/store/texts';
import type { Database } from '../../platform/db/database';
import { freshDatabase } from '../support/database';
import { NOW, PUBLIC_URL, removeTempDirs, request, SECRET, smtpDeps } from './support/fixtures';
import { readMail } from './support/mime';
import { resetCatcher, startSmtp, type SmtpCatcher } from './support/smtp';

const HH = 'hh-7f3a9c';
const ADDRESS = 'buurman.piet@example.org';
let smtp: SmtpCatcher;
let db: Database;
let links: LogLinks;
let texts: TextStore;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  removeTempDirs();
});
beforeEach(async () => {
  resetCatcher(smtp);
  // One database per test for the links, the texts and the sent-log alike.
  db = await freshDatabase();
  links = new LogLinks(db);
  texts = new TextStore(db, new Keyring(randomBytes(32)), randomBytes(32));
});

const DAY = 24 * 60 * 60 * 1000;
async function link(member: string, o: { address?: string; revoked?: boolean; expiresAt?: Date } = {}): Promise<string> {
  const linkId = randomBytes(16).toString('base64url');
  const [addressRef] = o.address ? await texts.seal(HH, [o.address]) : [];
  await links.create({
    linkId,
    householdId: HH,
    member,
    createdBy: 'p-vt-1',
    createdAt: new Date(NOW.getTime() - DAY),
    expiresAt: o.expiresAt ?? new Date(NOW.getTime() + 30 * DAY),
    ...(addressRef ? { addressRef } : {}),
  });
  if (o.revoked) await links.revoke(HH, linkId, NOW);
  return linkId;
}

const reminder = (member: string, key = `${HH}:R-20:monitoring-lid:a1:2025-03-18:herinnering:2025-03-19T08:00:00.000Z`) =>
  request({
    idempotencyKey: key,
    householdId: HH,
    kind: 'logboek_herinnering',
    rule: 'R-20',
    reason: 'Afspraak a1 wordt elke 7 dagen gecontroleerd door buurman; sinds 11 maart 2025 staat er geen regel in het veiligheidslogboek.',
    recipients: { professionals: [], organisationLeads: [], coordinator: false, members: [member] },
  });

test('the member gets one plain mail with their own log link; the address is encrypted at rest; a retry sends nothing', async () => {
  const linkId = await link('buurman', { address: ADDRESS });
  const { sendNotification } = createMailActivities(
    smtpDeps(smtp.port, new MailStore(db), { members: memberLinks(links, texts, SECRET, PUBLIC_URL) }),
  );
  await expect(sendNotification(reminder('buurman'))).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });
  await expect(sendNotification(reminder('buurman'))).resolves.toEqual({ sent: 0, skipped: 1, queued: 0 });
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.envelopeTo).toEqual([ADDRESS]);
  const mail = readMail(smtp.received[0]!.raw);
  expect(mail.subject).toBe('Veiligheidslogboek: hoe ging het met de afspraak?');
  // The link in the mail is this member's own log link, and it verifies.
  const url = [...mail.text.matchAll(/https?:\/\/\S+\/log\/(\S+)/g)].map((m) => m[1]!.replace(/[).,]+$/, ''))[0]!;
  const check = checkLogLink(SECRET, url, NOW);
  expect(check).toMatchObject({ ok: true, claims: { householdId: HH, linkId } });
  // No case detail, no rule ids, no professional's name; the address is nowhere in plain text in the database.
  expect(mail.text).not.toMatch(/R-20|Afspraak a1|p-vt-1|hh-7f3a9c/);
  const stored = JSON.stringify([await db.query('SELECT * FROM log_links'), await db.query('SELECT * FROM household_texts')]);
  expect(stored).not.toContain(ADDRESS);
});

test('no usable link (none, without an address, revoked, expired): no mail to anyone, and nothing fails', async () => {
  await link('oma');
  await link('tante', { address: 'tante@example.org', revoked: true });
  await link('opa', { address: 'opa@example.org', expiresAt: new Date(NOW.getTime() - DAY) });
  const { sendNotification } = createMailActivities(
    smtpDeps(smtp.port, new MailStore(db), { members: memberLinks(links, texts, SECRET, PUBLIC_URL) }),
  );
  for (const member of ['oma', 'tante', 'opa', 'niemand'])
    await expect(sendNotification(reminder(member, `${HH}:R-20:monitoring-lid:${member}`))).resolves.toEqual({
      sent: 0,
      skipped: 1,
      queued: 0,
    });
  expect(smtp.received).toEqual([]);
});

test('without the member lookup wired (a worker of before), a member reminder goes to nobody else', async () => {
  await link('buurvrouw', { address: 'buurvrouw@example.org' });
  const { sendNotification } = createMailActivities(smtpDeps(smtp.port, new MailStore(db)));
  await expect(sendNotification(reminder('buurvrouw', `${HH}:R-20:monitoring-lid:buurvrouw`))).resolves.toMatchObject({ sent: 0 });
  expect(smtp.received).toEqual([]);
});
