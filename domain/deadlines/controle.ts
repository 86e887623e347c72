/**
 * someone checks, by planned and unannounced visits, that the safety agreements are kept.
 * A duty of the professionals who run the phase, not a habit: the checks are part of the safety
 * plan, the criteria rest on agreements "carried out and monitored",
 * and without them nobody knows whether the child is safe. So: a reminder once the interval has
 * passed without a controle, repeated, and the escalation ladder after a further grace period,
 * as for every safety duty left undone (section 6). A controle starts the interval again (new key).
 */
import { PHASE_LABEL } from '../model';
import { responsibleProfessionals } from '../selectors';
import { addDays, count, dutchDate, morningOf } from '../time';
import { overdue, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** in Veiligheid, Risico gestuurd and Herstel, the next controle is due an interval after the last one of the phase. */
export const controleCause: Cause = (s, _now, policy) => {
  if (s.phase !== 'veiligheid' && s.phase !== 'risicogestuurd' && s.phase !== 'herstel') return [];
  const phaseStart = phaseStartDay(s);
  const last = s.evidence
    .filter((e) => e.item === 'controle' && e.date >= phaseStart)
    .map((e) => e.date)
    .sort()
    .at(-1);
  const due = addDays(last ?? phaseStart, policy.controleEveryDays);
  const rhythm = `Verwacht is minstens elke ${count(policy.controleEveryDays, 'dag', 'dagen')} een controle, gepland of onaangekondigd, bij voorkeur door het netwerk: de volgende uiterlijk ${dutchDate(due)}.`;
  const situation = last
    ? `De laatste controle van de veiligheidsafspraken was op ${dutchDate(last)}.`
    : `Sinds de start van ${PHASE_LABEL[s.phase]} op ${dutchDate(phaseStart)} is nog geen controle van de veiligheidsafspraken vastgelegd.`;
  return [
    {
      key: `R-60:controle:${due}`,
      kind: 'controle',
      rule: 'R-60',
      reason: `${situation} ${rhythm}`,
      remindAt: morningOf(due),
      repeatDays: policy.controleReminderEveryDays,
      ...overdue(morningOf(addDays(due, policy.controleEscalationDaysAfter)), policy),
      responsible: responsibleProfessionals(s),
      remedy: { action: 'bewijs', ref: 'controle' },
    },
  ];
};
