/** within days of the report a professional takes on phase Veiligheid (the owner), or the ladder starts. */
import { addWorkingDays } from '../calendar';
import { responsibleProfessionals } from '../selectors';
import { morningOf } from '../time';
import { dayOf, overdue } from './ladder';
import type { Cause } from './types';

/** while Afstemming has no owner, a reminder after 2 working days (repeated) and the ladder after 5. */
export const ownerCause: Cause = (s, _now, policy) => {
  if (s.phase !== 'afstemming' || s.roles.eigenaar_veiligheid) return [];
  const start = dayOf(s.startedAt);
  return [
    {
      key: 'R-02:eigenaar',
      kind: 'eigenaar_ontbreekt',
      rule: 'R-02',
      reason: 'Er is nog geen professional die met huishouden en netwerk de analyse maakt en directe veiligheid brengt.',
      remindAt: morningOf(addWorkingDays(start, policy.ownerReminderWorkingDays)),
      repeatDays: policy.ownerReminderEveryDays,
      ...overdue(morningOf(addWorkingDays(start, policy.ownerEscalationWorkingDays)), policy),
      responsible: responsibleProfessionals(s),
    },
  ];
};
