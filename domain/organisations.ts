/** The region's organisations per phase (ROUTEKAART.md section 5), read from data. */
import catalogue from './organisations.json';
import type { Phase, Role } from './model';
import { PHASE_LABEL, ROLE_LABEL } from './model';

export const ORGANISATIONS: Record<string, string> = catalogue.organisations;
const BY_PHASE: Record<string, string[]> = catalogue.phases;

/** Is this an organisation of the regional list (organisations.json)? Deployments extend the list there. */
export function isKnownOrganisation(organisation: string): boolean {
  return Object.hasOwn(ORGANISATIONS, organisation);
}

/** A Dutch warning when an organisation is not listed for the phase, else null. Afstemming accepts anyone. */
export function organisationWarning(organisation: string, phase: Phase, role: Role): string | null {
  const listed = BY_PHASE[phase === 'afstemming' ? 'veiligheid' : phase];
  if (!listed || listed.includes(organisation)) return null;
  return `Organisatie '${organisation}' staat niet in de regionale lijst voor ${PHASE_LABEL[phase]} (rol ${ROLE_LABEL[role]}); toegestaan, maar ter controle vastgelegd.`;
}
