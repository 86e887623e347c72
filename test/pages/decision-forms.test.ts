/**
 * Issue 20: the forms added last (a danger closed, a huisverbod ended, the coordinator's decision
 * after a level-3 escalation) over HTTP against the real API, worker and Temporal dev server. Each:
 * the happy path through the same workflow update as the API, and a refusal beside its field that
 * names the field and the rule and changes nothing.
 */
import { amsterdamDay } from '../../domain/time';
import { eventually, type KeyName, type Stack } from '../api/support';
import { errorOf, formCalls, missing as q, startFormsCase } from './support';

let current: { s: Stack; id: string };
const { view, as, submit } = formCalls(() => current);
const today = () => amsterdamDay(new Date());

beforeAll(async () => {
  // An imported overdue case escalates as it stands (no review period): the decision form needs level 3.
  current = await startFormsCase('decision-forms');
}, 120_000);

afterAll(async () => {
  await current?.s.close();
});

test('a danger closed (R-31): without a reason the field is named; with one it closes; the last danger has no such form', async () => {
  expect(
    (await submit('pro-vt', 'gevaar', { 'gevaar-omschrijving': 'Broer bedreigt moeder', 'gevaar-doel': 'Moeder voelt zich veilig' }))
      .status,
  ).toBe(303);
  const second = (await view()).state.dangers.find((d) => d.id !== 'd-1')!;
  const noReason = await submit('pro-vt', 'gevaar-afsluiten', { 'gevaar-afsluiten-gevaar': second.id });
  expect(noReason.status).toBe(422);
  expect(errorOf(noReason.text, 'gevaar-afsluiten-reden')).toMatch(q('Waarom het niet meer speelt'));
  expect((await view()).state.dangers).toHaveLength(2);
  const ok = await submit('pro-vt', 'gevaar-afsluiten', {
    'gevaar-afsluiten-gevaar': second.id,
    'gevaar-afsluiten-reden': 'Broer is verhuisd.',
  });
  expect(ok.status).toBe(303);
  const after = await view();
  expect(after.state.dangers.map((d) => d.id)).toEqual(['d-1']);
  expect(after.state.closedDangers?.map((c) => c.danger.id)).toEqual([second.id]);
  // The last danger stays: the form is no longer offered, and a post is refused.
  const last = await submit('pro-vt', 'gevaar-afsluiten', {
    'gevaar-afsluiten-gevaar': 'd-1',
    'gevaar-afsluiten-reden': 'Vader woont elders.',
  });
  expect(last.status).toBe(403);
  expect((await view()).state.dangers.map((d) => d.id)).toEqual(['d-1']);
});

test('a huisverbod ended early (R-25): a day before it began is refused; ending it keeps the handover due', async () => {
  const registered = await submit('pro-vt', 'huisverbod', {
    'huisverbod-datum': today(),
    'huisverbod-tijd': '00:00',
    'huisverbod-dagen': '10',
    'huisverbod-professional': 'p-vt-1',
    'huisverbod-organisatie': 'veilig-thuis',
  });
  expect(registered.status).toBe(303);
  const bad = await submit('pro-vt', 'huisverbod-beeindigen', { 'huisverbod-beeindigen-datum': '2000-01-01' });
  expect(bad.status).toBe(422);
  expect(errorOf(bad.text, 'huisverbod-beeindigen-datum')).toContain('R-25');
  expect((await view()).state.huisverbod!.ended).toBeUndefined();

  expect((await submit('pro-vt', 'huisverbod-beeindigen', { 'huisverbod-beeindigen-datum': today() })).status).toBe(303);
  const after = await view();
  expect(after.state.huisverbod!.ended).toMatchObject({ date: today(), by: 'p-vt-1' });
  expect(after.plan.some((d) => d.rule === 'R-25')).toBe(true);
});

test('the decision after a level-3 escalation: only the coordinator sees the form; an empty decision names the field', async () => {
  const v = await eventually(view, (x) => x.state.escalations.some((e) => e.level === 3 && !e.resolvedAt));
  const e = v.state.escalations.find((x) => x.level === 3 && !x.resolvedAt)!;
  const page = async (key: KeyName) => (await (await as(key)).get(`/dashboard/households/${current.id}`)).text;
  expect(await page('coord')).toContain(`action="/dashboard/households/${current.id}/besluit"`);
  expect(await page('pro-vt')).not.toContain('/besluit"');
  expect((await submit('pro-vt', 'besluit', { 'besluit-escalatie': e.key, 'besluit-besluit': 'Ik beslis zelf.' })).status).toBe(403);

  const empty = await submit('coord', 'besluit', { 'besluit-escalatie': e.key });
  expect(empty.status).toBe(422);
  expect(errorOf(empty.text, 'besluit-besluit')).toMatch(q('Uw besluit'));
  expect((await view()).state.escalations.find((x) => x.key === e.key)!.decisions ?? []).toEqual([]);

  const ok = await submit('coord', 'besluit', { 'besluit-escalatie': e.key, 'besluit-besluit': 'Teamleiders bellen morgen samen.' });
  expect(ok.status).toBe(303);
  expect((await view()).state.escalations.find((x) => x.key === e.key)!.decisions).toEqual([
    expect.objectContaining({ by: 'coordinator' }),
  ]);
  const after = await (await as('pro-vt')).get(`/dashboard/households/${current.id}`);
  expect(after.text).toContain('Teamleiders bellen morgen samen.');
});
