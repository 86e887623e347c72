/** before a huisverbod ends, the veiligheidsplanner has taken over, with the household present. */
import { huisverbodHandoverDone, responsibleProfessionals } from '../selectors';
import { addDaysToInstant, formatDutch } from '../time';
import { ladderBefore } from './ladder';
import type { Cause } from './types';

/**
 * while no veiligheidsplanner handover is confirmed, reminders before the end and a ladder
 * planned back from it; its mail goes out at any hour once no working moment is left before the
 * end. An extension moves the end and re-plans (new key).
 */
export const huisverbodCause: Cause = (s, _now, policy) => {
  const hv = s.huisverbod;
  if (!hv || huisverbodHandoverDone(s)) return [];
  const ladder = ladderBefore(hv.endAt, policy);
  const others = responsibleProfessionals(s).filter((p) => p.professionalId !== hv.guidedBy.professionalId);
  return [
    {
      key: `R-25:huisverbod:${hv.startDate}:${hv.endAt}`,
      kind: 'huisverbod',
      rule: 'R-25',
      reason: `Het huisverbod eindigt ${formatDutch(hv.endAt)}; vóór dat moment moet de overdracht naar de veiligheidsplanner gestart zijn, met het huishouden erbij.`,
      remindAt: addDaysToInstant(hv.endAt, -policy.huisverbodReminderDaysBefore),
      repeatDays: policy.huisverbodReminderEveryDays,
      overdueAt: ladder[0],
      ladder,
      urgentBefore: hv.endAt,
      responsible: [hv.guidedBy, ...others],
    },
  ];
};
