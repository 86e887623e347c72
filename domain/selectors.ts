/** Facts about a household's state that several rules ask for, each named once. */
import { EVIDENCE_ITEMS, type EvidenceItem, type EvidenceSpec } from './evidence-items';
import type { Evidence, Handover, HouseholdMember, HouseholdState, Phase, ProfessionalRef } from './model';
import { amsterdamDay } from './time';

/** a handover is open until the incoming professional confirms the start, or it is cancelled. */
export function isOpenHandover(h: Handover): boolean {
  return !h.confirmedAt && !h.cancelledAt;
}

export function openHandovers(s: HouseholdState): Handover[] {
  return s.handovers.filter(isOpenHandover);
}

/** a huisverbod asks for a handover to the veiligheidsplanner, confirmed after the huisverbod started. */
export function huisverbodHandoverDone(s: HouseholdState): boolean {
  const hv = s.huisverbod;
  if (!hv) return true;
  return s.handovers.some(
    (h) => h.role === 'veiligheidsplanner' && h.confirmedAt !== undefined && (h.startDate ?? h.confirmedAt.slice(0, 10)) >= hv.startDate,
  );
}

export function children(s: HouseholdState): HouseholdMember[] {
  return s.members.filter((m) => m.isChild);
}

/** Those who must be spoken to and protected: children, else the kwetsbare volwassene(n). */
export function protectedMembers(s: HouseholdState): HouseholdMember[] {
  const kids = children(s);
  return kids.length > 0 ? kids : s.members.filter((m) => m.vulnerableAdult);
}

/** children without an active veiligheidspersoon in the network. */
export function childrenWithoutSafetyPerson(s: HouseholdState): HouseholdMember[] {
  return children(s).filter((k) => !s.network.some((n) => n.active && n.safetyPersonFor.includes(k.ref)));
}

/** an active member of the social network (co-)chairs the netwerkberaad. */
export function hasNetworkChair(s: HouseholdState): boolean {
  return s.network.some((n) => n.active && n.kind === 'sociaal' && n.chair);
}

/** active non-professional people around the household. */
export function activeSocialNetwork(s: HouseholdState): number {
  return s.network.filter((n) => n.active && n.kind === 'sociaal').length;
}

/**
 * who is responsible for the trajectory now, receives its reminders and decides its
 * phase transitions. In Afstemming and Veiligheid the owner of phase Veiligheid runs the phase
 * with the casusregisseur where one is assigned; from Risico gestuurd on the
 * casusregisseur (the owner only while no casusregisseur is assigned).
 */
export function responsibleProfessionals(s: HouseholdState): ProfessionalRef[] {
  const owner = s.roles.eigenaar_veiligheid;
  const regie = s.roles.casusregisseur;
  const holders = s.phase === 'afstemming' || s.phase === 'veiligheid' ? [owner, regie] : [regie ?? owner];
  const out: ProfessionalRef[] = [];
  for (const h of holders) {
    if (h && !out.some((p) => p.professionalId === h.professionalId && p.organisation === h.organisation))
      out.push({ professionalId: h.professionalId, organisation: h.organisation });
  }
  return out;
}

/** Members of a per-member evidence item that it does not cover yet. */
export function membersWithout(s: HouseholdState, item: string, eligible: HouseholdMember[], since?: string): HouseholdMember[] {
  const covered = new Set(
    s.evidence.filter((e) => e.item === item && (since === undefined || e.date >= since)).flatMap((e) => e.members ?? []),
  );
  return eligible.filter((m) => !covered.has(m.ref));
}

/** The members an evidence item is recorded for: children, or every protected person; none for other items. */
export function eligibleMembers(s: HouseholdState, item: EvidenceItem): HouseholdMember[] {
  const spec: EvidenceSpec = EVIDENCE_ITEMS[item];
  if (spec.perMember === 'children') return children(s);
  if (spec.perMember === 'protected') return protectedMembers(s);
  return [];
}

/**
 * R-60 (and R-61: how the checks are organised): the controle visits, newest first, how many the
 * social network made, and that share (0..1; undefined without visits).
 */
export function controleVisits(s: HouseholdState): { visits: Evidence[]; byNetwork: number; networkShare?: number } {
  const visits = s.evidence.filter((e) => e.item === 'controle').sort((a, b) => b.date.localeCompare(a.date));
  const byNetwork = visits.filter((e) => e.visit?.by === 'netwerk').length;
  return { visits, byNetwork, networkShare: visits.length ? byNetwork / visits.length : undefined };
}

/**
 * the dates of the team consultations of each phase the trajectory has been in (Afstemming
 * excepted, as in the deadline plan). A consultation belongs to the phase its date falls in, from
 * the phase's first day: the same reading as the reminder's.
 */
export function teamConsultationsPerPhase(s: HouseholdState): { phase: Phase; from: string; to?: string; dates: string[] }[] {
  const dates = s.evidence
    .filter((e) => e.item === 'teamoverleg')
    .map((e) => e.date)
    .sort();
  return s.phaseHistory
    .filter((p) => p.phase !== 'afstemming' && p.phase !== 'afgesloten')
    .map((p) => {
      const from = amsterdamDay(new Date(p.from));
      const to = p.to ? amsterdamDay(new Date(p.to)) : undefined;
      return { phase: p.phase, from, to, dates: dates.filter((d) => d >= from && (to === undefined || d < to)) };
    });
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
