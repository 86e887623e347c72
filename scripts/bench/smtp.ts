/**
 * An SMTP receiver on loopback that notes, for every mail, when it arrived and Routekaart's own
 * headers (household, rule, level, kind), and throws the body away: it can take tens of
 * thousands of mails in one run (test/mail/support/smtp.ts keeps whole mails, for the tests that
 * read them).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onCleanup } from './lifecycle';

export interface Arrival {
  /** Date.now() when the DATA phase ended. */
  at: number;
  household?: string;
  rule?: string;
  level?: string;
  kind?: string;
  to: string[];
}

export interface MailCatcher {
  port: number;
  arrivals: Arrival[];
  close(): Promise<void>;
}

function header(head: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(head);
  return m?.[1]?.trim();
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const arrivals: Arrival[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 500,
    onData(stream, session, callback) {
      let head = '';
      let done = false;
      stream.on('data', (c: Buffer) => {
        if (done) return;
        head += c.toString('latin1');
        const end = head.search(/\r?\n\r?\n/);
        if (end >= 0) {
          head = head.slice(0, end);
          done = true;
        } else if (head.length > 64_000) done = true;
      });
      stream.on('end', () => {
        arrivals.push({
          at: Date.now(),
          household: header(head, 'X-Routekaart-Household'),
          rule: header(head, 'X-Routekaart-Rule'),
          level: header(head, 'X-Routekaart-Level'),
          kind: header(head, 'X-Routekaart-Kind'),
          to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const stop = onCleanup('SMTP catcher', close);
  return { port: (server.server.address() as AddressInfo).port, arrivals, close: stop };
}
