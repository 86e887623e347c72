/** a phase that runs longer than expected is looked at: which criteria are still open? */
import { PHASE_LABEL } from '../model';
import { responsibleProfessionals } from '../selectors';
import { addDays, count, dutchDate, morningOf } from '../time';
import { overdue, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** a reminder before the phase's expected length (policy) has passed, and the ladder once it has. Not in Afstemming. */
export const phaseDurationCause: Cause = (s, _now, policy) => {
  if (s.phase === 'afstemming' || s.phase === 'afgesloten') return [];
  const phaseStart = phaseStartDay(s);
  const days = policy.expectedPhaseDays[s.phase];
  const due = addDays(phaseStart, days);
  return [
    {
      key: `R-62:fase:${s.phase}:${phaseStart}`,
      kind: 'fase_duurt_lang',
      rule: 'R-62',
      reason: `${PHASE_LABEL[s.phase]} loopt sinds ${dutchDate(phaseStart)}; verwacht is afronding binnen ${count(days, 'dag', 'dagen')}, uiterlijk ${dutchDate(due)}. Bekijk welke criteria nog openstaan.`,
      remindAt: morningOf(addDays(due, -policy.phaseStallReminderDaysBefore)),
      ...overdue(morningOf(due), policy),
      responsible: responsibleProfessionals(s),
    },
  ];
};
