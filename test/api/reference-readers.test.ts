/**
 * Over HTTP against the real worker and Temporal dev server (issue 19): the intake reference
 * reaches the intake organisation's people only, and references are matched without regard to
 * case while the household keeps the spelling it arrived with.
 */
import type { HouseholdView } from '../../domain/view';
import { bearer, intakeBody, startStack, today, type KeyName, type Stack } from './support';

const H = '/api/v1/households';
let s: Stack;

beforeAll(async () => {
  s = await startStack({});
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const get = (key: KeyName, path: string) => s.request.get(path).set('Authorization', bearer(key));
const post = (key: KeyName, path: string, body: object) => s.request.post(path).set('Authorization', bearer(key)).send(body);
const referenceIn = (res: { body: unknown }) => (res.body as HouseholdView).state.intake.reference;

test('VT-19 and vt-19 are one household; it keeps the first spelling', async () => {
  const first = await post('intake-vt', H, intakeBody('VT-19'));
  expect(first.status).toBe(201);
  const again = await post('intake-vt', H, intakeBody('vt-19'));
  expect([again.status, again.body.householdId]).toEqual([200, first.body.householdId]);
  expect(again.body.household.state.intake.reference).toBe('VT-19');
});

test('only the intake organisation reads the intake reference; other readers and command answers go without', async () => {
  const lt = { professionalId: 'p-lt-1', organisation: 'lokaal-team' };
  const started = await post('intake-vt', H, intakeBody('VT-Case-7', { owner: lt }));
  expect(started.status).toBe(201);
  const id = started.body.householdId as string;
  expect(started.body.household.state.intake.reference).toBe('VT-Case-7');
  for (const [key, sees] of [
    ['intake-vt', true],
    ['pro-vt', true],
    ['pro-lt', false],
    ['coord', false],
  ] as const) {
    const res = await get(key, `${H}/${id}`);
    expect([key, res.status, referenceIn(res)]).toEqual([key, 200, sees ? 'VT-Case-7' : undefined]);
    expect(JSON.stringify(res.body).includes('VT-Case-7')).toBe(sees);
  }
  const command = await post('pro-lt', `${H}/${id}/evidence`, { item: 'genogram', date: today() });
  expect(command.status).toBe(200);
  expect(JSON.stringify(command.body)).not.toContain('VT-Case-7');
});
