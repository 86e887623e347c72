/**
 * What every mail activity builds from its dependencies, once: the sender, the current directory,
 * signed dashboard links, the deliver-once path (sent-log, claim lease, logger) and the counting of
 * what an attempt did. Notifications, the daily digest and the weekly overview all compose and
 * deliver through it, so they share one idempotency and privacy discipline.
 *
 * Privacy: logs, errors and the sent-log carry pseudonymous references only (householdId,
 * professionalId, organisation id), never addresses, names or the SMTP server's reply text.
 */
import { Context } from '@temporalio/activity';
import { formatDutch } from '../../domain/time';
import { DEFAULT_LINK_TTL_DAYS, householdLink, linkExpiry } from '../../platform/links';
import type { Metrics } from '../../platform/metrics';
import type { MailStore } from '../../platform/store/mail';
import { DirectoryNames, type Directory } from '../../platform/directory';
import type { MemberLinks } from './member-reminder';
import { parseFrom, type Sender } from './compose';
import type { MailLogger, OnceDeps, Outcome } from './deliver-once';
import type { Failure } from './failures';
import { mailDelivery, type MailTransport } from './transport';

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
  /** Issue 21: reaches household and network members through their log link (member-reminder.ts); without it they get no mail. */
  members?: MemberLinks;
}

export interface SendResult {
  /** Mails accepted by the SMTP server (or written to the outbox) in this attempt. */
  sent: number;
  /** Mails already recorded in the sent-log (or queued for a digest) by an earlier attempt. */
  skipped: number;
  /** Reminders queued for a recipient's daily digest in this attempt. */
  queued: number;
}

export function inActivity(): boolean {
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

export interface MailSetup {
  clock: () => Date;
  sender: Sender;
  store: MailStore;
  /** The directory as it is now (the file may change while the worker runs). */
  directory: () => Directory;
  /** People's names for what recipients read (professionals in reasons by name, not by id). */
  names: DirectoryNames;
  /** Issue 21: household and network members reached through their personal log link, when wired. */
  members?: MemberLinks;
  /** What action links are signed with (./actions.ts). */
  links: { publicUrl: string; secret: Buffer; ttlDays: number };
  /** A signed link to a household's page for one recipient. */
  link(householdId: string, sub: string, now: Date): string;
  /** Until when a link made now is valid, in Dutch. */
  linkValidUntil(now: Date): string;
  /** The deliver-once dependencies of the current attempt. */
  once(): OnceDeps;
  /** Counts one outcome into the result; returns the failure, if any. */
  tally(result: SendResult, outcome: Outcome): Failure | undefined;
  /** Counts what one attempt did into the metrics, before it returns or throws for Temporal to retry. */
  count(kind: string, result: SendResult, failures: Failure[]): void;
}

export function mailSetup(deps: MailDeps): MailSetup {
  const ttlDays = deps.linkTtlDays ?? DEFAULT_LINK_TTL_DAYS;
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');
  const deliver = mailDelivery(deps.transport);
  const logger = deps.logger ?? activityLogger;
  const directory = typeof deps.directory === 'function' ? deps.directory : () => deps.directory as Directory;
  return {
    clock: deps.now ?? (() => new Date()),
    sender: parseFrom(deps.from),
    store: deps.store,
    directory,
    names: new DirectoryNames(directory),
    members: deps.members,
    links: { publicUrl, secret: deps.linkSecret, ttlDays },
    link: (householdId, sub, now) => householdLink(publicUrl, deps.linkSecret, { householdId, sub, exp: linkExpiry(now, ttlDays) }),
    linkValidUntil: (now) => formatDutch(new Date(linkExpiry(now, ttlDays) * 1000).toISOString()),
    // An attempt cannot outlive its start-to-close timeout; its claim need not either.
    once: () => ({
      store: deps.store,
      deliver,
      logger,
      leaseMs: deps.leaseMs ?? (inActivity() ? Context.current().info.startToCloseTimeoutMs : 120_000),
    }),
    tally(result, outcome) {
      if (outcome.kind === 'sent') result.sent++;
      else if (outcome.kind === 'skipped') result.skipped++;
      else if (outcome.kind === 'diverted') result.queued++;
      else return outcome.failure;
      return undefined;
    },
    count(kind, result, failures) {
      const m = deps.metrics;
      if (!m) return;
      if (inActivity() && Context.current().info.attempt > 1) m.mailRetried.inc();
      if (result.sent) m.mailSent.inc({ kind }, result.sent);
      for (const f of failures) m.mailFailed.inc({ failure: f.permanent ? 'permanent' : 'transient' });
    },
  };
}
