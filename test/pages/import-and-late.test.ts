/**
 * Confirming an import (issue 22, R-01) over HTTP against the real API, worker and Temporal dev
 * server, with the policy's default review (14 days, so the review lasts whatever the real hour):
 * the household page and the overview show "geïmporteerd — in controle tot <datum>" while the
 * review lasts; only the casusregisseur gets the form; the form and the import summary's signed
 * link (made as the mail makes it) both confirm the import: the review ends and the ladder counts
 * from then. The link works once. Late data is marked where it is shown: the household page's
 * evidence list and the impact page.
 */
import supertest from 'supertest';
import { actionButtons } from '../../activities/mail/actions';
import type { ResolvedRecipient } from '../../activities/directory';
import type { NotificationRequest } from '../../domain/notifications';
import { addDays, amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { bearer, eventually, intakeBody, startStack, type KeyName, type Stack } from '../api/support';
import { loginAs, riskCase } from './support';

const H = '/api/v1/households';
const VT1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
const LABEL = /geïmporteerd — in controle tot \d{1,2} \S+ \d{4}/;

let s: Stack;

async function view(id: string): Promise<HouseholdView> {
  const res = await s.request.get(`${H}/${id}`).set('Authorization', bearer('coord'));
  expect(res.status).toBe(200);
  return res.body as HouseholdView;
}

async function imported(reference: string): Promise<string> {
  const res = await s.request
    .post(H)
    .set('Authorization', bearer('intake-vt'))
    .send(intakeBody(reference, riskCase(VT1)));
  expect([200, 201]).toContain(res.status);
  return res.body.householdId as string;
}

const as = (key: KeyName) => loginAs(supertest.agent(s.app), key);

/** The overview's row of a household, once the read model has it. */
async function overviewRow(id: string): Promise<string> {
  const page = await (await as('coord')).get('/dashboard?status=all');
  const row = new RegExp(`<tr[^>]*><th scope="row"><a class="ref" href="/dashboard/households/${id}">.*?</tr>`).exec(page.text);
  return row?.[0] ?? '';
}

beforeAll(async () => {
  s = await startStack({});
}, 120_000);

afterAll(async () => {
  await s?.close();
});

test('the label shows during review; only the casusregisseur gets the form, which ends the review', async () => {
  const id = await imported('import-form-1');
  const before = await view(id);
  expect(before.importReview?.label).toMatch(LABEL);

  const page = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
  expect(page.text).toMatch(LABEL);
  expect(page.text).toContain(`action="/dashboard/households/${id}/import-bevestigen"`);
  await eventually(
    () => overviewRow(id),
    (row) => LABEL.test(row),
  );

  // A professional of the organisation without a role: no form, and a post changes nothing.
  const other = await (await as('pro-vt2')).get(`/dashboard/households/${id}`);
  expect(other.text).not.toContain('/import-bevestigen"');
  const refused = await (await as('pro-vt2')).post(`/dashboard/households/${id}/import-bevestigen`).type('form').send({});
  expect(refused.status).toBe(403);
  expect((await view(id)).state.importReview?.confirmedAt).toBeUndefined();

  const agent = await as('pro-vt');
  const ok = await agent.post(`/dashboard/households/${id}/import-bevestigen`).type('form').send({ _nonce: 'bevestig-1' });
  expect(ok.status).toBe(303);
  const after = await agent.get(ok.headers.location!.split('#')[0]!);
  expect(after.text).toContain('De import is bevestigd');
  expect(after.text).not.toMatch(LABEL);
  expect(after.text).not.toContain('/import-bevestigen"');

  const confirmed = await view(id);
  // The review ended at the confirmation: the ladder counts from then (domain/import-review.ts).
  expect(confirmed.state.importReview?.confirmedAt).toBeDefined();
  expect(confirmed.state.importReview!.confirmedAt! < confirmed.state.importReview!.endsAt).toBe(true);
  expect(confirmed.importReview).toBeUndefined();
  await eventually(
    () => overviewRow(id),
    (row) => row !== '' && !LABEL.test(row),
  );
}, 60_000);

test('the signed link of the import summary mail confirms the import, once', async () => {
  const id = await imported('import-link-1');
  // The summary as the workflow sends it (test/workflow/import.test.ts), its buttons as the mail makes them.
  const req = {
    householdId: id,
    level: 0,
    actions: [{ action: 'import_bevestigen', for: [VT1.professionalId] }],
  } as unknown as NotificationRequest;
  const recipient = (sub: string) => ({ roles: ['professional'], sub, organisation: 'veilig-thuis' }) as unknown as ResolvedRecipient;
  const maker = { publicUrl: '', secret: s.linkSecret, ttlDays: 14 };
  expect(actionButtons(req, recipient('p-vt-2'), new Date(), maker)).toEqual([]);
  const [button] = actionButtons(req, recipient(VT1.professionalId), new Date(), maker);
  expect(button!.label).toBe('Import bevestigen');
  const path = button!.href;
  expect(path.startsWith(`/acties/${id}/`)).toBe(true);

  const form = await s.request.get(path);
  expect(form.status).toBe(200);
  expect(form.text).toMatch(LABEL);
  expect(form.text).toContain('Import bevestigen</button>');
  expect((await view(id)).state.importReview?.confirmedAt).toBeUndefined();

  const done = await s.request.post(path).type('form').send({});
  expect(done.status).toBe(200);
  expect(done.text).toContain('De import is bevestigd');
  const after = await view(id);
  expect(after.state.importReview?.confirmedAt).toBeDefined();
  expect(after.importReview).toBeUndefined();

  const again = await s.request.post(path).type('form').send({});
  expect(again.status).toBe(410);
  expect(again.text).toContain('Deze link is al gebruikt');
  // A fresh link has nothing left to do.
  const [fresh] = actionButtons(req, recipient(VT1.professionalId), new Date(), maker);
  const settled = await s.request.get(fresh!.href);
  expect(settled.text).toContain('er is niets meer te bevestigen');
}, 60_000);

test('late evidence is marked on the household page, and counted on the impact page', async () => {
  const id = await imported('late-evidence-1');
  const today = amsterdamDay(new Date());
  const late = addDays(today, -20);
  let res = await s.request.post(`${H}/${id}/evidence`).set('Authorization', bearer('pro-vt')).send({ item: 'genogram', date: late });
  expect(res.status).toBe(200);
  res = await s.request.post(`${H}/${id}/evidence`).set('Authorization', bearer('pro-vt')).send({ item: 'netwerkkaart', date: today });
  expect(res.status).toBe(200);
  const page = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
  const items = [...page.text.matchAll(/<li><span class="rule">[^<]*<\/span> ([^<]*)(<span class="badge late">[^<]*<\/span>)?/g)];
  const marked = Object.fromEntries(items.map((m) => [m[1]!.split(',')[0]!, m[2] ?? '']));
  expect(marked['Genogram (drie generaties)']).toMatch(/later ingevoerd op \d{1,2} \S+ \d{4}/);
  expect(marked['Netwerk in kaart (veilige cirkels)']).toBe('');

  // One late entry, from fewer than 5 households: its count is suppressed (once the read model has it).
  const impact = await eventually(
    async () => (await as('coord')).get('/dashboard/impact'),
    (r) => /data-figure="late">onderdrukt/.test(r.text),
  );
  expect(impact.text).toContain('id="later-ingevoerd"');
  expect(impact.text).toContain('data-chart="later-ingevoerd-organisatie"');
}, 60_000);
