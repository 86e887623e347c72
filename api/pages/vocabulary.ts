/**
 * The Dutch words the pages show that the domain does not carry itself, typed against the domain's
 * own enums, so adding a value there fails the build until it has a Dutch label.
 */
import type { NotificationKind } from '../../domain/deadlines';
import type { VISIT_BY, VISIT_KINDS } from '../../domain/evidence-items';
import type { HANDOVER_REASONS, HouseholdMember, REPORT_SOURCES, SCORE_GROUPS } from '../../domain/model';
import type { EscalationLevel } from '../../domain/notifications';

export const HANDOVER_REASON_LABEL: Record<(typeof HANDOVER_REASONS)[number], string> = {
  complexiteit: 'Te complex voor de huidige professional (R-26)',
  expertise: 'Specifieke expertise nodig (R-26)',
  voorkeur_huishouden: 'Voorkeur van het huishouden (R-26)',
  huisverbod: 'Huisverbod (R-25)',
  fasewissel: 'Faseovergang',
  overig: 'Overig',
};

export const REPORT_SOURCE_LABEL: Record<(typeof REPORT_SOURCES)[number], string> = {
  betrokkenen_zelf: 'Betrokkenen zelf',
  sociaal_netwerk: 'Sociaal netwerk',
  instantie: 'Instantie',
};

export const SCORE_GROUP_LABEL: Record<(typeof SCORE_GROUPS)[number], string> = {
  huishouden: 'Huishouden',
  netwerk: 'Netwerk',
  professionals: 'Professionals',
};

export const NOTIFICATION_KIND_LABEL: Record<NotificationKind, string> = {
  eigenaar_ontbreekt: 'Eigenaar ontbreekt',
  kindgesprek: 'Gesprek met kind',
  score: 'Maandelijkse score',
  scores_ontbreken: 'Scores ontbreken',
  scores_dalen: 'Scores dalen',
  overdracht: 'Overdracht',
  huisverbod: 'Huisverbod',
  netwerkberaad: 'Netwerkberaad',
  evaluatie_netwerkvoorzitter: 'Evaluatie netwerkvoorzitter',
  professionaloverleg: 'Overleg professionals',
  fase_duurt_lang: 'Fase duurt lang',
  controle: 'Controle (bezoek)',
  teamoverleg: 'Teamoverleg',
  import_samenvatting: 'Geïmporteerd — in controle',
  misgegaan: 'Afspraak misgegaan (logboek)',
  logboek_herinnering: 'Herinnering aan wie de afspraak controleert',
};

/** how a controle visit was made, and who checked. */
export const VISIT_KIND_LABEL: Record<(typeof VISIT_KINDS)[number], string> = {
  gepland: 'Gepland',
  onaangekondigd: 'Onaangekondigd',
};

export const VISIT_BY_LABEL: Record<(typeof VISIT_BY)[number], string> = {
  netwerk: 'Het netwerk',
  professional: 'Een professional',
};

/** The ladder of ROUTEKAART.md section 6, as the badges show it. */
export const ESCALATION_LEVEL_LABEL: Record<EscalationLevel, { short: string; long: string }> = {
  0: { short: 'Geen', long: 'Geen escalatie' },
  1: { short: 'Niveau 1', long: 'Niveau 1: verantwoordelijke professional' },
  2: { short: 'Niveau 2', long: 'Niveau 2: leidinggevende / gedragswetenschapper' },
  3: { short: 'Niveau 3', long: 'Niveau 3: regiocoördinator' },
};

/** A household member as people read them (issue 20): the first name the intake gave, the pseudonym beside it. */
export function memberName(m: Pick<HouseholdMember, 'ref' | 'firstName'>): string {
  return m.firstName ? `${m.firstName} (${m.ref})` : m.ref;
}
