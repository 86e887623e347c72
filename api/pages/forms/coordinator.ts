/**
 * The coordinator's decisions (section 6): agreeing or not with a casusregisseur's override (R-62),
 * and the decision after a level-3 escalation. Shown to the coordinator only: the workflow's
 * validator admits these two commands from a coordinator and no other.
 */
import { PHASE_LABEL } from '../../../domain/model';
import { formatDutch } from '../../../domain/time';
import { html } from '../../../platform/html';
import { one, radios, select, textArea } from '../fields';
import { allows, planned, PROBE, type FormContext, type HouseholdForm } from './kit';

const unreviewed = (c: FormContext) =>
  c.view.state.overrides.filter((o) => !o.review && allows(c, 'reviewOverride', { at: o.at, decision: 'akkoord', note: PROBE }));

export const reviewOverride: HouseholdForm = {
  key: 'afwijking',
  theme: 'escalaties',
  title: 'Afwijking beoordelen (coördinator, R-62)',
  offered: (c) => unreviewed(c).length > 0,
  labels: { afwijking: 'Afwijking', besluit: 'Uw oordeel', toelichting: 'Toelichting' },
  mainField: 'afwijking',
  fields: (c, f, values, errors) =>
    html`${select(
      f('afwijking'),
      'Afwijking',
      one(values, f('afwijking')),
      unreviewed(c).map((o) => ({
        value: o.at,
        label: `${PHASE_LABEL[o.from]} → ${PHASE_LABEL[o.to]} op ${formatDutch(o.at)}, ondanks ${o.unmet.join(', ')}`,
      })),
      errors,
    )}
${radios(
  f('besluit'),
  'Uw oordeel',
  one(values, f('besluit')),
  [
    { value: 'akkoord', label: 'Akkoord: het besluit is verantwoord' },
    { value: 'niet_akkoord', label: 'Niet akkoord: bespreek het met de casusregisseur' },
  ],
  errors,
)}
${textArea(f('toelichting'), 'Toelichting', one(values, f('toelichting')), errors, { max: 2000, required: true, hint: 'Wat u ervan vindt en wat u afspreekt; de casusregisseur ziet het.' })}`,
  submitLabel: 'Oordeel vastleggen',
  plan: (_c, v) => ({
    commands: [
      planned(
        'reviewOverride',
        { at: v('afwijking'), decision: v('besluit') as 'akkoord', note: v('toelichting') },
        { at: 'afwijking', decision: 'besluit', note: 'toelichting' },
        'afwijking',
      ),
    ],
    errors: {},
  }),
  done: 'Uw oordeel over de afwijking is vastgelegd.',
};

const atLevelThree = (c: FormContext) =>
  c.view.state.escalations.filter((e) => !e.resolvedAt && allows(c, 'decideEscalation', { key: e.key, decision: PROBE }));

export const decideEscalation: HouseholdForm = {
  key: 'besluit',
  theme: 'escalaties',
  title: 'Besluit na escalatie niveau 3 (coördinator, sectie 6)',
  offered: (c) => atLevelThree(c).length > 0,
  labels: { escalatie: 'Escalatie', besluit: 'Uw besluit' },
  mainField: 'escalatie',
  fields: (c, f, values, errors) =>
    html`${select(
      f('escalatie'),
      'Escalatie',
      one(values, f('escalatie')),
      atLevelThree(c).map((e) => ({ value: e.key, label: `${e.rule} niveau ${e.level}: ${e.reason.slice(0, 90)}` })),
      errors,
    )}
${textArea(f('besluit'), 'Uw besluit', one(values, f('besluit')), errors, { max: 2000, required: true, hint: 'Wat er nu gebeurt, wie het doet en wanneer; de betrokken professionals zien het.' })}`,
  submitLabel: 'Besluit vastleggen',
  plan: (_c, v) => ({
    commands: [
      planned('decideEscalation', { key: v('escalatie'), decision: v('besluit') }, { key: 'escalatie', decision: 'besluit' }, 'escalatie'),
    ],
    errors: {},
  }),
  done: 'Uw besluit is vastgelegd.',
};
