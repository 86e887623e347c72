/** The huisverbod (R-25): register it with who guides it, and extend it (28 days at most in all). */
import { METHOD } from '../../../domain/policy';
import { addDays, count, dutchDate } from '../../../domain/time';
import { html } from '../../../platform/html';
import { dateField, one, textInput } from '../fields';
import { allows, planned, today, type HouseholdForm } from './kit';
import { chosenColleague, colleagueFields, organisationField } from './people';

export const registerHuisverbod: HouseholdForm = {
  key: 'huisverbod',
  theme: 'huisverbod',
  title: 'Huisverbod registreren (R-25)',
  offered: (c) => allows(c, 'registerHuisverbod', { startDate: today(c), guidedBy: c.actor }),
  labels: {
    datum: 'Ingangsdatum',
    tijd: 'Ingangstijd',
    dagen: 'Duur in dagen',
    professional: 'Begeleid door',
    organisatie: 'Organisatie van de begeleider (id)',
  },
  mainField: 'datum',
  fields: (c, f, values, errors) =>
    html`${dateField(f('datum'), 'Ingangsdatum', one(values, f('datum')) || today(c), today(c), errors)}
${textInput(f('tijd'), 'Ingangstijd', one(values, f('tijd')) || '00:00', errors, { max: 5, hint: 'Uu:mm; het huisverbod eindigt op dezelfde tijd.' })}
${textInput(f('dagen'), 'Duur in dagen', one(values, f('dagen')) || String(METHOD.huisverbodDays), errors, {
  max: 2,
  hint: `Standaard ${count(METHOD.huisverbodDays, 'dag', 'dagen')}; met verlenging hooguit ${count(METHOD.huisverbodMaxDays, 'dag', 'dagen')}.`,
})}
${colleagueFields(c, f, values, errors, 'Begeleid door', c.actor.professionalId)}`,
  submitLabel: 'Huisverbod registreren',
  plan: (c, v) => {
    const days = Number(v('dagen'));
    return {
      commands: [
        planned(
          'registerHuisverbod',
          {
            startDate: v('datum'),
            startTime: v('tijd') || '00:00',
            days: v('dagen') === '' ? undefined : days,
            guidedBy: chosenColleague(c, v),
          },
          { startDate: 'datum', startTime: 'tijd', days: 'dagen', guidedBy: 'professional', 'guidedBy.organisation': organisationField(c) },
          'datum',
        ),
      ],
      errors: {},
    };
  },
  done: 'Het huisverbod is geregistreerd (R-25).',
};

export const extendHuisverbod: HouseholdForm = {
  key: 'huisverbod-verlengen',
  theme: 'huisverbod',
  title: 'Huisverbod verlengen (R-25)',
  offered: (c) => {
    const hv = c.view.state.huisverbod;
    return !!hv && allows(c, 'extendHuisverbod', { endDate: addDays(hv.endDate, 1) });
  },
  labels: { einddatum: 'Nieuwe einddatum' },
  mainField: 'einddatum',
  fields: (c, f, values, errors) => {
    const hv = c.view.state.huisverbod!;
    const last = addDays(hv.startDate, METHOD.huisverbodMaxDays);
    return html`<p class="hint">Loopt nu tot ${dutchDate(hv.endDate)}; uiterlijk tot ${dutchDate(last)}.</p>
${dateField(f('einddatum'), 'Nieuwe einddatum', one(values, f('einddatum')), last, errors)}`;
  },
  submitLabel: 'Verlengen',
  plan: (_c, v) => ({
    commands: [planned('extendHuisverbod', { endDate: v('einddatum') }, { endDate: 'einddatum' }, 'einddatum')],
    errors: {},
  }),
  done: 'Het huisverbod is verlengd (R-25).',
};

export const endHuisverbod: HouseholdForm = {
  key: 'huisverbod-beeindigen',
  theme: 'huisverbod',
  title: 'Huisverbod beëindigd (R-25)',
  offered: (c) => !!c.view.state.huisverbod && allows(c, 'endHuisverbod', { date: today(c) }),
  labels: { datum: 'Beëindigd op' },
  mainField: 'datum',
  fields: (c, f, values, errors) =>
    html`<p class="hint">Opgeheven vóór ${dutchDate(c.view.state.huisverbod!.endDate)}? De overdracht naar de veiligheidsplanner blijft nodig (R-25).</p>
${dateField(f('datum'), 'Beëindigd op', one(values, f('datum')) || today(c), today(c), errors)}`,
  submitLabel: 'Einde vastleggen',
  plan: (_c, v) => ({ commands: [planned('endHuisverbod', { date: v('datum') }, { date: 'datum' }, 'datum')], errors: {} }),
  done: 'Het einde van het huisverbod is vastgelegd (R-25).',
};
