/**
 * Re-reports after closure (issue 22): a new intake for a household whose trajectory was closed
 * starts a new trajectory that links to the closed one. Matched by the intake organisation's
 * reference (the household its reference names is closed: the new one gets the successor id), or
 * by a member identifier the intake system supplies (memberKey), kept only as a keyed hash.
 * The plain memberKey leaves the request here: it never reaches the workflow, the database or a log.
 */
import { z } from 'zod';
import { HouseholdMember } from '../domain/schemas/model';
import { IntakeInput } from '../domain/schemas/intake';
import { LIMIT_RULES, LIMITS } from '../domain/limits';
import type { PreviousTrajectory } from '../domain/view';
import type { ReReport, ReReportStore } from '../platform/store/re-reports';
import { householdIdFor, memberKeyHash, successorIdFor } from './ids';

/** Closed trajectories one reference may follow in a chain; far more than any household has. */
const MAX_SUCCESSORS = 100;

export const IntakeRequest = IntakeInput.extend({
  members: HouseholdMember.extend({
    memberKey: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({
        description: [
          "Issue 22: the intake system's own identifier of this person (e.g. its client number). Kept only as a keyed hash",
          '(HMAC-SHA256 under a key derived from ROUTEKAART_ID_SECRET), never stored, logged or echoed: a new intake with the',
          'same memberKey as a member of a closed household links to that closed trajectory as a re-report.',
        ].join(' '),
      }),
  })
    .array()
    .min(1, 'Minimaal één gezinslid (pseudoniem).')
    .max(LIMITS.members, `Hooguit ${LIMITS.members} gezinsleden (${LIMIT_RULES.members}).`),
});
export type IntakeRequest = z.infer<typeof IntakeRequest>;

/** The intake without any memberKey (what the workflow gets), and the keyed hashes of the keys. */
export function withoutMemberKeys(secret: Buffer, body: IntakeRequest): { intake: IntakeInput; hashes: string[] } {
  const hashes = body.members.flatMap((m) => (m.memberKey ? [memberKeyHash(secret, m.memberKey)] : []));
  const members: HouseholdMember[] = body.members.map(({ memberKey: _plain, ...m }) => m);
  return { intake: { ...body, members }, hashes };
}

/** The household an intake starts or finds, and the closed one its reference names (if any). */
export async function householdForIntake(
  store: ReReportStore,
  secret: Buffer,
  organisation: string,
  reference: string,
): Promise<{ householdId: string; closedByReference?: string }> {
  let householdId = householdIdFor(secret, organisation, reference);
  let closedByReference: string | undefined;
  for (let i = 0; i < MAX_SUCCESSORS && (await store.isClosed(householdId)); i++) {
    closedByReference = householdId;
    householdId = successorIdFor(secret, householdId);
  }
  return { householdId, closedByReference };
}

/**
 * Links a new household to the closed trajectory it re-reports and keeps its member key hashes.
 * Safe to repeat: a repeated intake keeps the first link. Member keys match only for a household this
 * intake `created`: a repeated intake never makes a running household a re-report afterwards.
 * For a household this intake created, answers its previousTrajectory (no other intake can have
 * linked it: only the one that created it links); otherwise reads the stored link.
 */
export async function linkReReport(
  store: ReReportStore,
  householdId: string,
  closedByReference: string | undefined,
  hashes: string[],
  created: boolean,
  at: Date,
): Promise<{ previousTrajectory?: PreviousTrajectory }> {
  const byMember = closedByReference || !created ? undefined : await store.closedByMember(hashes, householdId);
  const closed = closedByReference ?? byMember;
  await store.keepMemberKeys(householdId, hashes);
  if (!created) return previousTrajectory(store, householdId);
  if (!closed) return {};
  const link: ReReport = {
    newHouseholdId: householdId,
    closedHouseholdId: closed,
    matchedBy: closedByReference ? 'reference' : 'member',
    reportedAt: at.toISOString(),
  };
  await store.record(link);
  return previousOf(link);
}

const previousOf = (r: ReReport) => ({
  previousTrajectory: { householdId: r.closedHouseholdId, matchedBy: r.matchedBy, reportedAt: r.reportedAt },
});

/** The view's previousTrajectory, when the household's intake was a re-report. */
export async function previousTrajectory(store: ReReportStore, householdId: string): Promise<{ previousTrajectory?: PreviousTrajectory }> {
  const r = await store.previousOf(householdId);
  return r ? previousOf(r) : {};
}
