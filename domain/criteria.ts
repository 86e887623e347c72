/**
 * Exit criteria per phase: one function per R-rule (ROUTEKAART.md section 3). Each returns null
 * when the rule holds, or a Dutch explanation a professional understands. `unmetCriteria` lists
 * the unmet ones for the current phase; a phase transition needs that list to be empty, or an
 * override with a written justification.
 */
import { EVIDENCE_ITEMS, type EvidenceItem } from './evidence-items';
import { ROLE_LABEL, SCORE_GROUPS, type HouseholdMember, type HouseholdState, type Phase } from './model';
import { METHOD, type Policy } from './policy';
import { consensusRun, latestScores, riskRun } from './scores';
import {
  activeSocialNetwork,
  children,
  childrenWithoutSafetyPerson,
  hasNetworkChair,
  huisverbodHandoverDone,
  membersWithout,
  openHandovers,
  protectedMembers,
} from './selectors';
import {
  agreementsHeld,
  agreementsObserved,
  childrenWithoutSafetyPersonInPlan,
  currentPlan,
  planInForce,
  planLogOf,
  plansOf,
  type PlanKind,
} from './safety-plan';
import { addMonthsToDate, amsterdamDay, count, monthOf, monthsBetween } from './time';

export interface Unmet {
  rule: string;
  message: string;
}

interface Ctx {
  s: HouseholdState;
  today: string;
  policy: Policy;
}
type Criterion = { rule: string; check: (c: Ctx) => string | null };

/** Evidence counts when recorded; a safety plan only with the jeugdbeschermer's approval when a GI is involved. */
export function hasEvidence(s: HouseholdState, item: EvidenceItem, since?: string): boolean {
  return s.evidence.some(
    (e) => e.item === item && (since === undefined || e.date >= since) && !(s.jeugdbeschermer && isSafetyPlan(item) && !e.giApproval),
  );
}

export function isSafetyPlan(item: EvidenceItem): boolean {
  return item === 'direct_veiligheidsplan' || item === 'stabiel_veiligheidsplan';
}

function need(item: EvidenceItem, since?: string): (c: Ctx) => string | null {
  return ({ s }) => {
    if (hasEvidence(s, item, since)) return null;
    if (s.jeugdbeschermer && isSafetyPlan(item) && s.evidence.some((e) => e.item === item))
      return `${EVIDENCE_ITEMS[item].label}: goedkeuring van de jeugdbeschermer ontbreekt (R-65).`;
    return `${EVIDENCE_ITEMS[item].label}: nog niet vastgelegd.`;
  };
}

/**
 * Issue 21: the plan itself satisfies a rule; the old evidence item still does too, as dated
 * evidence (what imports bring from before Routekaart kept plans as data).
 */
function planOr(holds: (c: Ctx) => boolean, fallback: (c: Ctx) => string | null): (c: Ctx) => string | null {
  return (c) => (holds(c) ? null : fallback(c));
}

/** R-15 / R-35 (approved where R-65 applies): an endorsed version of this kind counts. */
function planCounts(kind: PlanKind): (c: Ctx) => boolean {
  return ({ s }) => currentPlan(s, plansOf(s), kind) !== undefined;
}

/** every child (or protected person) needs its own record. */
function perMember(s: HouseholdState, item: EvidenceItem, eligible: HouseholdMember[], missing: string): string | null {
  const without = membersWithout(s, item, eligible);
  return without.length === 0 ? null : `${missing}: ${without.map((m) => m.ref).join(', ')} (${EVIDENCE_ITEMS[item].label}).`;
}

function phaseStartDate(s: HouseholdState): string {
  return amsterdamDay(new Date(s.phaseStartedAt));
}

function dangersMissing(s: HouseholdState): string | null {
  return s.dangers.length === 0 ? 'Er is nog geen gevaarsomschrijving met veiligheidsdoel vastgelegd.' : null;
}

/** every danger's run must be long enough. */
function runsTooShort(
  s: HouseholdState,
  run: (dangerId: string) => number,
  needed: number,
  unit: [string, string],
  what: string,
): string | null {
  if (s.dangers.length === 0) return 'Nog geen gevaarsomschrijving om te scoren.';
  const short = s.dangers.map((d) => ({ id: d.id, run: run(d.id) })).filter((x) => x.run < needed);
  return short.length === 0 ? null : short.map((x) => `Gevaar ${x.id}: ${x.run} van ${count(needed, ...unit)} ${what}.`).join(' ');
}

const openHandover: Criterion = {
  rule: 'R-24',
  check: ({ s }) => {
    const open = openHandovers(s);
    return open.length === 0
      ? null
      : `Er loopt nog een overdracht (${open.map((h) => ROLE_LABEL[h.role]).join(', ')}): de nieuwe professional heeft de start nog niet bevestigd.`;
  },
};

const COORDINATION: Criterion[] = [
  {
    rule: 'R-02',
    check: ({ s }) => (s.roles.eigenaar_veiligheid ? null : 'Er is nog geen professional die fase Veiligheid uitvoert (eigenaar).'),
  },
  {
    rule: 'R-04',
    check: ({ s }) =>
      s.localTeamOrGi && !s.roles.casusregisseur
        ? 'Lokaal team of GI is betrokken: zij voeren vanaf de start de casusregie; wijs de casusregisseur toe.'
        : null,
  },
];

const SAFETY: Criterion[] = [
  { rule: 'R-10', check: need('genogram') },
  { rule: 'R-11', check: need('netwerkkaart') },
  { rule: 'R-12', check: (c) => dangersMissing(c.s) ?? need('drie_kolommen_analyse')(c) },
  { rule: 'R-13', check: ({ s }) => perMember(s, 'kindgesprek', protectedMembers(s), 'Nog niet gesproken') },
  { rule: 'R-14', check: need('randvoorwaarden') },
  { rule: 'R-15', check: planOr(planCounts('direct'), need('direct_veiligheidsplan')) },
  {
    rule: 'R-16',
    check: (c) => {
      const log = need('veiligheidslogboek')(c);
      if (log) return log;
      const without = childrenWithoutSafetyPerson(c.s);
      if (without.length > 0) return `Nog geen veiligheidspersoon voor: ${without.map((k) => k.ref).join(', ')}.`;
      return perMember(c.s, 'veilig_voorwerp', children(c.s), 'Nog geen veilig voorwerp voor');
    },
  },
  {
    rule: 'R-17',
    check: ({ s }) => {
      const missing = s.dangers.flatMap((d) =>
        SCORE_GROUPS.filter((g) => !s.scores.some((x) => x.dangerId === d.id && x.group === g)).map((g) => `${d.id}/${g}`),
      );
      if (s.dangers.length === 0) return 'Nog geen gevaarsomschrijving om te scoren.';
      return missing.length ? `Nog niet gescoord door: ${missing.join(', ')}.` : null;
    },
  },
  {
    rule: 'R-18',
    check: ({ s }) => {
      if (s.dangers.length === 0) return 'Nog geen gevaarsomschrijving om te scoren.';
      const done = s.evidence
        .filter((e) => e.item === 'direct_plan_uitgevoerd')
        .map((e) => e.date)
        .sort()[0];
      for (const d of s.dangers) {
        const latest = latestScores(s.scores, d.id);
        for (const g of SCORE_GROUPS) {
          const l = latest[g];
          if (!l) return `Gevaar ${d.id}: geen score van ${g}.`;
          if (l.value < METHOD.safeScore)
            return `Gevaar ${d.id}: laatste score van ${g} is ${l.value}, minimaal ${METHOD.safeScore} nodig.`;
          if (!done || done > l.date)
            return `Gevaar ${d.id}: de scores moeten gegeven zijn nadat het directe veiligheidsplan is uitgevoerd en gemonitord.`;
        }
      }
      return null;
    },
  },
  { rule: 'R-19', check: (c) => need('geen_nieuw_geweld', phaseStartDate(c.s))(c) },
  {
    rule: 'R-20',
    check: planOr(({ s }) => agreementsObserved(s, plansOf(s), planLogOf(s)), need('logboek_observaties')),
  },
  { rule: 'R-21', check: need('rollen_bekend') },
  {
    rule: 'R-22',
    check: (c) => {
      const missing = (['veiligheidsplanner', 'casusregisseur'] as const).filter((r) => !c.s.roles[r]);
      if (missing.length) return `Nog niet geregeld wie verder gaat: ${missing.map((r) => ROLE_LABEL[r]).join(' en ')}.`;
      return c.s.roles.veilig_thuis ? need('vt_monitoring_afgesproken')(c) : null;
    },
  },
  { rule: 'R-23', check: need('overeenstemming_professionals') },
  openHandover,
  {
    rule: 'R-25',
    check: ({ s }) =>
      s.huisverbod && !huisverbodHandoverDone(s)
        ? 'Bij een huisverbod is altijd een overdracht nodig naar de veiligheidsplanner, met het huishouden erbij.'
        : null,
  },
];

const RISK: Criterion[] = [
  { rule: 'R-30', check: need('analyse_herzien_giz') },
  {
    rule: 'R-31',
    check: ({ s }) => dangersMissing(s),
  },
  { rule: 'R-33', check: (c) => need('genogram_tijdlijn')(c) ?? need('veerkracht_kalender')(c) },
  { rule: 'R-34', check: planOr(planCounts('stabiel'), need('traject')) },
  { rule: 'R-35', check: planOr(planCounts('stabiel'), need('stabiel_veiligheidsplan')) },
  { rule: 'R-36', check: (c) => need('netwerkberaad', phaseStartDate(c.s))(c) },
  { rule: 'R-37', check: ({ s }) => perMember(s, 'woord_en_beeld', children(s), 'Nog geen Woord en Beeld voor') },
  { rule: 'R-38', check: (c) => need('stresstest', phaseStartDate(c.s))(c) },
  {
    rule: 'R-39',
    check: ({ s, today, policy }) =>
      runsTooShort(
        s,
        (id) => riskRun(s.scores, id, today),
        policy.riskRunMonths,
        ['maand', 'maanden'],
        `op rij een ${METHOD.safeScore} of hoger van alle drie groepen`,
      ),
  },
  {
    rule: 'R-40',
    check: ({ s, today }) => {
      // R-40 from the log: every agreement of the stable plan observed, nothing wrong, for the method's half year.
      const held = agreementsHeld(s, plansOf(s), planLogOf(s), today, METHOD.agreementsMonths);
      const firstPlan = s.evidence
        .filter((e) => e.item === 'direct_veiligheidsplan' || e.item === 'stabiel_veiligheidsplan')
        .map((e) => e.date)
        .sort()[0];
      if (!held && (!firstPlan || addMonthsToDate(firstPlan, METHOD.agreementsMonths) > today))
        return 'De afspraken zijn nog geen half jaar uitgevoerd, bijgesteld en gemonitord.';
      if (!hasEvidence(s, 'geen_nieuw_geweld', phaseStartDate(s)))
        return 'Het netwerk heeft in deze fase nog niet bevestigd dat er geen geweld meer is.';
      return null;
    },
  },
  {
    rule: 'R-41',
    check: ({ s }) => (hasNetworkChair(s) ? null : 'Nog geen netwerklid dat het netwerkberaad (mede) voorzit.'),
  },
  {
    rule: 'R-42',
    check: (c) => {
      // With a plan in force, the plan names each child's safety person; before it, the network does.
      const without = planInForce(c.s, plansOf(c.s))
        ? childrenWithoutSafetyPersonInPlan(c.s, plansOf(c.s)).map((ref) => ({ ref }))
        : childrenWithoutSafetyPerson(c.s);
      if (without.length) return `Nog geen veiligheidspersoon voor: ${without.map((k) => k.ref).join(', ')}.`;
      return need('herstelbehoeften_bekend')(c);
    },
  },
  {
    rule: 'R-43',
    check: (c) =>
      c.s.roles.gedragswetenschapper ? need('afspraken_herstelfase')(c) : 'Nog geen gedragswetenschapper met eindverantwoordelijkheid.',
  },
  openHandover,
];

const RECOVERY: Criterion[] = [
  {
    rule: 'R-44',
    check: planOr(({ s }) => {
      const herstel = currentPlan(s, plansOf(s), 'herstel');
      return herstel?.linkedPlanId !== undefined && plansOf(s).some((p) => p.planId === herstel.linkedPlanId);
    }, need('herstelplan')),
  },
  {
    rule: 'R-45',
    check: (c) => (c.s.roles.herstelbehandelaar ? need('herstelbehandelaar_geinformeerd')(c) : 'Nog geen herstelbehandelaar toegewezen.'),
  },
  {
    rule: 'R-46',
    check: ({ s, today, policy }) =>
      runsTooShort(
        s,
        (id) => consensusRun(s.scores, id, today),
        policy.stableSafetyEvaluations,
        ['evaluatie', 'evaluaties'],
        `op rij een ${METHOD.stableScore} of hoger van iedereen`,
      ),
  },
  {
    rule: 'R-47',
    check: (c) => {
      const missing = need('behandeldoelen_bereikt')(c) ?? need('herstelplan_afgerond')(c);
      if (missing) return missing;
      if (!hasNetworkChair(c.s)) return 'Geen netwerklid meer dat het veiligheidsplan beheert.';
      const without = childrenWithoutSafetyPerson(c.s);
      return without.length ? `Geen actieve veiligheidspersoon voor: ${without.map((k) => k.ref).join(', ')}.` : null;
    },
  },
  { rule: 'R-48', check: (c) => need('professionaloverleg', phaseStartDate(c.s))(c) },
  { rule: 'R-49', check: (c) => need('evaluatie_netwerkvoorzitter', phaseStartDate(c.s))(c) },
  {
    rule: 'R-51',
    check: ({ s, policy }) => {
      const active = activeSocialNetwork(s);
      return active >= policy.minimumActiveSocialNetwork
        ? null
        : `${active} niet-professionele betrokkenen actief; regionale norm is minimaal ${policy.minimumActiveSocialNetwork}.`;
    },
  },
  {
    rule: 'R-52',
    check: ({ s, today, policy }) => {
      const start = amsterdamDay(new Date(s.startedAt));
      if (addMonthsToDate(start, policy.minimumTrajectoryMonths) <= today) return null;
      const months = Math.max(0, monthsBetween(monthOf(start), monthOf(today)));
      return `Het traject loopt ${count(months, 'maand', 'maanden')}; eerder afsluiten dan na ${count(policy.minimumTrajectoryMonths, 'maand', 'maanden')} vraagt een onderbouwing van de casusregisseur.`;
    },
  },
  openHandover,
];

const CRITERIA: Record<Exclude<Phase, 'afgesloten'>, Criterion[]> = {
  afstemming: COORDINATION,
  veiligheid: SAFETY,
  risicogestuurd: RISK,
  herstel: RECOVERY,
};

/** The unmet exit criteria of the current phase, each with its rule id (empty: the phase may end). */
export function unmetCriteria(s: HouseholdState, now: Date, policy: Policy): Unmet[] {
  if (s.phase === 'afgesloten') return [];
  const ctx: Ctx = { s, today: amsterdamDay(now), policy };
  const out: Unmet[] = [];
  for (const c of CRITERIA[s.phase]) {
    const message = c.check(ctx);
    if (message) out.push({ rule: c.rule, message });
  }
  return out;
}

/** The rule ids checked at the end of each phase, for documentation and the dashboard. */
export const PHASE_RULES: Record<Exclude<Phase, 'afgesloten'>, string[]> = Object.fromEntries(
  Object.entries(CRITERIA).map(([p, list]) => [p, list.map((c) => c.rule)]),
) as Record<Exclude<Phase, 'afgesloten'>, string[]>;
