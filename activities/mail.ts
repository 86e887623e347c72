/**
 * Reminders and escalations by e-mail (issue 5): Dutch mails over SMTP, or into an outbox folder
 * when no SMTP server is configured, with calendar invites for meetings and signed dashboard
 * links. Recipients come from the directory file, never from workflow history.
 *
 * Nothing twice. Temporal runs an activity at least once, so each mail is keyed by the request's
 * idempotencyKey (derived by the workflow from household and event) plus the recipient address:
 *  1. before sending to an address, the sent-log (append-only JSON lines, see mail/sent-log.ts)
 *     is consulted; a recorded key is skipped;
 *  2. after the SMTP server accepted the mail, a line is appended and fsync'ed;
 *  3. every mail carries a Message-ID derived from the same key and address.
 * A crash (or a failed log write) between 2's acceptance and its log line makes the retry send
 * that one mail again: at most one duplicate, with the identical Message-ID, which mail servers
 * and clients that deduplicate on Message-ID fold into one. Concurrent attempts in one process
 * are serialised per key; workers sharing the data directory read each other's log lines.
 *
 * Nothing lost. Transient failures (connection refused or dropped, timeouts, 4xx replies, and
 * authentication errors, which an operator fixes in configuration) throw a plain Error, so
 * Temporal retries with backoff; the workflow bounds the total with its scheduleToCloseTimeout
 * and escalates afterwards. A permanent rejection of a mail (5xx, except 503 "bad sequence")
 * throws ApplicationFailure.nonRetryable of type 'SmtpPermanentFailure'. All other recipients of
 * the request are attempted first, so one bad address never holds back the others; only when
 * the server itself is unreachable (or refuses the login) does the attempt stop at once.
 *
 * Privacy. Logs, errors and the sent-log carry pseudonymous references only (householdId,
 * professionalId, organisation id), never addresses, names or the SMTP server's reply text.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { NOTIFICATION_KINDS } from '../domain/deadlines';
import { PHASE_LABEL } from '../domain/model';
import type { NotificationRequest } from '../domain/notifications';
import type { Config } from '../worker/config';
import { directoryFromFile, resolveRecipients, type Directory, type ResolvedRecipient } from './directory';
import { DEFAULT_LINK_TTL_DAYS, householdLink, linkExpiry } from './links';
import { DigestQueue, type DigestEntry } from './mail/digest-queue';
import { formatDutch } from './mail/format';
import { buildInvite } from './mail/invite';
import { fsyncDir } from './mail/jsonl';
import { SentLog } from './mail/sent-log';
import { renderDigest, renderMail, TEMPLATES, type MailKind, type TemplateContext } from './mail/templates';

export interface SmtpOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS?: boolean;
  tls?: { rejectUnauthorized?: boolean; servername?: string };
  /** Milliseconds; defaults 30 s (connect, greeting) and 60 s (idle socket). */
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export type MailTransport =
  /** A real SMTP server. */
  | { kind: 'smtp'; smtp: SmtpOptions }
  /** No SMTP configured (local run): every mail becomes an .eml file in this folder. */
  | { kind: 'outbox'; dir: string }
  /** A ready nodemailer transport (e.g. a pool built by the worker). */
  | { kind: 'transporter'; transporter: Transporter };

export interface MailLogger {
  info(message: string, attrs: Record<string, unknown>): void;
  warn(message: string, attrs: Record<string, unknown>): void;
}

export interface MailDeps {
  transport: MailTransport;
  /** Sender, e.g. 'Routekaart naar Veiligheid <routekaart@example.org>'; also the invite's organizer. */
  from: string;
  /** The address book, or a function returning the current one (see directoryFromFile). */
  directory: Directory | (() => Directory);
  /** Base URL of the dashboard, without trailing slash. */
  publicUrl: string;
  /** HMAC secret of the signed dashboard links (activities/links.ts). */
  linkSecret: Buffer;
  /** The append-only sent-log (JSON lines); its folder is created when needed. */
  sentLogFile: string;
  /** Queue of digest reminders; default: digest-queue.jsonl next to the sent-log. */
  digestQueueFile?: string;
  /** Validity of dashboard links in mails; default 14 days. */
  linkTtlDays?: number;
  /** Clock for link expiry, invite stamps and the digest day; default: the system clock. */
  now?: () => Date;
  /** Default: the Temporal activity logger (silent outside an activity). */
  logger?: MailLogger;
}

export interface SendResult {
  /** Mails accepted by the SMTP server (or written to the outbox) in this attempt. */
  sent: number;
  /** Mails already recorded in the sent-log (or queued for a digest) by an earlier attempt. */
  skipped: number;
  /** Reminders queued for a recipient's daily digest in this attempt. */
  queued: number;
}

/** Thrown for failures worth retrying; Temporal retries it (type 'SmtpTransientError'). */
export class SmtpTransientError extends Error {
  override readonly name = 'SmtpTransientError';
}

export const SMTP_PERMANENT_FAILURE = 'SmtpPermanentFailure';
export const INVALID_NOTIFICATION = 'InvalidNotification';

const MAIL_KINDS: readonly string[] = [...NOTIFICATION_KINDS, 'override'];

/** Key of one mail: idempotency key plus lower-cased address (sha256 hex; addresses stay out of the log). */
export function sentKey(idempotencyKey: string, address: string): string {
  return createHash('sha256').update(`${idempotencyKey}\n${address.trim().toLowerCase()}`).digest('hex');
}

/** The Message-ID of one mail: the same for every retry of the same notification to the same address. */
export function messageIdFor(idempotencyKey: string, address: string, domain: string): string {
  return `<rk-${sentKey(idempotencyKey, address).slice(0, 40)}@${domain}>`;
}

/** Splits 'Name <addr@domain>' or 'addr@domain'. */
export function parseFrom(from: string): { name: string; address: string; domain: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  const address = (m ? m[2]! : from).trim();
  const name = (m ? m[1]! : '').trim() || 'Routekaart naar Veiligheid';
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'routekaart.local' : 'routekaart.local';
  return { name, address, domain };
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

/** One lock per mail key in this process: two concurrent attempts of one activity never both send. */
const locks = new Map<string, Promise<void>>();
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  locks.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

interface Failure {
  recipient: string;
  permanent: boolean;
  /** The server could not be reached or talked to at all: the other recipients would fail alike. */
  unreachable: boolean;
  responseCode?: number;
  code?: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED']);

/** Classifies a nodemailer error by its reply code; never keeps the reply text (it may name addresses). */
function classify(err: unknown, recipient: string): Failure {
  const e = (err ?? {}) as { responseCode?: unknown; code?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  // A refused login is the operator's to fix in configuration; keep retrying until it is.
  const auth = code === 'EAUTH' || code === 'ENOAUTH';
  // RFC 5321: 5yz is permanent, except 503 (bad sequence of commands), which a new session may pass.
  const permanent = !auth && responseCode !== undefined && responseCode >= 500 && responseCode < 600 && responseCode !== 503;
  const unreachable = auth || (responseCode === undefined && code !== undefined && CONNECTION_CODES.has(code)) || responseCode === 421;
  return { recipient, permanent, unreachable, responseCode, code };
}

function summarise(failures: Failure[]): string {
  return failures.map((f) => `${f.recipient}: ${[f.responseCode, f.code].filter((x) => x !== undefined).join(' ') || 'error'}`).join(', ');
}

function phaseLabel(phase: string): string {
  return (PHASE_LABEL as Record<string, string>)[phase] ?? phase;
}

function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
}

/** Writes a file atomically and durably: temp file, fsync, rename, fsync of the folder. */
function writeDurably(dir: string, name: string, data: Buffer): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  fsyncDir(dir);
}

export function createMailActivities(deps: MailDeps) {
  const clock = deps.now ?? (() => new Date());
  const logger = deps.logger ?? activityLogger;
  const sender = parseFrom(deps.from);
  const sentLog = new SentLog(deps.sentLogFile);
  const digestQueue = new DigestQueue(deps.digestQueueFile ?? join(dirname(deps.sentLogFile), 'digest-queue.jsonl'));
  const directory = typeof deps.directory === 'function' ? deps.directory : () => deps.directory as Directory;
  const ttlDays = deps.linkTtlDays ?? DEFAULT_LINK_TTL_DAYS;
  const publicUrl = deps.publicUrl.replace(/\/+$/, '');

  let transporter: Transporter | undefined;
  const transport = (): Transporter => {
    if (transporter) return transporter;
    const t = deps.transport;
    if (t.kind === 'transporter') transporter = t.transporter;
    else if (t.kind === 'outbox') transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    else
      transporter = nodemailer.createTransport({
        host: t.smtp.host,
        port: t.smtp.port,
        secure: t.smtp.secure,
        auth: t.smtp.auth,
        requireTLS: t.smtp.requireTLS,
        tls: t.smtp.tls,
        connectionTimeout: t.smtp.connectionTimeout ?? 30_000,
        greetingTimeout: t.smtp.greetingTimeout ?? 30_000,
        socketTimeout: t.smtp.socketTimeout ?? 60_000,
      });
    return transporter;
  };

  /** Hands one mail to SMTP or the outbox; resolves only once it was accepted (or written). */
  async function deliver(mail: SendMailOptions, fileStem: string): Promise<void> {
    const info = (await transport().sendMail(mail)) as { message?: unknown };
    if (deps.transport.kind === 'outbox') {
      const message = info.message;
      if (!Buffer.isBuffer(message)) throw new Error('Outbox transport returned no message buffer');
      writeDurably(deps.transport.dir, `${fileStem}.eml`, message);
    }
  }

  function link(householdId: string, sub: string, now: Date): string {
    return householdLink(publicUrl, deps.linkSecret, { householdId, sub, exp: linkExpiry(now, ttlDays) });
  }

  function linkValidUntil(now: Date): string {
    return formatDutch(new Date(linkExpiry(now, ttlDays) * 1000).toISOString());
  }

  /** One mail to one recipient; the Message-ID follows from the idempotency key (nothing twice). */
  function envelope(r: ResolvedRecipient, rendered: { subject: string; text: string; html: string }, idempotencyKey: string, headers: Record<string, string>): SendMailOptions {
    return {
      from: { name: sender.name, address: sender.address },
      to: { name: r.name, address: r.address },
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: messageIdFor(idempotencyKey, r.address, sender.domain),
      headers: {
        // RFC 3834: no out-of-office replies to an automatic message.
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        'Content-Language': 'nl',
        ...headers,
      },
    };
  }

  function compose(req: NotificationRequest, r: ResolvedRecipient, now: Date): SendMailOptions {
    const kind = req.kind as MailKind;
    const ctx: TemplateContext = {
      kind,
      level: req.level,
      householdId: req.householdId,
      rule: req.rule,
      reason: req.reason,
      since: formatDutch(req.since),
      phase: phaseLabel(req.phase),
      meetingAt: req.meetingAt ? formatDutch(req.meetingAt) : undefined,
      link: link(req.householdId, r.sub, now),
      linkValidUntil: linkValidUntil(now),
      recipient: { name: r.name, roles: r.roles, organisationName: r.organisationName, notes: r.notes },
    };
    const rendered = renderMail(ctx);
    const mail = envelope(r, rendered, req.idempotencyKey, {
      'X-Routekaart-Household': req.householdId,
      'X-Routekaart-Kind': req.kind,
      'X-Routekaart-Rule': req.rule,
      'X-Routekaart-Level': String(req.level),
    });
    if (req.meetingAt) {
      mail.icalEvent = {
        method: 'REQUEST',
        filename: 'uitnodiging.ics',
        content: buildInvite({
          householdId: req.householdId,
          kind: req.kind,
          rule: req.rule,
          meetingAt: req.meetingAt,
          level: req.level,
          title: TEMPLATES[kind].title,
          organizer: { name: sender.name, email: sender.address },
          attendee: { name: r.name, email: r.address },
          now,
          uidDomain: sender.domain,
        }),
      };
    }
    return mail;
  }

  function validate(req: NotificationRequest): void {
    const problems: string[] = [];
    if (!MAIL_KINDS.includes(req.kind)) problems.push('kind');
    if (!req.idempotencyKey) problems.push('idempotencyKey');
    if (!req.householdId) problems.push('householdId');
    if (![0, 1, 2, 3].includes(req.level)) problems.push('level');
    if (req.meetingAt && Number.isNaN(new Date(req.meetingAt).getTime())) problems.push('meetingAt');
    if (problems.length) {
      // A malformed request fails the same way on every retry.
      throw ApplicationFailure.nonRetryable(`Invalid notification request: ${problems.join(', ')}`, INVALID_NOTIFICATION);
    }
  }

  /** Reminders without a meeting, for a professional who asked for the daily digest. */
  const digestible = (req: NotificationRequest, r: ResolvedRecipient) => r.digest && req.level === 0 && !req.meetingAt && req.kind !== 'override';

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
      await withLock(`${deps.sentLogFile}\n${k}`, async () => {
        if (sentLog.has(k) || digestQueue.has(k)) {
          result.skipped++;
          logger.info('Mail already sent, skipped', { ...attrs, recipient: r.ref });
          return;
        }
        if (digestible(req, r)) {
          const professional = req.recipients.professionals.find((p) => p.professionalId === r.sub);
          if (professional) {
            const entry: DigestEntry = {
              k,
              idempotencyKey: req.idempotencyKey,
              householdId: req.householdId,
              kind: req.kind,
              rule: req.rule,
              reason: req.reason,
              since: req.since,
              phase: req.phase,
              professional,
              queuedAt: now.toISOString(),
            };
            digestQueue.append(entry);
            result.queued++;
            logger.info('Reminder queued for daily digest', { ...attrs, recipient: r.ref });
            return;
          }
        }
        const mail = compose(req, r, now);
        try {
          await deliver(mail, `${safeFileName(req.householdId)}-${req.kind}-${req.level}-${k.slice(0, 16)}`);
        } catch (err) {
          const f = classify(err, r.ref);
          failures.push(f);
          logger.warn('Mail not delivered', { ...attrs, recipient: r.ref, permanent: f.permanent, responseCode: f.responseCode, code: f.code });
          return;
        }
        try {
          sentLog.append({ k, idempotencyKey: req.idempotencyKey, to: r.ref, messageId: String(mail.messageId), at: now.toISOString() });
        } catch (err) {
          // Accepted but not recorded: this process remembers it; a retry elsewhere may send one duplicate.
          logger.warn('Sent-log write failed after delivery', { ...attrs, recipient: r.ref, code: (err as NodeJS.ErrnoException).code });
        }
        result.sent++;
        logger.info('Mail sent', { ...attrs, recipient: r.ref, messageId: mail.messageId });
      });
    }

    if (failures.length === 0) return result;
    const summary = summarise(failures);
    const details = { ...result, failures };
    if (failures.some((f) => !f.permanent)) {
      throw new SmtpTransientError(`Mail for ${req.householdId} (${req.kind}) not delivered to all ${recipients.length} recipients, will retry: ${summary}`);
    }
    throw ApplicationFailure.nonRetryable(
      `Mail for ${req.householdId} (${req.kind}) permanently refused for ${failures.length} of ${recipients.length} recipients: ${summary}`,
      SMTP_PERMANENT_FAILURE,
      details,
    );
  }

  /**
   * Sends each digest recipient one mail with every reminder queued for them and not yet
   * delivered. Run once a day (e.g. by a Temporal Schedule); a second run on the same day
   * (Europe/Amsterdam) sends nothing new to an address that already had its digest: the digest's
   * key and Message-ID are derived from the address and the day, just like a notification's.
   */
  async function sendDigests(): Promise<SendResult & { reminders: number }> {
    const now = clock();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
    const dir = directory();
    const pending = digestQueue.all().filter((e) => !sentLog.wasDelivered(e.k));
    const groups = new Map<string, { r: ResolvedRecipient; entries: DigestEntry[] }>();
    for (const e of pending) {
      const [r] = resolveRecipients(dir, { professionals: [e.professional], organisationLeads: [], coordinator: false });
      if (!r) continue;
      const g = groups.get(r.address) ?? { r, entries: [] };
      g.entries.push(e);
      groups.set(r.address, g);
    }
    const result = { sent: 0, skipped: 0, queued: 0, reminders: 0 };
    const failures: Failure[] = [];
    for (const { r, entries } of groups.values()) {
      if (failures.some((f) => f.unreachable)) break;
      const idempotencyKey = `digest:${day}`;
      const k = sentKey(idempotencyKey, r.address);
      await withLock(`${deps.sentLogFile}\n${k}`, async () => {
        if (sentLog.has(k)) {
          result.skipped++;
          return;
        }
        entries.sort((a, b) => a.since.localeCompare(b.since) || a.householdId.localeCompare(b.householdId));
        const rendered = renderDigest({
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
        });
        const mail = envelope(r, rendered, idempotencyKey, { 'X-Routekaart-Kind': 'dagoverzicht' });
        try {
          await deliver(mail, `digest-${day}-${k.slice(0, 16)}`);
        } catch (err) {
          const f = classify(err, r.ref);
          failures.push(f);
          logger.warn('Digest not delivered', { recipient: r.ref, permanent: f.permanent, responseCode: f.responseCode, code: f.code });
          return;
        }
        try {
          sentLog.append({ k, idempotencyKey, to: r.ref, messageId: String(mail.messageId), at: now.toISOString(), delivered: entries.map((e) => e.k) });
        } catch (err) {
          logger.warn('Sent-log write failed after delivery', { recipient: r.ref, code: (err as NodeJS.ErrnoException).code });
        }
        result.sent++;
        result.reminders += entries.length;
        logger.info('Digest sent', { recipient: r.ref, reminders: entries.length, messageId: mail.messageId });
      });
    }
    if (failures.length === 0) return result;
    const summary = summarise(failures);
    if (failures.some((f) => !f.permanent)) throw new SmtpTransientError(`Digest not delivered to all recipients, will retry: ${summary}`);
    throw ApplicationFailure.nonRetryable(`Digest permanently refused for ${failures.length} recipients: ${summary}`, SMTP_PERMANENT_FAILURE, { ...result, failures });
  }

  return { sendNotification, sendDigests };
}

/** MailDeps from the service configuration (worker/config.ts): SMTP when SMTP_HOST is set, else the outbox. */
export function mailDepsFromConfig(config: Pick<Config, 'smtp' | 'dataDir' | 'mailFrom' | 'linkSecret' | 'directoryFile' | 'api'>): MailDeps {
  const smtp = config.smtp;
  return {
    transport: smtp
      ? { kind: 'smtp', smtp: { host: smtp.host, port: smtp.port, secure: smtp.secure, auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined } }
      : { kind: 'outbox', dir: join(config.dataDir, 'outbox') },
    from: config.mailFrom,
    directory: directoryFromFile(config.directoryFile),
    publicUrl: config.api.publicUrl,
    linkSecret: config.linkSecret,
    sentLogFile: join(config.dataDir, 'mail', 'sent-log.jsonl'),
  };
}
