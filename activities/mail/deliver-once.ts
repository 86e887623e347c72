/**
 * One mail to one recipient, at most once: the single path both notifications and digests take.
 * Under a per-key lock it checks the sent-log, sends, classifies a failure, and records the
 * accepted mail. A crash between the server's acceptance and the record makes the retry send that
 * one mail again, with the identical Message-ID (which mail clients fold into one).
 */
import type { SendMailOptions } from 'nodemailer';
import { classify, type Failure } from './failures';

export interface MailLogger {
  info(message: string, attrs: Record<string, unknown>): void;
  warn(message: string, attrs: Record<string, unknown>): void;
}

export type Deliver = (mail: SendMailOptions, fileStem: string) => Promise<void>;

export type Outcome =
  { kind: 'sent'; messageId: string } | { kind: 'skipped' } | { kind: 'diverted' } | { kind: 'failed'; failure: Failure };

export interface OnceStep {
  /** Lock key: two concurrent attempts in this process never both send. */
  lock: string;
  /** Already sent (or queued) by an earlier attempt? */
  done: () => boolean;
  /** Instead of sending now (e.g. into a digest queue); true when it took the mail. */
  divert?: () => boolean;
  /** The mail, built only when it will be sent. */
  mail: () => SendMailOptions;
  fileStem: string;
  /** Pseudonymous reference of the recipient, for logs and failures. */
  recipient: string;
  /** Records the accepted mail; failures are logged, this process then still remembers it. */
  record: (messageId: string) => void;
}

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

export function deliverOnce(step: OnceStep, deliver: Deliver, logger: MailLogger, attrs: Record<string, unknown>): Promise<Outcome> {
  const log = { ...attrs, recipient: step.recipient };
  return withLock(step.lock, async (): Promise<Outcome> => {
    if (step.done()) {
      logger.info('Mail already sent, skipped', log);
      return { kind: 'skipped' };
    }
    if (step.divert?.()) {
      logger.info('Reminder queued for daily digest', log);
      return { kind: 'diverted' };
    }
    const mail = step.mail();
    try {
      await deliver(mail, step.fileStem);
    } catch (err) {
      const failure = classify(err, step.recipient);
      logger.warn('Mail not delivered', { ...log, permanent: failure.permanent, responseCode: failure.responseCode, code: failure.code });
      return { kind: 'failed', failure };
    }
    const messageId = String(mail.messageId);
    try {
      step.record(messageId);
    } catch (err) {
      // Accepted but not recorded: this process remembers it; a retry elsewhere may send one duplicate.
      logger.warn('Sent-log write failed after delivery', { ...log, code: (err as NodeJS.ErrnoException).code });
    }
    logger.info('Mail sent', { ...log, messageId });
    return { kind: 'sent', messageId };
  });
}
