/**
 * The REST API over HTTP against a real Temporal dev server and the real worker (./support.ts):
 * intake (also concurrent, R-01), late data marked (issue 22), names and free texts stored
 * encrypted, never in Temporal (issue 20), and webhooks to the intake system, signed, also after the
 * receiver was down at first. Commands: households-commands.test.ts; access, the list and the
 * audit log: households-access.test.ts.
 */
import { createHmac } from 'node:crypto';
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '../../activities/webhook';
import type { WebhookEvent } from '../../domain/notifications';
import { addDays } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { householdIdFor } from '../../api/ids';
import { queries } from '../../workflows/messages';
import { eventually, H, householdCalls, ID_SECRET, intakeBody, Receiver, startStack, today, view, vt1, type Stack } from './support';

const VT_SECRET = 'webhook-secret-veilig-thuis-0123';
const LT_SECRET = 'webhook-secret-lokaal-team-45678';

let s: Stack;
let vtReceiver: Receiver;
let ltReceiver: Receiver;
let ltPort: number;
const { as, intake } = householdCalls(() => s);

beforeAll(async () => {
  vtReceiver = await new Receiver().start();
  // The lokaal-team receiver is down at first: reserve a port, then close it.
  ltReceiver = await new Receiver().start();
  ltPort = ltReceiver.port;
  await ltReceiver.stop();
  s = await startStack({
    'veilig-thuis': { url: vtReceiver.url, secret: VT_SECRET },
    'lokaal-team': { url: `http://127.0.0.1:${ltPort}/hook`, secret: LT_SECRET },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
  await vtReceiver?.stop();
  await ltReceiver?.stop();
});

describe('intake', () => {
  test('starts a household (201) and a repeated intake returns the same one (200)', async () => {
    const first = await as('intake-vt').post(H, intakeBody('vt-intake-1'));
    expect(first.status).toBe(201);
    const id = householdIdFor(ID_SECRET, 'veilig-thuis', 'vt-intake-1');
    expect(first.body).toMatchObject({ householdId: id, created: true });
    expect(first.headers.location).toBe(`${H}/${id}`);
    const household = first.body.household as HouseholdView;
    expect(household.state.phase).toBe('afstemming');
    expect(household.state.intake).toMatchObject({
      organisation: 'veilig-thuis',
      reference: 'vt-intake-1',
      reportingOrganisation: 'politie',
    });
    expect(household.unmet.map((u) => u.rule)).toContain('R-02');

    const again = await as('intake-vt').post(H, intakeBody('vt-intake-1', { reportingOrganisation: 'school' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ householdId: id, created: false });
    expect((again.body.household as HouseholdView).state.intake.reportingOrganisation).toBe('politie');
  });

  test('R-01: a repeated intake with other members is a 409 listing the differences by ref, and changes nothing', async () => {
    const id = await intake('vt-intake-conflict');
    const other = {
      members: [
        { ref: 'kind-1', isChild: false },
        { ref: 'kind-2', isChild: true },
      ],
    };
    const res = await as('intake-vt').post(H, intakeBody('vt-intake-conflict', other as never));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'intake_conflict',
      rule: 'R-01',
      differences: [
        { ref: 'kind-1', change: 'gewijzigd' },
        { ref: 'kind-2', change: 'toegevoegd' },
        { ref: 'ouder-1', change: 'verwijderd' },
      ],
    });
    expect(res.body.error.message).toContain('R-01');
    const after = view(await as('intake-vt').get(`${H}/${id}`));
    expect(after.state.members.map((m) => m.ref).sort()).toEqual(['kind-1', 'ouder-1']);
    expect((await as('intake-vt').post(H, intakeBody('vt-intake-conflict'))).status).toBe(200);
  });

  test('five concurrent identical intakes make one household', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => as('intake-vt').post(H, intakeBody('vt-concurrent-1'))));
    const id = householdIdFor(ID_SECRET, 'veilig-thuis', 'vt-concurrent-1');
    expect(responses.map((r) => r.body.householdId)).toEqual(Array(5).fill(id));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const runs = await eventually(
      () => s.client.workflow.count(`WorkflowId = '${id}'`),
      (c) => c.count >= 1,
    );
    expect(runs.count).toBe(1);
  });

  test('the same reference from another organisation is another household', async () => {
    const vt = await intake('shared-ref-1', 'intake-vt');
    const lt = await intake('shared-ref-1', 'intake-lt');
    expect(vt).not.toBe(lt);
  });

  test('an import with a date in the future is refused before any workflow starts (409, R-01)', async () => {
    const future = addDays(today(), 10);
    const res = await as('intake-vt').post(
      H,
      intakeBody('vt-import-future', { import: { startDate: future, phase: 'veiligheid', phaseStartDate: future } as never }),
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'method_refusal', rule: 'R-01' });
    const id = householdIdFor(ID_SECRET, 'veilig-thuis', 'vt-import-future');
    expect((await as('intake-vt').get(`${H}/${id}`)).status).toBe(404);
  });

  test('400 names every invalid field; nothing starts', async () => {
    const res = await as('intake-vt').post(H, { reference: 'Jan de Vries', source: 'buren', members: [{ ref: 'kind-1' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = (res.body.error.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.reference', 'body.source', 'body.reportingOrganisation', 'body.members.0.isChild']),
    );
  });

  test('only intake keys start trajectories', async () => {
    for (const key of ['pro-vt', 'coord'] as const) {
      const res = await as(key).post(H, intakeBody('not-by-pro'));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });
});

describe('late data, marked (issue 22)', () => {
  test('a score for last month entered today counts and is marked later ingevoerd in the API view', async () => {
    const start = addDays(today(), -70);
    const lastOfPreviousMonth = addDays(`${today().slice(0, 8)}01`, -1);
    const imported = {
      startDate: start,
      phase: 'veiligheid',
      phaseStartDate: start,
      dangers: [{ id: 'g1', priority: 1, statement: 'Bij ruzie slaat vader.', safetyGoal: 'Ruzies zonder geweld.', definedAt: start }],
    };
    const res0 = await as('intake-vt').post(H, intakeBody('vt-late-1', { owner: vt1, import: imported as never }));
    expect(res0.status).toBe(201);
    const id = res0.body.householdId as string;
    const score = { dangerId: 'g1', group: 'huishouden', value: 6, observedBehaviour: 'Afspraken nagekomen.' };
    let res = await as('pro-vt').post(`${H}/${id}/scores`, { ...score, date: lastOfPreviousMonth });
    expect(res.status).toBe(200);
    res = await as('pro-vt').post(`${H}/${id}/scores`, { ...score, group: 'netwerk', date: today() });
    expect(res.status).toBe(200);
    const v = view(await as('pro-vt').get(`${H}/${id}`));
    expect(v.state.scores.map((x) => x.date).sort()).toEqual([lastOfPreviousMonth, today()].sort());
    expect(v.late.scores).toEqual([expect.objectContaining({ dangerId: 'g1', group: 'huishouden', date: lastOfPreviousMonth })]);
  });
});

describe('free texts live in Routekaart’s database, encrypted; the workflow holds references', () => {
  test('long observed behaviour, corrected many times: the household stays small and readable, texts come back to readers', async () => {
    const id = await intake('vt-texts-1', 'intake-vt', { owner: vt1 });
    const at = (path = '') => `${H}/${id}${path}`;
    await as('pro-vt').post(at('/dangers'), { statement: 'Vader slaat als hij drinkt', safetyGoal: 'Vader drinkt niet thuis' });
    const long = (i: number) => `${i}: ${'Oma Jansen zag dat vader rustig bleef toen het kind huilde. '.repeat(35)}`.slice(0, 2000);
    const date = today();
    for (let i = 0; i < 25; i++) {
      const res = await as('pro-vt').post(at('/scores'), { dangerId: 'g1', group: 'netwerk', value: 7, observedBehaviour: long(i), date });
      expect(res.status).toBe(200);
    }
    // One score per danger, group and month: each later one corrected the one before.
    const view = (await as('pro-vt').get(at())).body as HouseholdView;
    expect(view.state.scores.map((x) => x.observedBehaviour)).toEqual([long(24)]);
    expect(view.state.dangers[0]!.statement).toBe('Vader slaat als hij drinkt');
    // In Temporal: references only, and a small state.
    const snapshot = await s.client.workflow.getHandle(id).query(queries.snapshot);
    expect(snapshot.state.scores.every((x) => /^txt:/.test(x.observedBehaviour))).toBe(true);
    expect(snapshot.state.dangers[0]!.statement).toMatch(/^txt:/);
    expect(JSON.stringify(snapshot.state).length).toBeLessThan(20_000);
    // In the database: ciphertext only (25 behaviours, statement, goal, and the intake reference for task lists).
    const rows = await s.db.query<{ ciphertext: Uint8Array }>('SELECT ciphertext FROM household_texts WHERE household_id = $1', [id]);
    expect(rows.length).toBe(28);
    for (const r of rows) expect(Buffer.from(r.ciphertext).toString('utf8')).not.toContain('Oma Jansen');
  });
});

describe('names where people need them (issue 20)', () => {
  test('an alias and first names with ages at intake: shown to involved readers, references in Temporal, ciphertext in the database, not in search attributes', async () => {
    const res = await as('intake-vt').post(
      H,
      intakeBody('vt-alias-1', {
        alias: '  Gezin Jansen ',
        members: [
          { ref: 'kind-1', isChild: true, firstName: 'Sara', age: 7 },
          { ref: 'ouder-1', isChild: false, firstName: '' },
        ],
      } as never),
    );
    expect(res.status).toBe(201);
    const id = res.body.householdId as string;
    const view = (await as('intake-vt').get(`${H}/${id}`)).body as HouseholdView;
    expect(view.state.intake.alias).toBe('Gezin Jansen');
    expect(view.state.members).toEqual([
      expect.objectContaining({ ref: 'kind-1', firstName: 'Sara', age: 7 }),
      expect.not.objectContaining({ firstName: expect.anything() }),
    ]);
    expect((await as('pro-ggz').get(`${H}/${id}`)).status).toBe(404);
    const handle = s.client.workflow.getHandle(id);
    const snapshot = await handle.query(queries.snapshot);
    expect(snapshot.state.intake.alias).toMatch(/^txt:/);
    expect(snapshot.state.members[0]!.firstName).toMatch(/^txt:/);
    expect(JSON.stringify(snapshot.state)).not.toMatch(/Jansen|Sara/);
    const described = await handle.describe();
    expect(JSON.stringify(described.searchAttributes ?? {})).not.toMatch(/Jansen|Sara/i);
    const rows = await s.db.query<{ ciphertext: Uint8Array }>('SELECT ciphertext FROM household_texts WHERE household_id = $1', [id]);
    for (const r of rows) expect(Buffer.from(r.ciphertext).toString('utf8')).not.toMatch(/Jansen|Sara/);
    const summary = await s.db.query<{ alias_ref: string; alias_key: string }>(
      'SELECT alias_ref, alias_key FROM household_summaries WHERE household_id = $1',
      [id],
    );
    expect(summary[0]?.alias_ref).toMatch(/^txt:/);
    expect(summary[0]?.alias_key).not.toMatch(/Jansen/i);
  });

  test('an alias or first name over its limit is refused naming the field; nothing starts', async () => {
    const res = await as('intake-vt').post(H, intakeBody('vt-alias-2', { alias: 'x'.repeat(101) } as never));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.fields)).toContain('alias');
    const name = await as('intake-vt').post(
      H,
      intakeBody('vt-alias-2', { members: [{ ref: 'kind-1', isChild: true, firstName: 'y'.repeat(61) }] } as never),
    );
    expect(name.status).toBe(400);
    expect(JSON.stringify(name.body.error.fields)).toContain('firstName');
    expect((await as('coord').get(`${H}?pageSize=500`)).body.items.map((i: { householdId: string }) => i.householdId)).not.toContain(
      householdIdFor(ID_SECRET, 'veilig-thuis', 'vt-alias-2'),
    );
  });
});

describe('webhooks to the intake system', () => {
  function verified(r: { headers: Record<string, string | string[] | undefined>; body: string }, secret: string): WebhookEvent {
    const expected = `sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`;
    expect(r.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(expected);
    const ev = JSON.parse(r.body) as WebhookEvent;
    expect(r.headers[EVENT_ID_HEADER.toLowerCase()]).toBe(ev.idempotencyKey);
    return ev;
  }

  test('phase and role changes arrive signed, each event once', async () => {
    const id = await intake('vt-hook-1');
    await as('pro-vt').post(`${H}/${id}/roles`, { role: 'eigenaar_veiligheid', professional: vt1 });
    const mine = () => vtReceiver.received.filter((r) => (JSON.parse(r.body) as WebhookEvent).householdId === id);
    await eventually(
      async () => mine().map((r) => verified(r, VT_SECRET)),
      (evs) => evs.some((e) => e.type === 'fase' && e.data.phase === 'veiligheid') && evs.some((e) => e.type === 'rol'),
    );
    const events = mine().map((r) => verified(r, VT_SECRET));
    expect(events.every((e) => e.organisation === 'veilig-thuis' && e.intakeReference === 'vt-hook-1')).toBe(true);
    expect(events.find((e) => e.type === 'rol')?.data).toMatchObject({ role: 'eigenaar_veiligheid', professionalId: 'p-vt-1' });
    const eventIds = events.map((e) => e.idempotencyKey);
    expect(new Set(eventIds).size).toBe(eventIds.length);
  });

  test('a receiver that is down at first gets the event once it is back (Temporal retries)', async () => {
    const id = await intake('lt-hook-1', 'intake-lt');
    // The first attempt fails: nothing listens on the lokaal-team port.
    await eventually(
      async () => s.webhookAttempts.filter((e) => e.householdId === id).length,
      (n) => n >= 1,
    );
    expect(ltReceiver.received).toHaveLength(0);
    await ltReceiver.start(ltPort);
    const delivered = await eventually(
      async () => ltReceiver.received.filter((r) => (JSON.parse(r.body) as WebhookEvent).householdId === id),
      (r) => r.length >= 1,
      60_000,
    );
    const ev = verified(delivered[0]!, LT_SECRET);
    expect(ev).toMatchObject({ type: 'fase', organisation: 'lokaal-team', data: { phase: 'afstemming' } });
    const attempts = s.webhookAttempts.filter((e) => e.idempotencyKey === ev.idempotencyKey);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
  }, 90_000);
});
