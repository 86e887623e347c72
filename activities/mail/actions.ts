/**
 * The action links in one recipient's mail: each remedy the recipient may use (the incoming
 * professional confirms a handover, professionals record scores or evidence), acknowledging an
 * escalation (professionals, and leads from level 2 on), and a professional's own task list.
 * Every link is signed for this recipient, this household and this one action, and expires.
 */
import { randomBytes } from 'node:crypto';
import { actionLabel, type MailAction, type NotificationRequest } from '../../domain/notifications';
import { actionLink, linkExpiry, type Action } from '../../platform/links';
import type { ResolvedRecipient } from '../directory';

export interface ActionButton {
  label: string;
  href: string;
}

/** May this recipient use this action? */
function mayUse(a: MailAction, r: ResolvedRecipient, level: number): boolean {
  const professional = r.roles.includes('professional') || r.roles.includes('gedragswetenschapper');
  if (a.action === 'escalatie') return professional || (r.roles.includes('organisation_lead') && level >= 2);
  if (!r.roles.includes('professional')) return false;
  return !('for' in a) || !a.for || a.for.includes(r.sub);
}

export interface LinkMaker {
  publicUrl: string;
  secret: Buffer;
  ttlDays: number;
}

export function actionButtons(req: NotificationRequest, r: ResolvedRecipient, now: Date, m: LinkMaker): ActionButton[] {
  const exp = linkExpiry(now, m.ttlDays);
  const link = (action: Action, ref?: string, householdId: string | undefined = req.householdId) =>
    actionLink(m.publicUrl, m.secret, { householdId, action, sub: r.sub, ref, exp, nonce: randomBytes(9).toString('base64url') });
  const buttons = (req.actions ?? [])
    .filter((a) => mayUse(a, r, req.level))
    .map((a) => ({ label: actionLabel(a), href: link(a.action, a.ref) }));
  return buttons;
}

/** A professional's own task list, reachable from every mail they get. */
export function tasksLink(r: ResolvedRecipient, now: Date, m: LinkMaker): string | undefined {
  if (!r.roles.includes('professional') && !r.roles.includes('gedragswetenschapper')) return undefined;
  return actionLink(m.publicUrl, m.secret, {
    action: 'taken',
    sub: r.sub,
    // The organisation of the task list's owner: the intake reference is shown to its own people only.
    ref: r.organisation,
    exp: linkExpiry(now, m.ttlDays),
    nonce: randomBytes(9).toString('base64url'),
  });
}
