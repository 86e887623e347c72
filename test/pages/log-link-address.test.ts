/**
 * Issue 21, R-20: a personal log link can carry the member's e-mail address, so that a missed check
 * reminds that member first (activities/mail/member-reminder.ts). Over HTTP against the real API:
 * the form offers the field, a malformed address is refused with nothing made, and a good one is
 * kept encrypted (a text reference on the link, never the address itself in the database).
 */
import supertest from 'supertest';
import { bearer, intakeBody, startStack, type Stack } from '../api/support';
import { loginAs } from './support';

const H = '/api/v1/households';
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const ADDRESS = 'Buurman.Piet@Example.org';
let s: Stack;
let id: string;

beforeAll(async () => {
  s = await startStack({});
  const created = await s.request
    .post(H)
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody('log-link-address', { owner: VT1, casusregisseur: VT1 }));
  expect(created.status).toBe(201);
  id = created.body.householdId as string;
  const member = await s.request.post(`${H}/${id}/network`).set('Authorization', bearer('pro-vt')).send({ id: 'n-buur', kind: 'sociaal' });
  expect(member.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

test('the casusregisseur makes a link with an address: a bad one is refused, a good one kept encrypted', async () => {
  const agent = await loginAs(supertest.agent(s.app), 'pro-vt');
  const plan = await agent.get(`/dashboard/households/${id}/veiligheidsplan`);
  expect(plan.text).toContain('<input type="email" id="adres" name="adres"');

  const bad = await agent
    .post(`/dashboard/households/${id}/veiligheidsplan/logboeklinks`)
    .type('form')
    .send({ lid: 'n-buur', adres: 'geen adres' });
  expect(bad.status).toBe(422);
  expect(bad.text).toContain('E-mailadres');
  expect(await s.db.query('SELECT 1 FROM log_links WHERE household_id = $1', [id])).toEqual([]);

  const made = await agent
    .post(`/dashboard/households/${id}/veiligheidsplan/logboeklinks`)
    .type('form')
    .send({ lid: 'n-buur', adres: ADDRESS });
  expect(made.status).toBe(303);
  const rows = await s.db.query<{ member: string; address_ref: string | null }>(
    'SELECT member, address_ref FROM log_links WHERE household_id = $1',
    [id],
  );
  expect(rows).toEqual([{ member: 'n-buur', address_ref: expect.stringMatching(/^txt:/) }]);
  const everything = JSON.stringify([await s.db.query('SELECT * FROM log_links'), await s.db.query('SELECT * FROM household_texts')]);
  expect(everything.toLowerCase()).not.toContain(ADDRESS.toLowerCase());
  const page = await agent.get(made.headers.location!);
  expect(page.text).toContain('Herinneringen bij een uitgebleven controle gaan eerst naar het opgegeven e-mailadres');
  // Sent by mail from the casusregisseur's own mailbox: to the address given, with the member's link.
  const mailto = /href="(mailto:[^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
  expect(decodeURIComponent(mailto.slice('mailto:'.length, mailto.indexOf('?')))).toBe(ADDRESS.toLowerCase());
  expect(decodeURIComponent(mailto)).toMatch(/\/log\/[A-Za-z0-9_.-]+/);

  // Without an address the link is made as before, and says nothing about reminders.
  const plain = await agent.post(`/dashboard/households/${id}/veiligheidsplan/logboeklinks`).type('form').send({ lid: 'ouder-1' });
  expect(plain.status).toBe(303);
  expect((await agent.get(plain.headers.location!)).text).not.toContain('Herinneringen bij een uitgebleven controle');
});
