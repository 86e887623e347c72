/**
 * From a notification (or a day's digest) to the mail one recipient receives: Dutch text from the
 * templates, a Message-ID derived from the idempotency key and address (identical on every retry),
 * headers that keep out-of-office replies away, and a calendar invite for meetings.
 */
import { createHash } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import { PHASE_LABEL } from '../../domain/model';
import type { NotificationRequest } from '../../domain/notifications';
import { formatDutch } from '../../domain/time';
import type { ResolvedRecipient } from '../directory';
import { buildInvite } from './invite';
import { TEMPLATES, type MailKind, type RenderedMail, type TemplateContext } from './templates';

/** Key of one mail: idempotency key plus lower-cased address (sha256 hex; addresses stay out of the log). */
export function sentKey(idempotencyKey: string, address: string): string {
  return createHash('sha256').update(`${idempotencyKey}\n${address.trim().toLowerCase()}`).digest('hex');
}

/** The Message-ID of one mail: the same for every retry of the same notification to the same address. */
export function messageIdFor(idempotencyKey: string, address: string, domain: string): string {
  return `<rk-${sentKey(idempotencyKey, address).slice(0, 40)}@${domain}>`;
}

export interface Sender {
  name: string;
  address: string;
  domain: string;
}

/** Splits 'Name <addr@domain>' or 'addr@domain'. */
export function parseFrom(from: string): Sender {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  const address = (m ? m[2]! : from).trim();
  const name = (m ? m[1]! : '').trim() || 'Routekaart naar Veiligheid';
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '') || 'routekaart.local' : 'routekaart.local';
  return { name, address, domain };
}

export function phaseLabel(phase: string): string {
  return (PHASE_LABEL as Record<string, string>)[phase] ?? phase;
}

/** One mail to one recipient. */
export function envelope(
  sender: Sender,
  r: ResolvedRecipient,
  rendered: RenderedMail,
  idempotencyKey: string,
  headers: Record<string, string>,
): SendMailOptions {
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

/** The template context of a notification for one recipient. */
export function notificationContext(
  req: NotificationRequest,
  r: ResolvedRecipient,
  link: string,
  linkValidUntil: string,
  extras: Pick<TemplateContext, 'actions' | 'tasksLink'> = {},
): TemplateContext {
  return {
    ...extras,
    // A professional recognises a family by their own organisation's reference.
    reference: req.intake && r.organisation === req.intake.organisation ? req.intake.reference : undefined,
    kind: req.kind as MailKind,
    level: req.level,
    householdId: req.householdId,
    rule: req.rule,
    reason: req.reason,
    since: formatDutch(req.since),
    phase: phaseLabel(req.phase),
    meetingAt: req.meetingAt ? formatDutch(req.meetingAt) : undefined,
    link,
    linkValidUntil,
    recipient: { name: r.name, roles: r.roles, organisationName: r.organisationName, notes: r.notes },
  };
}

/** Meetings carry an invite; a later mail about the same meeting updates it. */
export function withInvite(
  mail: SendMailOptions,
  req: NotificationRequest,
  sender: Sender,
  r: ResolvedRecipient,
  now: Date,
): SendMailOptions {
  if (!req.meetingAt) return mail;
  return {
    ...mail,
    icalEvent: {
      method: 'REQUEST',
      filename: 'uitnodiging.ics',
      content: buildInvite({
        householdId: req.householdId,
        kind: req.kind,
        rule: req.rule,
        meetingAt: req.meetingAt,
        level: req.level,
        title: TEMPLATES[req.kind as MailKind].title,
        organizer: { name: sender.name, email: sender.address },
        attendee: { name: r.name, email: r.address },
        now,
        uidDomain: sender.domain,
      }),
    },
  };
}
