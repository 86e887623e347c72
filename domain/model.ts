/**
 * The household's state and the vocabulary of the Routekaart (docs/ROUTEKAART.md): phases, roles,
 * score groups and their Dutch names, and the shape of the state the workflow keeps. Enum values are
 * the method's own Dutch terms, so professionals recognise them in the API; structure and code are
 * English. The zod schemas of these shapes (what callers may send) are in ./schemas/model; this
 * module imports them as types only, so the workflow can share it between households (worker/bundle.ts).
 */
import { LIMIT_RULES } from './limits';
import type { LogFacts, PlanFacts } from './safety-plan';
import type {
  Danger,
  Evidence,
  Handover,
  HouseholdMember,
  Huisverbod,
  EscalationRecord,
  NetworkMember,
  OverrideRecord,
  PhaseHistoryEntry,
  RoleHistoryEntry,
  RoleHolder,
  Score,
  Warning,
} from './schemas/model';

export type {
  Actor,
  Danger,
  Evidence,
  EscalationRecord,
  Handover,
  HouseholdMember,
  Huisverbod,
  NetworkMember,
  OverrideRecord,
  PhaseHistoryEntry,
  ProfessionalRef,
  RoleHistoryEntry,
  RoleHolder,
  Score,
  Warning,
} from './schemas/model';

export const PHASES = ['afstemming', 'veiligheid', 'risicogestuurd', 'herstel', 'afgesloten'] as const;
export type Phase = (typeof PHASES)[number];
/** Dutch names of the phases, for texts people read. */
export const PHASE_LABEL: Record<Phase, string> = {
  afstemming: 'Afstemming',
  veiligheid: 'Fase Veiligheid',
  risicogestuurd: 'Fase Risico gestuurd',
  herstel: 'Fase Herstel',
  afgesloten: 'Afgesloten',
};

/** The phase that follows each open phase. */
export const NEXT_PHASE: Record<Exclude<Phase, 'afgesloten'>, Phase> = {
  afstemming: 'veiligheid',
  veiligheid: 'risicogestuurd',
  risicogestuurd: 'herstel',
  herstel: 'afgesloten',
};

export const ROLES = [
  'eigenaar_veiligheid', // the professional who runs phase Veiligheid
  'casusregisseur',
  'veiligheidsplanner',
  'veilig_thuis',
  'herstelbehandelaar',
  'gedragswetenschapper',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABEL: Record<Role, string> = {
  eigenaar_veiligheid: 'eigenaar fase Veiligheid',
  casusregisseur: 'casusregisseur',
  veiligheidsplanner: 'veiligheidsplanner',
  veilig_thuis: 'Veilig Thuis (monitoring)',
  herstelbehandelaar: 'herstelbehandelaar',
  gedragswetenschapper: 'gedragswetenschapper',
};

export const SCORE_GROUPS = ['huishouden', 'netwerk', 'professionals'] as const;
export type ScoreGroup = (typeof SCORE_GROUPS)[number];

/** No date in a trajectory lies before this (a year 0000 or 1900 is a typing error). */
export const EARLIEST_DATE = '2000-01-01';

/** The message of a text over its limit; it names the limit's rule, by which the API answers 422. */
export const textTooLong = (max: number) => `Hooguit ${max} tekens (${LIMIT_RULES.textLength}).`;

export const REPORT_SOURCES = ['betrokkenen_zelf', 'sociaal_netwerk', 'instantie'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** why another professional comes in (plus the R-25 huisverbod and a phase change). */
export const HANDOVER_REASONS = ['complexiteit', 'expertise', 'voorkeur_huishouden', 'huisverbod', 'fasewissel', 'overig'] as const;

export interface HouseholdState {
  householdId: string;
  intake: {
    organisation: string;
    reference: string;
    source: ReportSource;
    reportingOrganisation: string;
    receivedAt: string;
    /** Issue 20: the alias given at intake ("Gezin Jansen"), as a text reference (encrypted in our database). */
    alias?: string;
    /** A keyed hash of the normalised alias: the overview finds the household by it (api/ids.ts aliasKeyFor). */
    aliasKey?: string;
  };
  /** Start of the trajectory (R-52 counts from here); earlier than receivedAt for imports. */
  startedAt: string;
  phase: Phase;
  phaseStartedAt: string;
  phaseHistory: PhaseHistoryEntry[];
  /** a local team or GI holds casusregie from the start. */
  localTeamOrGi: boolean;
  /** a jeugdbeschermer (GI) must approve every safety plan. */
  jeugdbeschermer: boolean;
  roles: Partial<Record<Role, RoleHolder>>;
  roleHistory: RoleHistoryEntry[];
  members: HouseholdMember[];
  network: NetworkMember[];
  dangers: Danger[];
  /** One per danger, group and calendar month: a later score for the same slot replaces it (a correction). */
  scores: Score[];
  evidence: Evidence[];
  huisverbod?: Huisverbod;
  /** Issue 20: dangers that no longer apply, with who closed them, when and why (a text reference); the last few. */
  closedDangers?: { danger: Danger; closedAt: string; closedBy: string; reason: string }[];
  handovers: Handover[];
  escalations: EscalationRecord[];
  overrides: OverrideRecord[];
  warnings: Warning[];
  /** Idempotency keys of notifications already handed to the mail activity (survives continue-as-new). */
  notified: string[];
  closedAt?: string;
  /** Counter for ids the workflow hands out (dangers, handovers, network members). */
  seq: number;
  /** Number of the last read-model row written (a newer row always has a higher number). */
  summarySeq?: number;
  /** Issue 22: an imported case under review ("geïmporteerd — in controle"); absent for intakes and older imports. */
  importReview?: { receivedAt: string; endsAt: string; confirmedAt?: string };
  /** Issue 21: facts of the safety plans' latest versions; absent in households started before (read with plansOf). */
  plans?: PlanFacts[];
  /** Issue 21: the safety log per agreement, bounded; absent in households started before (read with planLogOf). */
  planLog?: LogFacts;
  /** Issue 21: "misgegaan" log entries not yet mailed to the casusregisseur (mailed the same working day, then cleared). */
  wrongPending?: { agreementId: string; date: string; at: string }[];
}

/**
 * Where free texts sit in the state. The workflow holds references to texts stored encrypted in
 * Routekaart's database; the API opens them for people who may read the household.
 */
export const STATE_TEXT_PATHS = [
  'intake.alias',
  'members[].firstName',
  'scores[].observedBehaviour',
  'dangers[].statement',
  'dangers[].safetyGoal',
  'dangers[].scaleQuestion',
  'closedDangers[].reason',
  'evidence[].note',
  'evidence[].giApproval.approvedBy',
  'handovers[].cancelJustification',
  'overrides[].justification',
  'escalations[].acknowledgements[].plan',
  'escalations[].decisions[].decision',
  'overrides[].review.note',
] as const;
