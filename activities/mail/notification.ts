/**
 * Reminders and escalations by e-mail: one notification to each of its recipients, in Dutch, with
 * signed dashboard and action links and a calendar invite for meetings. Recipients come from the
 * directory file, never from workflow history.
 *
 * Nothing twice: Temporal runs an activity at least once, so each mail is keyed by the request's
 * idempotencyKey (derived by the workflow from household and event) plus the recipient address,
 * and goes through deliverOnce (sent-log check, send, record). Nothing lost: failures are retried
 * by Temporal (failures.ts); the workflow escalates when its retry window ends. All recipients of a
 * request are attempted, so one bad address never holds back the others; only when the server
 * itself is unreachable does the attempt stop at once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { NOTIFICATION_KINDS } from '../../domain/deadlines';
import { EVENT_KINDS, isEventKind, type NotificationRequest } from '../../domain/notifications';
import { resolveRecipients, type ResolvedRecipient } from '../directory';
import { actionButtons, tasksLink } from './actions';
import { envelope, notificationContext, sentKey, withInvite } from './compose';
import { deliverOnce } from './deliver-once';
import { sendMemberReminders } from './member-reminder';
import type { DigestEntry } from './digest';
import { throwForFailures, type Failure } from './failures';
import type { MailSetup, SendResult } from './setup';
import { renderMail } from './templates';

export const INVALID_NOTIFICATION = 'InvalidNotification';

const MAIL_KINDS: readonly string[] = [...NOTIFICATION_KINDS, ...EVENT_KINDS];

/** A malformed request fails the same way on every retry: not retryable. */
function validate(req: NotificationRequest): void {
  const problems: string[] = [];
  if (!MAIL_KINDS.includes(req.kind)) problems.push('kind');
  if (!req.idempotencyKey) problems.push('idempotencyKey');
  if (!req.householdId) problems.push('householdId');
  if (![0, 1, 2, 3].includes(req.level)) problems.push('level');
  if (req.meetingAt && Number.isNaN(new Date(req.meetingAt).getTime())) problems.push('meetingAt');
  if (problems.length) throw ApplicationFailure.nonRetryable(`Invalid notification request: ${problems.join(', ')}`, INVALID_NOTIFICATION);
}

/** Reminders without a meeting, for a professional who asked for the daily digest ("misgegaan" never waits for it). */
const digestible = (req: NotificationRequest, r: ResolvedRecipient) =>
  r.digest && req.level === 0 && !req.meetingAt && !isEventKind(req.kind) && req.kind !== 'misgegaan';

export function notificationSender(setup: MailSetup) {
  async function queueForDigest(req: NotificationRequest, r: ResolvedRecipient, k: string): Promise<boolean> {
    const professional = req.recipients.professionals.find((p) => p.professionalId === r.sub);
    if (!digestible(req, r) || !professional) return false;
    const entry: DigestEntry = {
      idempotencyKey: req.idempotencyKey,
      householdId: req.householdId,
      kind: req.kind,
      rule: req.rule,
      reason: req.reason,
      since: req.since,
      phase: req.phase,
      professional,
    };
    await setup.store.queueDigest(k, professional.professionalId, professional.organisation, entry);
    return true;
  }

  return async function sendNotification(req: NotificationRequest): Promise<SendResult> {
    validate(req);
    // Issue 21: a member's own reminder goes through their log link, never to a professional or lead.
    if (req.recipients.members?.length) {
      const { result, failures } = await sendMemberReminders(setup, req, req.recipients.members);
      setup.count(req.kind, result, failures);
      throwForFailures(`Mail for ${req.householdId} (${req.kind})`, failures, req.recipients.members.length, result);
      return result;
    }
    const now = setup.clock();
    const recipients = resolveRecipients(setup.directory(), req.recipients);
    const result: SendResult = { sent: 0, skipped: 0, queued: 0 };
    const failures: Failure[] = [];
    const attrs = { householdId: req.householdId, kind: req.kind, rule: req.rule, level: req.level };

    for (const r of recipients) {
      // Server down or refusing us: stop here, the retry picks up every recipient not yet served.
      if (failures.some((f) => f.unreachable)) break;
      const k = sentKey(req.idempotencyKey, r.address);
      const outcome = await deliverOnce(
        {
          key: k,
          idempotencyKey: req.idempotencyKey,
          recipient: r.ref,
          divert: () => queueForDigest(req, r, k),
          mail: () => {
            const rendered = renderMail(
              notificationContext(
                { ...req, reason: setup.names.inText(req.reason) },
                r,
                setup.link(req.householdId, r.sub, now),
                setup.linkValidUntil(now),
                {
                  actions: actionButtons(req, r, now, setup.links),
                  tasksLink: tasksLink(r, now, setup.links),
                },
              ),
            );
            const mail = envelope(setup.sender, r, rendered, req.idempotencyKey, {
              'X-Routekaart-Household': req.householdId,
              'X-Routekaart-Kind': req.kind,
              'X-Routekaart-Rule': req.rule,
              'X-Routekaart-Level': String(req.level),
            });
            return withInvite(mail, req, setup.sender, r, now);
          },
          fileStem: `${req.householdId}-${req.kind}-${req.level}-${k.slice(0, 16)}`,
        },
        setup.once(),
        attrs,
      );
      const failure = setup.tally(result, outcome);
      if (failure) failures.push(failure);
    }
    setup.count(req.kind, result, failures);
    throwForFailures(`Mail for ${req.householdId} (${req.kind})`, failures, recipients.length, result);
    return result;
  };
}
