/**
 * The household's logbook page (issue 20): what the forms and the API recorded, by name and with
 * the observed behaviour and evidence notes, newest first and paged; a professional of an
 * organisation that is not involved gets no logbook and sees none of its texts.
 */
import supertest from 'supertest';
import type { Directory } from '../../platform/directory';
import { addDays, amsterdamDay } from '../../domain/time';
import { bearer, intakeBody, startStack, type Stack } from '../api/support';
import { loginAs } from './support';

const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const DIRECTORY: Directory = {
  professionals: {
    'p-vt-1': { name: 'Ayşe Demir', email: 'a.demir@vt.example.org', organisation: 'veilig-thuis' },
  },
  organisations: {
    'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'lead@vt.example.org', leadName: 'Karin Smit' },
  },
  coordinator: { name: 'Esther van Leeuwen', email: 'coordinatie@regio.example.org' },
};
const BEHAVIOUR = 'Vader bleef rustig toen de kinderen huilden; moeder belde oma zoals afgesproken.';
const NOTE = 'Genogram met oma en oom erbij; oom woont om de hoek.';

let s: Stack;
let id: string;
const today = () => amsterdamDay(new Date());

beforeAll(async () => {
  s = await startStack({}, { directory: DIRECTORY });
  const pro = (path: string, body: object) =>
    s.request.post(`/api/v1/households/${id}${path}`).set('Authorization', bearer('pro-vt')).send(body);
  // A running case imported 70 days ago, its danger known: a score for the last day of last month,
  // entered today, counts and is marked later ingevoerd (issue 22).
  const start = addDays(today(), -70);
  const imported = {
    startDate: start,
    phase: 'veiligheid',
    phaseStartDate: start,
    dangers: [{ id: 'g1', priority: 1, statement: 'Geweld bij ruzie over geld', safetyGoal: 'Geen geweld thuis', definedAt: start }],
  };
  const res = await s.request
    .post('/api/v1/households')
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody('LOG-1', { owner: VT1, casusregisseur: VT1, import: imported as never }));
  expect(res.status).toBe(201);
  id = res.body.householdId as string;
  const lastOfPreviousMonth = addDays(`${today().slice(0, 8)}01`, -1);
  const score = await pro('/scores', {
    dangerId: 'g1',
    group: 'netwerk',
    value: 7,
    observedBehaviour: BEHAVIOUR,
    date: lastOfPreviousMonth,
  });
  expect([score.status, score.body.error]).toEqual([200, undefined]);
  expect((await pro('/evidence', { item: 'genogram', date: today(), note: NOTE })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

test('the logbook shows what was recorded, by name, with the observed behaviour and the note, newest first; late data marked', async () => {
  const agent = await loginAs(supertest.agent(s.app), 'pro-vt');
  const res = await agent.get(`/dashboard/households/${id}/logboek`);
  expect(res.status).toBe(200);
  expect(res.text).toContain(BEHAVIOUR);
  expect(res.text).toContain(NOTE);
  expect(res.text).toContain('Ayşe Demir (Veilig Thuis Haaglanden)');
  expect(res.text).not.toMatch(/txt:/);
  const kinds = [...res.text.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1]);
  expect(kinds[0]).toBe('evidence');
  expect(kinds).toEqual(expect.arrayContaining(['intake', 'phase', 'danger', 'score']));
  const score = /<li class="logbook-entry" data-kind="score">[^]*?<\/li>/.exec(res.text)![0];
  expect(score).toContain('later ingevoerd');
  expect(res.text).toContain('Pagina 1 van 1');
  // The household page links to it.
  expect((await agent.get(`/dashboard/households/${id}`)).text).toContain(`href="/dashboard/households/${id}/logboek"`);
});

test('an organisation that is not involved gets no logbook and none of its texts; without a session there is none', async () => {
  const other = await loginAs(supertest.agent(s.app), 'pro-ggz');
  const res = await other.get(`/dashboard/households/${id}/logboek`);
  expect(res.status).toBe(404);
  expect(res.text).not.toContain(BEHAVIOUR);
  expect(res.text).not.toContain(NOTE);
  const anonymous = await s.request.get(`/dashboard/households/${id}/logboek`);
  expect(anonymous.status).toBe(303);
  expect(anonymous.headers.location).toMatch(/^\/dashboard\/login/);
});

test('the coordinator reads the logbook; an out-of-range page shows the last one', async () => {
  const coord = await loginAs(supertest.agent(s.app), 'coord');
  const res = await coord.get(`/dashboard/households/${id}/logboek?pagina=7`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('Pagina 1 van 1');
  expect(res.text).toContain(BEHAVIOUR);
});
