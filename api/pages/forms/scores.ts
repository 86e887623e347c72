/** One score on the safety scale for one danger and one group, with the behaviour observed (R-18, R-32, R-39, R-46). */
import { SCORE_GROUPS, type ScoreGroup } from '../../../domain/model';
import { html } from '../../../platform/html';
import { dateField, one, radios, select, textArea } from '../fields';
import { SCORE_GROUP_LABEL } from '../vocabulary';
import { allows, planned, stopAt, PROBE, today, type FormContext, type HouseholdForm } from './kit';

const scorable = (c: FormContext) =>
  c.view.state.dangers.filter((d) =>
    allows(c, 'recordScore', { dangerId: d.id, group: 'huishouden', value: 5, observedBehaviour: PROBE, date: today(c) }),
  );

export const recordScore: HouseholdForm = {
  key: 'score',
  theme: 'scores',
  title: 'Score vastleggen (R-18, R-32)',
  offered: (c) => scorable(c).length > 0,
  labels: { gevaar: 'Gevaar', groep: 'Wie scoort', score: 'Score', gedrag: 'Waargenomen gedrag', datum: 'Datum van de evaluatie' },
  mainField: 'gevaar',
  fields: (c, f, values, errors) =>
    html`${select(
      f('gevaar'),
      'Gevaar',
      one(values, f('gevaar')),
      scorable(c).map((d) => ({ value: d.id, label: `${d.id} (prioriteit ${d.priority}): ${d.statement.slice(0, 80)}` })),
      errors,
    )}
${radios(
  f('groep'),
  'Wie scoort',
  one(values, f('groep')),
  SCORE_GROUPS.map((g) => ({ value: g, label: SCORE_GROUP_LABEL[g] })),
  errors,
)}
${select(
  f('score'),
  'Score',
  one(values, f('score')),
  [{ value: '', label: '– kies –' }, ...Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }))],
  errors,
  '0 is geen veiligheid, 10 volledige veiligheid.',
)}
${textArea(f('gedrag'), 'Waargenomen gedrag', one(values, f('gedrag')), errors, { max: 4000, required: true, hint: 'Wat liet zien dat deze score klopt?' })}
${dateField(f('datum'), 'Datum van de evaluatie', one(values, f('datum')) || today(c), today(c), errors)}`,
  submitLabel: 'Score vastleggen',
  plan: (_c, v) => {
    if (!/^(?:[0-9]|10)$/.test(v('score'))) return stopAt('score', "Kies bij 'Score' een waarde van 0 tot en met 10.");
    return {
      commands: [
        planned(
          'recordScore',
          {
            dangerId: v('gevaar'),
            group: v('groep') as ScoreGroup,
            value: Number(v('score')),
            observedBehaviour: v('gedrag'),
            date: v('datum'),
          },
          { dangerId: 'gevaar', group: 'groep', value: 'score', observedBehaviour: 'gedrag', date: 'datum' },
          'gevaar',
        ),
      ],
      errors: {},
    };
  },
  done: 'De score is vastgelegd.',
};
