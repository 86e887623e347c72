/**
 * Every limit on how large one household may grow, in one place. Growth is bounded by meaning
 * first: one score per danger, group and month (a later one is a correction), a fixed number of
 * evidence records per item, per member and per day, a network and a family of a known size, and
 * texts of a known length (texts live in the database; the state holds references). The byte
 * budget is a backstop behind those limits, and it applies only to commands that add records:
 * handovers, roles, phase changes, the huisverbod, closure and escalation acknowledgements are
 * never refused for size, so a household can always be moved towards safety or closed.
 */
export const LIMITS = {
  /**
   * The whole state as JSON, checked after a growing command. Ten years of monthly scores with
   * every evidence limit filled stay below it (test/domain/limits.test.ts), and it stays below
   * Temporal's 512 KB payload warning.
   */
  stateBytes: 450_000,
  members: 20,
  network: 60,
  evidence: {
    /** Records of one item over the whole trajectory: items that recur (controle, netwerkberaad, teamoverleg) ... */
    perRecurringItem: 120,
    /** ... and items recorded once per phase or so (a genogram, a plan), with room for corrections. */
    perItem: 12,
    /** Records of one per-member item naming the same child or protected person. */
    perMemberPerItem: 6,
    /** Records recorded on one calendar day (Europe/Amsterdam): a brake on floods, not on work. */
    perDay: 20,
  },
  /** What an intake may bring along from a running case: five years of monthly scores for four dangers, ... */
  importedScores: 720,
  /** ... and its evidence. */
  importedEvidence: 300,
  /** Characters of each free text after trimming; longer texts are refused (422). */
  text: {
    observedBehaviour: 2_000,
    evidenceNote: 2_000,
    statement: 2_000,
    safetyGoal: 2_000,
    scaleQuestion: 500,
    approvedBy: 200,
    cancelJustification: 2_000,
    transitionJustification: 4_000,
    escalationPlan: 2_000,
    /** Issue 20: the household's alias at intake ("Gezin Jansen") and a member's first name. */
    alias: 100,
    firstName: 60,
  },
  /** Cancelled handovers kept in the state; older ones leave it (their texts stay in the database). */
  cancelledHandoversKept: 10,
  /** Kept in the state; older ones are in the read model (household_escalations). */
  resolvedEscalationsKept: 50,
  warningsKept: 20,
} as const;

/** The rule ids of the limits, as refusals name them (the API answers 'limit_reached'). */
export const LIMIT_RULES = {
  evidencePerItem: 'limiet:bewijs-per-onderdeel',
  evidencePerMember: 'limiet:bewijs-per-gezinslid',
  evidencePerDay: 'limiet:bewijs-per-dag',
  network: 'limiet:netwerk',
  members: 'limiet:gezinsleden',
  imported: 'limiet:import',
  textLength: 'limiet:tekstlengte',
  stateBytes: 'limiet:omvang',
} as const;

/** Does a refusal's rule name a limit of the household (rather than a rule of the method)? */
export function isLimitRule(rule: string): boolean {
  return rule === 'limiet' || rule.startsWith('limiet:');
}

/** UTF-8 bytes of the state as it travels in Temporal payloads. */
export function stateBytes(state: unknown): number {
  return new TextEncoder().encode(JSON.stringify(state)).length;
}
