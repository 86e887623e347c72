/** before closure the professionals meet at least once and agree who is to be called in future. */
import { hasEvidence } from '../criteria';
import { addDays, dutchDate } from '../time';
import { meetingDeadline, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** R-48: a planned professionals' meeting in Herstel (at 14:00), until one is recorded in this phase. */
export const professionalsMeetingCause: Cause = (s, _now, policy) => {
  const phaseStart = phaseStartDay(s);
  if (s.phase !== 'herstel' || hasEvidence(s, 'professionaloverleg', phaseStart)) return [];
  const due = addDays(phaseStart, policy.professionalsMeetingAfterDays);
  return [
    meetingDeadline(s, policy, due, 14, {
      key: `R-48:overleg:${due}`,
      kind: 'professionaloverleg',
      remedy: { action: 'bewijs', ref: 'professionaloverleg' },
      rule: 'R-48',
      reason: `Voor afsluiting komen de professionals minstens één keer bij elkaar; gepland rond ${dutchDate(due)}. Spreek af wie in de toekomst te bellen is.`,
    }),
  ];
};
