/**
 * Every command as a Dutch form on the household page, grouped by theme in <details> sections (no
 * script), each shown only to a professional the workflow's validator lets give it now; and one
 * POST per form (/households/:id/<form>) that runs the same command as the API, through the same
 * workflow update. A refusal comes back beside its field; success redirects to the page (303).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CommandSchemas } from '../../../domain/schemas/commands';
import { html, type SafeHtml } from '../../../platform/html';
import { toApiError } from '../../errors';
import type { HouseholdService } from '../../household-service';
import { formError, many, one, type Errors, type Values } from '../fields';
import { DASHBOARD } from '../page';
import { recordControle, recordEvidence, recordTeamConsultation } from './evidence';
import { closeDanger, defineDanger, reviseDanger } from './dangers';
import { acknowledgeEscalation } from './escalation';
import { decideEscalation, reviewOverride } from './coordinator';
import { endHuisverbod, extendHuisverbod, registerHuisverbod } from './huisverbod';
import { dryRun, fieldNames, type FormContext, type HouseholdForm, type Theme } from './kit';
import { addHouseholdMember, addNetworkMember, updateNetworkMember } from './network';
import { addLogEntry, approvePlan, endorsePlan, recordPlanVersion } from './plans';
import { closeTrajectory, requestTransition } from './phase';
import { confirmImportForm } from './import';
import { assignRole, cancelHandover, confirmHandover, startHandover } from './roles';
import { recordScore } from './scores';

export type { FormContext } from './kit';

export const HOUSEHOLD_FORMS: readonly HouseholdForm[] = [
  recordScore,
  recordEvidence,
  recordControle,
  recordTeamConsultation,
  defineDanger,
  reviseDanger,
  closeDanger,
  recordPlanVersion,
  endorsePlan,
  approvePlan,
  addLogEntry,
  addHouseholdMember,
  addNetworkMember,
  updateNetworkMember,
  assignRole,
  startHandover,
  confirmHandover,
  cancelHandover,
  registerHuisverbod,
  extendHuisverbod,
  endHuisverbod,
  acknowledgeEscalation,
  reviewOverride,
  decideEscalation,
  requestTransition,
  closeTrajectory,
  confirmImportForm,
];

const THEMES: { theme: Theme; label: string }[] = [
  { theme: 'scores', label: 'Scores (R-18, R-32)' },
  { theme: 'bewijs', label: 'Bewijs, controle en teamoverleg (R-10 .. R-65)' },
  { theme: 'gevaren', label: 'Gevaren (R-12, R-31)' },
  { theme: 'leden', label: 'Gezin en netwerk (R-10, R-11, R-16)' },
  { theme: 'plan', label: 'Veiligheidsplan en logboek (R-15, R-16, R-37, R-41, R-65)' },
  { theme: 'rollen', label: 'Rollen en overdrachten (R-24)' },
  { theme: 'huisverbod', label: 'Huisverbod (R-25)' },
  { theme: 'escalaties', label: 'Escalaties (sectie 6)' },
  { theme: 'fase', label: 'Fase en afsluiten (R-50, R-62)' },
];

export const formKey = z.enum(HOUSEHOLD_FORMS.map((f) => f.key) as [string, ...string[]]);
export const formByKey = (key: string) => HOUSEHOLD_FORMS.find((f) => f.key === key);

/** The form being corrected: its values and errors (by field name). */
export interface OpenForm {
  key: string;
  values: Values;
  errors: Errors;
}

export const householdPath = (id: string) => `${DASHBOARD}/households/${encodeURIComponent(id)}`;

function formHtml(id: string, form: HouseholdForm, c: FormContext, open?: OpenForm): SafeHtml {
  const mine = open?.key === form.key ? open : undefined;
  const values = mine?.values ?? {};
  const errors = mine?.errors ?? {};
  // One update id per rendered form: a double submit of the same form runs its command once.
  const nonce = randomBytes(12).toString('base64url');
  return html`<form method="post" action="${householdPath(id)}/${form.key}" class="form-grid household-form" id="form-${form.key}" novalidate>
<h3>${form.title}</h3>${mine ? formError(errors) : ''}
<input type="hidden" name="_nonce" value="${nonce}">
${form.fields(c, fieldNames(form.key), values, errors)}
<div><button type="submit" class="button">${form.submitLabel}</button></div>
</form>`;
}

/** The forms this professional may use now, by theme; nothing at all when there are none. */
export function formSections(id: string, c: FormContext, open?: OpenForm): SafeHtml {
  const offered = HOUSEHOLD_FORMS.filter((f) => f.offered(c));
  if (offered.length === 0) return html``;
  return html`<section class="card" aria-labelledby="formulieren"><h2 id="formulieren">Vastleggen</h2>
<p class="hint">Alleen wat u volgens de methode nu mag doen.</p>
${THEMES.map(({ theme, label }) => {
  const forms = offered.filter((f) => f.theme === theme);
  if (forms.length === 0) return '';
  const isOpen = forms.some((f) => f.key === open?.key);
  return html`<details class="form-theme" id="thema-${theme}" ${isOpen ? html`open` : ''}><summary>${label}</summary>${forms.map((f) => formHtml(id, f, c, open))}</details>`;
})}</section>`;
}

/** Runs one submitted form: its errors by field name, or nothing when the command ran. */
export async function submitForm(
  households: HouseholdService,
  id: string,
  form: HouseholdForm,
  c: FormContext,
  values: Values,
): Promise<Errors | undefined> {
  const f = fieldNames(form.key);
  const full = (local: Errors): Errors => Object.fromEntries(Object.entries(local).map(([k, v]) => [k === '_form' ? k : f(k), v]));
  const planned = form.plan(
    c,
    (local) => one(values, f(local)),
    (local) => many(values, f(local)),
  );
  const errors = Object.keys(planned.errors).length ? planned.errors : dryRun(form, planned.commands, c);
  if (Object.keys(errors).length) return full(errors);
  const nonce = one(values, '_nonce').slice(0, 40) || randomBytes(12).toString('base64url');
  for (const [i, command] of planned.commands.entries()) {
    const body = CommandSchemas[command.type].parse(command.body);
    try {
      // The page reads the household again after the redirect: no read after each command (issue 23).
      await households.receipt(id, command.type, { actor: c.actor, body } as never, `formulier:${form.key}:${nonce}:${i}`);
    } catch (err) {
      const e = toApiError(err);
      if (e.status !== 409) throw err;
      // Refused in the workflow after the dry run passed (the household changed meanwhile).
      return full({
        [form.mainField]: `'${form.labels[form.mainField] ?? form.title}': ${e.message}${e.extra.rule ? ` (${e.extra.rule})` : ''}`,
      });
    }
  }
  return undefined;
}
