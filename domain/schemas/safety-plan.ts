/** A safety plan's version and its log's outcomes as zod schemas (what callers may send; ../safety-plan holds the rules). */
import { z } from 'zod';
import { LOG_OUTCOMES, PLAN_KINDS } from '../safety-plan';
import { OptionalText, Ref, Text } from './model';

export const PlanKind = z.enum(PLAN_KINDS);
export type PlanKind = z.infer<typeof PlanKind>;
export const LogOutcome = z.enum(LOG_OUTCOMES);
export type LogOutcome = z.infer<typeof LogOutcome>;

/** One agreement with its monitoring: who checks, how often, and whom they inform when it goes wrong. */
export const Agreement = z.object({
  id: Ref,
  what: Text(1000),
  /** Who carries it out: household members or network members (refs, never names). */
  who: z.array(Ref).min(1, 'Wie voert de afspraak uit? (R-15)').max(20),
  /** When or how often, in the family's words ("elke avond om 20:00"). */
  when: Text(200),
  monitoring: z.object({
    /** The network member (or professional) who checks it (R-60: preferably the network). */
    by: Ref,
    everyDays: z.number().int().min(1).max(90),
    informs: z.array(Ref).min(1, 'Wie wordt ingelicht als het misgaat? (R-15)').max(10),
  }),
});
export type Agreement = z.infer<typeof Agreement>;

/** A version of a plan as the casusregisseur writes it with household and network. */
export const PlanVersionInput = z.object({
  kind: PlanKind,
  /** Per danger statement and safety goal: its agreements and what to do when it threatens to go wrong. */
  dangers: z
    .array(
      z.object({
        dangerId: Ref,
        agreements: z.array(Agreement).min(1, 'Minstens één afspraak per gevaar (R-15).').max(20),
        whenItGoesWrong: Text(2000),
      }),
    )
    .min(1, 'Een plan gaat over minstens één gevaarsomschrijving (R-15, R-31).')
    .max(4),
  /** Per child: safety person, safe object and the Woord en Beeld text. */
  children: z.array(z.object({ member: Ref, safetyPerson: Ref, safeObject: OptionalText(200), woordEnBeeld: OptionalText(4000) })).max(20),
  /** The network members in the plan with their roles. */
  network: z.array(z.object({ memberId: Ref, role: Text(200) })).max(40),
  /** the social-network member who co-chairs or owns the plan. */
  owner: Ref.optional(),
  /** a herstelplan names the safety plan it is linked to. */
  linkedPlanId: Ref.optional(),
});
export type PlanVersionInput = z.infer<typeof PlanVersionInput>;
