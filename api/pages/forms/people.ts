/**
 * Choosing a colleague (issue 20): by name from the directory, "Sanne de Vries (Veilig Thuis
 * Haaglanden)", with their organisation taken from the directory. Without a directory entry to choose
 * from (a deployment without one), the pseudonymous id and organisation are typed in.
 */
import { html, type SafeHtml } from '../../../platform/html';
import { one, select, textInput, type Errors, type Values } from '../fields';
import type { FieldNames, FormContext } from './kit';

const choose = { value: '', label: '– kies –' };

/** Whether colleagues are chosen by name (the directory knows some) rather than typed in by id. */
const byName = (c: FormContext) => c.names.professionals().length > 0;

/** The form field a refusal about the colleague's organisation stands beside. */
export const organisationField = (c: FormContext) => (byName(c) ? 'professional' : 'organisatie');

/** The field(s) for one colleague: `professional` (and `organisatie` only when typed in). */
export function colleagueFields(c: FormContext, f: FieldNames, values: Values, errors: Errors, label: string, preset = ''): SafeHtml {
  const chosen = one(values, f('professional')) || preset;
  if (byName(c))
    return select(
      f('professional'),
      label,
      chosen,
      [choose, ...c.names.professionals().map((p) => ({ value: p.id, label: p.name }))],
      errors,
    );
  return html`${textInput(f('professional'), `${label} (id)`, chosen, errors, { max: 64, hint: 'Een pseudoniem id, geen naam.' })}
${textInput(f('organisatie'), 'Organisatie (id)', one(values, f('organisatie')) || c.actor.organisation, errors, { max: 64 })}`;
}

/** The colleague a form names: their organisation as typed in, else as the directory gives it. */
export function chosenColleague(c: FormContext, v: (local: string) => string): { professionalId: string; organisation: string } {
  const professionalId = v('professional');
  return { professionalId, organisation: v('organisatie') || c.names.organisationOf(professionalId) || '' };
}
