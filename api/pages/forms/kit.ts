/**
 * What every form of the household page is made of: who may see it (a dry run of its own command
 * through the workflow's validator, validateCommand, on the household as it is now), its fields,
 * and the commands the filled-in form asks for. A zod issue or a refusal of the domain is shown
 * beside the field it concerns, naming that field and the rule; the rules stay in the domain.
 */
import type { z } from 'zod';
import { CommandSchemas, type CommandInput } from '../../../domain/schemas/commands';
import { type CommandType } from '../../../domain/command-types';
import { applyCommand, validateCommand } from '../../../domain/commands';
import type { Actor, HouseholdState } from '../../../domain/model';
import type { DirectoryNames } from '../../../platform/directory';
import type { Policy } from '../../../domain/policy';
import { MethodRefusal } from '../../../domain/refusal';
import { amsterdamDay } from '../../../domain/time';
import type { HouseholdView } from '../../../domain/view';
import type { SafeHtml } from '../../../platform/html';
import type { Errors, Values } from '../fields';

export interface FormContext {
  view: HouseholdView;
  actor: Actor;
  now: Date;
  policy: Policy;
  /** Colleagues by name (issue 20): forms offer a choice of people, not an id to type. */
  names: DirectoryNames;
}

/** One command of a form; `fieldOf` names the form field (local name) of a body path ('' for the body as a whole). */
export interface PlannedCommand<K extends CommandType = CommandType> {
  type: K;
  body: CommandInput<K>;
  fieldOf: (bodyPath: string) => string;
}

export interface HouseholdForm {
  /** In the URL (/households/:id/<key>) and as the prefix of its field names. */
  key: string;
  theme: Theme;
  title: string;
  /** Whether this actor may give the command now (the workflow's own validator on a probe body). */
  offered: (c: FormContext) => boolean;
  /** The Dutch label of each local field name, for messages that name the field. */
  labels: Record<string, string>;
  /** The field a refusal without a field of its own belongs to. */
  mainField: string;
  fields: (c: FormContext, f: FieldNames, values: Values, errors: Errors) => SafeHtml;
  submitLabel: string;
  /** The commands the form asks for (by local field names), or errors that stop it first. */
  plan: (c: FormContext, v: (local: string) => string, vs: (local: string) => string[]) => { commands: PlannedCommand[]; errors: Errors };
  /** The confirmation after the redirect. */
  done: string;
}

export type Theme = 'rollen' | 'huisverbod' | 'gevaren' | 'leden' | 'plan' | 'bewijs' | 'scores' | 'fase' | 'escalaties';

/** A form's field name from its local name: unique on the page, so labels and error links find their field. */
export type FieldNames = (local: string) => string;
export const fieldNames =
  (key: string): FieldNames =>
  (local) =>
    `${key}-${local}`;

export const today = (c: FormContext) => amsterdamDay(c.now);

export const planned = <K extends CommandType>(
  type: K,
  body: CommandInput<K>,
  fields: Record<string, string>,
  fallback: string,
): PlannedCommand => ({ type, body, fieldOf: (p: string) => fields[p] ?? fields[p.split('.')[0]!] ?? fallback }) as PlannedCommand;

/** A form that stops before the domain sees it: one field left empty that no command names. */
export const stopAt = (local: string, message: string): { commands: PlannedCommand[]; errors: Errors } => ({
  commands: [],
  errors: { [local]: message },
});

/** Whether the workflow's validator would accept this command of this actor now. */
export function allows<K extends CommandType>(c: FormContext, type: K, body: CommandInput<K>): boolean {
  try {
    validateCommand(c.view.state, type, body, c.actor, c.now, c.policy);
    return true;
  } catch (err) {
    if (err instanceof MethodRefusal) return false;
    throw err;
  }
}

/** A probe reference that no household uses: a probe is never sent. */
export const PROBE = 'proef-0';

/** A zod issue in Dutch, naming the field ("Vul 'Waargenomen gedrag' in."). */
export function issueText(label: string, issue: z.core.$ZodIssue): string {
  const missing =
    issue.message === 'Verplicht veld.' ||
    (issue.code === 'invalid_type' && issue.input === undefined) ||
    (issue.code === 'too_small' && issue.origin === 'string');
  if (missing) return `Vul '${label}' in.`;
  if (issue.code === 'invalid_value' || issue.code === 'invalid_type') return `Kies een geldige waarde bij '${label}'.`;
  // The schemas' own messages are Dutch; zod's defaults are not, and are replaced.
  const dutch = /^(Verplicht|Maximaal|Alleen|Kies|Geen|Een|De|Het|Datum|Vul)/.test(issue.message);
  return `'${label}': ${dutch ? issue.message : 'deze waarde is niet geldig.'}`;
}

/**
 * Every command checked by its schema and the workflow's validator, in order, on the state as it
 * is now: the errors by local field name, each naming its field and rule.
 */
export function dryRun(form: HouseholdForm, commands: PlannedCommand[], c: FormContext): Errors {
  const errors: Errors = {};
  let s: HouseholdState = c.view.state;
  const label = (local: string) => form.labels[local] ?? form.title;
  for (const command of commands) {
    const parsed = CommandSchemas[command.type].safeParse(command.body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const local = command.fieldOf(issue.path.join('.'));
        errors[local] ??= `${issueText(label(local), issue)} (invoer)`;
      }
      continue;
    }
    try {
      validateCommand(s, command.type, parsed.data, c.actor, c.now, c.policy);
      // The next command of the same form is checked against the state after this one.
      s = applyCommand(s, command.type, parsed.data, c.actor, c.now, c.policy);
    } catch (err) {
      if (!(err instanceof MethodRefusal)) throw err;
      const local = err.field ? command.fieldOf(err.field) : form.mainField;
      errors[local] ??= `'${label(local)}': ${err.message} (${err.rule})`;
    }
  }
  return errors;
}

export type { Values, Errors };
