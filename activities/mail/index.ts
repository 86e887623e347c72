/**
 * Reminders and escalations by e-mail: Dutch mails over SMTP, or into an outbox folder when no
 * SMTP server is configured, with calendar invites for meetings and signed dashboard links.
 * Recipients come from the directory file, never from workflow history.
 *
 * Nothing twice: Temporal runs an activity at least once, so each mail is keyed by the request's
 * idempotencyKey (derived by the workflow from household and event) plus the recipient address,
 * and goes through deliverOnce (sent-log check, send, record). Nothing lost: failures are retried
 * by Temporal (failures.ts); the workflow escalates when its retry window ends. All recipients of a
 * request are attempted, so one bad address never holds back the others; only when the server
 * itself is unreachable does the attempt stop at once.
 *
 * Privacy: logs, errors and the sent-log carry pseudonymous references only (householdId,
 * professionalId, organisation id), never addresses, names or the SMTP server's reply text.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { NOTIFICATION_KINDS } from '../../domain/deadlines';
import type { NotificationRequest } from '../../domain/notifications';
import { amsterdamDay, formatDutch } from '../../domain/time';
import { DEFAULT_LINK_TTL_DAYS, householdLink, linkExpiry } from '../../platform/links';
import { resolveRecipients, type Directory, type ResolvedRecipient } from '../directory';
import { actionButtons, tasksLink } from './actions';
import { envelope, notificationContext, parseFrom, phaseLabel, sentKey, withInvite } from './compose';
import type { ProfessionalRef } from '../../domain/model';
import type { Metrics } from '../../platform/metrics';
import type { MailStore } from '../../platform/store/mail';
import { deliverOnce, type MailLogger, type OnceDeps, type Outcome } from './deliver-once';
import { throwForFailures, type Failure } from './failures';
import { renderDigest, renderMail, type MailKind } from './templates';
import { mailDelivery, type MailTransport } from './transport';

export { messageIdFor } from './compose';
export type { MailLogger } from './deliver-once';
export { SMTP_PERMANENT_FAILURE, SmtpTransientError } from './failures';
export type { MailTransport, SmtpOptions } from './transport';

export interface MailDeps {
  transport: MailTransport;
  /** Sender, e.g. 'Routekaart naar Veiligheid <routekaart@example.org>'; also the invite's organizer. */
  from: string;
  /** The address book, or a function returning the current one (see directoryFromFile). */
  directory: Directory | (() => Directory);
  /** Base URL of the dashboard, without trailing slash. */
  publicUrl: string;
  /** HMAC secret of the signed dashboard links (platform/links.ts). */
  linkSecret: Buffer;
  /** The sent-log and digest queue, shared by every worker process. */
  store: MailStore;
  /** How long a claim on a mail holds; default: the attempt's start-to-close timeout (2 minutes outside an activity). */
  leaseMs?: number;
  /** Validity of dashboard links in mails; default 14 days. */
  linkTtlDays?: number;
  /** Clock for link expiry, invite stamps and the digest day; default: the system clock. */
  now?: () => Date;
  /** Default: the Temporal activity logger (silent outside an activity). */
  logger?: MailLogger;
  /** Counts mail sent, failed and retried (platform/metrics.ts). */
  metrics?: Pick<Metrics, 'mailSent' | 'mailFailed' | 'mailRetried'>;
}

export interface SendResult {
  /** Mails accepted by the SMTP server (or written to the outbox) in this attempt. */
  sent: number;
  /** Mails already recorded in the sent-log (or queued for a digest) by an earlier attempt. */
  skipped: number;
  /** Reminders queued for a recipient's daily digest in this attempt. */
  queued: number;
}

export const INVALID_NOTIFICATION = 'InvalidNotification';

const MAIL_KINDS: readonly string[] = [...NOTIFICATION_KINDS, 'override'];

/** A reminder waiting for a professional's daily digest: pseudonymous ids and the workflow's Dutch reason only. */
export interface DigestEntry {
  idempotencyKey: string;
  householdId: string;
  kind: MailKind;
  rule: string;
  reason: string;
  since: string;
  phase: string;
  professional: ProfessionalRef;
}

function inActivity(): boolean {
  try {
    Context.current();
    return true;
  } catch {
    return false;
  }
}

const activityLogger: MailLogger = {
  info: (message, attrs) => {
    if (inActivity()) Context.current().log.info(message, attrs);
  },
  warn: (message, attrs) => {
    if (inActivity()) Context.current().log.warn(message, attrs);
  },
};

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

/** Counts one outcome into the result; returns the failure, if any. */
function tally(result: SendResult, outcome: Outcome): Failure | undefined {
  if (outcome.kind === 'sent') result.sent++;
  else if (outcome.kind === 'skipped') result.skipped++;
  else if (outcome.kind === 'diverted') result.queued++;
  else return outcome.failure;
  return undefined;
}

export function createMailActivities(deps: MailDeps) {
  const clock = deps.now ?? (() => new Date());
  const logger = deps.logger ?? activityLogger;
  const sender = parseFrom(deps.from);
  const directory = typeof deps.directory === 'function' ? deps.directory : () => deps.directory as Directory;
  const ttlDays = deps.linkTtlDays ?? DEFAULT_LINK_TTL_DAYS;
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const deliver = mailDelivery(deps.transport);
  /** An attempt cannot outlive its start-to-close timeout; its claim need not either. */
  const once = (): OnceDeps => ({
    store: deps.store,
    deliver,
    logger,
    leaseMs: deps.leaseMs ?? (inActivity() ? Context.current().info.startToCloseTimeoutMs : 120_000),
  });

  const link = (householdId: string, sub: string, now: Date) =>
    householdLink(publicUrl, deps.linkSecret, { householdId, sub, exp: linkExpiry(now, ttlDays) });
  const linkValidUntil = (now: Date) => formatDutch(new Date(linkExpiry(now, ttlDays) * 1000).toISOString());

  /** Reminders without a meeting, for a professional who asked for the daily digest. */
  const digestible = (req: NotificationRequest, r: ResolvedRecipient) =>
    r.digest && req.level === 0 && !req.meetingAt && req.kind !== 'override';

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
    await deps.store.queueDigest(k, professional.professionalId, professional.organisation, entry);
    return true;
  }

  /** Counts what one attempt did, before it returns or throws for Temporal to retry. */
  function count(kind: string, result: SendResult, failures: Failure[]): void {
    const m = deps.metrics;
    if (!m) return;
    if (inActivity() && Context.current().info.attempt > 1) m.mailRetried.inc();
    if (result.sent) m.mailSent.inc({ kind }, result.sent);
    for (const f of failures) m.mailFailed.inc({ failure: f.permanent ? 'permanent' : 'transient' });
  }

  async function sendNotification(req: NotificationRequest): Promise<SendResult> {
    validate(req);
    const now = clock();
    const recipients = resolveRecipients(directory(), req.recipients);
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
            const links = { publicUrl, secret: deps.linkSecret, ttlDays };
            const rendered = renderMail(
              notificationContext(req, r, link(req.householdId, r.sub, now), linkValidUntil(now), {
                actions: actionButtons(req, r, now, links),
                tasksLink: tasksLink(r, now, links),
              }),
            );
            const mail = envelope(sender, r, rendered, req.idempotencyKey, {
              'X-Routekaart-Household': req.householdId,
              'X-Routekaart-Kind': req.kind,
              'X-Routekaart-Rule': req.rule,
              'X-Routekaart-Level': String(req.level),
            });
            return withInvite(mail, req, sender, r, now);
          },
          fileStem: `${req.householdId}-${req.kind}-${req.level}-${k.slice(0, 16)}`,
        },
        once(),
        attrs,
      );
      const failure = tally(result, outcome);
      if (failure) failures.push(failure);
    }
    count(req.kind, result, failures);
    throwForFailures(`Mail for ${req.householdId} (${req.kind})`, failures, recipients.length, result);
    return result;
  }

  /**
   * Sends each digest recipient one mail with every reminder queued for them and not yet
   * delivered. Run once a day by a Temporal Schedule; a second run on the same day (Amsterdam)
   * sends nothing new to an address that already had its digest: the digest's key and Message-ID
   * are derived from the address and the day, just like a notification's.
   */
  async function sendDigests(): Promise<SendResult & { reminders: number }> {
    const now = clock();
    const day = amsterdamDay(now);
    const dir = directory();
    const pending = await deps.store.pendingDigests<DigestEntry>();
    const groups = new Map<string, { r: ResolvedRecipient; entries: (DigestEntry & { k: string })[] }>();
    for (const { key, entry: e } of pending) {
      const [r] = resolveRecipients(dir, { professionals: [e.professional], organisationLeads: [], coordinator: false });
      if (!r) continue;
      const g = groups.get(r.address) ?? { r, entries: [] };
      g.entries.push({ ...e, k: key });
      groups.set(r.address, g);
    }
    const result = { sent: 0, skipped: 0, queued: 0, reminders: 0 };
    const failures: Failure[] = [];
    const idempotencyKey = `digest:${day}`;
    for (const { r, entries } of groups.values()) {
      if (failures.some((f) => f.unreachable)) break;
      const k = sentKey(idempotencyKey, r.address);
      entries.sort((a, b) => a.since.localeCompare(b.since) || a.householdId.localeCompare(b.householdId));
      const outcome = await deliverOnce(
        {
          key: k,
          idempotencyKey,
          recipient: r.ref,
          mail: () =>
            envelope(
              sender,
              r,
              renderDigest({
                day: formatDutch(day),
                recipient: { name: r.name, roles: r.roles, organisationName: r.organisationName, notes: r.notes },
                linkValidUntil: linkValidUntil(now),
                items: entries.map((e) => ({
                  householdId: e.householdId,
                  kind: e.kind,
                  rule: e.rule,
                  reason: e.reason,
                  since: formatDutch(e.since),
                  phase: phaseLabel(e.phase),
                  link: link(e.householdId, r.sub, now),
                })),
              }),
              idempotencyKey,
              { 'X-Routekaart-Kind': 'dagoverzicht' },
            ),
          fileStem: `digest-${day}-${k.slice(0, 16)}`,
          delivered: entries.map((e) => e.k),
        },
        once(),
        { digest: day },
      );
      const failure = tally(result, outcome);
      if (failure) failures.push(failure);
      if (outcome.kind === 'sent') result.reminders += entries.length;
    }
    count('dagoverzicht', result, failures);
    throwForFailures('Digest', failures, groups.size, result);
    return result;
  }

  return { sendNotification, sendDigests };
}
