/**
 * The actions a professional can take on a household from a page, as freshly signed action links
 * for them (the same forms as the links in their mails): per task, its remedy and acknowledging
 * its escalation; for every household, the monthly evaluation and any checklist item.
 */
import { randomBytes } from 'node:crypto';
import type { Remedy } from '../../domain/deadlines';
import { actionLabel, actionsOf, type MailAction } from '../../domain/notifications';
import { html, type SafeHtml } from '../../platform/html';
import { actionLink, linkExpiry } from '../../platform/links';

/** Links made on a page are for now, not for a mailbox: they expire the next day. */
const PAGE_LINK_DAYS = 1;

/** Always open to an involved professional: scores of this month, and any checklist item. */
export const GENERAL_ACTIONS: readonly MailAction[] = [{ action: 'evaluatie' }, { action: 'bewijs' }];

export interface Offer {
  action: MailAction;
  href: string;
}

/** What one professional can do about one task of the plan. */
export type TaskOffers = (task: { key: string; level: number; responsible: readonly string[]; remedy?: Remedy }) => Offer[];

export function offerMaker(householdId: string, professionalId: string, secret: Buffer, now: Date) {
  const sign = (actions: readonly MailAction[]): Offer[] =>
    actions.map((action) => ({
      action,
      href: actionLink('', secret, {
        householdId,
        action: action.action,
        sub: professionalId,
        ref: action.ref,
        exp: linkExpiry(now, PAGE_LINK_DAYS),
        nonce: randomBytes(9).toString('base64url'),
      }),
    }));
  const forTask: TaskOffers = (task) => sign(actionsOf([task], professionalId));
  return { forTask, general: () => sign(GENERAL_ACTIONS) };
}

export function actionButtons(list: Offer[], quiet = false): SafeHtml {
  if (list.length === 0) return html``;
  return html`<div class="actions-inline">${list.map(
    (a) => html`<a class="button${quiet ? ' button-quiet' : ''}" href="${a.href}">${actionLabel(a.action)}</a>`,
  )}</div>`;
}
