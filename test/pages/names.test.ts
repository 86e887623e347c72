/**
 * The pages show professionals and organisations by name from the directory (platform/directory.ts,
 * wired into createApp), never by id only; a household without casusregisseur is a warning badge.
 * Names stay out of ids: the household id in the page's links is unchanged.
 */
import supertest from 'supertest';
import type { Directory } from '../../platform/directory';
import { bearer, eventually, intakeBody, startStack, type Stack } from '../api/support';
import { riskCase } from './support';

const DIRECTORY: Directory = {
  professionals: {
    'p-vt-1': { name: 'Sanne de Vries', email: 'sanne@vt.example', organisation: 'veilig-thuis' },
  },
  organisations: {
    'veilig-thuis': { name: 'Veilig Thuis Haaglanden', leadEmail: 'lead@vt.example', leadName: 'Lea Lead' },
  },
  coordinator: { name: 'Coco Coördinator', email: 'coord@regio.example' },
};
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };

let s: Stack;
let withRegisseur: string;
let without: string;

async function login() {
  const agent = supertest.agent(s.app);
  const res = await agent.post('/dashboard/login').type('form').send({ sleutel: 'coord', next: '/dashboard' });
  expect(res.status).toBe(303);
  return agent;
}

async function intake(reference: string, extra: object = {}): Promise<string> {
  const res = await s.request.post('/api/v1/households').set('Authorization', bearer('intake-vt')).send(intakeBody(reference, extra));
  expect([200, 201]).toContain(res.status);
  return res.body.householdId as string;
}

beforeAll(async () => {
  s = await startStack({}, { directory: DIRECTORY });
  withRegisseur = await intake('names-risk', riskCase(VT1));
  without = await intake('names-plain');
}, 60_000);

afterAll(async () => {
  await s?.close();
});

test('the household page names the casusregisseur and the organisations, not their ids', async () => {
  const agent = await login();
  const res = await agent.get(`/dashboard/households/${withRegisseur}`);
  expect(res.status).toBe(200);
  expect(res.text).toContain('Sanne de Vries (Veilig Thuis Haaglanden)');
  expect(res.text).not.toMatch(/p-vt-1 \(veilig-thuis\)/);
});

test('the overview names the casusregisseur and shows "no casusregisseur" as a warning badge', async () => {
  const agent = await login();
  const res = await eventually(
    () => agent.get('/dashboard'),
    (r) => r.text.includes(withRegisseur) && r.text.includes(without),
  );
  const row = (id: string) => res.text.split('<tr').find((r) => r.includes(`/households/${id}"`)) ?? '';
  expect(row(withRegisseur)).toContain('Sanne de Vries (Veilig Thuis Haaglanden)');
  expect(row(withRegisseur)).toContain('Veilig Thuis Haaglanden');
  expect(row(without)).toContain('<span class="badge flag-on">Geen casusregisseur</span>');
  expect(res.text).not.toContain('niemand');
});

test('the tiles are links that apply their filter', async () => {
  const agent = await login();
  const res = await agent.get('/dashboard');
  expect(res.text).toMatch(/<a class="tile[^"]*" data-figure="phase-risicogestuurd" href="\/dashboard\?phase=risicogestuurd">/);
  expect(res.text).toMatch(/data-figure="overdue" href="\/dashboard\?overdue=true"/);
  const filtered = await agent.get('/dashboard?phase=risicogestuurd');
  expect(filtered.text).toContain(`/households/${withRegisseur}"`);
  expect(filtered.text).not.toContain(`/households/${without}"`);
});
