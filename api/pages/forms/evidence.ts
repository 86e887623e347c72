/**
 * Evidence of the phase's criteria (R-10 .. R-49), per child where the item asks it (R-13, R-16,
 * R-37), with a note; the controle visit and the team consultation. All are the one
 * command recordEvidence. The safety plan itself, and the jeugdbeschermer's approval of it,
 * are the plan forms (plans.ts), not a tick here (issue 21).
 */
import { EVIDENCE_ITEMS, PLAN_FACTS, VISIT_BY, VISIT_KINDS, type ControleVisit, type EvidenceItem } from '../../../domain/evidence-items';
import { html } from '../../../platform/html';
import { checkboxes, dateField, many, one, radios, select, textArea } from '../fields';
import { memberName, VISIT_BY_LABEL, VISIT_KIND_LABEL } from '../vocabulary';
import { allows, planned, today, type FormContext, type HouseholdForm } from './kit';

const ITEMS = Object.keys(EVIDENCE_ITEMS) as EvidenceItem[];
/** Items with a form of their own, and what the safety plan shows (issue 21), are not in the general list. */
const GENERAL = ITEMS.filter((i) => i !== 'controle' && i !== 'teamoverleg' && !PLAN_FACTS.includes(i));

const FIELDS = {
  item: 'item',
  date: 'datum',
  members: 'leden',
  note: 'toelichting',
  visit: 'bezoek',
  'visit.kind': 'bezoek',
  'visit.by': 'door',
};
const optional = (s: string) => (s === '' ? undefined : s);
const mayRecord = (c: FormContext, item: EvidenceItem, extra: object = {}) =>
  allows(c, 'recordEvidence', { item, date: today(c), ...extra });

function memberChoice(c: FormContext, f: (l: string) => string, values: Parameters<typeof many>[0], errors: Record<string, string>) {
  const members = c.view.state.members.filter((m) => m.isChild || m.vulnerableAdult);
  if (members.length === 0) return html`<p class="hint">Nog geen kinderen of kwetsbare volwassenen vastgelegd (R-10).</p>`;
  return checkboxes(
    f('leden'),
    'Met welk kind of welke kwetsbare volwassene?',
    many(values, f('leden')),
    members.map((m) => ({ value: m.ref, label: `${memberName(m)}${m.isChild ? ', kind' : ''}` })),
    errors,
    'Alleen bij wat per kind wordt vastgelegd: het gesprek (R-13), het veilige voorwerp (R-16), Woord en Beeld (R-37).',
  );
}

export const recordEvidence: HouseholdForm = {
  key: 'bewijs',
  theme: 'bewijs',
  title: 'Bewijs bij een criterium vastleggen (R-10 .. R-49)',
  offered: (c) => mayRecord(c, 'genogram'),
  labels: {
    item: 'Wat legt u vast?',
    datum: 'Datum',
    leden: 'Met welk kind',
    toelichting: 'Toelichting',
  },
  mainField: 'item',
  fields: (c, f, values, errors) =>
    html`${select(
      f('item'),
      'Wat legt u vast?',
      one(values, f('item')),
      [
        { value: '', label: '– kies –' },
        ...GENERAL.map((k) => ({ value: k, label: `${EVIDENCE_ITEMS[k].label} (${EVIDENCE_ITEMS[k].rule})` })),
      ],
      errors,
    )}
${dateField(f('datum'), 'Datum', one(values, f('datum')) || today(c), today(c), errors)}
${memberChoice(c, f, values, errors)}
${textArea(f('toelichting'), 'Toelichting', one(values, f('toelichting')), errors, { max: 4000, required: false })}`,
  submitLabel: 'Bewijs vastleggen',
  plan: (_c, v, vs) => {
    const item = v('item') as EvidenceItem;
    // No member chosen goes to the domain as none: it names the rule.
    return {
      commands: [
        planned(
          'recordEvidence',
          { item, date: v('datum'), members: vs('leden').length ? vs('leden') : undefined, note: optional(v('toelichting')) },
          FIELDS,
          'item',
        ),
      ],
      errors: {},
    };
  },
  done: 'Het bewijs is vastgelegd.',
};

export const recordControle: HouseholdForm = {
  key: 'controle',
  theme: 'bewijs',
  title: 'Controlebezoek vastleggen (R-60)',
  offered: (c) => mayRecord(c, 'controle', { visit: { kind: 'gepland', by: 'netwerk' } }),
  labels: { datum: 'Datum van het bezoek', bezoek: 'Was het bezoek aangekondigd?', door: 'Wie controleerde?', toelichting: 'Toelichting' },
  mainField: 'bezoek',
  fields: (c, f, values, errors) =>
    html`${dateField(f('datum'), 'Datum van het bezoek', one(values, f('datum')) || today(c), today(c), errors)}
${radios(
  f('bezoek'),
  'Was het bezoek aangekondigd?',
  one(values, f('bezoek')),
  VISIT_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABEL[k] })),
  errors,
)}
${radios(
  f('door'),
  'Wie controleerde?',
  one(values, f('door')),
  VISIT_BY.map((k) => ({ value: k, label: VISIT_BY_LABEL[k] })),
  errors,
  { hint: 'De methode heeft een voorkeur voor controle door het sociale netwerk (R-60).' },
)}
${textArea(f('toelichting'), 'Toelichting', one(values, f('toelichting')), errors, { max: 4000, required: false })}`,
  submitLabel: 'Controle vastleggen',
  plan: (_c, v) => ({
    commands: [
      planned(
        'recordEvidence',
        {
          item: 'controle',
          date: v('datum'),
          // What was chosen goes to the schema and the domain as it is: they name what is missing.
          visit: v('bezoek') || v('door') ? ({ kind: v('bezoek'), by: v('door') } as ControleVisit) : undefined,
          note: optional(v('toelichting')),
        },
        FIELDS,
        'bezoek',
      ),
    ],
    errors: {},
  }),
  done: 'Het controlebezoek is vastgelegd (R-60).',
};

export const recordTeamConsultation: HouseholdForm = {
  key: 'teamoverleg',
  theme: 'bewijs',
  title: 'Teamoverleg vastleggen (R-63)',
  offered: (c) => mayRecord(c, 'teamoverleg'),
  labels: { datum: 'Datum van het overleg', toelichting: 'Toelichting' },
  mainField: 'datum',
  fields: (c, f, values, errors) =>
    html`${dateField(f('datum'), 'Datum van het overleg', one(values, f('datum')) || today(c), today(c), errors, 'In het team of met andere organisaties besproken, elke fase (R-63).')}
${textArea(f('toelichting'), 'Toelichting', one(values, f('toelichting')), errors, { max: 4000, required: false })}`,
  submitLabel: 'Teamoverleg vastleggen',
  plan: (_c, v) => ({
    commands: [planned('recordEvidence', { item: 'teamoverleg', date: v('datum'), note: optional(v('toelichting')) }, FIELDS, 'datum')],
    errors: {},
  }),
  done: 'Het teamoverleg is vastgelegd (R-63).',
};
