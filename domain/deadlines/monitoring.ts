/**
 * Issue 21, R-20 / R-60: an agreement of the plan in force whose monitoring period passes without
 * a log entry. The casusregisseur is reminded the morning after the check was due, naming the
 * member who checks, and the cause climbs the escalation ladder like every other overdue check
 * (section 6). A log entry moves the due day, so the key (and the reminder) changes with it.
 */
import { planInForce, planLogOf, plansOf, monitoringGaps } from '../safety-plan';
import { responsibleProfessionals } from '../selectors';
import { addDays, count, dutchDate, morningOf } from '../time';
import { overdue } from './ladder';
import type { Cause } from './types';

/** Every agreement's due day, independent of now: no day lies after this one. */
const LAST_DAY = '2999-12-31';

export const monitoringCause: Cause = (s, _now, policy) => {
  if (s.phase !== 'veiligheid' && s.phase !== 'risicogestuurd' && s.phase !== 'herstel') return [];
  const plan = planInForce(s, plansOf(s));
  if (!plan) return [];
  const regisseur = s.roles.casusregisseur;
  const responsible = regisseur
    ? [{ professionalId: regisseur.professionalId, organisation: regisseur.organisation }]
    : responsibleProfessionals(s);
  return monitoringGaps(s, plansOf(s), planLogOf(s), LAST_DAY).map((gap) => {
    const every = plan.agreements.find((a) => a.id === gap.agreementId)!.everyDays;
    const since = addDays(gap.dueOn, -every);
    return {
      key: `R-20:monitoring:${gap.agreementId}:${gap.dueOn}`,
      kind: 'controle' as const,
      rule: 'R-20',
      reason: `Afspraak ${gap.agreementId} wordt elke ${count(every, 'dag', 'dagen')} gecontroleerd door ${gap.monitorBy}; sinds ${dutchDate(since)} staat er geen regel in het veiligheidslogboek (verwacht uiterlijk ${dutchDate(gap.dueOn)}).`,
      remindAt: morningOf(addDays(gap.dueOn, 1)),
      repeatDays: policy.controleReminderEveryDays,
      ...overdue(morningOf(addDays(gap.dueOn, 1 + policy.controleEscalationDaysAfter)), policy),
      responsible,
    };
  });
};
