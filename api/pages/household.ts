/**
 * One household as a page: where it stands (phase, roles, escalation), what stands between it and
 * the next phase with the earliest date each criterion can be met, the plan of reminders and
 * escalations, the score charts per danger, and the history. Everything comes from the domain's
 * read model (domain/view.ts) and forecast; the page counts nothing itself.
 */
import { earliestPhaseEnd, earliestPossible } from '../../domain/forecast';
import { importReviewLabel } from '../../domain/import-review';
import { evidenceEnteredLate, LATE_LABEL } from '../../domain/late-data';
import { z } from 'zod';
import { EVIDENCE_ITEMS } from '../../domain/evidence-items';
import { PHASE_LABEL, ROLE_LABEL, type Actor, type HouseholdState, type Role } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { controleVisits, teamConsultationsPerPhase } from '../../domain/selectors';
import { amsterdamDay, dutchDate, formatDutch } from '../../domain/time';
import { dangerScores, type HouseholdView, type PreviousTrajectory } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { HouseholdId } from '../ids';
import { scoreChart } from './chart';
import { actorOf, type Caller } from '../access';
import { formByKey, formKey, formSections, householdPath, submitForm, type FormContext, type OpenForm } from './forms/index';
import type { HouseholdForm } from './forms/kit';
import { notice } from './frame';
import { actionButtons, admitted, linkActor, offersFor, type Offer, type TaskOffers } from './offers';
import { PageRefusal } from './readers';
import { DASHBOARD, page, type PageContext } from './page';
import { ESCALATION_LEVEL_LABEL, HANDOVER_REASON_LABEL, NOTIFICATION_KIND_LABEL, VISIT_BY_LABEL, VISIT_KIND_LABEL } from './vocabulary';
import type { DirectoryNames } from '../../platform/directory';

export interface HouseholdPageInput {
  /** Where the dashboard is mounted. */
  base: string;
  view: HouseholdView;
  now: Date;
  policy: Policy;
  /** Shown next to the id for people of the intake organisation. */
  reference?: string;
  /** People and organisations by name (platform/directory.ts). */
  names: DirectoryNames;
  /** The forms of the professional looking, when they may act: per task, and always open. */
  acting?: { forTask: TaskOffers; general: Offer[] };
  /** The household's forms this professional may use now (forms/index.ts), for a session. */
  forms?: SafeHtml;
  /** The Dutch confirmation after a form ran. */
  confirmation?: string;
}

const VIA: Record<string, string> = {
  start: 'start',
  criteria: 'criteria voldaan',
  override: 'afwijking door de casusregisseur (R-62)',
  import: 'overgenomen lopend traject',
  toewijzing: 'toegewezen',
  overdracht: 'warme overdracht (R-24)',
  intake: 'bij de intake',
};

export function levelBadge(level: number): SafeHtml {
  const l = ESCALATION_LEVEL_LABEL[Math.min(3, Math.max(0, level)) as 0 | 1 | 2 | 3];
  return html`<span class="badge level-${level}" title="${l.long}">${l.short}</span>`;
}

export function phaseBadge(phase: keyof typeof PHASE_LABEL): SafeHtml {
  return html`<span class="phase phase-${phase}">${PHASE_LABEL[phase]}</span>`;
}

/** Issue 22: "geïmporteerd — in controle tot <datum>" while an import's review lasts (domain/import-review.ts). */
export function importReviewBadge(endsAt: string | null | undefined, now: Date): SafeHtml | '' {
  const label = importReviewLabel(endsAt, now);
  return label ? html` <span class="badge import-review" data-import-review="${endsAt}">${label}</span>` : '';
}

const when = (iso?: string | null) => (iso ? formatDutch(iso) : '–');

/** "Sara (kind-1, 7 jaar bij aanmelding)": the first name where the intake gave one, else the pseudonym. */
function memberLabel(m: HouseholdState['members'][number]): string {
  const about = [m.ref, ...(m.age !== undefined ? [`${m.age} jaar bij aanmelding`] : []), ...(m.isChild ? ['kind'] : [])].join(', ');
  return m.firstName ? `${m.firstName} (${about})` : about;
}

/** R-60: the controle visits and the network's share; R-63: the team consultations of each phase. */
function checksAndConsultations(s: HouseholdView['state']): SafeHtml {
  const c = controleVisits(s);
  const phases = teamConsultationsPerPhase(s);
  return html`<div class="grid-2">
<section class="card" aria-labelledby="controle"><h2 id="controle">Controle (R-60)</h2>
<p class="hint">Geplande en onaangekondigde bezoeken die nagaan of de veiligheidsafspraken worden nagekomen, bij voorkeur door het sociale netwerk.</p>
${
  c.visits.length === 0
    ? html`<p class="empty">Nog geen controle vastgelegd.</p>`
    : html`<p data-figure="controle-netwerk">Door het netwerk: ${c.byNetwork} van ${c.visits.length} (${Math.round((c.networkShare ?? 0) * 100)}%).</p>
<ul class="plain">${c.visits.map(
        (e) =>
          html`<li>${dutchDate(e.date)}: ${
            e.visit
              ? `${VISIT_KIND_LABEL[e.visit.kind].toLowerCase()}, door ${VISIT_BY_LABEL[e.visit.by].toLowerCase()}`
              : 'wijze niet vastgelegd'
          } <span class="muted">(${PHASE_LABEL[e.phase]})</span></li>`,
      )}</ul>`
}
</section>
<section class="card" aria-labelledby="teamoverleg"><h2 id="teamoverleg">Teamoverleg per fase (R-63)</h2>
${
  phases.length === 0
    ? html`<p class="empty">Nog geen fase waarin teamoverleg wordt verwacht.</p>`
    : html`<ul class="plain">${phases.map(
        (p) =>
          html`<li>${PHASE_LABEL[p.phase]}: ${
            p.dates.length ? p.dates.map((d) => dutchDate(d)).join(', ') : p.to ? 'niet vastgelegd' : 'nog niet vastgelegd'
          }</li>`,
      )}</ul>`
}
</section></div>`;
}

const MATCHED_BY_LABEL: Record<PreviousTrajectory['matchedBy'], string> = {
  reference: 'dezelfde referentie van de aanmeldende organisatie',
  member: 'een gezinslid dat al in dat traject stond',
};

/** Issue 22: a re-report after closure links to the closed trajectory (R-61's re-report measure counts it). */
function previousTrajectoryFact(base: string, prev: PreviousTrajectory): SafeHtml {
  return html`<dt>Eerder traject</dt><dd><span class="badge">Heraanmelding</span> na het afgesloten traject <a href="${base}/households/${encodeURIComponent(prev.householdId)}">${prev.householdId}</a>, herkend aan ${MATCHED_BY_LABEL[prev.matchedBy]}; gemeld ${dutchDate(amsterdamDay(new Date(prev.reportedAt)))}</dd>`;
}

export function householdPage(p: HouseholdPageInput): SafeHtml {
  const { view, now, policy } = p;
  const s = view.state;
  const forecasts = earliestPossible(s, now, policy);
  const end = earliestPhaseEnd(forecasts, now);
  const charts = dangerScores(s, now, policy);
  return html`<p class="back"><a href="${p.base}">← Alle huishoudens</a></p>
<div class="page-head"><h1>${s.intake.alias ? html`${s.intake.alias} ` : 'Huishouden '}<span class="ref">${s.householdId}</span>${p.reference ? html` <span class="muted">(uw referentie ${p.reference})</span>` : ''}</h1>
<p>${phaseBadge(s.phase)} ${levelBadge(view.escalationLevel)}${view.openHandover ? html` <span class="badge flag-on">Overdracht open</span>` : ''}${importReviewBadge(view.importReview?.endsAt, new Date(view.asOf))}</p>
<p><a href="${p.base}/households/${s.householdId}/logboek">Logboek: alles wat er gebeurde, met wie en wat er gezien is</a></p>
<p><a href="${p.base}/households/${encodeURIComponent(s.householdId)}/veiligheidsplan">Veiligheidsplan afdrukken en logboeklinks</a> <span class="rule">R-15</span> <span class="rule">R-16</span></p></div>
${p.confirmation ? notice('ok', p.confirmation) : ''}
${p.acting && p.acting.general.length ? html`<section class="card" aria-labelledby="acties"><h2 id="acties">Uw acties</h2>${actionButtons(p.acting.general)}<p class="hint">Wat bij een herinnering of escalatie hoort, staat in het plan hieronder.</p></section>` : ''}
${p.forms ?? ''}
<div class="grid-2">
<section class="card" aria-labelledby="stand"><h2 id="stand">Stand van zaken</h2>
<dl class="facts">
<dt>Fase</dt><dd>${PHASE_LABEL[s.phase]} sinds ${dutchDate(amsterdamDay(new Date(s.phaseStartedAt)))}</dd>
<dt>Traject gestart</dt><dd>${dutchDate(s.startedAt.slice(0, 10))}</dd>
${view.previousTrajectory ? previousTrajectoryFact(p.base, view.previousTrajectory) : ''}
<dt>Gezinsleden</dt><dd>${s.members.map((m, i) => html`${i ? ', ' : ''}${memberLabel(m)}`)}</dd>
${Object.entries(s.roles).map(([role, h]) => html`<dt>${ROLE_LABEL[role as Role]}</dt><dd>${p.names.professional(h!.professionalId, h!.organisation)}</dd>`)}
<dt>Organisaties</dt><dd>${view.organisations.map((o) => p.names.organisation(o)).join(', ')}</dd>
<dt>Volgende moment</dt><dd>${when(view.nextDeadline)}</dd>
${s.huisverbod ? html`<dt>Huisverbod</dt><dd>tot ${formatDutch(s.huisverbod.endAt)}, begeleid door ${p.names.professional(s.huisverbod.guidedBy.professionalId, s.huisverbod.guidedBy.organisation)} (R-25)</dd>` : ''}
</dl></section>
<section class="card" aria-labelledby="criteria"><h2 id="criteria">Open criteria van deze fase</h2>
${
  view.unmet.length === 0
    ? html`<p class="ok">Alle criteria van deze fase zijn voldaan; de casusregisseur kan de overgang aanvragen (R-50).</p>`
    : html`<ul class="criteria">${forecasts.map(
        (f) =>
          html`<li><span class="rule">${f.rule}</span> ${f.open}<br><span class="muted">${f.earliest ? html`Niet vóór ${dutchDate(f.earliest)}. ` : ''}${f.explanation}</span></li>`,
      )}</ul>
<p><strong>Vroegst mogelijke einde van de fase:</strong> ${end.earliest ? dutchDate(end.earliest) : 'nog niet te zeggen'}. <span class="muted">${end.explanation}</span></p>`
}
</section></div>
<section class="card" aria-labelledby="plan"><h2 id="plan">Herinneringen en escalaties</h2>
${
  view.plan.length === 0
    ? html`<p class="empty">Niets gepland.</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Deadlineplan"><table class="data"><caption class="visually-hidden">Deadlineplan</caption>
<thead><tr><th scope="col">Wat</th><th scope="col">Regel</th><th scope="col">Waarom</th><th scope="col">Herinnering</th><th scope="col">Te laat vanaf</th><th scope="col">Niveau</th><th scope="col">Wie</th>${p.acting ? html`<th scope="col">Actie</th>` : ''}</tr></thead>
<tbody>${view.plan.map(
        (i) =>
          html`<tr class="row-level-${i.level}"><td>${NOTIFICATION_KIND_LABEL[i.kind as keyof typeof NOTIFICATION_KIND_LABEL] ?? i.kind}</td><td><span class="rule">${i.rule}</span></td><td class="reason">${p.names.inText(i.reason)}</td><td>${when(i.remindAt)}</td><td>${when(i.overdueAt)}</td><td>${levelBadge(i.level)}</td><td>${i.responsible.map((id) => p.names.professional(id)).join(', ') || '–'}</td>${p.acting ? html`<td>${actionButtons(p.acting.forTask(i))}</td>` : ''}</tr>`,
      )}</tbody></table></div>`
}
</section>
${
  s.escalations.length
    ? html`<section class="card" aria-labelledby="escalaties"><h2 id="escalaties">Escalaties</h2><ul class="task-list">${[...s.escalations]
        .reverse()
        .map(
          (e) =>
            html`<li>${levelBadge(e.level)} <span class="rule">${e.rule}</span> ${p.names.inText(e.reason)}<br><span class="muted">Sinds ${when(e.raisedAt)}; niveau ${e.level} sinds ${when(e.levelSince)}${e.resolvedAt ? html`; opgelost ${when(e.resolvedAt)}` : ''}</span>${
              e.acknowledgements?.length
                ? html`<ul>${e.acknowledgements.map((a) => html`<li>Bevestigd door ${p.names.professional(a.by)} op ${when(a.at)} (niveau ${a.level}): ${a.plan}</li>`)}</ul>`
                : e.resolvedAt
                  ? ''
                  : html`<br><span class="muted">Nog niet bevestigd met een plan.</span>`
            }${(e.decisions ?? []).length ? html`<ul>${e.decisions!.map((d) => html`<li>Besluit van de coördinator op ${when(d.at)}: ${d.decision}</li>`)}</ul>` : ''}</li>`,
        )}</ul></section>`
    : ''
}
<section class="card" aria-labelledby="scores"><h2 id="scores">Veiligheidsschalen</h2>
${
  charts.length === 0
    ? html`<p class="empty">Nog geen gevaren beschreven (R-12).</p>`
    : s.dangers.map((d) => {
        const c = charts.find((x) => x.dangerId === d.id)!;
        return html`<h3>Gevaar ${d.id} (prioriteit ${d.priority})</h3><p>${d.statement}</p><p class="muted">Veiligheidsdoel: ${d.safetyGoal}</p>${scoreChart(c)}`;
      })
}
</section>
<div class="grid-2">
<section class="card" aria-labelledby="rollen"><h2 id="rollen">Rollen en overdrachten</h2>
<ul class="plain">${s.roleHistory.map(
    (r) =>
      html`<li>${ROLE_LABEL[r.role]}: ${p.names.professional(r.professionalId, r.organisation)}, ${when(r.from)} – ${r.to ? when(r.to) : 'nu'} <span class="muted">${VIA[r.via] ?? r.via}</span></li>`,
  )}</ul>
${
  s.handovers.length
    ? html`<h3>Overdrachten (R-24)</h3><ul class="plain">${s.handovers.map(
        (h) =>
          html`<li>${ROLE_LABEL[h.role]} van ${p.names.professional(h.from.professionalId, h.from.organisation)} naar ${p.names.professional(h.to.professionalId, h.to.organisation)}: ${HANDOVER_REASON_LABEL[h.reason]}; gevraagd ${when(h.requestedAt)}, ${
            h.confirmedAt
              ? `gestart ${h.startDate ? dutchDate(h.startDate) : when(h.confirmedAt)}`
              : h.cancelledAt
                ? `ingetrokken ${when(h.cancelledAt)}`
                : 'nog niet gestart'
          }</li>`,
      )}</ul>`
    : ''
}
<h3>Fasen</h3><ul class="plain">${s.phaseHistory.map(
    (f) =>
      html`<li>${PHASE_LABEL[f.phase]}: ${when(f.from)} – ${f.to ? when(f.to) : 'nu'} <span class="muted">${VIA[f.via] ?? f.via}</span></li>`,
  )}</ul>
</section>
<section class="card" aria-labelledby="bewijs"><h2 id="bewijs">Vastgelegd bewijs</h2>
${
  s.evidence.length === 0
    ? html`<p class="empty">Nog niets vastgelegd.</p>`
    : html`<ul class="plain">${[...s.evidence]
        .sort((a, b) => b.date.localeCompare(a.date))
        .map(
          (e) =>
            html`<li><span class="rule">${EVIDENCE_ITEMS[e.item].rule}</span> ${EVIDENCE_ITEMS[e.item].label}, ${dutchDate(e.date)}${evidenceEnteredLate(e, policy) ? html` <span class="badge late">${LATE_LABEL} op ${dutchDate(amsterdamDay(new Date(e.recordedAt)))}</span>` : ''}${e.members?.length ? ` (${e.members.join(', ')})` : ''}${e.note ? html`<br><span class="muted">${e.note}</span>` : ''}</li>`,
        )}</ul>`
}
</section></div>
${checksAndConsultations(s)}
${
  s.overrides.length || s.warnings.length
    ? html`<section class="card" aria-labelledby="afwijkingen"><h2 id="afwijkingen">Afwijkingen en waarschuwingen</h2><ul class="plain">${s.overrides.map(
        (o) =>
          html`<li><span class="rule">R-62</span> ${PHASE_LABEL[o.from]} → ${PHASE_LABEL[o.to]} op ${when(o.at)} door ${p.names.professional(o.by)}, ondanks ${o.unmet.join(', ')}: ${o.justification}${
            o.review
              ? html`<br><span class="muted">Coördinator op ${when(o.review.at)}: ${o.review.decision === 'akkoord' ? 'akkoord' : 'niet akkoord'}. ${o.review.note}</span>`
              : html`<br><span class="muted">Nog niet beoordeeld door de coördinator.</span>`
          }</li>`,
      )}${s.warnings.map((w) => html`<li><span class="rule">${w.rule}</span> ${w.message} <span class="muted">${when(w.at)}</span></li>`)}</ul></section>`
    : ''
}`;
}

export interface HouseholdPageDeps {
  linkSecret: Buffer;
  policy: Policy;
  now: () => Date;
  names: DirectoryNames;
  /** Issue 22: the closed trajectory this one re-reports, if any. */
  previousTrajectory: (householdId: string) => Promise<{ previousTrajectory?: PreviousTrajectory }>;
}

/** The professional a reader would act as through an action link (linkActor), if the action page admits them at all. */
function readerActor(reader: Caller, view: HouseholdView): Actor | undefined {
  const sub = reader.via === 'link' ? reader.sub : reader.kind === 'professional' ? reader.professionalId : undefined;
  return sub ? linkActor(sub, 'evaluatie', view) : undefined;
}

/**
 * Who may use the household's forms: a professional logged in whose key is one of the household's
 * involved professionals (a role, either side of an open handover, the huisverbod), on an open
 * trajectory of an involved organisation (admitted). They act as the API would: the key's actor.
 */
function formActor(reader: Caller, view: HouseholdView, deps: HouseholdPageDeps): Actor | undefined {
  // The coordinator's forms are their decisions (section 6); the validator offers them no other.
  if (reader.via === 'key' && reader.kind === 'coordinator') return view.state.closedAt ? undefined : actorOf(reader);
  if (reader.via !== 'key' || reader.kind !== 'professional') return undefined;
  const involved = readerActor(reader, view);
  if (!involved || involved.organisation !== reader.organisation) return undefined;
  const actor = actorOf(reader);
  return admitted(view, actor, deps.now(), deps.policy) ? actor : undefined;
}

/** The always-open offers (action links) of whom the command admits: no "Scores…" that ends in a refusal. */
function admittedOffers(general: Offer[], c: FormContext): Offer[] {
  const form: Record<string, HouseholdForm | undefined> = { evaluatie: formByKey('score'), bewijs: formByKey('bewijs') };
  return general.filter((o) => form[o.action.action]?.offered(c) ?? true);
}

export function householdPages(ctx: PageContext, deps: HouseholdPageDeps): void {
  const render = (reader: Caller, id: string, view: HouseholdView, extra: { status?: number; open?: OpenForm; done?: string } = {}) => {
    const actor = readerActor(reader, view);
    // Buttons only where both the action page and the workflow's validator would let this reader
    // act: not for a professional of an involved organisation who holds no role here, not on a closed trajectory.
    const acting = actor && admitted(view, actor, deps.now(), deps.policy) ? actor : undefined;
    const ownOrganisation = reader.via === 'key' ? reader.organisation : actor?.organisation;
    const formsActor = formActor(reader, view, deps);
    const c = (a: Actor): FormContext => ({ view, actor: a, now: deps.now(), policy: deps.policy, names: deps.names });
    const offers = acting ? offersFor(id, acting.professionalId, deps.linkSecret, deps.now()) : undefined;
    return {
      status: extra.status,
      title: `Huishouden ${id}`,
      body: householdPage({
        base: DASHBOARD,
        view,
        now: deps.now(),
        policy: deps.policy,
        names: deps.names,
        reference: ownOrganisation === view.state.intake.organisation ? view.state.intake.reference : undefined,
        // With forms on the page, the always-open links are the forms themselves.
        acting:
          offers && acting ? { forTask: offers.forTask, general: formsActor ? [] : admittedOffers(offers.general, c(acting)) } : undefined,
        forms: formsActor ? formSections(id, c(formsActor), extra.open) : undefined,
        confirmation: extra.done,
      }),
    };
  };

  page(
    ctx,
    {
      method: 'get',
      path: '/households/:id',
      reader: 'household-link',
      params: z.object({ id: HouseholdId }),
      notFound: 'Dit huishouden bestaat niet.',
      audit: true,
    },
    async ({ reader, params, household, query }) => {
      const view = { ...(await household(params.id)), ...(await deps.previousTrajectory(params.id)) };
      return render(reader, params.id, view, { done: formByKey(query.given.gedaan ?? '')?.done });
    },
  );

  page(
    ctx,
    {
      method: 'post',
      path: '/households/:id/:form',
      reader: 'session',
      params: z.object({ id: HouseholdId, form: formKey }),
      notFound: 'Dit formulier bestaat niet.',
      form: { limit: '64kb', parameterLimit: 100 },
      audit: true,
    },
    async ({ reader, params, household, form: values }) => {
      const view = await household(params.id);
      const form = formByKey(params.form)!;
      const actor = formActor(reader, view, deps);
      const c: FormContext | undefined = actor && { view, actor, now: deps.now(), policy: deps.policy, names: deps.names };
      // The same check as showing the form: who may not give this command now gets no form and no run.
      if (!c || !form.offered(c))
        throw new PageRefusal(
          403,
          'forbidden',
          'Dit kunt u bij dit huishouden nu niet vastleggen: u heeft er geen rol bij, of de methode laat het u nu niet doen.',
          {
            reason: 'not_allowed',
            reader,
            householdId: params.id,
          },
        );
      const errors = await submitForm(ctx.households, params.id, form, c, values);
      if (!errors) return { redirect: `${householdPath(params.id)}?gedaan=${form.key}#formulieren` };
      return render(reader, params.id, view, { status: 422, open: { key: form.key, values, errors } });
    },
  );
}
