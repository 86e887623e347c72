/**
 * The family's own safety plan and safety log as data (issue 21): what a plan version must hold,
 * which criteria it satisfies, and when a monitored agreement has gone quiet. Pure rules, shared
 * by the workflow (which keeps only the facts below: ids, kinds, dates, who checks how often) and
 * the API (which validates whole versions with ./schemas/safety-plan; their texts are stored
 * encrypted in our database).
 *
 * - agreements on daily safety, the checks, what to do when it threatens to go wrong.
 * - a safety person from the network for each child, and a safe object.
 * - the direct plan stays in force until an endorsed stable plan replaces it.
 * - the Woord en Beeld text for the child, in plain words.
 * - a member of the social network owns (co-chairs) the plan.
 * - the herstelplan links to the safety plan it builds on.
 * - with a GI involved, a version counts only once the jeugdbeschermer approved it.
 */
import type { HouseholdState } from './model';
import type { PlanVersionInput } from './schemas/safety-plan';
import { addDays, addMonths, monthOf } from './time';

export type { Agreement, PlanVersionInput } from './schemas/safety-plan';

export const PLAN_KINDS = ['direct', 'stabiel', 'herstel'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_KIND_LABEL: Record<PlanKind, string> = {
  direct: 'Direct veiligheidsplan',
  stabiel: 'Stabiel veiligheidsplan',
  herstel: 'Herstelplan',
};

/** How a day went for one agreement, as household and network write it in the log. */
export const LOG_OUTCOMES = ['goed_gegaan', 'bijna_misgegaan', 'misgegaan'] as const;
export type LogOutcome = (typeof LOG_OUTCOMES)[number];

/** What the workflow keeps of a version: no texts, only what criteria and reminders need. */
export interface PlanFacts {
  planId: string;
  kind: PlanKind;
  version: number;
  createdAt: string;
  createdBy: string;
  agreements: { id: string; dangerId: string; monitorBy: string; everyDays: number }[];
  children: { member: string; safetyPerson: string }[];
  owner?: string;
  linkedPlanId?: string;
  /** Household and network agreed, at the meeting of this date (recorded by the casusregisseur). */
  endorsedOn?: string;
  /** the jeugdbeschermer's approval. */
  approval?: { by: string; on: string };
}

/** A household started before issue 21 has neither field: it simply has no plans and no log yet. */
export function plansOf(s: Pick<HouseholdState, 'plans'>): PlanFacts[] {
  return s.plans ?? [];
}
export function planLogOf(s: Pick<HouseholdState, 'planLog'>): LogFacts {
  return s.planLog ?? {};
}

export interface Refusal {
  rule: string;
  field: string;
  message: string;
}

/** Why a version cannot be stored for this household: each refusal names the field and the rule. */
export function planRefusals(s: HouseholdState, input: PlanVersionInput, plans: readonly PlanFacts[]): Refusal[] {
  const refusals: Refusal[] = [];
  const network = new Set(s.network.filter((m) => m.active).map((m) => m.id));
  const social = new Set(s.network.filter((m) => m.active && m.kind === 'sociaal').map((m) => m.id));
  const members = new Set(s.members.map((m) => m.ref));
  const children = new Set(s.members.filter((m) => m.isChild).map((m) => m.ref));
  const dangers = new Set(s.dangers.map((d) => d.id));
  const agreementIds = new Set<string>();
  input.dangers.forEach((d, i) => {
    if (!dangers.has(d.dangerId))
      refusals.push({ rule: 'R-31', field: `dangers.${i}.dangerId`, message: `Gevaar ${d.dangerId} bestaat niet in dit huishouden.` });
    d.agreements.forEach((a, j) => {
      const at = `dangers.${i}.agreements.${j}`;
      if (agreementIds.has(a.id))
        refusals.push({ rule: 'R-15', field: `${at}.id`, message: `Afspraak ${a.id} staat twee keer in het plan.` });
      agreementIds.add(a.id);
      for (const who of a.who)
        if (!members.has(who) && !network.has(who))
          refusals.push({ rule: 'R-15', field: `${at}.who`, message: `${who} hoort niet bij het huishouden of het actieve netwerk.` });
      if (!network.has(a.monitoring.by))
        refusals.push({ rule: 'R-60', field: `${at}.monitoring.by`, message: `Controle door ${a.monitoring.by}: geen actief netwerklid.` });
    });
  });
  input.children.forEach((c, i) => {
    if (!children.has(c.member))
      refusals.push({ rule: 'R-16', field: `children.${i}.member`, message: `${c.member} is geen kind in dit huishouden.` });
    if (!network.has(c.safetyPerson))
      refusals.push({
        rule: 'R-16',
        field: `children.${i}.safetyPerson`,
        message: `Veiligheidspersoon ${c.safetyPerson} is geen actief netwerklid.`,
      });
  });
  input.network.forEach((n, i) => {
    if (!network.has(n.memberId))
      refusals.push({ rule: 'R-41', field: `network.${i}.memberId`, message: `${n.memberId} is geen actief netwerklid.` });
  });
  if (input.owner !== undefined && !social.has(input.owner))
    refusals.push({ rule: 'R-41', field: 'owner', message: 'Eigenaar van het plan is een lid van het sociale netwerk.' });
  if (input.kind === 'herstel' && !plans.some((p) => p.planId === input.linkedPlanId && p.kind !== 'herstel'))
    refusals.push({
      rule: 'R-44',
      field: 'linkedPlanId',
      message: 'Een herstelplan is gekoppeld aan het veiligheidsplan waarop het voortbouwt.',
    });
  return refusals;
}

/** The facts the workflow keeps of a validated version. */
export function planFacts(planId: string, version: number, input: PlanVersionInput, at: string, by: string): PlanFacts {
  return {
    planId,
    kind: input.kind,
    version,
    createdAt: at,
    createdBy: by,
    agreements: input.dangers.flatMap((d) =>
      d.agreements.map((a) => ({ id: a.id, dangerId: d.dangerId, monitorBy: a.monitoring.by, everyDays: a.monitoring.everyDays })),
    ),
    children: input.children.map((c) => ({ member: c.member, safetyPerson: c.safetyPerson })),
    owner: input.owner,
    linkedPlanId: input.linkedPlanId,
  };
}

/** A version counts for the criteria once endorsed, and approved by the jeugdbeschermer where a GI is involved. */
export function counts(s: Pick<HouseholdState, 'jeugdbeschermer'>, plan: PlanFacts): boolean {
  return plan.endorsedOn !== undefined && (!s.jeugdbeschermer || plan.approval !== undefined);
}

/** The latest counting version of a kind, if any. */
export function currentPlan(
  s: Pick<HouseholdState, 'jeugdbeschermer'>,
  plans: readonly PlanFacts[],
  kind: PlanKind,
): PlanFacts | undefined {
  return plans.filter((p) => p.kind === kind && counts(s, p)).sort((a, b) => b.version - a.version)[0];
}

/** the plan in force is the stable plan once one counts, until then the direct plan. */
export function planInForce(s: Pick<HouseholdState, 'jeugdbeschermer'>, plans: readonly PlanFacts[]): PlanFacts | undefined {
  return currentPlan(s, plans, 'stabiel') ?? currentPlan(s, plans, 'direct');
}

/** children of the household without a safety person in the plan in force. */
export function childrenWithoutSafetyPersonInPlan(s: HouseholdState, plans: readonly PlanFacts[]): string[] {
  const plan = planInForce(s, plans);
  const covered = new Set(plan?.children.map((c) => c.member) ?? []);
  return s.members.filter((m) => m.isChild && !covered.has(m.ref)).map((m) => m.ref);
}

/** What the workflow keeps of the log per agreement, bounded: the last entry, and the months with entries and with "misgegaan". */
export interface AgreementLog {
  last: string;
  months: string[];
  wrongMonths: string[];
}
export type LogFacts = Readonly<Record<string, AgreementLog>>;

/** Months kept per agreement: enough for R-40's half year with room to spare. */
const MONTHS_KEPT = 12;

/** The log facts after one entry (dates are days; an entry for an older day never moves `last` back). */
export function recordLogEntry(log: LogFacts, agreementId: string, date: string, outcome: LogOutcome): LogFacts {
  const before = log[agreementId] ?? { last: date, months: [], wrongMonths: [] };
  const month = monthOf(date);
  const keep = (months: string[], add: boolean) => [...new Set(add ? [...months, month] : months)].sort().slice(-MONTHS_KEPT);
  return {
    ...log,
    [agreementId]: {
      last: date > before.last ? date : before.last,
      months: keep(before.months, true),
      wrongMonths: keep(before.wrongMonths, outcome === 'misgegaan'),
    },
  };
}

export interface MonitoringGap {
  agreementId: string;
  monitorBy: string;
  /** The day the check was due: the last entry (or the endorsement) plus the agreement's period. */
  dueOn: string;
}

/**
 * Agreements of the plan in force whose monitoring period passed without a log entry:
 * counted from the last entry, or from the endorsement when there is none yet.
 */
export function monitoringGaps(
  s: Pick<HouseholdState, 'jeugdbeschermer'>,
  plans: readonly PlanFacts[],
  log: LogFacts,
  today: string,
): MonitoringGap[] {
  const plan = planInForce(s, plans);
  if (!plan?.endorsedOn) return [];
  return plan.agreements
    .map((a) => {
      const since = [log[a.id]?.last, plan.endorsedOn!]
        .filter((d): d is string => d !== undefined)
        .sort()
        .at(-1)!;
      return { agreementId: a.id, monitorBy: a.monitorBy, dueOn: addDays(since, a.everyDays) };
    })
    .filter((g) => g.dueOn < today);
}

/** every agreement of the direct plan was carried out and observed in the log after the plan was endorsed. */
export function agreementsObserved(s: Pick<HouseholdState, 'jeugdbeschermer'>, plans: readonly PlanFacts[], log: LogFacts): boolean {
  const plan = currentPlan(s, plans, 'direct');
  return plan !== undefined && plan.agreements.every((a) => log[a.id] !== undefined && log[a.id]!.last >= plan.endorsedOn!);
}

/**
 * the agreements of the stable plan were carried out and observed in every one of the last
 * `months` complete calendar months, and none of those months has a "misgegaan" entry.
 */
export function agreementsHeld(
  s: Pick<HouseholdState, 'jeugdbeschermer'>,
  plans: readonly PlanFacts[],
  log: LogFacts,
  today: string,
  months: number,
): boolean {
  const plan = currentPlan(s, plans, 'stabiel');
  if (!plan) return false;
  const window = Array.from({ length: months }, (_, i) => addMonths(monthOf(today), -(i + 1)));
  return plan.agreements.every((a) => {
    const entry = log[a.id];
    return entry !== undefined && window.every((m) => entry.months.includes(m) && !entry.wrongMonths.includes(m));
  });
}
