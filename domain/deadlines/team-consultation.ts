/**
 * in each phase the professionals discuss the household with their team or other
 * organisations. A habit of the parallel process (a safe learning climate, questions prepared
 * together), neither an exit criterion nor a duty towards the household's safety: reminders that
 * repeat until the phase's consultation is recorded, never an escalation to leads or the
 * coordinator, which would not make the climate safer. Afstemming is left out: it is meant to
 * last days, and its consultation is the coordination itself.
 */
import { hasEvidence } from '../criteria';
import { PHASE_LABEL } from '../model';
import { responsibleProfessionals } from '../selectors';
import { addDays, dutchDate, morningOf } from '../time';
import { phaseStartDay } from './ladder';
import type { Cause } from './types';

/** a repeating reminder some weeks into Veiligheid, Risico gestuurd and Herstel while the phase has no teamoverleg. */
export const teamConsultationCause: Cause = (s, _now, policy) => {
  if (s.phase !== 'veiligheid' && s.phase !== 'risicogestuurd' && s.phase !== 'herstel') return [];
  const phaseStart = phaseStartDay(s);
  if (hasEvidence(s, 'teamoverleg', phaseStart)) return [];
  const expected = addDays(phaseStart, policy.teamConsultationAfterDays);
  return [
    {
      key: `R-63:teamoverleg:${s.phase}:${phaseStart}`,
      kind: 'teamoverleg',
      rule: 'R-63',
      reason: `In elke fase bespreken de professionals het huishouden met hun team of met andere organisaties. Voor ${PHASE_LABEL[s.phase]} (sinds ${dutchDate(phaseStart)}) is dat nog niet vastgelegd; verwacht uiterlijk ${dutchDate(expected)}.`,
      remindAt: morningOf(expected),
      repeatDays: policy.teamConsultationReminderEveryDays,
      responsible: responsibleProfessionals(s),
      remedy: { action: 'bewijs', ref: 'teamoverleg' },
    },
  ];
};
