/**
 * The household page's forms over HTTP against the real API, worker and Temporal dev server: each
 * form runs its command through the same workflow update as the API (asserted through the API's
 * view), a refusal is shown beside its field with the field's name and the rule and changes
 * nothing, and only who may give a command sees its form: not a professional of an involved
 * organisation without a role, and an outsider not even the household (404). The household, an
 * imported overdue case, goes from Fase Risico gestuurd to Fase Herstel; the coordinator's
 * decisions and the forms after that: forms-decisions-herstel.test.ts.
 */
import { amsterdamDay } from '../../domain/time';
import { type Stack } from '../api/support';
import { errorOf, formCalls, missing as q, startFormsCase } from './support';

let s: Stack;
let id: string;
const today = () => amsterdamDay(new Date());
const { view, as, submit } = formCalls(() => ({ s, id }));

beforeAll(async () => {
  ({ s, id } = await startFormsCase());
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('who sees which form', () => {
  test('the casusregisseur sees the forms by theme, without script', async () => {
    const res = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="formulieren"');
    for (const form of [
      'score',
      'bewijs',
      'controle',
      'teamoverleg',
      'gevaar',
      'gevaar-herzien',
      'netwerklid',
      'overdracht',
      'huisverbod',
      'fase',
      'afsluiten',
    ])
      expect(res.text).toContain(`action="/dashboard/households/${id}/${form}"`);
    expect(res.text).toContain('<details class="form-theme"');
    expect(res.text).not.toContain('<script');
    // R-65 applies only with a jeugdbeschermer: no approval form here.
    expect(res.text).not.toContain(`/${id}/goedkeuring"`);
  });

  test('a professional of an involved organisation without a role sees no form and cannot post one', async () => {
    const page = await (await as('pro-vt2')).get(`/dashboard/households/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="formulieren"');
    expect(page.text).not.toContain('method="post" action="/dashboard/households/');
    const before = (await view()).state.dangers.length;
    const res = await submit('pro-vt2', 'gevaar', { 'gevaar-omschrijving': 'x', 'gevaar-doel': 'y' });
    expect(res.status).toBe(403);
    expect((await view()).state.dangers.length).toBe(before);
  });

  test('an outsider gets 404 for the page and the form', async () => {
    expect((await (await as('pro-pers')).get(`/dashboard/households/${id}`)).status).toBe(404);
    const res = await submit('pro-pers', 'gevaar', { 'gevaar-omschrijving': 'x', 'gevaar-doel': 'y' });
    expect(res.status).toBe(404);
  });

  test('an unknown form is a 404 page', async () => {
    expect((await submit('pro-vt', 'bestaat-niet', {})).status).toBe(404);
  });
});

describe('forms run their command, refusals beside their field', () => {
  test('score: recorded, redirected with a Dutch confirmation; without behaviour the field is named', async () => {
    const before = (await view()).state.scores.length;
    const bad = await submit('pro-vt', 'score', {
      'score-gevaar': 'd-1',
      'score-groep': 'huishouden',
      'score-score': '6',
      'score-datum': today(),
    });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'score-gedrag')).toMatch(q('Waargenomen gedrag'));
    expect((await view()).state.scores.length).toBe(before);

    const agent = await as('pro-vt');
    const ok = await agent.post(`/dashboard/households/${id}/score`).type('form').send({
      'score-gevaar': 'd-1',
      'score-groep': 'huishouden',
      'score-score': '6',
      'score-gedrag': 'Rustig gesprek',
      'score-datum': today(),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/dashboard/households/${id}?gedaan=score#formulieren`);
    const after = await agent.get(ok.headers.location!.split('#')[0]!);
    expect(after.text).toContain('De score is vastgelegd.');
    const v = await view();
    expect(v.state.scores.length).toBe(before + 1);
    expect(v.state.scores.at(-1)).toMatchObject({ dangerId: 'd-1', group: 'huishouden', value: 6, recordedBy: 'p-vt-1' });
  });

  test('score in the future: refused by the domain with its rule beside the date', async () => {
    const before = (await view()).state.scores.length;
    const res = await submit('pro-vt', 'score', {
      'score-gevaar': 'd-1',
      'score-groep': 'netwerk',
      'score-score': '6',
      'score-gedrag': 'x',
      'score-datum': '2999-01-01',
    });
    expect(res.status).toBe(422);
    expect(errorOf(res.text, 'score-datum')).toMatch(/Datum van de evaluatie.*\(R-18\)/);
    expect((await view()).state.scores.length).toBe(before);
  });

  test('danger: added; without a safety goal the field is named', async () => {
    const before = (await view()).state.dangers.length;
    const bad = await submit('pro-vt', 'gevaar', { 'gevaar-omschrijving': 'Slaan bij drank' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'gevaar-doel')).toMatch(q('Veiligheidsdoel'));
    expect((await view()).state.dangers.length).toBe(before);
    const ok = await submit('pro-vt', 'gevaar', { 'gevaar-omschrijving': 'Slaan bij drank', 'gevaar-doel': 'Geen geweld' });
    expect(ok.status).toBe(303);
    expect((await view()).state.dangers.length).toBe(before + 1);
  });

  test('controle (R-60): recorded with its visit; without one the R-60 refusal is beside the field', async () => {
    const count = async () => (await view()).state.evidence.filter((e) => e.item === 'controle').length;
    const before = await count();
    const bad = await submit('pro-vt', 'controle', { 'controle-datum': today() });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'controle-bezoek')).toContain('(R-60)');
    expect(await count()).toBe(before);
    const ok = await submit('pro-vt', 'controle', {
      'controle-datum': today(),
      'controle-bezoek': 'onaangekondigd',
      'controle-door': 'netwerk',
    });
    expect(ok.status).toBe(303);
    const v = await view();
    expect(v.state.evidence.filter((e) => e.item === 'controle').at(-1)?.visit).toEqual({ kind: 'onaangekondigd', by: 'netwerk' });
  });

  test('teamoverleg (R-63) and evidence per child (R-16)', async () => {
    expect((await submit('pro-vt', 'teamoverleg', { 'teamoverleg-datum': today(), 'teamoverleg-toelichting': 'MDO' })).status).toBe(303);
    const bad = await submit('pro-vt', 'bewijs', { 'bewijs-item': 'veilig_voorwerp', 'bewijs-datum': today() });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'bewijs-leden')).toContain('(R-16)');
    const ok = await submit('pro-vt', 'bewijs', { 'bewijs-item': 'veilig_voorwerp', 'bewijs-datum': today(), 'bewijs-leden': 'kind-1' });
    expect(ok.status).toBe(303);
    const v = await view();
    expect(v.state.evidence.some((e) => e.item === 'teamoverleg')).toBe(true);
    expect(v.state.evidence.find((e) => e.item === 'veilig_voorwerp')?.members).toEqual(['kind-1']);
  });

  test('network member: added as safe person for a child, then deactivated', async () => {
    const bad = await submit('pro-vt', 'netwerklid', {
      'netwerklid-id': 'oma-1',
      'netwerklid-soort': 'sociaal',
      'netwerklid-veilig': 'ouder-1',
    });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'netwerklid-id')).toContain('(R-16)');
    expect((await view()).state.network.some((n) => n.id === 'oma-1')).toBe(false);
    expect(
      (await submit('pro-vt', 'netwerklid', { 'netwerklid-id': 'oma-1', 'netwerklid-soort': 'sociaal', 'netwerklid-veilig': 'kind-1' }))
        .status,
    ).toBe(303);
    expect((await view()).state.network.find((n) => n.id === 'oma-1')).toMatchObject({ safetyPersonFor: ['kind-1'], active: true });
    expect(
      (await submit('pro-vt', 'netwerklid-bijwerken', { 'netwerklid-bijwerken-id': 'oma-1', 'netwerklid-bijwerken-actief': 'nee' })).status,
    ).toBe(303);
    expect((await view()).state.network.find((n) => n.id === 'oma-1')?.active).toBe(false);
  });

  test('huisverbod: registered, an extension past 28 days refused (R-25) and nothing changed', async () => {
    expect(
      (
        await submit('pro-vt', 'huisverbod', {
          'huisverbod-datum': today(),
          'huisverbod-tijd': '00:00',
          'huisverbod-dagen': '10',
          'huisverbod-professional': 'p-vt-1',
          'huisverbod-organisatie': 'veilig-thuis',
        })
      ).status,
    ).toBe(303);
    const hv = (await view()).state.huisverbod!;
    expect(hv.startDate).toBe(today());
    const bad = await submit('pro-vt', 'huisverbod-verlengen', { 'huisverbod-verlengen-einddatum': '2999-01-01' });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'huisverbod-verlengen-einddatum')).toContain('(R-25)');
    expect((await view()).state.huisverbod!.endDate).toBe(hv.endDate);
  });

  test('handover: a start to the same professional is refused (R-24); a real one starts and is withdrawn', async () => {
    const bad = await submit('pro-vt', 'overdracht', {
      'overdracht-rol': 'casusregisseur',
      'overdracht-professional': 'p-vt-1',
      'overdracht-organisatie': 'veilig-thuis',
      'overdracht-reden': 'overig',
    });
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'overdracht-rol')).toContain('(R-24)');
    expect((await view()).state.handovers.length).toBe(0);
    expect(
      (
        await submit('pro-vt', 'overdracht', {
          'overdracht-rol': 'casusregisseur',
          'overdracht-professional': 'p-lt-1',
          'overdracht-organisatie': 'lokaal-team',
          'overdracht-reden': 'expertise',
        })
      ).status,
    ).toBe(303);
    const h = (await view()).state.handovers[0]!;
    const noReason = await submit('pro-vt', 'overdracht-intrekken', { 'overdracht-intrekken-overdracht': h.id });
    expect(errorOf(noReason.text, 'overdracht-intrekken-onderbouwing')).toMatch(q('Onderbouwing'));
    expect(
      (
        await submit('pro-vt', 'overdracht-intrekken', {
          'overdracht-intrekken-overdracht': h.id,
          'overdracht-intrekken-onderbouwing': 'Toch niet',
        })
      ).status,
    ).toBe(303);
    expect((await view()).state.handovers[0]!.cancelledAt).toBeTruthy();
  });

  test('phase change: the unmet criteria are listed; without a justification refused with their rule, with one an override', async () => {
    const page = await (await as('pro-vt')).get(`/dashboard/households/${id}`);
    const unmet = (await view()).unmet;
    expect(unmet.length).toBeGreaterThan(0);
    expect(page.text).toContain(`<span class="rule">${unmet[0]!.rule}</span>`);
    const bad = await submit('pro-vt', 'fase', {});
    expect(bad.status).toBe(422);
    expect(errorOf(bad.text, 'fase-onderbouwing')).toContain(`(${unmet[0]!.rule})`);
    expect((await view()).state.phase).toBe('risicogestuurd');
    expect((await submit('pro-vt', 'fase', { 'fase-onderbouwing': 'Stabiel volgens het team' })).status).toBe(303);
    const v = await view();
    expect(v.state.phase).toBe('herstel');
    expect(v.state.overrides.at(-1)).toMatchObject({ from: 'risicogestuurd', to: 'herstel', by: 'p-vt-1' });
  });
});
