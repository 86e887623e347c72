/**
 * Changes to the state that several commands (and the intake) make the same way: ids, the order
 * of dangers, role holders with their history, and entering a phase.
 */
import { unmetCriteria } from './criteria';
import type { HouseholdState, ProfessionalRef, Role } from './model';
import type { Policy } from './policy';

/** dangers in priority order 1..n without gaps; `danger` takes place `priority` (or the last). */
export function placeDanger(s: HouseholdState, danger: HouseholdState['dangers'][number], priority: number): void {
  const others = s.dangers.filter((x) => x !== danger).sort((a, z2) => a.priority - z2.priority);
  others.splice(Math.min(priority - 1, others.length), 0, danger);
  others.forEach((x, i) => (x.priority = i + 1));
  s.dangers = others;
}

/** A fresh id that no imported record uses already. */
export function nextId(s: HouseholdState, prefix: string, taken: string[]): string {
  let id: string;
  do id = `${prefix}${++s.seq}`;
  while (taken.includes(id));
  return id;
}

export function setHolder(
  s: HouseholdState,
  role: Role,
  p: ProfessionalRef,
  at: string,
  via: 'toewijzing' | 'overdracht' | 'intake',
): void {
  for (const h of s.roleHistory) if (h.role === role && !h.to) h.to = at;
  s.roles[role] = { professionalId: p.professionalId, organisation: p.organisation, since: at };
  s.roleHistory.push({ role, professionalId: p.professionalId, organisation: p.organisation, from: at, via });
}

export function enterPhase(
  s: HouseholdState,
  phase: HouseholdState['phase'],
  at: string,
  via: 'criteria' | 'override' | 'start' | 'import',
): void {
  for (const p of s.phaseHistory) if (!p.to) p.to = at;
  s.phase = phase;
  s.phaseStartedAt = at;
  s.phaseHistory.push({ phase, from: at, via });
  if (phase === 'afgesloten') s.closedAt = at;
}

/** Afstemming exists only to find an owner: once found, phase Veiligheid starts. */
export function autoAdvanceCoordination(s: HouseholdState, c: { now: Date; nowIso: string; policy: Policy }): void {
  if (s.phase === 'afstemming' && unmetCriteria(s, c.now, c.policy).length === 0) enterPhase(s, 'veiligheid', c.nowIso, 'criteria');
}
