/**
 * The follow-up page after closure (issue 22) over HTTP against the real app (test/api/support.ts):
 * the request activity makes a mail with a single-use link per group; the household's link opens
 * a small Dutch page without login that takes one score (0-10) and a short explanation per danger
 * and nothing else; the score is stored with its explanation encrypted; a second use, an expired
 * link and a foreign link get the refusal page and an audit line.
 */
import { randomBytes } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import { createFollowUpActivities } from '../../activities/mail/follow-up';
import { actionLink, linkExpiry } from '../../platform/links';
import { FollowUpStore } from '../../platform/store/follow-up';
import { MailStore } from '../../platform/store/mail';
import { TextStore, textRefKey } from '../../platform/store/texts';
import { ID_SECRET, startStack, type Stack } from '../api/support';
import { DIRECTORY, ILSE } from '../mail/support/fixtures';

const LINK_SECRET = randomBytes(32);
const PUBLIC_URL = 'http://localhost:8080';
const DAY = 24 * 60 * 60 * 1000;
const HH = 'hh-nameting-1';
const OTHER = 'hh-nameting-2';

let s: Stack;
let followUps: FollowUpStore;
let texts: TextStore;
let statementRef: string;
/** The 3-month links of the first test (the network's is still unused). */
let fresh: { huishouden: string; netwerk: string };

beforeAll(async () => {
  s = await startStack({}, { linkSecret: LINK_SECRET, publicUrl: PUBLIC_URL });
  followUps = new FollowUpStore(s.db);
  texts = new TextStore(s.db, s.keyring, textRefKey(ID_SECRET));
  statementRef = (await texts.seal(HH, ['Geweld bij ruzie over geld']))[0]!;
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** The request activity as the worker runs it, at `now`; returns the links in the mails it sent. */
async function request(months: number, now: Date): Promise<{ to: string; huishouden: string; netwerk: string }> {
  const sent: SendMailOptions[] = [];
  const activities = createFollowUpActivities({
    transport: { kind: 'transporter', transporter: { sendMail: async (m: SendMailOptions) => void sent.push(m) } as never },
    from: 'Routekaart naar Veiligheid <routekaart@routekaart.example.org>',
    directory: DIRECTORY,
    publicUrl: PUBLIC_URL,
    linkSecret: LINK_SECRET,
    store: new MailStore(s.db),
    followUps,
    now: () => now,
  });
  await activities.sendFollowUpRequest({
    idempotencyKey: `${HH}:nameting:${months}`,
    householdId: HH,
    months,
    recipient: ILSE,
    dangers: [{ id: 'd-1', priority: 1, statementRef }],
    linkDays: 28,
  });
  expect(sent).toHaveLength(1);
  const text = String(sent[0]!.text);
  const links = [...text.matchAll(/http:\/\/localhost:8080(\/acties\/[^\s)>\]]+)/g)].map((m) => m[1]!);
  expect(links).toHaveLength(2);
  return { to: JSON.stringify(sent[0]!.to), huishouden: links[0]!, netwerk: links[1]! };
}

async function auditReasons(): Promise<string[]> {
  const rows = await s.db.query<{ line: string }>('SELECT line FROM audit_log WHERE household_id = $1 ORDER BY seq', [HH]);
  return rows.map((r) => (JSON.parse(r.line) as { what: { reason?: string; status: number } }).what.reason ?? '');
}

test('the link records one score per danger with its explanation and nothing else; a second use is refused', async () => {
  const links = await request(3, new Date());
  fresh = links;
  // To the casusregisseur at closure, who passes the links on; household and network each get their own.
  expect(links.to).toContain('i.jansen@lokaalteam.example.org');
  expect(links.huishouden).not.toBe(links.netwerk);

  const form = await s.request.get(links.huishouden);
  expect(form.status).toBe(200);
  expect(form.text).toContain('Nameting 3 maanden na afsluiting');
  expect(form.text).toContain('Geweld bij ruzie over geld');
  expect(form.text).toContain('name="score_d-1"');
  expect(form.text).toContain('name="toelichting_d-1"');
  // No login, no menu, nobody named.
  expect(form.text).not.toContain('p-regie');
  expect(form.text).not.toContain('lt-0204');

  // Anything beyond one score and an explanation per danger is refused, and stores nothing.
  const extra = await s.request
    .post(links.huishouden)
    .type('form')
    .send({ 'score_d-1': '8', 'toelichting_d-1': 'Rustig', phase: 'herstel' });
  expect(extra.status).toBe(422);
  expect(extra.text).toContain('alleen één score en een korte toelichting per gevaar');
  const outOfRange = await s.request.post(links.huishouden).type('form').send({ 'score_d-1': '11', 'toelichting_d-1': 'Rustig' });
  expect(outOfRange.status).toBe(422);
  expect(outOfRange.text).toContain('Kies een score van 0 tot en met 10.');
  const noText = await s.request.post(links.huishouden).type('form').send({ 'score_d-1': '8', 'toelichting_d-1': ' ' });
  expect(noText.status).toBe(422);
  expect(await followUps.scores(HH)).toEqual([]);

  const ok = await s.request.post(links.huishouden).type('form').send({ 'score_d-1': '8', 'toelichting_d-1': 'Het is rustig thuis.' });
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('Dank u wel');
  const stored = await followUps.scores(HH);
  expect(stored).toEqual([{ moment: 3, group: 'huishouden', dangerId: 'd-1', value: 8, textRef: expect.stringMatching(/^txt:/) }]);
  // The explanation is in the texts store, encrypted: the score table holds its reference only.
  expect((await texts.open(HH, [stored[0]!.textRef])).get(stored[0]!.textRef)).toBe('Het is rustig thuis.');
  const raw = await s.db.query<Record<string, unknown>>('SELECT * FROM follow_up_scores');
  expect(JSON.stringify(raw)).not.toContain('rustig');

  // Used: the second submit and a second visit get the refusal page; nothing changes.
  for (const method of ['post', 'get'] as const) {
    const again = await s.request[method](links.huishouden).type('form').send({ 'score_d-1': '2', 'toelichting_d-1': 'Toch niet' });
    expect(again.status).toBe(410);
    expect(again.text).toContain('Deze link is al gebruikt');
  }
  expect((await followUps.scores(HH)).map((x) => x.value)).toEqual([8]);
  expect(await auditReasons()).toContain('used');

  // The network's link is a link of its own, still unused.
  expect((await s.request.get(links.netwerk)).status).toBe(200);
});

test('an expired, a foreign and an unregistered follow-up link are refused, audited, and store nothing', async () => {
  // Made 40 days ago, valid 28 days.
  const old = await request(6, new Date(Date.now() - 40 * DAY));
  const before = await followUps.scores(HH);
  const expired = await s.request.post(old.huishouden).type('form').send({ 'score_d-1': '5', 'toelichting_d-1': 'Te laat' });
  expect(expired.status).toBe(410);
  expect(expired.text).toContain('Deze link is verlopen');

  // A valid link under another household's path.
  const elsewhere = fresh.netwerk.replace(`/acties/${HH}/`, `/acties/${OTHER}/`);
  const foreign = await s.request.get(elsewhere);
  expect(foreign.status).toBe(403);
  expect(foreign.text).toContain('hoort bij een ander huishouden');

  // Signed by us but never sent as a follow-up (no registered request for its nonce).
  const unregistered = actionLink('', LINK_SECRET, {
    householdId: HH,
    action: 'nameting',
    sub: ILSE.professionalId,
    ref: '3:netwerk',
    exp: linkExpiry(new Date()),
    nonce: randomBytes(9).toString('base64url'),
  });
  const none = await s.request.post(unregistered).type('form').send({ 'score_d-1': '5', 'toelichting_d-1': 'x' });
  expect(none.status).toBe(403);
  expect(none.text).toContain('Deze link opent geen nameting');

  expect(await followUps.scores(HH)).toEqual(before);
  expect(await auditReasons()).toEqual(expect.arrayContaining(['expired', 'no_follow_up']));
});
