/**
 * The household's members and network (R-10, R-11, R-16, R-36, R-41, R-42): add a member (a child
 * or vulnerable adult by pseudonym), add a network member, deactivate one or make them the safe
 * person for a child.
 */
import { html } from '../../../platform/html';
import { checkbox, checkboxes, many, one, radios, select, textInput } from '../fields';
import { allows, planned, stopAt, PROBE, type FormContext, type HouseholdForm } from './kit';

const protectedMembers = (c: FormContext) => c.view.state.members.filter((m) => m.isChild || m.vulnerableAdult);
const memberOptions = (c: FormContext) =>
  protectedMembers(c).map((m) => ({ value: m.ref, label: `${m.ref}${m.isChild ? ' (kind)' : ' (kwetsbare volwassene)'}` }));

export const addHouseholdMember: HouseholdForm = {
  key: 'gezinslid',
  theme: 'leden',
  title: 'Gezinslid toevoegen (R-10)',
  offered: (c) => allows(c, 'addHouseholdMember', { ref: PROBE, isChild: false }),
  labels: { ref: 'Pseudoniem', soort: 'Soort', kwetsbaar: 'Kwetsbare volwassene' },
  mainField: 'ref',
  fields: (_c, f, values, errors) =>
    html`${textInput(f('ref'), 'Pseudoniem', one(values, f('ref')), errors, { max: 64, hint: 'Een referentie, geen naam (bijvoorbeeld kind-1).' })}
${radios(
  f('soort'),
  'Soort',
  one(values, f('soort')),
  [
    { value: 'kind', label: 'Kind' },
    { value: 'volwassene', label: 'Volwassene' },
  ],
  errors,
)}
${checkbox(f('kwetsbaar'), 'Kwetsbare volwassene (telt mee zoals een kind, R-13, R-16)', one(values, f('kwetsbaar')) === 'ja', errors)}`,
  submitLabel: 'Gezinslid toevoegen',
  plan: (_c, v) => {
    if (!v('soort')) return stopAt('soort', "Kies bij 'Soort' een kind of een volwassene.");
    return {
      commands: [
        planned(
          'addHouseholdMember',
          { ref: v('ref'), isChild: v('soort') === 'kind', vulnerableAdult: v('kwetsbaar') === 'ja' },
          { ref: 'ref', isChild: 'soort', vulnerableAdult: 'kwetsbaar' },
          'ref',
        ),
      ],
      errors: {},
    };
  },
  done: 'Het gezinslid is toegevoegd.',
};

export const addNetworkMember: HouseholdForm = {
  key: 'netwerklid',
  theme: 'leden',
  title: 'Netwerklid toevoegen (R-11, R-36)',
  offered: (c) => allows(c, 'addNetworkMember', { id: PROBE, kind: 'sociaal' }),
  labels: { id: 'Pseudoniem', soort: 'Soort netwerk', veilig: 'Veiligheidspersoon voor', voorzitter: 'Voorzitter netwerkberaad' },
  mainField: 'id',
  fields: (c, f, values, errors) =>
    html`${textInput(f('id'), 'Pseudoniem', one(values, f('id')), errors, { max: 64, hint: 'Een referentie, geen naam.' })}
${radios(
  f('soort'),
  'Soort netwerk',
  one(values, f('soort')),
  [
    { value: 'sociaal', label: 'Sociaal netwerk' },
    { value: 'professioneel', label: 'Professioneel netwerk' },
  ],
  errors,
)}
${memberOptions(c).length ? checkboxes(f('veilig'), 'Veiligheidspersoon voor (R-16)', many(values, f('veilig')), memberOptions(c), errors) : ''}
${checkbox(f('voorzitter'), 'Voorzitter van het netwerkberaad (R-41)', one(values, f('voorzitter')) === 'ja', errors)}`,
  submitLabel: 'Netwerklid toevoegen',
  plan: (_c, v, vs) => ({
    commands: [
      planned(
        'addNetworkMember',
        { id: v('id'), kind: v('soort') as 'sociaal', safetyPersonFor: vs('veilig'), chair: v('voorzitter') === 'ja' },
        { id: 'id', kind: 'soort', safetyPersonFor: 'veilig', chair: 'voorzitter' },
        'id',
      ),
    ],
    errors: {},
  }),
  done: 'Het netwerklid is toegevoegd.',
};

const updatable = (c: FormContext) => c.view.state.network.filter((n) => allows(c, 'updateNetworkMember', { id: n.id }));

export const updateNetworkMember: HouseholdForm = {
  key: 'netwerklid-bijwerken',
  theme: 'leden',
  title: 'Netwerklid bijwerken: actief, veiligheidspersoon (R-16, R-42, R-51)',
  offered: (c) => updatable(c).length > 0,
  labels: { id: 'Netwerklid', actief: 'Actief', veilig: 'Veiligheidspersoon voor' },
  mainField: 'id',
  fields: (c, f, values, errors) =>
    html`${select(
      f('id'),
      'Netwerklid',
      one(values, f('id')),
      updatable(c).map((n) => ({
        value: n.id,
        label: `${n.id} (${n.kind}${n.active ? '' : ', niet actief'}${n.safetyPersonFor.length ? `, veilig voor ${n.safetyPersonFor.join(', ')}` : ''})`,
      })),
      errors,
    )}
${radios(
  f('actief'),
  'Actief',
  one(values, f('actief')),
  [
    { value: '', label: 'Ongewijzigd' },
    { value: 'ja', label: 'Actief' },
    { value: 'nee', label: 'Niet meer actief' },
  ],
  errors,
  { required: false },
)}
${memberOptions(c).length ? checkboxes(f('veilig'), 'Veiligheidspersoon voor (R-16)', many(values, f('veilig')), memberOptions(c), errors, 'Niets aangevinkt laat dit ongewijzigd.') : ''}`,
  submitLabel: 'Netwerklid bijwerken',
  plan: (_c, v, vs) => {
    const active = v('actief') === 'ja' ? true : v('actief') === 'nee' ? false : undefined;
    const safe = vs('veilig');
    if (active === undefined && safe.length === 0) return stopAt('actief', "Kies bij 'Actief' of 'Veiligheidspersoon voor' wat verandert.");
    return {
      commands: [
        planned(
          'updateNetworkMember',
          { id: v('id'), active, safetyPersonFor: safe.length ? safe : undefined },
          { id: 'id', active: 'actief', safetyPersonFor: 'veilig' },
          'id',
        ),
      ],
      errors: {},
    };
  },
  done: 'Het netwerklid is bijgewerkt.',
};
