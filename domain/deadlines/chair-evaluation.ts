/** in Herstel the role of network chair and owner of the safety plan is evaluated. */
import { hasEvidence } from '../criteria';
import { addDays, dutchDate } from '../time';
import { meetingDeadline, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** a planned evaluation some months into Herstel, until one is recorded in this phase. */
export const chairEvaluationCause: Cause = (s, _now, policy) => {
  const phaseStart = phaseStartDay(s);
  if (s.phase !== 'herstel' || hasEvidence(s, 'evaluatie_netwerkvoorzitter', phaseStart)) return [];
  const due = addDays(phaseStart, policy.chairEvaluationAfterDays);
  return [
    meetingDeadline(s, policy, due, 10, {
      key: `R-49:evaluatie:${due}`,
      kind: 'evaluatie_netwerkvoorzitter',
      remedy: { action: 'bewijs', ref: 'evaluatie_netwerkvoorzitter' },
      rule: 'R-49',
      reason: `De rol van netwerkvoorzitter en eigenaar van het veiligheidsplan wordt geëvalueerd, gepland rond ${dutchDate(due)}.`,
    }),
  ];
};
