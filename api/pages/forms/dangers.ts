/**
 * Danger statements with their safety goal (R-12, R-31): add one, rephrase or reprioritise one.
 * There is no command to close a danger; a danger that no longer applies is rephrased or bundled.
 */
import { METHOD } from '../../../domain/policy';
import { html } from '../../../platform/html';
import { one, select, textArea } from '../fields';
import { allows, planned, PROBE, stopAt, type FormContext, type HouseholdForm } from './kit';

const priorities = (n: number) => Array.from({ length: n }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }));
const optional = (s: string) => (s === '' ? undefined : s);

export const defineDanger: HouseholdForm = {
  key: 'gevaar',
  theme: 'gevaren',
  title: 'Gevaar beschrijven (R-12, R-31)',
  offered: (c) => allows(c, 'defineDanger', { statement: PROBE, safetyGoal: PROBE }),
  labels: { omschrijving: 'Gevaarsomschrijving', doel: 'Veiligheidsdoel', schaalvraag: 'Schaalvraag', prioriteit: 'Prioriteit' },
  mainField: 'omschrijving',
  fields: (c, f, values, errors) =>
    html`${textArea(f('omschrijving'), 'Gevaarsomschrijving', one(values, f('omschrijving')), errors, { max: 2000, required: true })}
${textArea(f('doel'), 'Veiligheidsdoel', one(values, f('doel')), errors, { max: 2000, required: true })}
${textArea(f('schaalvraag'), 'Schaalvraag', one(values, f('schaalvraag')), errors, { max: 500, required: false })}
${select(
  f('prioriteit'),
  'Prioriteit',
  one(values, f('prioriteit')),
  [{ value: '', label: 'als laatste' }, ...priorities(Math.min(METHOD.maxDangers, c.view.state.dangers.length + 1))],
  errors,
  `Hooguit ${METHOD.maxDangers} gevaren (R-31).`,
)}`,
  submitLabel: 'Gevaar vastleggen',
  plan: (_c, v) => ({
    commands: [
      planned(
        'defineDanger',
        {
          statement: v('omschrijving'),
          safetyGoal: v('doel'),
          scaleQuestion: optional(v('schaalvraag')),
          priority: v('prioriteit') ? Number(v('prioriteit')) : undefined,
        },
        { statement: 'omschrijving', safetyGoal: 'doel', scaleQuestion: 'schaalvraag', priority: 'prioriteit' },
        'omschrijving',
      ),
    ],
    errors: {},
  }),
  done: 'Het gevaar is vastgelegd.',
};

const revisable = (c: FormContext) => c.view.state.dangers.filter((d) => allows(c, 'reviseDanger', { dangerId: d.id }));

export const reviseDanger: HouseholdForm = {
  key: 'gevaar-herzien',
  theme: 'gevaren',
  title: 'Gevaar herformuleren of herprioriteren (R-31)',
  offered: (c) => revisable(c).length > 0,
  labels: { gevaar: 'Gevaar', omschrijving: 'Nieuwe omschrijving', doel: 'Nieuw veiligheidsdoel', prioriteit: 'Nieuwe prioriteit' },
  mainField: 'gevaar',
  fields: (c, f, values, errors) =>
    html`${select(
      f('gevaar'),
      'Gevaar',
      one(values, f('gevaar')),
      revisable(c).map((d) => ({ value: d.id, label: `${d.id} (prioriteit ${d.priority}): ${d.statement.slice(0, 80)}` })),
      errors,
    )}
${textArea(f('omschrijving'), 'Nieuwe omschrijving', one(values, f('omschrijving')), errors, { max: 2000, hint: 'Leeg laten om de omschrijving te houden.' })}
${textArea(f('doel'), 'Nieuw veiligheidsdoel', one(values, f('doel')), errors, { max: 2000, hint: 'Leeg laten om het doel te houden.' })}
${select(f('prioriteit'), 'Nieuwe prioriteit', one(values, f('prioriteit')), [{ value: '', label: 'ongewijzigd' }, ...priorities(c.view.state.dangers.length)], errors)}
<p class="hint">Speelt een gevaar niet meer, sluit het dan af met het formulier 'Gevaar afsluiten' (R-31).</p>`,
  submitLabel: 'Gevaar herzien',
  plan: (_c, v) =>
    !v('omschrijving') && !v('doel') && !v('prioriteit')
      ? stopAt('omschrijving', "Vul bij 'Nieuwe omschrijving', 'Nieuw veiligheidsdoel' of 'Nieuwe prioriteit' in wat verandert (R-31).")
      : {
          commands: [
            planned(
              'reviseDanger',
              {
                dangerId: v('gevaar'),
                statement: optional(v('omschrijving')),
                safetyGoal: optional(v('doel')),
                priority: v('prioriteit') ? Number(v('prioriteit')) : undefined,
              },
              { dangerId: 'gevaar', statement: 'omschrijving', safetyGoal: 'doel', priority: 'prioriteit' },
              'gevaar',
            ),
          ],
          errors: {},
        },
  done: 'Het gevaar is herzien.',
};

export const closeDanger: HouseholdForm = {
  key: 'gevaar-afsluiten',
  theme: 'gevaren',
  title: 'Gevaar afsluiten (R-31)',
  offered: (c) => c.view.state.dangers.some((d) => allows(c, 'closeDanger', { dangerId: d.id, reason: PROBE })),
  labels: { gevaar: 'Gevaar', reden: 'Waarom het niet meer speelt' },
  mainField: 'gevaar',
  fields: (c, f, values, errors) =>
    html`${select(
      f('gevaar'),
      'Gevaar',
      one(values, f('gevaar')),
      c.view.state.dangers.map((d) => ({ value: d.id, label: `${d.id}: ${d.statement.slice(0, 80)}` })),
      errors,
    )}
${textArea(f('reden'), 'Waarom het niet meer speelt', one(values, f('reden')), errors, { max: 2000, required: true })}`,
  submitLabel: 'Gevaar afsluiten',
  plan: (_c, v) => ({
    commands: [planned('closeDanger', { dangerId: v('gevaar'), reason: v('reden') }, { dangerId: 'gevaar', reason: 'reden' }, 'gevaar')],
    errors: {},
  }),
  done: 'Het gevaar is afgesloten; de scores die erbij horen blijven bewaard (R-31).',
};
