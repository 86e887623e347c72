/**
 * One mail to one recipient, at most once across every worker process: the single path both
 * notifications and digests take. It checks the shared sent-log, claims the mail for this attempt
 * (two workers never send it at the same time), sends, and marks it sent, or releases the claim
 * when sending failed. The window that remains: a crash after the SMTP server accepted the mail
 * and before it is marked sent; once the claim's lease has run out, a retry sends it again with
 * the identical Message-ID (mail clients fold such duplicates into one). The window is kept as
 * short as it can be: the mark follows the acceptance with nothing awaited in between, it is one
 * statement, and claim to mark happens inside one of the process's few send slots, so a crash
 * catches at most that many mails in the window and the marks never queue behind a burst of sends.
 */
import type { SendMailOptions } from 'nodemailer';
import type { MailStore } from '../../platform/store/mail';
import { classify, type Failure } from './failures';
import type { Delivery } from './transport';

export interface MailLogger {
  info(message: string, attrs: Record<string, unknown>): void;
  warn(message: string, attrs: Record<string, unknown>): void;
}

export type Outcome =
  { kind: 'sent'; messageId: string } | { kind: 'skipped' } | { kind: 'diverted' } | { kind: 'failed'; failure: Failure };

export interface OnceStep {
  /** The sent-log key: idempotency key and address, hashed. */
  key: string;
  idempotencyKey: string;
  /** Pseudonymous reference of the recipient, for logs, failures and the sent-log. */
  recipient: string;
  /** Instead of sending now (into a digest queue); true when it took the mail. */
  divert?: () => Promise<boolean>;
  /** The mail, built only when it will be sent. */
  mail: () => SendMailOptions;
  fileStem: string;
  /** Digest entries this mail delivers. */
  delivered?: string[];
}

export interface OnceDeps {
  store: MailStore;
  deliver: Delivery;
  logger: MailLogger;
  /** How long a claim holds: at least as long as one attempt may take. */
  leaseMs: number;
}

export async function deliverOnce(step: OnceStep, deps: OnceDeps, attrs: Record<string, unknown>): Promise<Outcome> {
  const { store, logger } = deps;
  const log = { ...attrs, recipient: step.recipient };
  if ((await store.isSent(step.key)) || (await store.isQueued(step.key))) {
    logger.info('Mail already sent, skipped', log);
    return { kind: 'skipped' };
  }
  if (step.divert && (await step.divert())) {
    logger.info('Reminder queued for daily digest', log);
    return { kind: 'diverted' };
  }
  const mail = step.mail();
  const messageId = String(mail.messageId);
  return deps.deliver.inSlot(() => claimSendMark(step, mail, messageId, deps, log));
}

/** Claim, send and mark, holding a send slot: the claim's lease starts only when sending does. */
async function claimSendMark(
  step: OnceStep,
  mail: SendMailOptions,
  messageId: string,
  deps: OnceDeps,
  log: Record<string, unknown>,
): Promise<Outcome> {
  const { store, logger } = deps;
  const claim = await store.claim({
    key: step.key,
    idempotencyKey: step.idempotencyKey,
    recipient: step.recipient,
    messageId,
    leaseMs: deps.leaseMs,
  });
  if (claim.kind === 'sent') {
    logger.info('Mail already sent, skipped', log);
    return { kind: 'skipped' };
  }
  if (claim.kind === 'busy') {
    // Another attempt (another worker) is sending it right now: retry later, it will be marked sent.
    logger.info('Mail being sent by another attempt', log);
    return { kind: 'failed', failure: { recipient: step.recipient, permanent: false, unreachable: false, code: 'IN_FLIGHT' } };
  }
  try {
    await deps.deliver.send(mail, step.fileStem);
  } catch (err) {
    await store.release(step.key, claim.token).catch(() => undefined);
    const failure = classify(err, step.recipient);
    logger.warn('Mail not delivered', { ...log, permanent: failure.permanent, responseCode: failure.responseCode, code: failure.code });
    return { kind: 'failed', failure };
  }
  // The server accepted it: the crash window is open until this mark commits, so nothing is awaited before it.
  try {
    await store.markSent(step.key, claim.token, step.delivered);
  } catch (err) {
    // Accepted but not recorded: after the lease a retry sends it once more, with the same Message-ID.
    logger.warn('Sent-log write failed after delivery', { ...log, code: (err as { code?: string }).code });
  }
  logger.info('Mail sent', { ...log, messageId });
  return { kind: 'sent', messageId };
}
