/**
 * Roles and warm handovers (R-02, R-04, R-22, R-24, R-26): assign a vacant role, start a handover,
 * confirm its start as the incoming professional, withdraw it. Each is offered only for the roles
 * and handovers the workflow's validator lets this professional act on.
 */
import { HANDOVER_REASONS, ROLE_LABEL, ROLES, type Role } from '../../../domain/model';
import { isOpenHandover } from '../../../domain/selectors';
import { formatDutch } from '../../../domain/time';
import { html } from '../../../platform/html';
import { checkbox, dateField, one, select, textArea, textInput } from '../fields';
import { HANDOVER_REASON_LABEL } from '../vocabulary';
import { allows, planned, PROBE, today, type FormContext, type HouseholdForm } from './kit';

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

const handoverLabel = (h: ReturnType<typeof openHandovers>[number]) =>
  `${h.id}: ${ROLE_LABEL[h.role]} van ${h.from.professionalId} naar ${h.to.professionalId} (gevraagd ${formatDutch(h.requestedAt)})`;

export const assignRole: HouseholdForm = {
  key: 'rol',
  theme: 'rollen',
  title: 'Onbezette rol toewijzen (R-02, R-04, R-22)',
  offered: (c) => vacantRoles(c).length > 0,
  labels: { rol: 'Rol', professional: 'Professional (id)', organisatie: 'Organisatie (id)' },
  mainField: 'rol',
  fields: (c, f, values, errors) =>
    html`${select(f('rol'), 'Rol', one(values, f('rol')), [choose, ...vacantRoles(c).map((r) => ({ value: r, label: ROLE_LABEL[r] }))], errors)}
${textInput(f('professional'), 'Professional (id)', one(values, f('professional')), errors, { max: 64, hint: 'Een pseudoniem id, geen naam.' })}
${textInput(f('organisatie'), 'Organisatie (id)', one(values, f('organisatie')) || c.actor.organisation, errors, { max: 64 })}
<p class="hint">Een bezette rol wisselt alleen via een warme overdracht (R-24).</p>`,
  submitLabel: 'Rol toewijzen',
  plan: (_c, v) => ({
    commands: [
      planned(
        'assignRole',
        { role: v('rol') as Role, professional: { professionalId: v('professional'), organisation: v('organisatie') } },
        {
          role: 'rol',
          'professional.professionalId': 'professional',
          'professional.organisation': 'organisatie',
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
  labels: { rol: 'Rol', professional: 'Nieuwe professional (id)', organisatie: 'Organisatie (id)', reden: 'Reden' },
  mainField: 'rol',
  fields: (c, f, values, errors) =>
    html`${select(f('rol'), 'Rol', one(values, f('rol')), [choose, ...handoverRoles(c).map((r) => ({ value: r, label: `${ROLE_LABEL[r]} (nu ${c.view.state.roles[r]!.professionalId})` }))], errors)}
${textInput(f('professional'), 'Nieuwe professional (id)', one(values, f('professional')), errors, { max: 64 })}
${textInput(f('organisatie'), 'Organisatie (id)', one(values, f('organisatie')) || c.actor.organisation, errors, { max: 64 })}
${select(f('reden'), 'Reden', one(values, f('reden')), [choose, ...HANDOVER_REASONS.map((r) => ({ value: r, label: HANDOVER_REASON_LABEL[r] }))], errors)}
<p class="hint">Tot de nieuwe professional de start met het huishouden bevestigt, blijft de huidige verantwoordelijk (R-24).</p>`,
  submitLabel: 'Overdracht starten',
  plan: (_c, v) => ({
    commands: [
      planned(
        'startHandover',
        {
          role: v('rol') as Role,
          to: { professionalId: v('professional'), organisation: v('organisatie') },
          reason: v('reden') as (typeof HANDOVER_REASONS)[number],
        },
        { role: 'rol', to: 'professional', 'to.professionalId': 'professional', 'to.organisation': 'organisatie', reason: 'reden' },
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
      confirmable(c).map((h) => ({ value: h.id, label: handoverLabel(h) })),
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
      cancellable(c).map((h) => ({ value: h.id, label: handoverLabel(h) })),
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
