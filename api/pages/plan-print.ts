/**
 * The printable safety plan (issue 21): for each version a Dutch page with a print stylesheet and
 * the same as a PDF (api/pages/plan-pdf.ts), the child's version in plain words (Woord en Beeld,
 * R-37) and a comparison of two versions. Only readers of an involved organisation (R-64, the same
 * check as the household page), every answer audited, and nothing stored: each document is made
 * from the encrypted version on request.
 *
 *   /dashboard/households/:id/veiligheidsplan                       plans, versions, log links
 *   /dashboard/households/:id/veiligheidsplan/:planId/:version      the plan to print
 *   /dashboard/households/:id/veiligheidsplan/:planId/:version/pdf  the same as a PDF
 *   /dashboard/households/:id/veiligheidsplan/:planId/:version/kind the child's version
 *   /dashboard/households/:id/veiligheidsplan/:planId/vergelijk?van=&tot=  what changed
 */
import { z } from 'zod';
import { comparePlanVersions } from '../../domain/plan-document';
import { Ref } from '../../domain/schemas/model';
import { PLAN_KIND_LABEL, planInForce, planLogOf, plansOf, type PlanFacts, type PlanVersionInput } from '../../domain/safety-plan';
import { addDays, amsterdamDay, dutchDate, dutchMonthName } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import type { DirectoryNames } from '../../platform/directory';
import { html, type SafeHtml } from '../../platform/html';
import { ApiError } from '../errors';
import { HouseholdId } from '../ids';
import { notice } from './frame';
import { memberName } from './vocabulary';
import { planPdf } from './plan-pdf';
import { DASHBOARD, page, type PageContext } from './page';
import type { KeyCaller } from './readers';

/** One plan version as a document: every text opened, every person by their ref, approval by name. */
export interface PlanDocument {
  title: string;
  subtitle: string;
  dangers: {
    dangerId: string;
    statement: string;
    safetyGoal: string;
    whenItGoesWrong: string;
    agreements: { id: string; what: string; who: string; when: string; monitorBy: string; everyDays: number; informs: string }[];
  }[];
  children: { member: string; safetyPerson: string; safeObject?: string; woordEnBeeld?: string }[];
  network: { memberId: string; role: string }[];
  owner?: string;
  endorsement: string;
  approval: string;
}

export function planDocument(view: HouseholdView, facts: PlanFacts, v: PlanVersionInput, names: DirectoryNames): PlanDocument {
  const danger = (id: string) => view.state.dangers.find((d) => d.id === id);
  const gi = view.state.jeugdbeschermer;
  return {
    title: `${PLAN_KIND_LABEL[facts.kind]}, versie ${facts.version}`,
    subtitle: `Huishouden ${view.state.householdId} · vastgelegd op ${dutchDate(facts.createdAt.slice(0, 10))} door ${names.professional(facts.createdBy)}`,
    dangers: v.dangers.map((d) => ({
      dangerId: d.dangerId,
      statement: danger(d.dangerId)?.statement ?? d.dangerId,
      safetyGoal: danger(d.dangerId)?.safetyGoal ?? '–',
      whenItGoesWrong: d.whenItGoesWrong,
      agreements: d.agreements.map((a) => ({
        id: a.id,
        what: a.what,
        who: a.who.join(', '),
        when: a.when,
        monitorBy: a.monitoring.by,
        everyDays: a.monitoring.everyDays,
        informs: a.monitoring.informs.join(', '),
      })),
    })),
    // A child by first name where the intake gave one (issue 20), the pseudonym beside it.
    children: v.children.map((c) => ({
      ...c,
      member: memberName(view.state.members.find((m) => m.ref === c.member) ?? { ref: c.member }),
    })),
    network: v.network,
    owner: v.owner,
    endorsement: facts.endorsedOn
      ? `door huishouden en netwerk onderschreven in het overleg van ${dutchDate(facts.endorsedOn)}`
      : 'nog niet onderschreven door huishouden en netwerk',
    approval: facts.approval
      ? `goedgekeurd door ${names.professional(facts.approval.by)} op ${dutchDate(facts.approval.on)} (R-65)`
      : gi
        ? 'nog niet goedgekeurd door de jeugdbeschermer (R-65)'
        : 'geen goedkeuring nodig: er is geen gecertificeerde instelling betrokken',
  };
}

export function planPath(householdId: string, planId?: string, version?: number): string {
  const base = `${DASHBOARD}/households/${encodeURIComponent(householdId)}/veiligheidsplan`;
  if (!planId) return base;
  return version === undefined ? `${base}/${encodeURIComponent(planId)}` : `${base}/${encodeURIComponent(planId)}/${version}`;
}

function planPage(d: PlanDocument, householdId: string, facts: PlanFacts): SafeHtml {
  const pdf = `${planPath(householdId, facts.planId, facts.version)}/pdf`;
  return html`<article class="plan-doc">
<p class="no-print"><a class="back" href="${planPath(householdId)}">Terug naar de plannen</a> · <a href="${pdf}">Download als PDF</a> · <a href="${planPath(householdId, facts.planId, facts.version)}/kind">Versie voor het kind</a></p>
<h1>${d.title}</h1>
<p class="muted">${d.subtitle}</p>
<section aria-labelledby="gevaren"><h2 id="gevaren">Gevaren, doelen en afspraken <span class="rule">R-15</span> <span class="rule">R-31</span></h2>
${d.dangers.map(
  (danger) => html`<section class="plan-danger" aria-label="Gevaar ${danger.dangerId}">
<h3>Gevaar: ${danger.statement}</h3>
<p><strong>Veiligheidsdoel:</strong> ${danger.safetyGoal}</p>
<table class="plan-table"><caption>Afspraken bij dit gevaar</caption>
<thead><tr><th scope="col">Afspraak</th><th scope="col">Wie</th><th scope="col">Wanneer</th><th scope="col">Wie controleert</th><th scope="col">Wie wordt ingelicht</th></tr></thead>
<tbody>${danger.agreements.map(
    (a) =>
      html`<tr data-agreement="${a.id}"><td>${a.what}</td><td>${a.who}</td><td>${a.when}</td><td>${a.monitorBy}, elke ${a.everyDays} dagen</td><td>${a.informs}</td></tr>`,
  )}</tbody></table>
<p><strong>Als het dreigt mis te gaan:</strong> ${danger.whenItGoesWrong}</p>
</section>`,
)}
</section>
<section aria-labelledby="kinderen"><h2 id="kinderen">Kinderen: veiligheidspersoon en veilig voorwerp <span class="rule">R-16</span> <span class="rule">R-42</span></h2>
${
  d.children.length === 0
    ? html`<p class="empty">Geen kinderen in dit plan.</p>`
    : html`<dl class="plan-list">${d.children.map(
        (c) =>
          html`<dt>${c.member}</dt><dd>Veiligheidspersoon: ${c.safetyPerson}. Veilig voorwerp: ${c.safeObject || '–'}.${c.woordEnBeeld ? html` Woord en Beeld: ${c.woordEnBeeld}` : ''}</dd>`,
      )}</dl>`
}
</section>
<section aria-labelledby="netwerk"><h2 id="netwerk">Netwerk en rollen <span class="rule">R-41</span></h2>
${d.network.length === 0 ? html`<p class="empty">Geen netwerkleden in dit plan.</p>` : html`<dl class="plan-list">${d.network.map((n) => html`<dt>${n.memberId}</dt><dd>${n.role}</dd>`)}</dl>`}
${d.owner ? html`<p><strong>Eigenaar van het plan:</strong> ${d.owner}</p>` : ''}
</section>
<section aria-labelledby="akkoord"><h2 id="akkoord">Onderschreven en goedgekeurd <span class="rule">R-15</span> <span class="rule">R-65</span></h2>
<p>Onderschreven: ${d.endorsement}.</p>
<p>Goedkeuring: ${d.approval}.</p>
</section>
</article>`;
}

function childPage(d: PlanDocument, householdId: string, facts: PlanFacts): SafeHtml {
  return html`<article class="plan-doc plan-child">
<p class="no-print"><a class="back" href="${planPath(householdId, facts.planId, facts.version)}">Terug naar het plan</a></p>
<h1>Mijn veiligheidsplan</h1>
<p class="muted">Woord en Beeld, bij ${d.title.toLowerCase()} <span class="rule">R-37</span></p>
${
  d.children.length === 0
    ? notice('info', 'In deze versie staat nog geen kind.')
    : d.children.map(
        (c) => html`<section class="card plan-child-card" aria-labelledby="kind-${c.member}">
<h2 id="kind-${c.member}">Voor ${c.member}</h2>
<p class="plan-words">${c.woordEnBeeld || 'De woorden voor jou schrijven we samen nog op.'}</p>
<p><strong>Als je je niet veilig voelt, ga je naar:</strong> ${c.safetyPerson}</p>
<p><strong>Jouw veilige voorwerp:</strong> ${c.safeObject || 'dat kies je nog samen'}</p>
</section>`,
      )
}
</article>`;
}

const CHANGE_LABEL = { toegevoegd: 'Toegevoegd', vervallen: 'Vervallen', gewijzigd: 'Gewijzigd' } as const;

function comparePage(householdId: string, planId: string, from: number, to: number, a: PlanVersionInput, b: PlanVersionInput): SafeHtml {
  const changes = comparePlanVersions(a, b);
  return html`<article class="plan-doc">
<p class="no-print"><a class="back" href="${planPath(householdId)}">Terug naar de plannen</a></p>
<h1>Wat veranderde van versie ${from} naar versie ${to}</h1>
<p class="muted">Plan ${planId} van huishouden ${householdId}</p>
${
  changes.length === 0
    ? html`<p class="empty">Geen verschillen.</p>`
    : html`<table class="plan-table"><caption>Verschillen tussen versie ${from} en ${to}</caption>
<thead><tr><th scope="col">Wat</th><th scope="col">Onderdeel</th><th scope="col">Versie ${from}</th><th scope="col">Versie ${to}</th></tr></thead>
<tbody>${changes.map(
        (c) =>
          html`<tr class="change-${c.kind}"><td>${CHANGE_LABEL[c.kind]} <span class="rule">${c.rule}</span></td><td>${c.subject}${c.field ? html`: ${c.field}` : ''}</td><td>${c.before ?? '–'}</td><td>${c.after ?? '–'}</td></tr>`,
      )}</tbody></table>`
}
</article>`;
}

export interface PlanPrintDeps {
  names: DirectoryNames;
  /** The log-link section of the plans page (api/pages/log-links.ts). */
  logLinks: (reader: KeyCaller, view: HouseholdView) => Promise<SafeHtml>;
}

const Version = z
  .string()
  .regex(/^[1-9][0-9]{0,3}$/)
  .transform(Number);
const VersionParams = z.object({ id: HouseholdId, planId: Ref, version: Version });
const CompareQuery = z.object({ van: Version, tot: Version });

/**
 * Issue 21 (R-16, R-20): the log beside each agreement of the plan in force: who checks and how
 * often, the last entry, when the next is due, and the months something went wrong.
 */
async function agreementsAndLog(ctx: PageContext, view: HouseholdView): Promise<SafeHtml> {
  const s = view.state;
  const plan = planInForce(s, plansOf(s));
  if (!plan) return html``;
  const body = await ctx.households.planVersion(s.householdId, plan.planId, plan.version);
  const what = new Map(body?.dangers.flatMap((d) => d.agreements.map((a) => [a.id, a.what] as const)) ?? []);
  const log = planLogOf(s);
  const today = amsterdamDay(new Date(view.asOf));
  return html`<section class="card" aria-labelledby="afspraken-logboek"><h2 id="afspraken-logboek">Afspraken en het logboek <span class="rule">R-20</span></h2>
<p class="hint">${PLAN_KIND_LABEL[plan.kind]}, versie ${plan.version}${plan.endorsedOn ? `, onderschreven op ${dutchDate(plan.endorsedOn)}` : ', nog niet onderschreven'}.</p>
<div class="table-wrap"><table><thead><tr><th scope="col">Afspraak</th><th scope="col">Wie controleert</th><th scope="col">Laatste regel in het logboek</th><th scope="col">Volgende controle</th><th scope="col">Misgegaan in</th></tr></thead>
<tbody>${plan.agreements.map((a) => {
    const l = log[a.id];
    const from = [l?.last, plan.endorsedOn]
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1);
    const next = from ? addDays(from, a.everyDays) : undefined;
    return html`<tr data-agreement="${a.id}"><td>${what.get(a.id) ?? a.id}</td><td>${a.monitorBy}, elke ${a.everyDays} dagen</td><td>${l ? dutchDate(l.last) : 'nog geen'}</td><td>${next ? html`${dutchDate(next)}${next < today ? html` <span class="badge flag-on">te laat</span>` : ''}` : '–'}</td><td>${l?.wrongMonths.length ? l.wrongMonths.map(dutchMonthName).join(', ') : '–'}</td></tr>`;
  })}</tbody></table></div></section>`;
}

export function planPrintPages(ctx: PageContext, deps: PlanPrintDeps): void {
  const notKept = () => new ApiError(404, 'route_not_found', 'Deze versie van het plan is er niet (meer) als document.');

  async function version(view: HouseholdView, planId: string, n: number): Promise<{ facts: PlanFacts; body: PlanVersionInput }> {
    const facts = plansOf(view.state).find((p) => p.planId === planId && p.version === n);
    const body = await ctx.households.planVersion(view.state.householdId, planId, n);
    if (!body) throw notKept();
    // Versions older than the workflow keeps have no facts left: the version's own kind and no endorsement.
    return { facts: facts ?? { planId, kind: body.kind, version: n, createdAt: '', createdBy: '', agreements: [], children: [] }, body };
  }

  page(
    ctx,
    { method: 'get', path: '/households/:id/veiligheidsplan', reader: 'session', params: z.object({ id: HouseholdId }), audit: true },
    async ({ reader, params, household }) => {
      const view = await household(params.id);
      const plans = plansOf(view.state);
      const ids = [...new Set(plans.map((p) => p.planId))];
      const rows = await Promise.all(
        ids.map(async (planId) => {
          const kept = await ctx.households.planVersions(params.id, planId);
          const kind = plans.find((p) => p.planId === planId)!.kind;
          return html`<section class="card" aria-labelledby="plan-${planId}"><h2 id="plan-${planId}">${PLAN_KIND_LABEL[kind]} (${planId})</h2>
<ul class="plain">${kept.map(
            (n, i) =>
              html`<li>Versie ${n}: <a href="${planPath(params.id, planId, n)}">plan afdrukken</a> · <a href="${planPath(params.id, planId, n)}/pdf">PDF</a> · <a href="${planPath(params.id, planId, n)}/kind">versie voor het kind</a>${
                i > 0
                  ? html` · <a href="${planPath(params.id, planId)}/vergelijk?van=${kept[i - 1]!}&amp;tot=${n}">vergelijk met versie ${kept[i - 1]!}</a>`
                  : ''
              }</li>`,
          )}</ul></section>`;
        }),
      );
      return {
        title: `Veiligheidsplan ${params.id}`,
        body: html`<p><a class="back" href="${DASHBOARD}/households/${encodeURIComponent(params.id)}">Terug naar het huishouden</a></p>
<h1>Veiligheidsplan en logboek</h1>
${await agreementsAndLog(ctx, view)}
${ids.length === 0 ? html`<p class="empty">Nog geen veiligheidsplan vastgelegd (R-15).</p>` : rows}
${await deps.logLinks(reader, view)}`,
      };
    },
  );

  page(
    ctx,
    {
      method: 'get',
      path: '/households/:id/veiligheidsplan/:planId/vergelijk',
      reader: 'session',
      params: z.object({ id: HouseholdId, planId: Ref }),
      query: CompareQuery,
      audit: true,
    },
    async ({ params, household, query }) => {
      const view = await household(params.id);
      if (!query.value) throw new ApiError(400, 'validation_failed', 'Kies twee versies om te vergelijken: ?van=1&tot=2.');
      const a = await version(view, params.planId, query.value.van);
      const b = await version(view, params.planId, query.value.tot);
      return {
        title: `Plan ${params.planId}: versies vergelijken`,
        body: comparePage(params.id, params.planId, query.value.van, query.value.tot, a.body, b.body),
      };
    },
  );

  page(
    ctx,
    { method: 'get', path: '/households/:id/veiligheidsplan/:planId/:version', reader: 'session', params: VersionParams, audit: true },
    async ({ params, household }) => {
      const view = await household(params.id);
      const { facts, body } = await version(view, params.planId, params.version);
      const d = planDocument(view, facts, body, deps.names);
      return { title: d.title, body: planPage(d, params.id, facts) };
    },
  );

  page(
    ctx,
    { method: 'get', path: '/households/:id/veiligheidsplan/:planId/:version/kind', reader: 'session', params: VersionParams, audit: true },
    async ({ params, household }) => {
      const view = await household(params.id);
      const { facts, body } = await version(view, params.planId, params.version);
      return { title: 'Mijn veiligheidsplan', body: childPage(planDocument(view, facts, body, deps.names), params.id, facts) };
    },
  );

  page(
    ctx,
    { method: 'get', path: '/households/:id/veiligheidsplan/:planId/:version/pdf', reader: 'session', params: VersionParams, audit: true },
    async ({ params, household }) => {
      const view = await household(params.id);
      const { facts, body } = await version(view, params.planId, params.version);
      const pdf = await planPdf(planDocument(view, facts, body, deps.names));
      return {
        file: {
          contentType: 'application/pdf',
          headers: { 'Content-Disposition': `inline; filename="veiligheidsplan-${params.planId}-v${params.version}.pdf"` },
          body: pdf,
        },
      };
    },
  );
}
