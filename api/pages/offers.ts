/**
 * The actions a professional can take on a household from a page, as freshly signed action links
 * for them (the same forms as the links in their mails): per task, its remedy and acknowledging
 * its escalation; for every household, the monthly evaluation and any checklist item. A page
 * offers them only to whom the action page will admit (linkActor), so no button leads to a refusal.
 */
import { randomBytes } from 'node:crypto';
import { validateCommand } from '../../domain/commands';
import type { Remedy } from '../../domain/deadlines';
import type { Actor } from '../../domain/model';
import type { Policy } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import { actionLabel, actionsOf, type MailAction } from '../../domain/notifications';
import { involvedProfessionals } from '../../domain/selectors';
import type { HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { actionLink, linkExpiry, type Action } from '../../platform/links';

/**
 * Who acts through an action link of `sub` (R-64): the professional it was made for while still
 * involved in the household (a role, either side of an open handover, the huisverbod), or an
 * involved organisation's lead acknowledging an escalation. Undefined: the link would be refused.
 */
export function linkActor(sub: string, action: Action, view: HouseholdView): Actor | undefined {
  if (sub.startsWith('lead:')) {
    const organisation = sub.slice('lead:'.length);
    return action === 'escalatie' && view.organisations.includes(organisation)
      ? { professionalId: sub, organisation, kind: 'professional' }
      : undefined;
  }
  const p = involvedProfessionals(view.state).find((x) => x.professionalId === sub);
  return p ? { professionalId: p.professionalId, organisation: p.organisation, kind: 'professional' } : undefined;
}

/** Links made on a page are for now, not for a mailbox: they expire the next day. */
const PAGE_LINK_DAYS = 1;

/**
 * Whether the workflow's update validator admits this actor to the household at all (R-50: the
 * trajectory is still open; R-64: their organisation is involved now). Its own admission checks
 * run first; an empty body gets past them only to be refused as input ('invoer').
 */
export function admitted(view: HouseholdView, actor: Actor, now: Date, policy: Policy): boolean {
  try {
    validateCommand(view.state, 'recordEvidence', {}, actor, now, policy);
    return true;
  } catch (err) {
    if (err instanceof MethodRefusal) return err.rule === 'invoer';
    throw err;
  }
}

/** Always open to an involved professional: scores of this month, and any checklist item. */
export const GENERAL_ACTIONS: readonly MailAction[] = [{ action: 'evaluatie' }, { action: 'bewijs' }];

export interface Offer {
  action: MailAction;
  href: string;
}

/** What one professional can do about one task of the plan. */
export type TaskOffers = (task: { key: string; level: number; responsible: readonly string[]; remedy?: Remedy }) => Offer[];

/** The signed forms one professional is offered on one household: per task of its plan, and those always open. */
export function offersFor(
  householdId: string,
  professionalId: string,
  secret: Buffer,
  now: Date,
): { forTask: TaskOffers; general: Offer[] } {
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
  return { forTask: (task) => sign(actionsOf([task], professionalId)), general: sign(GENERAL_ACTIONS) };
}

export function actionButtons(list: Offer[], quiet = false): SafeHtml {
  if (list.length === 0) return html``;
  return html`<div class="actions-inline">${list.map(
    (a) => html`<a class="button${quiet ? ' button-quiet' : ''}" href="${a.href}">${actionLabel(a.action)}</a>`,
  )}</div>`;
}
