/**
 * The household page's forms over HTTP against the real API, worker and Temporal dev server, after
 * forms-commands.test.ts: the coordinator reviews the override (section 6), also over the API; a
 * household with a jeugdbeschermer gets the approval form and its open escalation a plan;
 * and the remaining forms in Fase Herstel, up to closure. A refusal is shown beside its field with
 * the rule and changes nothing.
 */
import { amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { bearer, eventually, H, intakeBody, type Stack } from '../api/support';
import { errorOf, formCalls, missing as q, riskCase, startFormsCase, VT1 } from './support';

let s: Stack;
let id: string;
const today = () => amsterdamDay(new Date());
const { view, as, submit } = formCalls(() => ({ s, id }));

beforeAll(async () => {
  ({ s, id } = await startFormsCase());
  // Where forms-commands.test.ts leaves the household: a huisverbod registered (today, 10 days),
  // then Fase Herstel by the casusregisseur's override of the unmet criteria.
  const huisverbod = await submit('pro-vt', 'huisverbod', {
    'huisverbod-datum': today(),
    'huisverbod-tijd': '00:00',
    'huisverbod-dagen': '10',
    'huisverbod-professional': 'p-vt-1',
    'huisverbod-organisatie': 'veilig-thuis',
  });
  expect(huisverbod.status).toBe(303);
  expect((await submit('pro-vt', 'fase', { 'fase-onderbouwing': 'Stabiel volgens het team' })).status).toBe(303);
  expect((await view()).state.phase).toBe('herstel');
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe("the coordinator's decisions (section 6)", () => {
  test('the coordinator reviews the override from the page; without a note the field is named; professionals see no such form', async () => {
    const pro = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
    expect(pro.text).not.toContain('id="form-afwijking"');
    const coord = await (await as('coord')).get(`/dashboard/households/${id}`);
    expect(coord.text).toContain('id="form-afwijking"');
    // The coordinator gets no form of the method's own commands.
    expect(coord.text).not.toContain('id="form-score"');
    const at = (await view()).state.overrides.at(-1)!.at;
    const bad = await submit('coord', 'afwijking', { 'afwijking-afwijking': at, 'afwijking-besluit': 'niet_akkoord' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'afwijking-toelichting')).toMatch(/Toelichting/);
    expect((await view()).state.overrides.at(-1)!.review).toBeUndefined();
    const ok = await submit('coord', 'afwijking', {
      'afwijking-afwijking': at,
      'afwijking-besluit': 'niet_akkoord',
      'afwijking-toelichting': 'Eerst een netwerkberaad met oma erbij.',
    });
    expect(ok.status).toBe(303);
    expect((await view()).state.overrides.at(-1)!.review).toMatchObject({
      decision: 'niet_akkoord',
      note: 'Eerst een netwerkberaad met oma erbij.',
    });
    const after = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
    expect(after.text).toContain('Coördinator op');
    expect(after.text).toContain('niet akkoord. Eerst een netwerkberaad met oma erbij.');
  });

  test('over the API: the coordinator only, once', async () => {
    const at = (await view()).state.overrides.at(-1)!.at;
    const pro = await s.request
      .post(`${H}/${id}/overrides/review`)
      .set('Authorization', bearer('pro-vt'))
      .send({ at, decision: 'akkoord', note: 'Ok' });
    expect(pro.status).toBe(403);
    const again = await s.request
      .post(`${H}/${id}/overrides/review`)
      .set('Authorization', bearer('coord'))
      .send({ at, decision: 'akkoord', note: 'Ok' });
    expect([again.status, again.body.error.rule]).toEqual([409, 'R-62']);
  });
});

describe('a household with a jeugdbeschermer and an open escalation', () => {
  let gi: string;
  const giView = async () => (await s.request.get(`${H}/${gi}`).set('Authorization', bearer('coord'))).body as HouseholdView;
  const post = async (form: string, body: Record<string, string>) =>
    (await as('pro-vt')).post(`/dashboard/households/${gi}/${form}`).type('form').send(body);

  beforeAll(async () => {
    const res = await s.request
      .post(H)
      .set('Authorization', bearer('intake-vt'))
      .send(intakeBody('forms-gi', { ...riskCase(VT1), jeugdbeschermer: true }));
    gi = res.body.householdId as string;
  });

  test('R-65 and issue 21: the safety plan is the plan, not a tick: no form offers a plan item or its approval as a tick', async () => {
    const page = (await (await as('pro-vt')).get(`/dashboard/households/${gi}`)).text;
    expect(page).not.toContain('id="form-goedkeuring"');
    for (const item of ['direct_veiligheidsplan', 'stabiel_veiligheidsplan', 'herstelplan', 'logboek_observaties'])
      expect([item, page.includes(`value="${item}"`)]).toEqual([item, false]);
    // A form no longer offered is refused as a whole and records nothing.
    const res = await post('goedkeuring', { 'goedkeuring-item': 'stabiel_veiligheidsplan', 'goedkeuring-datum': today() });
    expect(res.status).toBe(404);
    expect((await giView()).state.evidence).toHaveLength(0);
  });

  test('an open escalation acknowledged with a plan; an empty plan names the field', async () => {
    const v = await eventually(giView, (x) => x.state.escalations.some((e) => !e.resolvedAt));
    const e = v.state.escalations.find((x) => !x.resolvedAt)!;
    const bad = await post('escalatie', { 'escalatie-escalatie': e.key });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'escalatie-plan')).toMatch(q('Uw plan'));
    expect(await post('escalatie', { 'escalatie-escalatie': e.key, 'escalatie-plan': 'Vrijdag netwerkberaad' }).then((r) => r.status)).toBe(
      303,
    );
    const after = (await giView()).state.escalations.find((x) => x.key === e.key)!;
    expect(after.acknowledgements?.at(-1)).toMatchObject({ by: 'p-vt-1' });
  });
});

describe('the other forms, in Fase Herstel', () => {
  test('household member: added; a second with the same pseudonym refused (R-10)', async () => {
    expect((await submit('pro-vt', 'gezinslid', { 'gezinslid-ref': 'kind-2', 'gezinslid-soort': 'kind' })).status).toBe(303);
    expect((await view()).state.members.find((m) => m.ref === 'kind-2')).toMatchObject({ isChild: true });
    const bad = await submit('pro-vt', 'gezinslid', { 'gezinslid-ref': 'kind-2', 'gezinslid-soort': 'kind' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'gezinslid-ref')).toContain('(R-10)');
    expect((await view()).state.members.filter((m) => m.ref === 'kind-2')).toHaveLength(1);
  });

  test('danger rephrased; an unknown danger refused (R-31)', async () => {
    const bad = await submit('pro-vt', 'gevaar-herzien', { 'gevaar-herzien-gevaar': 'g-99', 'gevaar-herzien-doel': 'x' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'gevaar-herzien-gevaar')).toContain('(R-31)');
    expect(
      (await submit('pro-vt', 'gevaar-herzien', { 'gevaar-herzien-gevaar': 'd-1', 'gevaar-herzien-doel': 'Niemand wordt geslagen' }))
        .status,
    ).toBe(303);
    expect((await view()).state.dangers.find((d) => d.id === 'd-1')).toMatchObject({ safetyGoal: 'Niemand wordt geslagen', revisions: 1 });
  });

  test('vacant role assigned; an organisation outside the regional list refused (sectie 5)', async () => {
    const bad = await submit('pro-vt', 'rol', {
      'rol-rol': 'veiligheidsplanner',
      'rol-professional': 'p-x',
      'rol-organisatie': 'onbekend-org',
    });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'rol-rol')).toContain('(sectie 5)');
    expect((await view()).state.roles.veiligheidsplanner).toBeUndefined();
    expect(
      (await submit('pro-vt', 'rol', { 'rol-rol': 'veiligheidsplanner', 'rol-professional': 'p-ggz-1', 'rol-organisatie': 'ggz' })).status,
    ).toBe(303);
    expect((await view()).state.roles.veiligheidsplanner).toMatchObject({ professionalId: 'p-ggz-1', organisation: 'ggz' });
  });

  test('handover confirmed by the incoming professional only, with the household present (R-24)', async () => {
    expect(
      (
        await submit('pro-vt', 'overdracht', {
          'overdracht-rol': 'veiligheidsplanner',
          'overdracht-professional': 'p-lt-1',
          'overdracht-organisatie': 'lokaal-team',
          'overdracht-reden': 'expertise',
        })
      ).status,
    ).toBe(303);
    const h = (await view()).state.handovers.at(-1)!;
    // The outgoing professional gets no confirmation form; the incoming one does.
    expect((await (await as('pro-ggz')).get(`/dashboard/households/${id}`)).text).not.toContain(`/${id}/overdracht-start"`);
    const bad = await submit('pro-lt', 'overdracht-start', { 'overdracht-start-overdracht': h.id, 'overdracht-start-datum': today() });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'overdracht-start-huishouden')).toContain('(R-24)');
    expect((await view()).state.roles.veiligheidsplanner?.professionalId).toBe('p-ggz-1');
    const ok = await submit('pro-lt', 'overdracht-start', {
      'overdracht-start-overdracht': h.id,
      'overdracht-start-datum': today(),
      'overdracht-start-huishouden': 'ja',
    });
    expect(ok.status).toBe(303);
    expect((await view()).state.roles.veiligheidsplanner?.professionalId).toBe('p-lt-1');
  });

  test('huisverbod extended within 28 days (R-25)', async () => {
    const hv = (await view()).state.huisverbod!;
    const later = new Date(`${hv.startDate}T12:00:00Z`);
    later.setUTCDate(later.getUTCDate() + 14);
    const ok = await submit('pro-vt', 'huisverbod-verlengen', { 'huisverbod-verlengen-einddatum': later.toISOString().slice(0, 10) });
    expect(ok.status).toBe(303);
    expect((await view()).state.huisverbod!.endDate).toBe(later.toISOString().slice(0, 10));
  });

  test('closure from Herstel: the phase form goes to Afgesloten with the override; then no form is left', async () => {
    expect((await view()).state.phase).toBe('herstel');
    expect((await submit('pro-vt', 'fase', { 'fase-onderbouwing': 'Afgesloten in overleg met het netwerk' })).status).toBe(303);
    expect((await view()).state.phase).toBe('afgesloten');
    const page = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
    expect(page.text).not.toContain('id="formulieren"');
    expect((await submit('pro-vt', 'gevaar', { 'gevaar-omschrijving': 'x', 'gevaar-doel': 'y' })).status).toBe(403);
  });
});
