/**
 * The words the dashboard shows, taken from domain/ so the page never re-types the server's
 * vocabulary by hand (a UI that re-types the server drifts). The few labels the domain does not carry are typed against the
 * domain's own enums here, so adding a value there fails the build until it has a Dutch label.
 */
import { PHASE_RULES } from '../../domain/criteria';
import type { NotificationKind } from '../../domain/deadlines';
import { EVIDENCE_ITEMS, HANDOVER_REASONS, PHASE_LABEL, PHASES, REPORT_SOURCES, ROLE_LABEL, ROLES, SCORE_GROUPS } from '../../domain/model';
import type { EscalationLevel } from '../../domain/notifications';
import { ORGANISATIONS } from '../../domain/organisations';
import type { Policy } from '../../domain/policy';

const HANDOVER_REASON_LABEL: Record<(typeof HANDOVER_REASONS)[number], string> = {
  complexiteit: 'Te complex voor de huidige professional (R-26)',
  expertise: 'Specifieke expertise nodig (R-26)',
  voorkeur_huishouden: 'Voorkeur van het huishouden (R-26)',
  huisverbod: 'Huisverbod (R-25)',
  fasewissel: 'Faseovergang',
  overig: 'Overig',
};

const REPORT_SOURCE_LABEL: Record<(typeof REPORT_SOURCES)[number], string> = {
  betrokkenen_zelf: 'Betrokkenen zelf',
  sociaal_netwerk: 'Sociaal netwerk',
  instantie: 'Instantie',
};

const SCORE_GROUP_LABEL: Record<(typeof SCORE_GROUPS)[number], string> = {
  huishouden: 'Huishouden',
  netwerk: 'Netwerk',
  professionals: 'Professionals',
};

const NOTIFICATION_KIND_LABEL: Record<NotificationKind, string> = {
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
};

/** The ladder of ROUTEKAART.md section 6, as the badges show it. */
const ESCALATION_LEVEL_LABEL: Record<EscalationLevel, { short: string; long: string }> = {
  0: { short: 'Geen', long: 'Geen escalatie' },
  1: { short: 'Niveau 1', long: 'Niveau 1: verantwoordelijke professional' },
  2: { short: 'Niveau 2', long: 'Niveau 2: leidinggevende / gedragswetenschapper' },
  3: { short: 'Niveau 3', long: 'Niveau 3: regiocoördinator' },
};

export interface DashboardVocabulary {
  phases: { value: string; label: string; rules: string[] }[];
  roles: { value: string; label: string }[];
  scoreGroups: { value: string; label: string }[];
  organisations: Record<string, string>;
  handoverReasons: Record<string, string>;
  reportSources: Record<string, string>;
  notificationKinds: Record<string, string>;
  evidenceItems: Record<string, { rule: string; label: string }>;
  escalationLevels: { level: number; short: string; long: string }[];
  /** Thresholds of the deployment's policy, so "3 van 6 mnd" matches what the workflow checks. */
  policy: { riskRunMonths: number; stableSafetyEvaluations: number; minimumActiveSocialNetwork: number };
}

export function dashboardVocabulary(policy: Policy): DashboardVocabulary {
  return {
    phases: PHASES.map((p) => ({ value: p, label: PHASE_LABEL[p], rules: p === 'afgesloten' ? [] : PHASE_RULES[p] })),
    roles: ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] })),
    scoreGroups: SCORE_GROUPS.map((g) => ({ value: g, label: SCORE_GROUP_LABEL[g] })),
    organisations: ORGANISATIONS,
    handoverReasons: HANDOVER_REASON_LABEL,
    reportSources: REPORT_SOURCE_LABEL,
    notificationKinds: NOTIFICATION_KIND_LABEL,
    evidenceItems: EVIDENCE_ITEMS,
    escalationLevels: ([0, 1, 2, 3] as const).map((level) => ({ level, ...ESCALATION_LEVEL_LABEL[level] })),
    policy: {
      riskRunMonths: policy.riskRunMonths,
      stableSafetyEvaluations: policy.stableSafetyEvaluations,
      minimumActiveSocialNetwork: policy.minimumActiveSocialNetwork,
    },
  };
}
