/**
 * Commands on the family's own safety plan and safety log (issue 21). They are safety commands:
 * never refused for the household's size, because each bounds its own growth (one plan per kind,
 * the last few versions per plan, log facts per agreement kept to a year of months). The workflow
 * keeps only facts (ids, kinds, dates, who checks how often); the texts arrive as references to
 * texts the API stored encrypted.
 */
import type { CommandBody } from './schemas/commands';
import { isCasusregisseur, notBackdated, notInFuture, refuse, type Ctx } from './command-checks';
import type { Actor, HouseholdState } from './model';
import { nextId } from './state-changes';
import { planFacts, planLogOf, planRefusals, plansOf, recordLogEntry, type PlanFacts } from './safety-plan';
import { dutchDate } from './time';

export const PLAN_COMMANDS = ['recordPlanVersion', 'endorsePlan', 'approvePlan', 'addLogEntry'] as const;
export type PlanCommand = (typeof PLAN_COMMANDS)[number];

/** Versions kept per plan in the workflow: the one in force and a few before it (the store keeps all). */
export const PLAN_VERSIONS_KEPT = 5;

/** "Misgegaan" entries waiting for the working day at most (one mail each; older ones are in the log). */
const WRONG_PENDING_KEPT = 20;

/** the organisation whose professionals approve safety plans (organisations.json, 'gi'). */
const GI_ORGANISATIONS = ['gi'];

/** whether this professional may approve safety plans at all (the GI's jeugdbeschermer), whatever the household. */
export function approvesPlans(actor: Pick<Actor, 'organisation'>): boolean {
  return GI_ORGANISATIONS.includes(actor.organisation);
}
export const NOT_GI = 'Alleen de jeugdbeschermer van een gecertificeerde instelling (GI) keurt een veiligheidsplan goed.';

type Handler<K extends PlanCommand> = (s: HouseholdState, body: CommandBody<K>, actor: Actor, c: Ctx) => void;

function version(s: HouseholdState, planId: string, n: number): PlanFacts {
  const found = plansOf(s).find((p) => p.planId === planId && p.version === n);
  if (!found) refuse('R-15', `Plan ${planId} versie ${n} is onbekend (of te oud om nog te wijzigen).`, [], 'version');
  return found;
}

export const planHandlers: { [K in PlanCommand]: Handler<K> } = {
  recordPlanVersion(s, b, actor, c) {
    const { planId: given, ...input } = b;
    const plans = plansOf(s);
    const refusals = planRefusals(s, input, plans);
    if (refusals.length) refuse(refusals[0]!.rule, refusals.map((r) => `${r.field}: ${r.message}`).join(' '), [], refusals[0]!.field);
    let planId = given;
    if (planId === undefined) {
      // one direct and one stable plan; a change is a new version of the same plan.
      const sameKind = plans.find((p) => p.kind === input.kind);
      if (sameKind)
        refuse('R-35', `Er is al een ${input.kind} plan (${sameKind.planId}); leg een nieuwe versie vast met planId.`, [], 'planId');
      planId = nextId(
        s,
        'plan-',
        plans.map((p) => p.planId),
      );
    } else {
      const existing = plans.filter((p) => p.planId === planId);
      if (!existing.length) refuse('R-15', `Plan ${planId} is onbekend.`, [], 'planId');
      if (existing[0]!.kind !== input.kind)
        refuse('R-35', `Plan ${planId} is een ${existing[0]!.kind} plan; de soort blijft gelijk.`, [], 'kind');
    }
    const last = Math.max(0, ...plans.filter((p) => p.planId === planId).map((p) => p.version));
    const others = plans.filter((p) => p.planId !== planId);
    const versions = [...plans.filter((p) => p.planId === planId), planFacts(planId, last + 1, input, c.nowIso, actor.professionalId)];
    s.plans = [...others, ...versions.slice(-PLAN_VERSIONS_KEPT)];
  },
  endorsePlan(s, b, actor, c) {
    // the casusregisseur records that household and network agreed, with the meeting's date.
    if (!isCasusregisseur(s, actor))
      refuse('R-15', 'Alleen de casusregisseur legt vast dat huishouden en netwerk het plan onderschrijven.');
    notInFuture(b.date, c.today, 'De datum van het overleg', 'date');
    notBackdated(s, b.date, 'R-15', 'Het onderschrijven', 'date');
    const plan = version(s, b.planId, b.version);
    if (plan.endorsedOn) refuse('R-15', `Versie ${b.version} is al onderschreven op ${dutchDate(plan.endorsedOn)}.`);
    plan.endorsedOn = b.date;
  },
  approvePlan(s, b, actor, c) {
    if (!approvesPlans(actor)) refuse('R-65', NOT_GI);
    if (!s.jeugdbeschermer) refuse('R-65', 'Bij dit huishouden is geen jeugdbeschermer betrokken; goedkeuring is niet nodig.');
    notInFuture(b.date, c.today, 'De datum van goedkeuring', 'date');
    notBackdated(s, b.date, 'R-65', 'De goedkeuring', 'date');
    const plan = version(s, b.planId, b.version);
    if (plan.approval) refuse('R-65', `Versie ${b.version} is al goedgekeurd op ${dutchDate(plan.approval.on)}.`);
    plan.approval = { by: actor.professionalId, on: b.date };
  },
  addLogEntry(s, b, _actor, c) {
    notInFuture(b.date, c.today, 'De datum van de logboekregel', 'date');
    notBackdated(s, b.date, 'R-16', 'Een logboekregel', 'date');
    if (!plansOf(s).some((p) => p.agreements.some((a) => a.id === b.agreementId)))
      refuse('R-16', `Afspraak ${b.agreementId} staat in geen enkel veiligheidsplan van dit huishouden.`, [], 'agreementId');
    s.planLog = recordLogEntry(planLogOf(s), b.agreementId, b.date, b.outcome);
    // "Misgegaan" reaches the casusregisseur the same working day (workflows/steps.ts); bounded until mailed.
    if (b.outcome === 'misgegaan')
      s.wrongPending = [...(s.wrongPending ?? []), { agreementId: b.agreementId, date: b.date, at: c.nowIso }].slice(-WRONG_PENDING_KEPT);
  },
};
