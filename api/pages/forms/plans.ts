/**
 * The family's safety plan and log on the household page (issue 21): record a version (agreements
 * with who, when and who checks; per child the safety person, safe object and Woord en Beeld; the
 * owner), endorse it (the casusregisseur, R-15), approve it (offered only to the GI's jeugdbeschermer,
 * R-65), and write a log entry (R-16). Each form is offered only when the workflow's validator
 * accepts its command from this professional now; a refusal shows beside its field with the rule.
 */
import type { CommandInput } from '../../../domain/schemas/commands';
import { LOG_OUTCOMES, PLAN_KIND_LABEL, PLAN_KINDS, plansOf, type PlanFacts, type PlanKind } from '../../../domain/safety-plan';
import { html } from '../../../platform/html';
import { checkboxes, dateField, many, one, radios, select, textArea, textInput } from '../fields';
import { allows, PROBE, stopAt, today, type FormContext, type HouseholdForm, type PlannedCommand } from './kit';

/** Agreement rows per version on the form: the first is required, the others when filled in. */
const ROWS = [1, 2, 3];

const activeNetwork = (c: FormContext) => c.view.state.network.filter((n) => n.active);
const networkOptions = (c: FormContext) => activeNetwork(c).map((n) => ({ value: n.id, label: `${n.id} (${n.kind})` }));
const people = (c: FormContext) => [
  ...c.view.state.members.map((m) => ({ value: m.ref, label: `${m.ref} (gezin)` })),
  ...networkOptions(c),
];
const children = (c: FormContext) => c.view.state.members.filter((m) => m.isChild);
const existing = (c: FormContext, kind: PlanKind) => plansOf(c.view.state).find((p) => p.kind === kind)?.planId;
const optional = (s: string) => (s === '' ? undefined : s);

const OUTCOME_LABEL: Record<(typeof LOG_OUTCOMES)[number], string> = {
  goed_gegaan: 'Goed gegaan',
  bijna_misgegaan: 'Bijna misgegaan, opgevangen',
  misgegaan: 'Misgegaan',
};

/** A version the form can always send when the household has a danger and an active network member. */
function probe(c: FormContext): CommandInput<'recordPlanVersion'> | undefined {
  const danger = c.view.state.dangers[0];
  const member = activeNetwork(c)[0];
  if (!danger || !member) return undefined;
  const agreement = {
    id: PROBE,
    what: PROBE,
    who: [member.id],
    when: PROBE,
    monitoring: { by: member.id, everyDays: 7, informs: [member.id] },
  };
  return {
    kind: 'direct',
    planId: existing(c, 'direct'),
    dangers: [{ dangerId: danger.id, agreements: [agreement], whenItGoesWrong: PROBE }],
    children: [],
    network: [],
  };
}

/** The form field of a body path of recordPlanVersion (refusals name body paths). */
function planField(path: string): string {
  const agreement = /^dangers\.0\.agreements\.(\d+)\.(\w+)/.exec(path);
  if (agreement) {
    const row = Number(agreement[1]) + 1;
    const part = {
      what: 'wat',
      id: 'wat',
      who: 'wie',
      when: 'wanneer',
      monitoring: path.endsWith('everyDays') ? 'dagen' : path.endsWith('informs') ? 'inlichten' : 'controle',
    }[agreement[2]!];
    return `afspraak${row}-${part ?? 'wat'}`;
  }
  const child = /^children\.(\d+)\.(\w+)/.exec(path);
  if (child) return `kind${Number(child[1]) + 1}-${{ safeObject: 'voorwerp', woordEnBeeld: 'woord' }[child[2]!] ?? 'veilig'}`;
  if (path.startsWith('dangers.0.whenItGoesWrong')) return 'misgaan';
  if (path.startsWith('dangers')) return 'gevaar';
  return { owner: 'eigenaar', linkedPlanId: 'koppeling', kind: 'soort', planId: 'soort' }[path.split('.')[0]!] ?? 'soort';
}

export const recordPlanVersion: HouseholdForm = {
  key: 'plan',
  theme: 'plan',
  title: 'Veiligheidsplan of nieuwe versie vastleggen (R-15, R-16, R-37, R-41)',
  offered: (c) => {
    const body = probe(c);
    return body !== undefined && allows(c, 'recordPlanVersion', body);
  },
  labels: {
    soort: 'Soort plan',
    gevaar: 'Gevaar',
    misgaan: 'Wat doen we als het dreigt mis te gaan',
    eigenaar: 'Eigenaar van het plan',
    koppeling: 'Gekoppeld aan',
    ...Object.fromEntries(
      ROWS.flatMap((r) => [
        [`afspraak${r}-wat`, `Afspraak ${r}`],
        [`afspraak${r}-wie`, `Afspraak ${r}: wie`],
        [`afspraak${r}-wanneer`, `Afspraak ${r}: wanneer`],
        [`afspraak${r}-controle`, `Afspraak ${r}: wie controleert`],
        [`afspraak${r}-dagen`, `Afspraak ${r}: om de hoeveel dagen`],
        [`afspraak${r}-inlichten`, `Afspraak ${r}: wie wordt ingelicht`],
      ]),
    ),
    ...Object.fromEntries(
      [1, 2, 3, 4, 5, 6].flatMap((k) => [
        [`kind${k}-veilig`, `Kind ${k}: veiligheidspersoon`],
        [`kind${k}-voorwerp`, `Kind ${k}: veilig voorwerp`],
        [`kind${k}-woord`, `Kind ${k}: Woord en Beeld`],
      ]),
    ),
  },
  mainField: 'soort',
  fields: (c, f, values, errors) => {
    const v = (local: string) => one(values, f(local));
    const social = activeNetwork(c).filter((n) => n.kind === 'sociaal');
    const linkable = plansOf(c.view.state).filter((p) => p.kind !== 'herstel');
    return html`${radios(
      f('soort'),
      'Soort plan',
      v('soort'),
      PLAN_KINDS.map((k) => ({ value: k, label: `${PLAN_KIND_LABEL[k]}${existing(c, k) ? ' (nieuwe versie)' : ''}` })),
      errors,
    )}
${select(
  f('gevaar'),
  'Gevaar',
  v('gevaar'),
  c.view.state.dangers.map((d) => ({ value: d.id, label: `${d.id}: ${d.statement.slice(0, 80)}` })),
  errors,
)}
${ROWS.map(
  (
    r,
  ) => html`<fieldset class="form-row group"><legend>Afspraak ${r}${r > 1 ? html` <span class="muted">(niet verplicht)</span>` : ''}</legend>
${textArea(f(`afspraak${r}-wat`), 'Wat spreken we af', v(`afspraak${r}-wat`), errors, { max: 1000, required: r === 1 })}
${checkboxes(f(`afspraak${r}-wie`), 'Wie voert het uit (R-15)', many(values, f(`afspraak${r}-wie`)), people(c), errors)}
${textInput(f(`afspraak${r}-wanneer`), 'Wanneer of hoe vaak', v(`afspraak${r}-wanneer`), errors, { max: 200, hint: 'Bijvoorbeeld: elke avond om 20:00.' })}
${select(f(`afspraak${r}-controle`), 'Wie controleert (R-60)', v(`afspraak${r}-controle`), networkOptions(c), errors)}
${textInput(f(`afspraak${r}-dagen`), 'Om de hoeveel dagen', v(`afspraak${r}-dagen`) || '7', errors, { max: 2, hint: '1 tot 90 dagen.' })}
${checkboxes(f(`afspraak${r}-inlichten`), 'Wie wordt ingelicht als het misgaat', many(values, f(`afspraak${r}-inlichten`)), networkOptions(c), errors)}
</fieldset>`,
)}
${textArea(f('misgaan'), 'Wat doen we als het dreigt mis te gaan (R-15)', v('misgaan'), errors, { max: 2000, required: true })}
${children(c).map(
  (m, i) => html`<fieldset class="form-row group"><legend>${m.ref}</legend>
${select(f(`kind${i + 1}-veilig`), 'Veiligheidspersoon (R-16, R-42)', v(`kind${i + 1}-veilig`), [{ value: '', label: 'nog niet' }, ...networkOptions(c)], errors)}
${textInput(f(`kind${i + 1}-voorwerp`), 'Veilig voorwerp', v(`kind${i + 1}-voorwerp`), errors, { max: 200 })}
${textArea(f(`kind${i + 1}-woord`), 'Woord en Beeld: het plan in eenvoudige woorden (R-37)', v(`kind${i + 1}-woord`), errors, { max: 4000, required: false })}
</fieldset>`,
)}
${select(f('eigenaar'), 'Eigenaar van het plan (R-41)', v('eigenaar'), [{ value: '', label: 'nog niet' }, ...social.map((n) => ({ value: n.id, label: n.id }))], errors)}
${linkable.length ? select(f('koppeling'), 'Een herstelplan is gekoppeld aan (R-44)', v('koppeling'), [{ value: '', label: 'geen' }, ...linkable.map((p) => ({ value: p.planId, label: `${PLAN_KIND_LABEL[p.kind]} (${p.planId})` }))], errors) : ''}`;
  },
  submitLabel: 'Plan vastleggen',
  plan: (c, v, vs) => {
    const kind = v('soort') as PlanKind;
    if (!PLAN_KINDS.includes(kind)) return stopAt('soort', "Kies bij 'Soort plan' direct, stabiel of herstel.");
    const dangerId = v('gevaar');
    const rows = ROWS.filter((r) => r === 1 || v(`afspraak${r}-wat`) !== '');
    for (const r of rows)
      if (vs(`afspraak${r}-wie`).length === 0)
        return stopAt(`afspraak${r}-wie`, `Kies bij 'Afspraak ${r}: wie' wie de afspraak uitvoert (R-15).`);
    const agreements = rows.map((r) => ({
      // Stable over versions: the log stays with the agreement on the same row.
      id: `${dangerId}-a${r}`,
      what: v(`afspraak${r}-wat`),
      who: vs(`afspraak${r}-wie`),
      when: v(`afspraak${r}-wanneer`),
      monitoring: {
        by: v(`afspraak${r}-controle`),
        everyDays: Number(v(`afspraak${r}-dagen`) || NaN),
        informs: vs(`afspraak${r}-inlichten`),
      },
    }));
    const kids = children(c)
      .map((m, i) => ({ m, k: i + 1 }))
      .filter(({ k }) => v(`kind${k}-veilig`) !== '')
      .map(({ m, k }) => ({
        member: m.ref,
        safetyPerson: v(`kind${k}-veilig`),
        safeObject: optional(v(`kind${k}-voorwerp`)),
        woordEnBeeld: optional(v(`kind${k}-woord`)),
      }));
    // The network members the plan names, with the role they have in it.
    const roles = new Map<string, string>();
    for (const a of agreements) roles.set(a.monitoring.by, 'controleert afspraken');
    for (const k of kids) roles.set(k.safetyPerson, `veiligheidspersoon van ${k.member}`);
    const network = [...roles].filter(([id]) => activeNetwork(c).some((n) => n.id === id)).map(([memberId, role]) => ({ memberId, role }));
    const body: CommandInput<'recordPlanVersion'> = {
      kind,
      planId: existing(c, kind),
      dangers: [{ dangerId, agreements, whenItGoesWrong: v('misgaan') }],
      children: kids,
      network,
      owner: optional(v('eigenaar')),
      linkedPlanId: optional(v('koppeling')),
    };
    // Children are listed by their row on the form, the body by those given a safety person.
    const childRow = (path: string) => {
      const m = /^children\.(\d+)\.(.*)$/.exec(path);
      if (!m) return planField(path);
      const row = children(c).findIndex((x) => x.ref === kids[Number(m[1])]?.member) + 1;
      return planField(`children.${row - 1}.${m[2]}`);
    };
    const command: PlannedCommand = { type: 'recordPlanVersion', body, fieldOf: childRow };
    return { commands: [command], errors: {} };
  },
  done: 'Het veiligheidsplan is vastgelegd.',
};

const versionLabel = (p: PlanFacts) => `${PLAN_KIND_LABEL[p.kind]}, versie ${p.version} (${p.planId})`;
const versionsFor = (c: FormContext, type: 'endorsePlan' | 'approvePlan') =>
  plansOf(c.view.state).filter((p) => allows(c, type, { planId: p.planId, version: p.version, date: today(c) }));

function decisionForm(
  key: string,
  type: 'endorsePlan' | 'approvePlan',
  title: string,
  dateLabel: string,
  submitLabel: string,
  done: string,
): HouseholdForm {
  return {
    key,
    theme: 'plan',
    title,
    offered: (c) => versionsFor(c, type).length > 0,
    labels: { versie: 'Versie', datum: dateLabel },
    mainField: 'versie',
    fields: (c, f, values, errors) =>
      html`${select(
        f('versie'),
        'Versie',
        one(values, f('versie')),
        versionsFor(c, type).map((p) => ({ value: `${p.planId}:${p.version}`, label: versionLabel(p) })),
        errors,
      )}
${dateField(f('datum'), dateLabel, one(values, f('datum')) || today(c), today(c), errors)}`,
    submitLabel,
    plan: (_c, v) => {
      const [planId = '', version = ''] = v('versie').split(':');
      const command: PlannedCommand = {
        type,
        body: { planId, version: Number(version), date: v('datum') },
        fieldOf: (p) => (p === 'date' ? 'datum' : 'versie'),
      };
      return { commands: [command], errors: {} };
    },
    done,
  };
}

export const endorsePlan = decisionForm(
  'plan-onderschrijven',
  'endorsePlan',
  'Plan onderschreven door huishouden en netwerk (R-15)',
  'Datum van het overleg',
  'Onderschrijving vastleggen',
  'Vastgelegd dat het plan is onderschreven.',
);

/** R-65: offered only to the GI's jeugdbeschermer (the validator refuses everyone else). */
export const approvePlan = decisionForm(
  'plan-goedkeuren',
  'approvePlan',
  'Plan goedkeuren als jeugdbeschermer (R-65)',
  'Datum van goedkeuring',
  'Goedkeuring vastleggen',
  'De goedkeuring van het plan is vastgelegd.',
);

const agreementOptions = (c: FormContext) => {
  const seen = new Map<string, string>();
  for (const p of plansOf(c.view.state)) for (const a of p.agreements) seen.set(a.id, `${a.id} (${PLAN_KIND_LABEL[p.kind]})`);
  return [...seen].map(([value, label]) => ({ value, label }));
};

export const addLogEntry: HouseholdForm = {
  key: 'logboek',
  theme: 'plan',
  title: 'Regel in het veiligheidslogboek (R-16, R-20, R-40)',
  offered: (c) => {
    const first = agreementOptions(c)[0];
    return first !== undefined && allows(c, 'addLogEntry', { agreementId: first.value, date: today(c), outcome: 'goed_gegaan' });
  },
  labels: { afspraak: 'Afspraak', datum: 'Datum', uitkomst: 'Hoe ging het', score: 'Score', notitie: 'Wat gebeurde er' },
  mainField: 'afspraak',
  fields: (c, f, values, errors) =>
    html`${select(f('afspraak'), 'Afspraak', one(values, f('afspraak')), agreementOptions(c), errors)}
${dateField(f('datum'), 'Datum', one(values, f('datum')) || today(c), today(c), errors)}
${radios(
  f('uitkomst'),
  'Hoe ging het',
  one(values, f('uitkomst')),
  LOG_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABEL[o] })),
  errors,
  { hint: 'Misgegaan gaat dezelfde werkdag naar de casusregisseur.' },
)}
${select(
  f('score'),
  'Score (niet verplicht)',
  one(values, f('score')),
  [{ value: '', label: 'geen' }, ...Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }))],
  errors,
)}
${textArea(f('notitie'), 'Wat gebeurde er', one(values, f('notitie')), errors, { max: 2000, required: false })}`,
  submitLabel: 'Logboekregel vastleggen',
  plan: (_c, v) => {
    const command: PlannedCommand = {
      type: 'addLogEntry',
      body: {
        agreementId: v('afspraak'),
        date: v('datum'),
        outcome: v('uitkomst') as 'goed_gegaan',
        score: v('score') === '' ? undefined : Number(v('score')),
        note: optional(v('notitie')),
      },
      fieldOf: (p) => ({ agreementId: 'afspraak', date: 'datum', outcome: 'uitkomst', score: 'score', note: 'notitie' })[p] ?? 'afspraak',
    };
    return { commands: [command], errors: {} };
  },
  done: 'De logboekregel is vastgelegd.',
};
