/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives and can be told to
 * refuse: the mail activities are tested against the wire, not against a mock. Connection errors
 * (a client killed in the middle of a mail) are kept in `errors` for the test to judge; without a
 * listener smtp-server would throw them out of the event loop and take jest down.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  /** Date.now() when the server replied 250 to DATA: from here until the sent-log's mark is the crash window. */
  acceptedAt: number;
}

/** accept, or refuse with this reply code at RCPT TO or after DATA; optionally only for some addresses. */
export type CatcherMode =
  | { kind: 'accept' }
  | { kind: 'refuse'; code: number; at: 'rcpt' | 'data'; only?: string[] }
  /** Refuse these addresses at RCPT TO with their own reply codes. */
  | { kind: 'perAddress'; codes: Record<string, number> };

export interface SmtpCatcher {
  port: number;
  received: ReceivedMail[];
  mode: CatcherMode;
  /** Number of RCPT/DATA refusals the server gave. */
  refusals: number;
  /**
   * Asked before a message is accepted (with the count of messages that reached DATA so far): resolve
   * nothing to accept it, or a reply code to refuse it. The reply (250 or the refusal) waits for it.
   */
  gate?: (arrived: number) => Promise<number | undefined>;
  /** Errors of the server's connections (e.g. ECONNRESET when a sending process dies). */
  errors: (Error & { code?: string })[];
  close(): Promise<void>;
}

function refusal(code: number): Error & { responseCode: number } {
  const err = new Error(code >= 500 ? `${code} 5.1.1 mailbox unavailable` : `${code} 4.3.0 try again later`) as Error & {
    responseCode: number;
  };
  err.responseCode = code;
  return err;
}

export async function startSmtp(options: Partial<SMTPServerOptions> = {}): Promise<SmtpCatcher> {
  const catcher: SmtpCatcher = {
    port: 0,
    received: [],
    mode: { kind: 'accept' },
    refusals: 0,
    errors: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  let arrived = 0;
  const refuses = (address: string) =>
    catcher.mode.kind === 'refuse' && (!catcher.mode.only || catcher.mode.only.includes(address.toLowerCase()));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...options,
    onRcptTo(address, _session, callback) {
      const m = catcher.mode;
      if (m.kind === 'refuse' && m.at === 'rcpt' && refuses(address.address)) {
        catcher.refusals++;
        return callback(refusal(m.code));
      }
      const code = m.kind === 'perAddress' ? m.codes[address.address.toLowerCase()] : undefined;
      if (code) {
        catcher.refusals++;
        return callback(refusal(code));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const gated = catcher.gate ? await catcher.gate(++arrived) : undefined;
        if (gated) {
          catcher.refusals++;
          return callback(refusal(gated));
        }
        const m = catcher.mode;
        const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
        if (m.kind === 'refuse' && m.at === 'data' && to.some(refuses)) {
          catcher.refusals++;
          return callback(refusal(m.code));
        }
        const from = session.envelope.mailFrom;
        catcher.received.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: to,
          raw: Buffer.concat(chunks),
          acceptedAt: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', (err: Error) => catcher.errors.push(err));
  catcher.port = (server.server.address() as AddressInfo).port;
  return catcher;
}

/** Between the tests that share one catcher: nothing received, accepting again, no refusals counted. */
export function resetCatcher(catcher: SmtpCatcher): void {
  catcher.received.length = 0;
  catcher.mode = { kind: 'accept' };
  catcher.refusals = 0;
}

/** A loopback port on which nothing listens (connection refused). */
export async function closedPort(): Promise<number> {
  const c = await startSmtp();
  const port = c.port;
  await c.close();
  return port;
}
