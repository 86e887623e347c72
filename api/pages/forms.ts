/**
 * The four short forms behind the action links: the monthly evaluation (R-18, R-32, R-39, R-46),
 * the incoming professional's start of a handover (R-24), a checklist item (R-10 .. R-49, R-65)
 * and the acknowledgement of an escalation (section 6); confirming an import (R-01) is in ./forms/import.ts. Each turns the form into the same
 * commands the API runs (domain/command-schemas.ts); the method's rules stay in the domain.
 */
import type { CommandInput } from '../../domain/schemas/commands';
import type { CommandType } from '../../domain/command-types';
import { isSafetyPlan } from '../../domain/criteria';
import { LATE_LABEL } from '../../domain/late-data';
import { LIMITS } from '../../domain/limits';
import {
  EVIDENCE_ITEMS,
  PLAN_FACTS,
  VISIT_BY,
  VISIT_KINDS,
  type ControleVisit,
  type EvidenceItem,
  type EvidenceSpec,
} from '../../domain/evidence-items';
import { ROLE_LABEL, SCORE_GROUPS, type HouseholdState } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { eligibleMembers, isOpenHandover } from '../../domain/selectors';
import { amsterdamDay, count, dutchDate, formatDutch } from '../../domain/time';
import { dangerScores, type HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import type { ActionClaims } from '../../platform/links';
import { checkbox, checkboxes, dateField, many, one, radios, select, textArea, textInput, type Errors, type Values } from './fields';
import { importConfirmation } from './forms/import';
import { ESCALATION_LEVEL_LABEL, HANDOVER_REASON_LABEL, SCORE_GROUP_LABEL, VISIT_BY_LABEL, VISIT_KIND_LABEL } from './vocabulary';

export interface FormContext {
  claims: ActionClaims & { householdId: string };
  /** The household with its texts, as of now. */
  view: HouseholdView;
  now: Date;
  policy: Policy;
}

/** One command of a form, and where its refusal or invalid fields are shown. */
export interface PlannedCommand<K extends CommandType = CommandType> {
  type: K;
  body: CommandInput<K>;
  /** The form field of each body field ('' for the body as a whole). */
  fieldOf: (bodyPath: string) => string;
}

export interface ActionForm {
  title: (c: FormContext) => string;
  /** What this is about, above the fields. */
  intro: (c: FormContext) => SafeHtml;
  fields: (c: FormContext, values: Values, errors: Errors) => SafeHtml;
  submitLabel: string;
  /** The commands the filled-in form asks for, or the errors that stop it before the domain sees it. */
  plan: (c: FormContext, values: Values) => { commands: PlannedCommand[]; errors: Errors };
  /** Why the link has nothing left to do (the handover was confirmed, the escalation resolved). */
  settled?: (c: FormContext) => string | undefined;
  /** The confirmation after the commands ran, on the new state. */
  done: (c: FormContext, after: HouseholdView) => SafeHtml;
}

const today = (c: FormContext) => amsterdamDay(c.now);
const planned = <K extends CommandType>(type: K, body: CommandInput<K>, fieldOf: (p: string) => string): PlannedCommand =>
  ({ type, body, fieldOf }) as PlannedCommand;

const scoreField = (dangerId: string, group: string) => `score-${dangerId}-${group}`;
const behaviourField = (dangerId: string, group: string) => `gedrag-${dangerId}-${group}`;

function runText(d: ReturnType<typeof dangerScores>[number]): string {
  const left = Math.max(0, d.needed - d.run);
  if (left === 0) return `De reeks is compleet: ${count(d.run, 'maand', 'maanden')} op ${d.threshold} of hoger (${d.rule}).`;
  return `Huidige reeks: ${count(d.run, 'maand', 'maanden')} op ${d.threshold} of hoger; nodig: ${d.needed} (${d.rule}). Nog ${count(left, 'maand', 'maanden')} waarin huishouden, netwerk én professionals ${d.threshold} of hoger scoren.`;
}

const evaluation: ActionForm = {
  title: () => 'Maandelijkse evaluatie van de veiligheidsschalen',
  intro: (c) =>
    html`<p class="lead">Per gevaar geven huishouden, netwerk en professionals een score van 0 tot 10, met het gedrag dat ze zagen (R-18, R-32). Vul in wat er deze keer gescoord is; lege velden slaan we over.</p>${
      c.view.state.dangers.length === 0
        ? html`<div class="notice notice-info" role="status">Er zijn nog geen gevaren beschreven (R-12): leg eerst de analyse vast.</div>`
        : ''
    }`,
  fields: (c, values, errors) => {
    const scores = dangerScores(c.view.state, c.now, c.policy);
    const options = [
      { value: '', label: '– geen score –' },
      ...Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) })),
    ];
    return html`${dateField('datum', 'Datum van de evaluatie', one(values, 'datum') || today(c), today(c), errors, 'Niet in de toekomst en niet vóór de start van het traject.')}
${c.view.state.dangers.map((d) => {
  const s = scores.find((x) => x.dangerId === d.id)!;
  return html`<fieldset class="group" id="gevaar-${d.id}"><legend>Gevaar ${d.id} (prioriteit ${d.priority})</legend>
<p>${d.statement}</p><p class="muted">Veiligheidsdoel: ${d.safetyGoal}${d.scaleQuestion ? html`<br>Schaalvraag: ${d.scaleQuestion}` : ''}</p>
<p class="hint">${runText(s)} Laatste scores: ${SCORE_GROUPS.map((g) => {
    const l = s.latest[g];
    return `${SCORE_GROUP_LABEL[g].toLowerCase()} ${l ? `${l.value} (${dutchDate(l.date)}${l.late ? `, ${LATE_LABEL}` : ''})` : 'nog geen'}`;
  }).join(', ')}.</p>
<div class="score-grid">${SCORE_GROUPS.map(
    (g) =>
      html`<div>${select(scoreField(d.id, g), `Score ${SCORE_GROUP_LABEL[g].toLowerCase()}`, one(values, scoreField(d.id, g)), options, errors)}
${textArea(behaviourField(d.id, g), `Waargenomen gedrag (${SCORE_GROUP_LABEL[g].toLowerCase()})`, one(values, behaviourField(d.id, g)), errors, { max: LIMITS.text.observedBehaviour, hint: 'Verplicht bij een score: wat liet zien dat deze score klopt?' })}</div>`,
  )}</div></fieldset>`;
})}`;
  },
  submitLabel: 'Scores vastleggen',
  plan: (c, values) => {
    const errors: Errors = {};
    const commands: PlannedCommand[] = [];
    const date = one(values, 'datum');
    for (const d of c.view.state.dangers)
      for (const g of SCORE_GROUPS) {
        const raw = one(values, scoreField(d.id, g));
        const behaviour = one(values, behaviourField(d.id, g));
        if (!raw && !behaviour) continue;
        if (!/^(?:[0-9]|10)$/.test(raw)) {
          errors[scoreField(d.id, g)] = `Kies bij gevaar ${d.id} een score van 0 tot en met 10 voor ${SCORE_GROUP_LABEL[g].toLowerCase()}.`;
          continue;
        }
        const fields: Record<string, string> = { value: scoreField(d.id, g), observedBehaviour: behaviourField(d.id, g), date: 'datum' };
        commands.push(
          planned(
            'recordScore',
            { dangerId: d.id, group: g, value: Number(raw), observedBehaviour: behaviour, date },
            (p) => fields[p] ?? scoreField(d.id, g),
          ),
        );
      }
    if (commands.length === 0 && Object.keys(errors).length === 0)
      errors._form = 'Vul minstens één score in, met het gedrag dat erbij hoort.';
    return { commands, errors };
  },
  done: (c, after) => {
    const scores = dangerScores(after.state, c.now, c.policy);
    return html`<p>De scores zijn vastgelegd.</p><ul>${scores.map((s) => html`<li>Gevaar ${s.dangerId}: ${runText(s)}</li>`)}</ul>`;
  },
};

function handoverOf(c: FormContext) {
  return c.view.state.handovers.find((h) => h.id === c.claims.ref);
}

const handoverStart: ActionForm = {
  title: () => 'Start van de overdracht bevestigen',
  intro: (c) => {
    const h = handoverOf(c);
    if (!h) return html``;
    return html`<p class="lead">U neemt de rol <strong>${ROLE_LABEL[h.role]}</strong> over van ${h.from.professionalId} (${h.from.organisation}). Reden: ${HANDOVER_REASON_LABEL[h.reason]}. Gevraagd op ${formatDutch(h.requestedAt)}.</p>
<p>Bevestig de start pas als u samen met het huishouden bent gestart (R-24): tot dan blijft uw collega verantwoordelijk en krijgt die de herinneringen.</p>`;
  },
  fields: (c, values, errors) =>
    html`${dateField('datum', 'Datum van het gezamenlijke bezoek', one(values, 'datum') || today(c), today(c), errors)}
${checkbox('huishouden', 'Het huishouden was bij de start aanwezig (R-24)', one(values, 'huishouden') === 'ja', errors)}`,
  submitLabel: 'Start bevestigen',
  settled: (c) => {
    const h = handoverOf(c);
    if (!h) return 'Deze overdracht bestaat niet (meer).';
    if (!isOpenHandover(h))
      return h.confirmedAt ? `Deze overdracht is al bevestigd op ${formatDutch(h.confirmedAt)}.` : 'Deze overdracht is ingetrokken.';
    return undefined;
  },
  plan: (c, values) => {
    const fields: Record<string, string> = { startDate: 'datum', householdPresent: 'huishouden' };
    return {
      commands: [
        planned(
          'confirmHandover',
          { handoverId: c.claims.ref ?? '', startDate: one(values, 'datum'), householdPresent: one(values, 'huishouden') === 'ja' },
          (p) => fields[p] ?? 'huishouden',
        ),
      ],
      errors: {},
    };
  },
  done: (_c, after) => {
    const holder = Object.entries(after.state.roles).map(
      ([role, h]) => `${ROLE_LABEL[role as keyof typeof ROLE_LABEL]}: ${h!.professionalId}`,
    );
    return html`<p>De start is bevestigd; de overdracht is afgerond en uw collega krijgt hierover geen herinneringen meer.</p><p class="muted">${holder.join(' · ')}</p>`;
  },
};

const spec = (item: EvidenceItem): EvidenceSpec => EVIDENCE_ITEMS[item];

function itemOf(c: FormContext, values: Values): EvidenceItem | undefined {
  const chosen = (c.claims.ref ?? one(values, 'item')) as EvidenceItem;
  return Object.hasOwn(EVIDENCE_ITEMS, chosen) ? chosen : undefined;
}

function memberLabel(s: HouseholdState, ref: string): string {
  const m = s.members.find((x) => x.ref === ref);
  return m ? `${m.ref}${m.isChild ? ' (kind)' : ''}` : ref;
}

/** R-60: how the controle visit was made; required for a controle, left to the domain to refuse when missing. */
function visitFields(values: Values, errors: Errors, required: boolean): SafeHtml {
  return html`${radios(
    'bezoek',
    'Was het bezoek aangekondigd?',
    one(values, 'bezoek'),
    VISIT_KINDS.map((v) => ({ value: v, label: VISIT_KIND_LABEL[v] })),
    errors,
    { required },
  )}
${radios(
  'door',
  'Wie controleerde?',
  one(values, 'door'),
  VISIT_BY.map((v) => ({ value: v, label: VISIT_BY_LABEL[v] })),
  errors,
  { required, hint: 'De methode heeft een voorkeur voor controle door het sociale netwerk (R-60).' },
)}`;
}

const evidence: ActionForm = {
  title: (c) => {
    const item = itemOf(c, {});
    return item ? `${EVIDENCE_ITEMS[item].label} vastleggen (${EVIDENCE_ITEMS[item].rule})` : 'Bewijs vastleggen';
  },
  intro: (c) => {
    const item = itemOf(c, {});
    // R-60, R-63 run through every phase: they are reminded, not criteria of the phase.
    return item && spec(item).throughout
      ? html`<p class="lead">Leg vast wat er is gebeurd en wanneer. Dit is geen criterium van de fase; de herinneringen rekenen ermee (${spec(item).rule}).</p>`
      : html`<p class="lead">Leg vast wat er is gebeurd en wanneer. Het telt mee voor het criterium van de fase.</p>`;
  },
  fields: (c, values, errors) => {
    const item = itemOf(c, values);
    const s = c.view.state;
    const chooser = c.claims.ref
      ? html`<input type="hidden" name="item" value="${c.claims.ref}">`
      : select(
          'item',
          'Wat legt u vast?',
          item ?? '',
          [
            { value: '', label: '– kies –' },
            ...Object.entries(EVIDENCE_ITEMS)
              .filter(([k]) => !PLAN_FACTS.includes(k as EvidenceItem))
              .map(([k, v]) => ({ value: k, label: `${v.label} (${v.rule})` })),
          ],
          errors,
        );
    const members = item ? eligibleMembers(s, item) : [];
    const gi = item && s.jeugdbeschermer && isSafetyPlan(item);
    return html`${chooser}
${dateField('datum', 'Datum', one(values, 'datum') || today(c), today(c), errors)}
${
  item && spec(item).perMember
    ? checkboxes(
        'leden',
        spec(item).perMember === 'children' ? 'Met welk kind?' : 'Met wie (kind of kwetsbare volwassene)?',
        many(values, 'leden'),
        members.map((m) => ({ value: m.ref, label: memberLabel(s, m.ref) })),
        errors,
        'Per kind vastleggen (R-13, R-16, R-37).',
      )
    : ''
}
${
  gi
    ? html`<fieldset class="group"><legend>Goedkeuring jeugdbeschermer (R-65)</legend>
${textInput('gi-door', 'Goedgekeurd door', one(values, 'gi-door'), errors, { max: LIMITS.text.approvedBy })}
${dateField('gi-datum', 'Datum van goedkeuring', one(values, 'gi-datum') || today(c), today(c), errors)}</fieldset>`
    : ''
}
${
  item === 'controle'
    ? visitFields(values, errors, true)
    : c.claims.ref
      ? ''
      : html`<fieldset class="group"><legend>Alleen bij een controle (R-60)</legend>${visitFields(values, errors, false)}</fieldset>`
}
${textArea('toelichting', 'Toelichting', one(values, 'toelichting'), errors, { max: LIMITS.text.evidenceNote, required: false })}`;
  },
  submitLabel: 'Vastleggen',
  plan: (c, values) => {
    const item = itemOf(c, values);
    if (!item) return { commands: [], errors: { item: 'Kies wat u vastlegt.' } };
    const s = c.view.state;
    const giBy = one(values, 'gi-door');
    const members = many(values, 'leden');
    const fields: Record<string, string> = {
      date: 'datum',
      members: 'leden',
      note: 'toelichting',
      giApproval: 'gi-door',
      'giApproval.date': 'gi-datum',
      visit: 'bezoek',
      'visit.kind': 'bezoek',
      'visit.by': 'door',
    };
    const [kind, by] = [one(values, 'bezoek'), one(values, 'door')];
    const body: CommandInput<'recordEvidence'> = {
      item,
      date: one(values, 'datum'),
      ...(spec(item).perMember ? { members } : {}),
      ...(one(values, 'toelichting') ? { note: one(values, 'toelichting') } : {}),
      ...(s.jeugdbeschermer && isSafetyPlan(item) && giBy ? { giApproval: { approvedBy: giBy, date: one(values, 'gi-datum') } } : {}),
      // R-60: what was chosen goes to the schema and the domain as it is; they name what is missing or wrong.
      ...(item === 'controle' && (kind || by) ? { visit: { kind, by } as ControleVisit } : {}),
    };
    const errors: Errors = {};
    if (spec(item).perMember && members.length === 0) errors.leden = 'Kies met wie dit is gebeurd.';
    return {
      commands: [planned('recordEvidence', body, (p) => fields[p] ?? fields[p.split('.')[0]!] ?? 'datum')],
      errors,
    };
  },
  done: (c, after) => {
    const { rule, throughout } = spec(itemOf(c, {}) ?? 'genogram');
    // R-60, R-63: no criterion to meet; say what the plan expects next instead.
    if (throughout) {
      const next = after.plan.find((p) => p.rule === rule);
      return html`<p>Vastgelegd.</p><p>${next ? next.reason : `Voor ${rule} staat in deze fase niets meer open.`}</p>`;
    }
    const open = after.unmet.filter((u) => u.rule === rule);
    return html`<p>Vastgelegd.</p>${
      open.length
        ? html`<p>Nog open bij deze regel: ${open.map((u) => `${u.rule}: ${u.message}`).join(' ')}</p>`
        : html`<p>Dit criterium is nu voldaan.</p>`
    }`;
  },
};

function escalationOf(c: FormContext) {
  return c.view.state.escalations.find((e) => e.key === c.claims.ref);
}

const escalation: ActionForm = {
  title: () => 'Escalatie bevestigen met een plan',
  intro: (c) => {
    const e = escalationOf(c);
    if (!e) return html``;
    return html`<p class="lead"><span class="badge level-${e.level}">${ESCALATION_LEVEL_LABEL[e.level as 1 | 2 | 3].long}</span> <span class="rule">${e.rule}</span> sinds ${formatDutch(e.levelSince)}</p>
<p>${e.reason}</p><p>Schrijf kort wat u gaat doen en wanneer; de coördinator ziet het bij de escalatie.</p>`;
  },
  fields: (_c, values, errors) =>
    html`${textArea('plan', 'Uw plan', one(values, 'plan'), errors, { required: true, max: LIMITS.text.escalationPlan })}`,
  submitLabel: 'Bevestigen',
  settled: (c) => {
    const e = escalationOf(c);
    if (!e) return 'Deze escalatie bestaat niet (meer).';
    return e.resolvedAt ? `Deze escalatie is opgelost op ${formatDutch(e.resolvedAt)}; er valt niets meer te bevestigen.` : undefined;
  },
  plan: (c, values) => ({
    commands: [planned('acknowledgeEscalation', { key: c.claims.ref ?? '', plan: one(values, 'plan') }, () => 'plan')],
    errors: {},
  }),
  done: () => html`<p>Bevestigd. De coördinator ziet uw plan bij de escalatie.</p>`,
};

/** The forms of action links that run household commands; 'nameting' has its own page (follow-up.ts). */
export const ACTION_FORMS: Record<Exclude<ActionClaims['action'], 'taken' | 'nameting'>, ActionForm> = {
  evaluatie: evaluation,
  overdracht_start: handoverStart,
  bewijs: evidence,
  escalatie: escalation,
  import_bevestigen: importConfirmation,
};
