/**
 * Issue 20: every form that moves a household towards safety, in Chromium on a phone: roles, warm
 * handovers with the incoming professional's start, the huisverbod, escalations and the
 * coordinator's decisions (section 6, R-62), phase change with override, closure. Each refused
 * beside its field first (changing nothing), then recorded (test/pages/chromium-forms.ts).
 */
import { amsterdamDay } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { eventually } from '../api/support';
import { formsInChromium, type FormsInChromium } from './chromium-forms';

let f: FormsInChromium;
const today = () => amsterdamDay(new Date());

beforeAll(async () => {
  f = await formsInChromium('forms-in-chromium-2');
}, 180_000);

afterAll(async () => {
  await f?.close();
});

test('roles, handovers and the huisverbod', async () => {
  const roles = (v: HouseholdView) => v.state.roles;
  await f.refused('pro-vt', 'rol', { 'rol-rol': 'herstelbehandelaar' }, 'rol-professional', /.+/, roles);
  await f.recorded(
    'pro-vt',
    'rol',
    { 'rol-rol': 'herstelbehandelaar', 'rol-professional': 'p-ggz-1' },
    (v) => v.state.roles.herstelbehandelaar?.professionalId === 'p-ggz-1',
  );

  const handovers = (v: HouseholdView) => v.state.handovers;
  const handover = { 'overdracht-rol': 'eigenaar_veiligheid', 'overdracht-reden': 'expertise' };
  await f.refused('pro-vt', 'overdracht', { ...handover, 'overdracht-professional': 'p-vt-1' }, 'overdracht-rol', /R-24/, handovers);
  let v = await f.recorded('pro-vt', 'overdracht', { ...handover, 'overdracht-professional': 'p-lt-1' }, (x) =>
    x.state.handovers.some((h) => !h.cancelledAt && !h.confirmedAt),
  );
  let open = v.state.handovers.find((h) => !h.cancelledAt && !h.confirmedAt)!;
  await f.refused(
    'pro-vt',
    'overdracht-intrekken',
    { 'overdracht-intrekken-overdracht': open.id },
    'overdracht-intrekken-onderbouwing',
    /Onderbouwing/,
    handovers,
  );
  await f.recorded(
    'pro-vt',
    'overdracht-intrekken',
    { 'overdracht-intrekken-overdracht': open.id, 'overdracht-intrekken-onderbouwing': 'Toch niet' },
    (x) => x.state.handovers.every((h) => h.cancelledAt || h.confirmedAt),
  );
  v = await f.recorded('pro-vt', 'overdracht', { ...handover, 'overdracht-professional': 'p-lt-1' }, (x) =>
    x.state.handovers.some((h) => !h.cancelledAt && !h.confirmedAt),
  );
  open = v.state.handovers.find((h) => !h.cancelledAt && !h.confirmedAt)!;
  const start = { 'overdracht-start-overdracht': open.id, 'overdracht-start-datum': today() };
  await f.refused('pro-lt', 'overdracht-start', start, 'overdracht-start-huishouden', /R-24/, handovers);
  await f.recorded(
    'pro-lt',
    'overdracht-start',
    { ...start, 'overdracht-start-huishouden': 'ja' },
    (x) => x.state.roles.eigenaar_veiligheid?.professionalId === 'p-lt-1',
  );

  const huisverbod = (x: HouseholdView) => x.state.huisverbod;
  const order = {
    'huisverbod-datum': today(),
    'huisverbod-tijd': '00:00',
    'huisverbod-dagen': '10',
  };
  await f.refused('pro-vt', 'huisverbod', { ...order, 'huisverbod-professional': '' }, 'huisverbod-professional', /.+/, huisverbod);
  v = await f.recorded('pro-vt', 'huisverbod', { ...order, 'huisverbod-professional': 'p-vt-1' }, (x) => x.state.huisverbod !== undefined);
  await f.refused(
    'pro-vt',
    'huisverbod-verlengen',
    { 'huisverbod-verlengen-einddatum': '2999-01-01' },
    'huisverbod-verlengen-einddatum',
    /R-25/,
    huisverbod,
  );
  const later = new Date(`${v.state.huisverbod!.startDate}T12:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 14);
  const laterDay = later.toISOString().slice(0, 10);
  await f.recorded(
    'pro-vt',
    'huisverbod-verlengen',
    { 'huisverbod-verlengen-einddatum': laterDay },
    (x) => x.state.huisverbod?.endDate === laterDay,
  );
  await f.refused(
    'pro-vt',
    'huisverbod-beeindigen',
    { 'huisverbod-beeindigen-datum': '2000-01-01' },
    'huisverbod-beeindigen-datum',
    /R-25/,
    huisverbod,
  );
  await f.recorded(
    'pro-vt',
    'huisverbod-beeindigen',
    { 'huisverbod-beeindigen-datum': today() },
    (x) => x.state.huisverbod?.ended !== undefined,
  );
}, 300_000);

test('escalations, phase change, the coordinator decides, closure', async () => {
  let v = await eventually(f.view, (x) => x.state.escalations.some((e) => e.level === 3 && !e.resolvedAt));
  const escalation = v.state.escalations.find((e) => e.level === 3 && !e.resolvedAt)!;
  const acks = (x: HouseholdView) => x.state.escalations.find((e) => e.key === escalation.key)?.acknowledgements ?? [];
  await f.refused('pro-vt', 'escalatie', { 'escalatie-escalatie': escalation.key }, 'escalatie-plan', /Uw plan/, acks);
  await f.recorded(
    'pro-vt',
    'escalatie',
    { 'escalatie-escalatie': escalation.key, 'escalatie-plan': 'Vrijdag netwerkberaad' },
    (x) => acks(x).length === 1,
  );

  const decisions = (x: HouseholdView) => x.state.escalations.find((e) => e.key === escalation.key)?.decisions ?? [];
  await f.refused('coord', 'besluit', { 'besluit-escalatie': escalation.key }, 'besluit-besluit', /Uw besluit/, decisions);
  await f.recorded(
    'coord',
    'besluit',
    { 'besluit-escalatie': escalation.key, 'besluit-besluit': 'Teamleiders bellen samen.' },
    (x) => decisions(x).length === 1,
  );

  const phase = (x: HouseholdView) => [x.state.phase, x.state.overrides.length];
  await f.refused('pro-vt', 'fase', {}, 'fase-onderbouwing', /R-\d+/, phase);
  v = await f.recorded('pro-vt', 'fase', { 'fase-onderbouwing': 'Stabiel volgens het team' }, (x) => x.state.phase === 'herstel');
  const at = v.state.overrides.at(-1)!.at;
  const reviews = (x: HouseholdView) => x.state.overrides.map((o) => o.review);
  await f.refused(
    'coord',
    'afwijking',
    { 'afwijking-afwijking': at, 'afwijking-besluit': 'niet_akkoord' },
    'afwijking-toelichting',
    /Toelichting/,
    reviews,
  );
  await f.recorded(
    'coord',
    'afwijking',
    { 'afwijking-afwijking': at, 'afwijking-besluit': 'niet_akkoord', 'afwijking-toelichting': 'Eerst een netwerkberaad.' },
    (x) => x.state.overrides.at(-1)?.review?.decision === 'niet_akkoord',
  );

  await f.recorded(
    'pro-vt',
    'fase',
    { 'fase-onderbouwing': 'Afgesloten in overleg met het netwerk' },
    (x) => x.state.phase === 'afgesloten',
  );
  const page = await f.phoneOf('pro-vt');
  expect(await page.locator('form.household-form').count()).toBe(0);
}, 300_000);
