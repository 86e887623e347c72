/**
 * R-32, R-39, R-46: in Risico gestuurd and Herstel every danger is scored monthly by household,
 * network and professionals; a month left unscored breaks the run, and a score under 6 asks for
 * direct safety at once. Per danger in that order, so the plan lists a danger's causes together.
 */
import type { Danger, HouseholdState } from '../model';
import { METHOD, type Policy } from '../policy';
import { lateMark, scoreEnteredLate } from '../late-data';
import { latestScores, scoredInMonth } from '../scores';
import { responsibleProfessionals } from '../selectors';
import { addMonths, amsterdamDay, dutchMonthName, firstDayOf, monthOf, morningOf, type MonthKey } from '../time';
import { overdue, phaseStartDay } from './ladder';
import type { Cause, Deadline } from './types';

/** R-32, R-39, R-46: the score causes of every danger, in the phases that score monthly. */
export const scoresCause: Cause = (s, now, policy) => {
  if (s.phase !== 'risicogestuurd' && s.phase !== 'herstel') return [];
  const month = monthOf(amsterdamDay(now));
  return s.dangers.flatMap((d) => [
    ...monthlyScore(s, d, month, policy),
    ...missingMonths(s, d, month, policy),
    ...fallingScores(s, d, policy),
  ]);
};

/** R-32: a reminder from the policy's day of the month while this month's scores of the danger are incomplete. */
export function monthlyScore(s: HouseholdState, d: Danger, month: MonthKey, policy: Policy): Deadline[] {
  if (scoredInMonth(s.scores, d.id, month)) return [];
  const day = String(policy.scoreReminderDayOfMonth).padStart(2, '0');
  return [
    {
      key: `R-32:score:${d.id}:${month}`,
      kind: 'score',
      rule: 'R-32',
      reason: `Gevaar ${d.id} is deze maand (${dutchMonthName(month)}) nog niet door huishouden, netwerk én professionals gescoord.`,
      remindAt: morningOf(`${month}-${day}`),
      repeatDays: policy.scoreReminderEveryDays,
      responsible: responsibleProfessionals(s),
      remedy: { action: 'evaluatie' },
    },
  ];
}

/**
 * R-32 / R-39: a month that ended without all three groups breaks the run: escalate from the first
 * day after the first such month in a row until the danger is scored again. The phase's first
 * month is a grace month.
 */
export function missingMonths(s: HouseholdState, d: Danger, month: MonthKey, policy: Policy): Deadline[] {
  const graceMonth = addMonths(monthOf(phaseStartDay(s)), 1);
  const previous = addMonths(month, -1);
  if (previous < graceMonth || scoredInMonth(s.scores, d.id, previous) || scoredInMonth(s.scores, d.id, month)) return [];
  let since = previous;
  while (addMonths(since, -1) >= graceMonth && !scoredInMonth(s.scores, d.id, addMonths(since, -1))) since = addMonths(since, -1);
  return [
    {
      key: `R-32:ontbreekt:${d.id}:${since}`,
      kind: 'scores_ontbreken',
      rule: 'R-32',
      reason: `Gevaar ${d.id} is sinds ${dutchMonthName(since)} niet meer maandelijks door alle drie groepen gescoord; de reeks van R-39 is onderbroken.`,
      ...overdue(morningOf(firstDayOf(addMonths(since, 1))), policy),
      responsible: responsibleProfessionals(s),
      remedy: { action: 'evaluatie' },
    },
  ];
}

/** R-39 (R-46 in Herstel): a group's latest score under 6 escalates at once, from the day it was given. */
export function fallingScores(s: HouseholdState, d: Danger, policy: Policy): Deadline[] {
  const low = Object.values(latestScores(s.scores, d.id)).filter((x) => x.value < METHOD.safeScore);
  if (low.length === 0) return [];
  const first = low.map((x) => x.date).sort()[0]!;
  return [
    {
      key: `R-39:daling:${d.id}:${first}`,
      kind: 'scores_dalen',
      rule: s.phase === 'herstel' ? 'R-46' : 'R-39',
      reason: `Gevaar ${d.id}: ${low.map((x) => `${x.group} scoort ${x.value}${lateMark(x, scoreEnteredLate(x))}`).join(', ')}, onder de ${METHOD.safeScore}. Bespreek wat er nodig is voor directe veiligheid.`,
      ...overdue(morningOf(first), policy),
      responsible: responsibleProfessionals(s),
      remedy: { action: 'evaluatie' },
    },
  ];
}
