/**
 * The household's logbook (issue 20): every event, newest first, with who by name, when, and what
 * was seen (observed behaviour, evidence notes, justifications). Only for a logged-in reader of an
 * involved organisation or the coordinator (R-64), a page at a time; only the texts of the page
 * shown are opened. The events come from domain/logbook.ts; this file only words them.
 */
import { z } from 'zod';
import { LATE_LABEL } from '../../domain/late-data';
import { logbook, logbookPage, type LogbookEvent } from '../../domain/logbook';
import { EVIDENCE_ITEMS } from '../../domain/evidence-items';
import { PHASE_LABEL, ROLE_LABEL } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { PLAN_KIND_LABEL } from '../../domain/safety-plan';
import { dutchDate, formatDutch } from '../../domain/time';
import type { DirectoryNames } from '../../platform/directory';
import { html, type SafeHtml } from '../../platform/html';
import { isTextRef } from '../../platform/store/texts';
import { HouseholdId } from '../ids';
import { DASHBOARD, page, type PageContext } from './page';
import { SCORE_GROUP_LABEL, VISIT_BY_LABEL, VISIT_KIND_LABEL } from './vocabulary';

export interface LogbookPageDeps {
  policy: Policy;
  names: DirectoryNames;
}

const Query = z.object({ pagina: z.coerce.number().int().min(1).max(100_000).optional() });

const VIA_LABEL = {
  start: 'bij de start',
  criteria: 'criteria gehaald',
  override: 'met onderbouwing ondanks open criteria (R-62)',
  import: 'geïmporteerd',
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What happened, in one Dutch line; `name` gives a professional by name, `inText` names those in a reason. */
function what(
  e: LogbookEvent,
  name: (id: string, org?: string) => string,
  org: (id: string) => string,
  inText: (t: string) => string,
): SafeHtml {
  switch (e.kind) {
    case 'intake':
      return html`Melding ontvangen door ${org(e.organisation)}, gemeld door ${org(e.reportingOrganisation)} (R-01).`;
    case 'phase':
      return html`${PHASE_LABEL[e.phase]} begonnen (${VIA_LABEL[e.via]}).`;
    case 'role':
      return html`${capitalised(ROLE_LABEL[e.role])}: ${name(e.holder.professionalId, e.holder.organisation)}${e.via === 'overdracht' ? ' (na overdracht)' : ''}.`;
    case 'handover':
      return html`Overdracht van de rol ${ROLE_LABEL[e.role]} van ${name(e.from.professionalId, e.from.organisation)} naar ${name(e.to.professionalId, e.to.organisation)}: ${e.step} (R-24).`;
    case 'danger':
      return html`Gevaar ${e.dangerId} en veiligheidsdoel vastgelegd (R-12).`;
    case 'danger_closed':
      return html`Gevaar ${e.dangerId} afgesloten: het speelt niet meer (R-31).`;
    case 'score':
      return html`Score ${e.value} van ${SCORE_GROUP_LABEL[e.group].toLowerCase()} voor gevaar ${e.dangerId}, over ${dutchDate(e.observedOn)}${e.late ? html` <span class="badge">${LATE_LABEL}</span>` : ''}.`;
    case 'evidence':
      return html`${EVIDENCE_ITEMS[e.item].label} (${EVIDENCE_ITEMS[e.item].rule}) op ${dutchDate(e.observedOn)}${e.members.length ? `, voor ${e.members.join(', ')}` : ''}${e.visit ? `, ${VISIT_KIND_LABEL[e.visit.kind].toLowerCase()}, door ${VISIT_BY_LABEL[e.visit.by].toLowerCase()}` : ''}${e.imported ? ' (geïmporteerd)' : ''}${e.late ? html` <span class="badge">${LATE_LABEL}</span>` : ''}.`;
    case 'network':
      return html`Netwerklid ${e.memberId} (${e.social ? 'sociaal netwerk' : 'professioneel'})${e.chair ? ', (mede)voorzitter' : ''}${e.safetyPersonFor.length ? `, veiligheidspersoon voor ${e.safetyPersonFor.join(', ')}` : ''} (R-11).`;
    case 'huisverbod':
      if (e.step === 'beëindigd') return html`Huisverbod beëindigd op ${dutchDate(e.endDate)} (R-25).`;
      return e.step === 'opgelegd'
        ? html`Huisverbod tot ${dutchDate(e.endDate)}${e.guidedBy ? html`, begeleid door ${name(e.guidedBy.professionalId, e.guidedBy.organisation)}` : ''} (R-25).`
        : html`Huisverbod verlengd tot ${dutchDate(e.endDate)} (R-25).`;
    case 'escalation':
      return html`Escalatie niveau ${e.level} (${e.rule}): ${inText(e.reason)}`;
    case 'acknowledgement':
      return html`Escalatie op niveau ${e.level} bevestigd, met een plan (R-62).`;
    case 'override':
      return html`Van ${PHASE_LABEL[e.from]} naar ${PHASE_LABEL[e.to]} ondanks ${e.unmet.join(', ')} (R-62).`;
    case 'override_review':
      return html`De coördinator beoordeelde de afwijking: ${e.decision === 'akkoord' ? 'akkoord' : 'niet akkoord'} (R-62).`;
    case 'decision':
      return html`Besluit van de coördinator na escalatie niveau 3 (${e.rule}).`;
    case 'plan':
      return html`${PLAN_KIND_LABEL[e.planKind]}, versie ${e.version}: ${e.step === 'versie' ? 'vastgelegd' : e.step === 'onderschreven' ? 'onderschreven door huishouden en netwerk (R-15)' : 'goedgekeurd door de jeugdbeschermer (R-65)'}.`;
    case 'warning':
      return html`Let op (${e.rule}): ${e.message}`;
    case 'closed':
      return html`Traject afgesloten.`;
  }
}

export function logbookPages(ctx: PageContext, deps: LogbookPageDeps): void {
  page(
    ctx,
    {
      method: 'get',
      path: '/households/:id/logboek',
      reader: 'session',
      params: z.object({ id: HouseholdId }),
      notFound: 'Dit huishouden bestaat niet.',
      query: Query,
      audit: true,
    },
    async ({ params, query, householdIds }) => {
      const view = await householdIds(params.id);
      const shown = logbookPage(logbook(view.state, deps.policy), query.value?.pagina ?? 1);
      // Only the texts of this page are opened (a five-year household holds hundreds).
      const refs = shown.events.flatMap((e) => e.texts).filter(isTextRef);
      const texts = refs.length ? await ctx.households.openTexts(params.id, refs) : new Map<string, string>();
      const text = (t: string) => (isTextRef(t) ? (texts.get(t) ?? '') : t);
      const name = (id: string, org?: string) =>
        id === 'import' ? 'geïmporteerd' : id === 'coordinator' ? deps.names.coordinator() : deps.names.professional(id, org);
      const org = (id: string) => deps.names.organisation(id);
      const link = (p: number) => `${DASHBOARD}/households/${params.id}/logboek${p > 1 ? `?pagina=${p}` : ''}`;
      const nav = html`<nav class="pager" aria-label="Pagina's van het logboek">${shown.page > 1 ? html`<a href="${link(shown.page - 1)}">← Nieuwer</a>` : ''} <span>Pagina ${shown.page} van ${shown.pages}</span> ${shown.page < shown.pages ? html`<a href="${link(shown.page + 1)}">Ouder →</a>` : ''}</nav>`;
      return {
        title: `Logboek ${params.id}`,
        body: html`<p><a href="${DASHBOARD}/households/${params.id}">← Naar het huishouden</a></p>
<h1>Logboek van huishouden ${params.id}</h1>
<p class="lead">Alles wat er in dit traject gebeurde, het nieuwste eerst: ${shown.total} ${shown.total === 1 ? 'gebeurtenis' : 'gebeurtenissen'}. Wat later is ingevoerd dan het gebeurde, staat gemarkeerd als <em>${LATE_LABEL}</em>.</p>
${nav}
<ol class="logbook">${shown.events.map((e) => {
          const shownTexts = e.texts.map(text).filter((t) => t.length > 0);
          return html`<li class="logbook-entry" data-kind="${e.kind}"><p class="muted"><time datetime="${e.at}">${e.day ? dutchDate(e.at.slice(0, 10)) : formatDutch(e.at)}</time>${e.by ? html` · ${name(e.by)}` : ''}</p>
<p>${what(e, name, org, (t) => deps.names.inText(t))}</p>${shownTexts.map((t) => html`<blockquote>${t}</blockquote>`)}</li>`;
        })}</ol>
${nav}`,
      };
    },
  );
}
