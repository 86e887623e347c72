/** in phase Veiligheid every child (or else every kwetsbare volwassene) is spoken to within two weeks. */
import { membersWithout, protectedMembers, responsibleProfessionals } from '../selectors';
import { addDays, dutchDate, morningOf } from '../time';
import { overdue, phaseStartDay } from './ladder';
import type { Cause } from './types';

/** due 14 days into phase Veiligheid while someone who must be spoken to has no kindgesprek yet. */
export const childConversationCause: Cause = (s, _now, policy) => {
  const notSpokenTo = membersWithout(s, 'kindgesprek', protectedMembers(s));
  if (s.phase !== 'veiligheid' || notSpokenTo.length === 0) return [];
  const phaseStart = phaseStartDay(s);
  const due = addDays(phaseStart, policy.childConversationDays);
  return [
    {
      key: `R-13:kindgesprek:${phaseStart}`,
      kind: 'kindgesprek',
      rule: 'R-13',
      reason: `Uiterlijk ${dutchDate(due)} is elk kind (of de kwetsbare volwassene) gesproken over de zorgen en wat nu nodig is; nog niet gesproken: ${notSpokenTo.map((m) => m.ref).join(', ')}.`,
      remindAt: morningOf(addDays(due, -policy.childConversationReminderDaysBefore)),
      ...overdue(morningOf(due), policy),
      responsible: responsibleProfessionals(s),
      remedy: { action: 'bewijs', ref: 'kindgesprek' },
    },
  ];
};
