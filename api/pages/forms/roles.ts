/**
 * Roles and warm handovers (R-02, R-04, R-22, R-24, R-26): assign a vacant role, start a handover,
 * confirm its start as the incoming professional, withdraw it. Each is offered only for the roles
 * and handovers the workflow's validator lets this professional act on.
 */
import { HANDOVER_REASONS, ROLE_LABEL, ROLES, type Role } from '../../../domain/model';
import { isOpenHandover } from '../../../domain/selectors';
import { formatDutch } from '../../../domain/time';
import { html } from '../../../platform/html';
import { checkbox, dateField, one, select, textArea } from '../fields';
import { HANDOVER_REASON_LABEL } from '../vocabulary';
import { allows, planned, PROBE, today, type FormContext, type HouseholdForm } from './kit';
import { chosenColleague, colleagueFields, organisationField } from './people';

const choose = { value: '', label: '– kies –' };

function vacantRoles(c: FormContext): Role[] {
  return ROLES.filter((role) =>
    allows(c, 'assignRole', { role, professional: { professionalId: PROBE, organisation: c.actor.organisation } }),
  );
}

function handoverRoles(c: FormContext): Role[] {
  return ROLES.filter(
    (role) =>
      c.view.state.roles[role] &&
      allows(c, 'startHandover', { role, to: { professionalId: PROBE, organisation: c.actor.organisation }, reason: 'overig' }),
  );
}

const openHandovers = (c: FormContext) => c.view.state.handovers.filter(isOpenHandover);

function confirmable(c: FormContext) {
  return openHandovers(c).filter((h) => allows(c, 'confirmHandover', { handoverId: h.id, startDate: today(c), householdPresent: true }));
}

function cancellable(c: FormContext) {
  return openHandovers(c).filter((h) => allows(c, 'cancelHandover', { handoverId: h.id, justification: PROBE }));
}

const handoverLabel = (c: FormContext, h: ReturnType<typeof openHandovers>[number]) =>
  `${ROLE_LABEL[h.role]} van ${c.names.professional(h.from.professionalId, h.from.organisation)} naar ${c.names.professional(h.to.professionalId, h.to.organisation)} (gevraagd ${formatDutch(h.requestedAt)})`;

export const assignRole: HouseholdForm = {
  key: 'rol',
  theme: 'rollen',
  title: 'Onbezette rol toewijzen (R-02, R-04, R-22)',
  offered: (c) => vacantRoles(c).length > 0,
  labels: { rol: 'Rol', professional: 'Professional', organisatie: 'Organisatie (id)' },
  mainField: 'rol',
  fields: (c, f, values, errors) =>
    html`${select(f('rol'), 'Rol', one(values, f('rol')), [choose, ...vacantRoles(c).map((r) => ({ value: r, label: ROLE_LABEL[r] }))], errors)}
${colleagueFields(c, f, values, errors, 'Professional')}
<p class="hint">Een bezette rol wisselt alleen via een warme overdracht (R-24).</p>`,
  submitLabel: 'Rol toewijzen',
  plan: (c, v) => ({
    commands: [
      planned(
        'assignRole',
        { role: v('rol') as Role, professional: chosenColleague(c, v) },
        {
          role: 'rol',
          'professional.professionalId': 'professional',
          'professional.organisation': organisationField(c),
          professional: 'professional',
        },
        'rol',
      ),
    ],
    errors: {},
  }),
  done: 'De rol is toegewezen.',
};

export const startHandover: HouseholdForm = {
  key: 'overdracht',
  theme: 'rollen',
  title: 'Warme overdracht starten (R-24, R-26)',
  offered: (c) => handoverRoles(c).length > 0,
  labels: { rol: 'Rol', professional: 'Nieuwe professional', organisatie: 'Organisatie (id)', reden: 'Reden' },
  mainField: 'rol',
  fields: (c, f, values, errors) =>
    html`${select(f('rol'), 'Rol', one(values, f('rol')), [choose, ...handoverRoles(c).map((r) => ({ value: r, label: `${ROLE_LABEL[r]} (nu ${c.names.professional(c.view.state.roles[r]!.professionalId, c.view.state.roles[r]!.organisation)})` }))], errors)}
${colleagueFields(c, f, values, errors, 'Nieuwe professional')}
${select(f('reden'), 'Reden', one(values, f('reden')), [choose, ...HANDOVER_REASONS.map((r) => ({ value: r, label: HANDOVER_REASON_LABEL[r] }))], errors)}
<p class="hint">Tot de nieuwe professional de start met het huishouden bevestigt, blijft de huidige verantwoordelijk (R-24).</p>`,
  submitLabel: 'Overdracht starten',
  plan: (c, v) => ({
    commands: [
      planned(
        'startHandover',
        {
          role: v('rol') as Role,
          to: chosenColleague(c, v),
          reason: v('reden') as (typeof HANDOVER_REASONS)[number],
        },
        { role: 'rol', to: 'professional', 'to.professionalId': 'professional', 'to.organisation': organisationField(c), reason: 'reden' },
        'rol',
      ),
    ],
    errors: {},
  }),
  done: 'De overdracht is gestart; de nieuwe professional bevestigt de start samen met het huishouden (R-24).',
};

export const confirmHandover: HouseholdForm = {
  key: 'overdracht-start',
  theme: 'rollen',
  title: 'Start van een overdracht bevestigen (R-24)',
  offered: (c) => confirmable(c).length > 0,
  labels: { overdracht: 'Overdracht', datum: 'Datum van het gezamenlijke bezoek', huishouden: 'Huishouden aanwezig' },
  mainField: 'overdracht',
  fields: (c, f, values, errors) =>
    html`${select(
      f('overdracht'),
      'Overdracht',
      one(values, f('overdracht')),
      confirmable(c).map((h) => ({ value: h.id, label: handoverLabel(c, h) })),
      errors,
    )}
${dateField(f('datum'), 'Datum van het gezamenlijke bezoek', one(values, f('datum')) || today(c), today(c), errors)}
${checkbox(f('huishouden'), 'Het huishouden was bij de start aanwezig (R-24)', one(values, f('huishouden')) === 'ja', errors)}`,
  submitLabel: 'Start bevestigen',
  plan: (_c, v) => ({
    commands: [
      planned(
        'confirmHandover',
        { handoverId: v('overdracht'), startDate: v('datum'), householdPresent: v('huishouden') === 'ja' },
        { handoverId: 'overdracht', startDate: 'datum', householdPresent: 'huishouden' },
        'overdracht',
      ),
    ],
    errors: {},
  }),
  done: 'De start is bevestigd; de overdracht is afgerond.',
};

export const cancelHandover: HouseholdForm = {
  key: 'overdracht-intrekken',
  theme: 'rollen',
  title: 'Overdracht intrekken (R-24)',
  offered: (c) => cancellable(c).length > 0,
  labels: { overdracht: 'Overdracht', onderbouwing: 'Onderbouwing' },
  mainField: 'overdracht',
  fields: (c, f, values, errors) =>
    html`${select(
      f('overdracht'),
      'Overdracht',
      one(values, f('overdracht')),
      cancellable(c).map((h) => ({ value: h.id, label: handoverLabel(c, h) })),
      errors,
    )}
${textArea(f('onderbouwing'), 'Onderbouwing', one(values, f('onderbouwing')), errors, { max: 2000, required: true })}`,
  submitLabel: 'Overdracht intrekken',
  plan: (_c, v) => ({
    commands: [
      planned(
        'cancelHandover',
        { handoverId: v('overdracht'), justification: v('onderbouwing') },
        { handoverId: 'overdracht', justification: 'onderbouwing' },
        'overdracht',
      ),
    ],
    errors: {},
  }),
  done: 'De overdracht is ingetrokken; de onderbouwing staat bij de overdracht.',
};
