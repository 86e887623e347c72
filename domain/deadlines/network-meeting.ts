/** R-36 (R-46 in Herstel): a netwerkberaad with evaluation of the safety scales about every month. */
import { addDays, dutchDate } from '../time';
import { meetingDeadline, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** the next netwerkberaad, a month after the last one of this phase (or after the phase start). */
export const networkMeetingCause: Cause = (s, _now, policy) => {
  if (s.phase !== 'risicogestuurd' && s.phase !== 'herstel') return [];
  const phaseStart = phaseStartDay(s);
  const last = s.evidence
    .filter((e) => e.item === 'netwerkberaad' && e.date >= phaseStart)
    .map((e) => e.date)
    .sort()
    .at(-1);
  const due = addDays(last ?? phaseStart, policy.networkMeetingEveryDays);
  return [
    meetingDeadline(s, policy, due, 10, {
      key: `R-36:netwerkberaad:${due}`,
      kind: 'netwerkberaad',
      remedy: { action: 'bewijs', ref: 'netwerkberaad' },
      rule: s.phase === 'herstel' ? 'R-46' : 'R-36',
      reason: `Het volgende netwerkberaad met evaluatie van de veiligheidsschalen staat gepland rond ${dutchDate(due)}.`,
    }),
  ];
};
