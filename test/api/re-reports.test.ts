/**
 * Issue 22 over the real API (dev server, real worker, PGlite): a new intake for a closed household
 * starts a new trajectory linked to the closed one, matched by the intake organisation's reference
 * and, separately, by a member's memberKey. The closed trajectory stays closed. The plain member
 * identifier appears in no table of Routekaart's database, no workflow state and no log line.
 */
import supertest from 'supertest';
import { householdIdFor } from '../../api/ids';
import type { HouseholdView } from '../../domain/view';
import { queries } from '../../workflows/messages';
import { loginAs } from '../pages/support';
import { bearer, eventually, ID_SECRET, intakeBody, startStack, type KeyName, type Stack } from './support';

let s: Stack;
const logged: string[] = [];
const spies: jest.SpyInstance[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    spies.push(
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      }),
    );
  s = await startStack({});
}, 120_000);

afterAll(async () => {
  await s?.close();
  for (const spy of spies) spy.mockRestore();
});

const H = '/api/v1/households';
const vt1 = { professionalId: 'p-vt-1', organisation: 'veilig-thuis' };
/** Plain member identifiers of the intake systems: they must never be stored, logged or echoed. */
const PLAIN_KEYS = ['CLIENTNR-7734-ZEBRA', 'CLIENTNR-9911-OKAPI', 'CLIENTNR-0042-NARWAL'];

function as(key: KeyName) {
  const auth = (t: supertest.Test) => t.set('Authorization', bearer(key));
  return {
    get: (path: string) => auth(s.request.get(path)),
    post: (path: string, body: unknown) => auth(s.request.post(path)).send(body as object),
  };
}

const members = (key?: string, other = 'kind-1') => [
  { ref: other, isChild: true },
  { ref: 'ouder-1', isChild: false, ...(key ? { memberKey: key } : {}) },
];

/** Starts a household with p-vt-1 as owner and casusregisseur, closes it (R-52 with justification) and waits for the read model. */
async function closedHousehold(reference: string, memberKey?: string): Promise<string> {
  const res = await as('intake-vt').post(H, { ...intakeBody(reference, { owner: vt1, casusregisseur: vt1 }), members: members(memberKey) });
  expect(res.status).toBe(201);
  const id = res.body.householdId as string;
  const closure = await as('pro-vt').post(`${H}/${id}/closure`, { justification: 'Gezin verhuisd naar een andere regio; overgedragen.' });
  expect(closure.status).toBe(200);
  expect((closure.body as HouseholdView).state.phase).toBe('afgesloten');
  await eventually(
    () => s.db.query('SELECT 1 FROM household_summaries WHERE household_id = $1 AND closed_at IS NOT NULL', [id]),
    (rows) => rows.length === 1,
  );
  return id;
}

test('by reference: a new intake with the reference of a closed household starts a new trajectory linked to it', async () => {
  const closedId = await closedHousehold('RR-REF-1', PLAIN_KEYS[0]);
  expect(closedId).toBe(householdIdFor(ID_SECRET, 'veilig-thuis', 'RR-REF-1'));

  // Other members this time: not a 409, because the old trajectory is closed and a new one starts.
  const res = await as('intake-vt').post(H, { ...intakeBody('rr-ref-1'), members: members(undefined, 'kind-2') });
  expect(res.status).toBe(201);
  const newId = res.body.householdId as string;
  expect(newId).not.toBe(closedId);
  const previous = res.body.household.previousTrajectory;
  expect(previous).toEqual({ householdId: closedId, matchedBy: 'reference', reportedAt: expect.any(String) });

  // The same intake again finds the new household, not the closed one, and keeps the first link.
  const again = await as('intake-vt').post(H, { ...intakeBody('RR-REF-1'), members: members(undefined, 'kind-2') });
  expect([again.status, again.body.householdId, again.body.household.previousTrajectory]).toEqual([200, newId, previous]);

  // The link is visible on the new household; the closed one stays closed and links to nothing.
  const read = await as('intake-vt').get(`${H}/${newId}`);
  expect([read.status, read.body.previousTrajectory, read.body.state.phase]).toEqual([200, previous, 'afstemming']);
  const old = await as('intake-vt').get(`${H}/${closedId}`);
  expect([old.status, old.body.state.phase, old.body.previousTrajectory]).toEqual([200, 'afgesloten', undefined]);
  // Another organisation that is not involved sees neither.
  expect((await as('pro-ggz').get(`${H}/${newId}`)).status).toBe(404);
  // The casusregisseur's household page says so, with a link to the closed trajectory.
  const page = await (await loginAs(supertest.agent(s.app), 'pro-vt')).get(`/dashboard/households/${newId}`);
  expect(page.text).toContain('Heraanmelding');
  expect(page.text).toContain(`<a href="/dashboard/households/${closedId}">${closedId}</a>, herkend aan dezelfde referentie`);
  const oldPage = await (await loginAs(supertest.agent(s.app), 'pro-vt')).get(`/dashboard/households/${closedId}`);
  expect(oldPage.text).not.toContain('Eerder traject');

  const rows = await s.db.query('SELECT closed_household_id, matched_by FROM household_re_reports WHERE new_household_id = $1', [newId]);
  expect(rows).toEqual([{ closed_household_id: closedId, matched_by: 'reference' }]);
}, 120_000);

test('by reference, closed just now: the read model does not know the closure yet, the household does', async () => {
  const closedId = await closedHousehold('RR-REF-LAG');
  // As if the read model had not caught up with the closure.
  await s.db.query('UPDATE household_summaries SET closed_at = NULL WHERE household_id = $1', [closedId]);
  const res = await as('intake-vt').post(H, { ...intakeBody('RR-REF-LAG'), members: members() });
  expect(res.status).toBe(201);
  expect(res.body.householdId).not.toBe(closedId);
  expect(res.body.household.previousTrajectory).toEqual({ householdId: closedId, matchedBy: 'reference', reportedAt: expect.any(String) });
}, 120_000);

test('by memberKey: another organisation reports a member of a closed household; unknown keys link nothing', async () => {
  const closedId = await closedHousehold('RR-MEMBER-1', PLAIN_KEYS[1]);

  // The lokaal-team's intake system has the same person under its own reference: matched by the keyed hash.
  const res = await as('intake-lt').post(H, { ...intakeBody('LT-RR-77'), members: members(` ${PLAIN_KEYS[1]!.toLowerCase()} `) });
  expect(res.status).toBe(201);
  const newId = res.body.householdId as string;
  expect(res.body.household.previousTrajectory).toEqual({ householdId: closedId, matchedBy: 'member', reportedAt: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toContain('memberKey');

  // A key no closed household has: a plain new trajectory.
  const fresh = await as('intake-lt').post(H, { ...intakeBody('LT-RR-78'), members: members(PLAIN_KEYS[2]) });
  expect(fresh.status).toBe(201);
  expect(fresh.body.household.previousTrajectory).toBeUndefined();
  // A running household with a known key is no re-report either: only closed trajectories are matched.
  const running = await as('intake-vt').post(H, { ...intakeBody('RR-MEMBER-2'), members: members(PLAIN_KEYS[2]) });
  expect(running.status).toBe(201);
  expect(running.body.household.previousTrajectory).toBeUndefined();

  // The workflow never got the member key: its state has none.
  const state = await s.client.workflow.getHandle(newId).query(queries.snapshot);
  expect(JSON.stringify(state)).not.toMatch(/memberKey|CLIENTNR/i);
}, 120_000);

test('the plain member identifiers appear in no table of the database and in no log line', async () => {
  const tables = await s.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['household_member_keys', 'household_re_reports']));
  const hashes = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM household_member_keys');
  expect(hashes[0]!.n).toBeGreaterThanOrEqual(3);
  for (const { table_name } of tables) {
    const rows = await s.db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    const text = rows.map((r) => r.row).join('\n');
    for (const plain of PLAIN_KEYS) {
      expect([table_name, text.toLowerCase().includes(plain.toLowerCase())]).toEqual([table_name, false]);
    }
  }
  const logText = logged.join('\n').toLowerCase();
  for (const plain of PLAIN_KEYS) expect(logText.includes(plain.toLowerCase())).toBe(false);
});
