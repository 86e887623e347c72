/**
 * The phase change (R-50, R-62): the next phase, with the criteria still unmet by rule, and the
 * casusregisseur's override with its justification; and closure, a change to 'afgesloten'.
 */
import { NEXT_PHASE, PHASE_LABEL, type Phase } from '../../../domain/model';
import { html, type SafeHtml } from '../../../platform/html';
import { one, textArea } from '../fields';
import { allows, planned, PROBE, type FormContext, type HouseholdForm } from './kit';

const nextOf = (c: FormContext): Phase | undefined =>
  c.view.state.phase === 'afgesloten' ? undefined : NEXT_PHASE[c.view.state.phase as Exclude<Phase, 'afgesloten'>];

function unmetList(c: FormContext, closing: boolean): SafeHtml {
  const unmet = [...c.view.unmet];
  if (closing && c.view.state.phase !== 'herstel')
    unmet.push({ rule: 'R-50', message: 'Afsluiten kan pas als stabiele veiligheid en herstel zijn bereikt.' });
  return unmet.length
    ? html`<p>Nog niet voldaan:</p><ul class="criteria">${unmet.map((u) => html`<li><span class="rule">${u.rule}</span> ${u.message}</li>`)}</ul>
<p class="hint">Doorgaan ondanks deze criteria kan alleen de casusregisseur, met een onderbouwing; de coördinator krijgt er bericht van (R-62).</p>`
    : html`<p class="ok">Alle criteria van deze fase zijn voldaan.</p>`;
}

function transition(key: string, title: string, target: (c: FormContext) => Phase | undefined, done: string): HouseholdForm {
  const closing = key === 'afsluiten';
  return {
    key,
    theme: 'fase',
    title,
    offered: (c) => {
      const to = target(c);
      return !!to && allows(c, 'requestTransition', { to, justification: PROBE });
    },
    labels: { onderbouwing: 'Onderbouwing van de afwijking' },
    mainField: 'onderbouwing',
    fields: (c, f, values, errors) =>
      html`<p>Van ${PHASE_LABEL[c.view.state.phase]} naar <strong>${PHASE_LABEL[target(c)!]}</strong>.</p>${unmetList(c, closing)}
${textArea(f('onderbouwing'), 'Onderbouwing van de afwijking', one(values, f('onderbouwing')), errors, {
  max: 4000,
  hint: 'Alleen nodig als er criteria openstaan (R-62).',
})}`,
    submitLabel: closing ? 'Traject afsluiten' : 'Faseovergang aanvragen',
    plan: (c, v) => ({
      commands: [
        planned(
          'requestTransition',
          { to: target(c)!, justification: v('onderbouwing') === '' ? undefined : v('onderbouwing') },
          { justification: 'onderbouwing' },
          'onderbouwing',
        ),
      ],
      errors: {},
    }),
    done,
  };
}

export const requestTransition = transition('fase', 'Naar de volgende fase (R-50, R-62)', nextOf, 'De fase is gewisseld.');

/** Closure before Herstel is done: the next phase of Herstel is 'afgesloten' already, so that is the form above. */
export const closeTrajectory = transition(
  'afsluiten',
  'Traject afsluiten (R-50, R-51, R-52)',
  (c) => (c.view.state.phase === 'herstel' || c.view.state.phase === 'afgesloten' ? undefined : 'afgesloten'),
  'Het traject is afgesloten.',
);
