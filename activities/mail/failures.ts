/**
 * What a failed delivery means. Transient failures (connection refused or dropped, timeouts, 4xx
 * replies, and authentication errors, which an operator fixes in configuration) throw a plain
 * Error, so Temporal retries with backoff; the workflow bounds the total and escalates afterwards.
 * A permanent rejection (5xx, except 503 "bad sequence") throws a non-retryable ApplicationFailure.
 * Never keeps the server's reply text: it may quote addresses.
 */
import { ApplicationFailure } from '@temporalio/common';

export const SMTP_PERMANENT_FAILURE = 'SmtpPermanentFailure';

/** Thrown for failures worth retrying; Temporal retries it (type 'SmtpTransientError'). */
export class SmtpTransientError extends Error {
  override readonly name = 'SmtpTransientError';
}

export interface Failure {
  /** Pseudonymous reference of the recipient. */
  recipient: string;
  permanent: boolean;
  /** The server could not be reached or talked to at all: the other recipients would fail alike. */
  unreachable: boolean;
  responseCode?: number;
  code?: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED']);

/** Classifies a nodemailer error by its reply code. */
export function classify(err: unknown, recipient: string): Failure {
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

/** Throws for an attempt that left failures: retryable if any of them may pass later, else permanent. */
export function throwForFailures(what: string, failures: Failure[], total: number, details: object): void {
  if (failures.length === 0) return;
  const summary = summarise(failures);
  if (failures.some((f) => !f.permanent)) {
    throw new SmtpTransientError(`${what} not delivered to all ${total} recipients, will retry: ${summary}`);
  }
  throw ApplicationFailure.nonRetryable(
    `${what} permanently refused for ${failures.length} of ${total} recipients: ${summary}`,
    SMTP_PERMANENT_FAILURE,
    {
      ...details,
      failures,
    },
  );
}
