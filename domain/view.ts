/** The read model of one household, the same for the workflow's queries, the API and the dashboard. */
import { unmetCriteria, type Unmet } from './criteria';
import { duePlan } from './deadlines';
import type { HouseholdState, ProfessionalRef } from './model';
import type { Policy } from './policy';
import { consensusRun, riskRun } from './scores';
import { openHandovers } from './selectors';
import { amsterdamDay } from './time';

export interface PlannedItem {
  key: string;
  kind: string;
  rule: string;
  reason: string;
  remindAt?: string;
  overdueAt?: string;
  level: number;
  meetingAt?: string;
}

export interface HouseholdView {
  state: HouseholdState;
  unmet: Unmet[];
  plan: PlannedItem[];
  nextDeadline?: string;
  escalationLevel: number;
  runs: { dangerId: string; riskMonths: number; consensusMonths: number }[];
  organisations: string[];
  openHandover: boolean;
  asOf: string;
}

/**
 * the professionals involved now: current role holders, both sides of an open handover, and
 * the huisverbod's professional. Whoever handed over a role is no longer involved.
 */
export function involvedProfessionals(s: HouseholdState): ProfessionalRef[] {
  const out: ProfessionalRef[] = [];
  for (const holder of Object.values(s.roles)) if (holder) out.push(holder);
  for (const h of openHandovers(s)) out.push(h.from, h.to);
  if (s.huisverbod) out.push(s.huisverbod.guidedBy);
  return out;
}

/** the organisations that may see and change this household: the intake organisation and those of the involved professionals. */
export function involvedOrganisations(s: HouseholdState): string[] {
  return [...new Set([s.intake.organisation, ...involvedProfessionals(s).map((p) => p.organisation)])].sort();
}

export function householdView(s: HouseholdState, now: Date, policy: Policy): HouseholdView {
  const today = amsterdamDay(now);
  const plan = duePlan(s, now, policy);
  return {
    state: s,
    unmet: unmetCriteria(s, now, policy),
    plan: plan.levels.map(({ deadline: d, level }) => ({
      key: d.key,
      kind: d.kind,
      rule: d.rule,
      reason: d.reason,
      remindAt: d.remindAt,
      overdueAt: d.overdueAt,
      level,
      meetingAt: d.meetingAt,
    })),
    nextDeadline: plan.nextWakeAt,
    // Derived levels, plus escalations recorded without a deadline (mail that could not be delivered).
    escalationLevel: Math.max(0, ...plan.levels.map((l) => l.level), ...s.escalations.filter((e) => !e.resolvedAt).map((e) => e.level)),
    runs: s.dangers.map((d) => ({
      dangerId: d.id,
      riskMonths: riskRun(s.scores, d.id, today),
      consensusMonths: consensusRun(s.scores, d.id, today),
    })),
    organisations: involvedOrganisations(s),
    openHandover: openHandovers(s).length > 0,
    asOf: now.toISOString(),
  };
}
