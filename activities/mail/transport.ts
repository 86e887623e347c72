/**
 * Where mail goes: a real SMTP server, or (no SMTP configured, a local run) an outbox folder of
 * .eml files. `send` resolves only once the server accepted the mail or the file is on disk; the
 * process sends at most `maxInFlight` mails at once (deliverOnce holds a slot from claim to mark),
 * so a crash can catch only that many between the server's acceptance and the sent-log's mark.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';

export interface SmtpOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Refuse to send unless STARTTLS succeeds. */
  requireTLS?: boolean;
  tls?: { rejectUnauthorized?: boolean; servername?: string };
  /** Mails this process sends at once (MAIL_SEND_CONCURRENCY); default DEFAULT_MAX_IN_FLIGHT. */
  maxInFlight?: number;
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

function createTransporter(t: MailTransport): Transporter {
  if (t.kind === 'transporter') return t.transporter;
  if (t.kind === 'outbox') return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return nodemailer.createTransport({
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
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file atomically and durably, readable by its owner only: temp file, fsync, rename, fsync of the folder. */
function writeDurably(dir: string, name: string, data: Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, data, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  fsyncDir(dir);
}

function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
}

/** A few at once keeps the crash window small and the database free for the marks; enough for a burst over loopback or a relay. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** Runs at most `max` functions at once; the others wait in arrival order. */
export function slots(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let free = max;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

export interface Delivery {
  /** Runs `fn` (claim, send, mark) holding one of the process's send slots. */
  inSlot<T>(fn: () => Promise<T>): Promise<T>;
  /** Hands one mail over; resolves once the server accepted it or the file is on disk. */
  send(mail: SendMailOptions, fileStem: string): Promise<void>;
}

/** The delivery of one process; the transporter is built on first use. */
export function mailDelivery(transport: MailTransport): Delivery {
  let transporter: Transporter | undefined;
  const max = (transport.kind === 'smtp' ? transport.smtp.maxInFlight : undefined) ?? DEFAULT_MAX_IN_FLIGHT;
  return {
    inSlot: slots(max),
    send: async (mail, fileStem) => {
      transporter ??= createTransporter(transport);
      const info = (await transporter.sendMail(mail)) as { message?: unknown };
      if (transport.kind !== 'outbox') return;
      if (!Buffer.isBuffer(info.message)) throw new Error('Outbox transport returned no message buffer');
      writeDurably(transport.dir, `${safeFileName(fileStem)}.eml`, info.message);
    },
  };
}
