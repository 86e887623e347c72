/**
 * R-24, the warm handover: "pas loslaten als je collega gestart is". While a handover is open the
 * outgoing professional stays responsible and keeps the reminders, together with the incoming
 * one; only the incoming professional can take the cause away, by confirming the start with the
 * household present. Left open, it climbs the ladder, and each level is repeated until the start
 * is confirmed (plan.ts): never silent. The refusals of R-24 are in commands.ts, when a handover
 * is open in selectors.ts, and the exit criterion in criteria.ts.
 */
import { ROLE_LABEL, type Handover, type HouseholdState } from '../model';
import { openHandovers } from '../selectors';
import { addDaysToInstant, dutchDate } from '../time';
import { dayOf, overdue } from './ladder';
import type { Cause } from './types';

/** every open handover reminds outgoing and incoming every few days, and escalates after a week. */
export const handoverCause: Cause = (s, _now, policy) =>
  openHandovers(s).map((h) => ({
    key: `R-24:overdracht:${h.id}`,
    kind: 'overdracht',
    rule: 'R-24',
    reason: `De overdracht van de rol ${ROLE_LABEL[h.role]} van ${h.from.professionalId} naar ${h.to.professionalId} staat open sinds ${dutchDate(dayOf(h.requestedAt))}: pas loslaten als je collega gestart is.`,
    remindAt: addDaysToInstant(h.requestedAt, policy.handoverReminderEveryDays),
    repeatDays: policy.handoverReminderEveryDays,
    ...overdue(addDaysToInstant(h.requestedAt, policy.handoverEscalationDays), policy),
    responsible: [h.from, h.to],
    remedy: { action: 'overdracht_start', ref: h.id, for: [h.to.professionalId] },
  }));

/**
 * R-24's two ends as mails, each once: a requested handover to the incoming professional (with the
 * form to confirm the start), a started one to the outgoing professional (now they may let go). A
 * handover withdrawn or started before its request went out needs no request mail any more.
 */
export function handoverNotices(s: Pick<HouseholdState, 'handovers'>): HandoverNotice[] {
  return s.handovers.flatMap((h): HandoverNotice[] => {
    if (h.confirmedAt) return h.startNoticed ? [] : [{ handover: h, step: 'gestart' }];
    if (h.cancelledAt || h.requestNoticed) return [];
    return [{ handover: h, step: 'gevraagd' }];
  });
}

export interface HandoverNotice {
  handover: Handover;
  step: 'gevraagd' | 'gestart';
}
