/** Facts about a household's state that several rules ask for, each named once. */
import type { Handover, HouseholdMember, HouseholdState } from './model';

/** a handover is open until the incoming professional confirms the start, or it is cancelled. */
export function isOpenHandover(h: Handover): boolean {
  return !h.confirmedAt && !h.cancelledAt;
}

export function openHandovers(s: HouseholdState): Handover[] {
  return s.handovers.filter(isOpenHandover);
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
