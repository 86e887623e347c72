/**
 * Follow-up after closure (issue 22): the activities of workflows/follow-up.ts. The scores at
 * closure are kept in our database once; a request mail carries one narrow action link per group
 * (household and network), each registered by its nonce with the dangers its page shows. The
 * nonce is derived from the request and the group, so a retried attempt makes the same links and
 * registers nothing twice; the mail goes through deliverOnce like every other.
 */
import { createHmac } from 'node:crypto';
import { FOLLOW_UP_GROUPS, followUpRef, type FollowUpDanger, type FollowUpGroup, type FollowUpPlan } from '../../domain/follow-up';
import type { ProfessionalRef } from '../../domain/model';
import { actionLink, linkExpiry } from '../../platform/links';
import { nonceKey } from '../../platform/store/action-links';
import type { FollowUpStore } from '../../platform/store/follow-up';
import { resolveRecipients } from '../directory';
import { envelope, sentKey } from './compose';
import { deliverOnce } from './deliver-once';
import { throwForFailures, type Failure } from './failures';
import { renderFollowUpRequest } from './follow-up-template';
import { mailSetup, type MailDeps } from './setup';

export interface FollowUpDeps extends Pick<
  MailDeps,
  'transport' | 'from' | 'directory' | 'publicUrl' | 'linkSecret' | 'store' | 'now' | 'logger'
> {
  followUps: FollowUpStore;
}

export interface FollowUpRequestInput {
  idempotencyKey: string;
  householdId: string;
  months: number;
  recipient?: ProfessionalRef;
  dangers: FollowUpDanger[];
  linkDays: number;
}

/** The same nonce for every attempt of one request and group; nobody without the secret can derive it. */
function followUpNonce(secret: Buffer, idempotencyKey: string, group: FollowUpGroup): string {
  return createHmac('sha256', secret).update(`routekaart/follow-up-nonce/v1\n${idempotencyKey}\n${group}`).digest('base64url').slice(0, 22);
}

export function createFollowUpActivities(deps: FollowUpDeps) {
  const setup = mailSetup(deps);

  async function recordClosureScores(plan: FollowUpPlan): Promise<void> {
    await deps.followUps.recordClosure(plan.householdId, plan.closureScores, setup.clock());
  }

  async function sendFollowUpRequest(req: FollowUpRequestInput): Promise<{ sent: number; skipped: number }> {
    const now = setup.clock();
    const exp = linkExpiry(now, req.linkDays);
    const links = {} as Record<FollowUpGroup, string>;
    for (const group of FOLLOW_UP_GROUPS) {
      const nonce = followUpNonce(setup.links.secret, req.idempotencyKey, group);
      const sub = req.recipient?.professionalId ?? 'coordinator';
      await deps.followUps.register(
        nonceKey(nonce),
        { householdId: req.householdId, months: req.months, group, dangers: req.dangers, expiresAt: new Date(exp * 1000).toISOString() },
        now,
      );
      links[group] = actionLink(setup.links.publicUrl, setup.links.secret, {
        householdId: req.householdId,
        action: 'nameting',
        sub,
        ref: followUpRef(req.months, group),
        exp,
        nonce,
      });
    }
    // The casusregisseur at closure; without one (or unknown), the directory's fallback: lead or coordinator.
    const recipients = resolveRecipients(setup.directory(), {
      professionals: req.recipient ? [req.recipient] : [],
      organisationLeads: [],
      coordinator: !req.recipient,
    });
    const result = { sent: 0, skipped: 0, queued: 0 };
    const failures: Failure[] = [];
    for (const r of recipients) {
      const outcome = await deliverOnce(
        {
          key: sentKey(req.idempotencyKey, r.address),
          idempotencyKey: req.idempotencyKey,
          recipient: r.ref,
          mail: () =>
            envelope(
              setup.sender,
              r,
              renderFollowUpRequest({
                householdId: req.householdId,
                months: req.months,
                name: r.name,
                links,
                validUntil: new Date(exp * 1000).toISOString(),
                dangers: req.dangers.length,
              }),
              req.idempotencyKey,
              { 'X-Routekaart-Kind': 'nameting' },
            ),
          fileStem: `nameting-${req.householdId}-${req.months}`,
        },
        setup.once(),
        { householdId: req.householdId, months: req.months },
      );
      const failure = setup.tally(result, outcome);
      if (failure) failures.push(failure);
    }
    throwForFailures('Follow-up request', failures, recipients.length, result);
    return { sent: result.sent, skipped: result.skipped };
  }

  return { recordClosureScores, sendFollowUpRequest };
}
