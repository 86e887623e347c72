/**
 * Issue 21, R-20 / R-60: an agreement of the plan in force whose monitoring period passes without
 * a log entry. The member who checks is reminded first, the morning after the check was due,
 * through their personal log link (when it has an address); the casusregisseur
 * `monitoringMemberFirstDays` working days later, naming the member, and that cause climbs the escalation ladder
 * like every other overdue check (section 6). A log entry moves the due day, so the keys (and the
 * reminders) change with it.
 */
import { addWorkingDays, nextWorkingDay } from '../calendar';
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
  const memberFirst = policy.monitoringMemberFirstDays;
  return monitoringGaps(s, plansOf(s), planLogOf(s), LAST_DAY).flatMap((gap) => {
    const every = plan.agreements.find((a) => a.id === gap.agreementId)!.everyDays;
    const since = addDays(gap.dueOn, -every);
    const missed = `Afspraak ${gap.agreementId} wordt elke ${count(every, 'dag', 'dagen')} gecontroleerd door ${gap.monitorBy}; sinds ${dutchDate(since)} staat er geen regel in het veiligheidslogboek (verwacht uiterlijk ${dutchDate(gap.dueOn)}).`;
    // First the member who checks, through their log link; the casusregisseur `memberFirst` days later.
    const member = {
      key: `R-20:monitoring-lid:${gap.agreementId}:${gap.dueOn}`,
      kind: 'logboek_herinnering' as const,
      rule: 'R-20',
      reason: missed,
      remindAt: morningOf(addDays(gap.dueOn, 1)),
      responsible: [],
      members: [gap.monitorBy],
    };
    // The member's mail waits for a working morning; the casusregisseur hears `memberFirst` working days after it.
    const regie = memberFirst > 0 ? addWorkingDays(nextWorkingDay(addDays(gap.dueOn, 1)), memberFirst) : addDays(gap.dueOn, 1);
    return [
      ...(memberFirst > 0 ? [member] : []),
      {
        key: `R-20:monitoring:${gap.agreementId}:${gap.dueOn}`,
        kind: 'controle' as const,
        rule: 'R-20',
        reason: missed,
        remindAt: morningOf(regie),
        repeatDays: policy.controleReminderEveryDays,
        ...overdue(morningOf(addDays(regie, policy.controleEscalationDaysAfter)), policy),
        responsible,
      },
    ];
  });
};
