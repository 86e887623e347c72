/** An intake, with an imported running case, as zod schemas: what an intake system may send (R-01; ../intake builds the first state). */
import { z } from 'zod';
import { LIMIT_RULES, LIMITS } from '../limits';
import { METHOD } from '../policy';
import {
  Danger,
  Evidence,
  HouseholdMember,
  IsoDateSchema,
  NetworkMember,
  OptionalText,
  Phase,
  ProfessionalRef,
  Ref,
  ReportSource,
  Role,
  Score,
} from './model';

export const ImportedHistory = z.object({
  /** Start of the trajectory at the organisation (R-52 counts from here). */
  startDate: IsoDateSchema,
  phase: Phase.exclude(['afgesloten']),
  phaseStartDate: IsoDateSchema,
  roles: z.array(z.object({ role: Role, professional: ProfessionalRef, since: IsoDateSchema })).default([]),
  dangers: z
    .array(Danger.omit({ revisions: true }).extend({ revisions: z.number().int().min(0).default(0) }))
    .max(METHOD.maxDangers, `Maximaal ${METHOD.maxDangers} gevaarsomschrijvingen (R-31).`)
    .default([]),
  /** One score per danger, group and month counts: of several for one month, the latest (by date, then order) is the current value. */
  scores: z
    .array(Score.omit({ recordedAt: true, recordedBy: true }))
    .max(LIMITS.importedScores, `Hooguit ${LIMITS.importedScores} scores in een import (${LIMIT_RULES.imported}).`)
    .default([]),
  evidence: z
    .array(Evidence.omit({ recordedAt: true, recordedBy: true, phase: true }).extend({ phase: Phase.optional() }))
    .max(LIMITS.importedEvidence, `Hooguit ${LIMITS.importedEvidence} bewijsstukken in een import (${LIMIT_RULES.imported}).`)
    .default([]),
  network: z.array(NetworkMember).max(LIMITS.network, `Hooguit ${LIMITS.network} netwerkleden (${LIMIT_RULES.network}).`).default([]),
});
export type ImportedHistory = z.infer<typeof ImportedHistory>;

export const IntakeInput = z.object({
  /** The intake system's own reference; with the organisation it identifies the household (idempotent intake). */
  reference: Ref,
  source: ReportSource,
  reportingOrganisation: Ref,
  /** Issue 20: how professionals call the household ("Gezin Jansen"); stored encrypted, for involved organisations only. */
  alias: OptionalText(LIMITS.text.alias).meta({
    description:
      "Optional alias of the household as professionals know it ('Gezin Jansen'); stored encrypted, shown only to involved organisations, never in ids, search attributes or logs.",
  }),
  members: z
    .array(HouseholdMember)
    .min(1, 'Minimaal één gezinslid (pseudoniem).')
    .max(LIMITS.members, `Hooguit ${LIMITS.members} gezinsleden (${LIMIT_RULES.members}).`),
  localTeamOrGi: z.boolean().default(false),
  jeugdbeschermer: z.boolean().default(false),
  /** when known at intake, the professional who runs phase Veiligheid. */
  owner: ProfessionalRef.optional(),
  casusregisseur: ProfessionalRef.optional(),
  import: ImportedHistory.optional(),
});
export type IntakeInput = z.infer<typeof IntakeInput>;
