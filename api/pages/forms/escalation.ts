/** An open escalation acknowledged with a short plan the coordinator sees (section 6, R-62). */
import { html } from '../../../platform/html';
import { one, select, textArea } from '../fields';
import { allows, planned, PROBE, type FormContext, type HouseholdForm } from './kit';

const open = (c: FormContext) =>
  c.view.state.escalations.filter((e) => !e.resolvedAt && allows(c, 'acknowledgeEscalation', { key: e.key, plan: PROBE }));

export const acknowledgeEscalation: HouseholdForm = {
  key: 'escalatie',
  theme: 'escalaties',
  title: 'Escalatie bevestigen met een plan (sectie 6)',
  offered: (c) => open(c).length > 0,
  labels: { escalatie: 'Escalatie', plan: 'Uw plan' },
  mainField: 'escalatie',
  fields: (c, f, values, errors) =>
    html`${select(
      f('escalatie'),
      'Escalatie',
      one(values, f('escalatie')),
      open(c).map((e) => ({ value: e.key, label: `${e.rule} niveau ${e.level}: ${e.reason.slice(0, 90)}` })),
      errors,
    )}
${textArea(f('plan'), 'Uw plan', one(values, f('plan')), errors, { max: 2000, required: true, hint: 'Wat u gaat doen en wanneer; de coördinator ziet het.' })}`,
  submitLabel: 'Bevestigen',
  plan: (_c, v) => ({
    commands: [planned('acknowledgeEscalation', { key: v('escalatie'), plan: v('plan') }, { key: 'escalatie', plan: 'plan' }, 'escalatie')],
    errors: {},
  }),
  done: 'De escalatie is bevestigd; de coördinator ziet uw plan.',
};
