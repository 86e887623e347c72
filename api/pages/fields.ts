/**
 * Form fields of the action pages: every field has a label, a hint where it helps, and its error
 * next to it (aria-invalid and aria-describedby), so a refusal is read where it applies.
 */
import { html, type SafeHtml } from '../../platform/html';

/** Form values as express.urlencoded gives them. */
export type Values = Record<string, string | string[] | undefined>;
/** Dutch error text per form field; '_form' for what belongs to no single field. */
export type Errors = Record<string, string>;

export function one(values: Values, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

export function many(values: Values, name: string): string[] {
  const v = values[name];
  return (Array.isArray(v) ? v : v ? [v] : []).map((x) => x.trim()).filter(Boolean);
}

function described(name: string, errors: Errors, hint?: string): SafeHtml {
  const ids = [hint ? `${name}-hint` : '', errors[name] ? `${name}-fout` : ''].filter(Boolean).join(' ');
  return html`${errors[name] ? html`aria-invalid="true"` : ''} ${ids ? html`aria-describedby="${ids}"` : ''}`;
}

function after(name: string, errors: Errors, hint?: string): SafeHtml {
  return html`${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}${
    errors[name] ? html`<p class="field-error" id="${name}-fout">${errors[name]}</p>` : ''
  }`;
}

export function dateField(name: string, label: string, value: string, max: string, errors: Errors, hint?: string): SafeHtml {
  return html`<div class="form-row"><label for="${name}">${label}</label>
<input type="date" id="${name}" name="${name}" value="${value}" max="${max}" required ${described(name, errors, hint)}>
${after(name, errors, hint)}</div>`;
}

/** `required: false` says so in the label; undefined leaves it to the hint (required with another field). */
export function textArea(
  name: string,
  label: string,
  value: string,
  errors: Errors,
  o: { hint?: string; required?: boolean; max: number },
): SafeHtml {
  return html`<div class="form-row"><label for="${name}">${label}${o.required === false ? html` <span class="muted">(niet verplicht)</span>` : ''}</label>
<textarea id="${name}" name="${name}" maxlength="${o.max}" ${o.required ? html`required` : ''} ${described(name, errors, o.hint)}>${value}</textarea>
${after(name, errors, o.hint)}</div>`;
}

export function textInput(name: string, label: string, value: string, errors: Errors, o: { hint?: string; max: number }): SafeHtml {
  return html`<div class="form-row"><label for="${name}">${label}</label>
<input type="text" id="${name}" name="${name}" value="${value}" maxlength="${o.max}" ${described(name, errors, o.hint)}>
${after(name, errors, o.hint)}</div>`;
}

export function select(
  name: string,
  label: string,
  value: string,
  options: { value: string; label: string }[],
  errors: Errors,
  hint?: string,
): SafeHtml {
  return html`<div class="form-row"><label for="${name}">${label}</label>
<select id="${name}" name="${name}" ${described(name, errors, hint)}>${options.map(
    (o) => html`<option value="${o.value}" ${o.value === value ? html`selected` : ''}>${o.label}</option>`,
  )}</select>
${after(name, errors, hint)}</div>`;
}

export function checkboxes(
  name: string,
  legend: string,
  chosen: string[],
  options: { value: string; label: string }[],
  errors: Errors,
  hint?: string,
): SafeHtml {
  return html`<fieldset class="form-row group" ${described(name, errors, hint)}><legend>${legend}</legend>
${options.map(
  (o, i) =>
    html`<div><input type="checkbox" id="${name}-${i}" name="${name}" value="${o.value}" ${chosen.includes(o.value) ? html`checked` : ''}> <label for="${name}-${i}" class="inline">${o.label}</label></div>`,
)}
${after(name, errors, hint)}</fieldset>`;
}

/**
 * One choice out of a few, as radio buttons in a fieldset (required unless said otherwise); the
 * first button carries the field's own id, so the error list's link lands on it.
 */
export function radios(
  name: string,
  legend: string,
  chosen: string,
  options: { value: string; label: string }[],
  errors: Errors,
  o: { hint?: string; required?: boolean } = {},
): SafeHtml {
  const id = (i: number) => (i === 0 ? name : `${name}-${i}`);
  return html`<fieldset class="form-row group" ${described(name, errors, o.hint)}><legend>${legend}</legend>
${options.map(
  (x, i) =>
    html`<div><input type="radio" id="${id(i)}" name="${name}" value="${x.value}" ${o.required === false ? '' : html`required`} ${x.value === chosen ? html`checked` : ''}> <label for="${id(i)}" class="inline">${x.label}</label></div>`,
)}
${after(name, errors, o.hint)}</fieldset>`;
}

export function checkbox(name: string, label: string, checked: boolean, errors: Errors, hint?: string): SafeHtml {
  return html`<div class="form-row"><input type="checkbox" id="${name}" name="${name}" value="ja" ${checked ? html`checked` : ''} ${described(name, errors, hint)}>
<label for="${name}" class="inline">${label}</label>${after(name, errors, hint)}</div>`;
}

/** The form's own error (a refusal that belongs to no single field), first on the page. */
export function formError(errors: Errors): SafeHtml {
  const others = Object.keys(errors).filter((k) => k !== '_form');
  if (!errors._form && others.length === 0) return html``;
  return html`<div class="notice notice-error" role="alert"><p>${errors._form ?? 'Niet alles is goed ingevuld; zie de velden hieronder.'}</p>${
    others.length ? html`<ul>${others.map((k) => html`<li><a href="#${k}">${errors[k]}</a></li>`)}</ul>` : ''
  }</div>`;
}
