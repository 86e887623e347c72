/**
 * Every cause of section 6 that asks for a reminder or an escalation, one function per rule, and
 * `deadlines()`, which only combines them. The order is the plan's order (mail goes out in it),
 * so it is kept as it was: owner, child conversation, scores per danger, meetings, controle, team
 * consultation, handovers, huisverbod, phase duration.
 */
import { calmForImport } from '../import-review';
import type { HouseholdState } from '../model';
import type { Policy } from '../policy';
import { chairEvaluationCause } from './chair-evaluation';
import { childConversationCause } from './child-conversation';
import { controleCause } from './controle';
import { handoverCause } from './handover';
import { huisverbodCause } from './huisverbod';
import { monitoringCause } from './monitoring';
import { networkMeetingCause } from './network-meeting';
import { ownerCause } from './owner';
import { phaseDurationCause } from './phase-duration';
import { professionalsMeetingCause } from './professionals-meeting';
import { scoresCause } from './scores';
import { teamConsultationCause } from './team-consultation';
import type { Cause, Deadline } from './types';

export const CAUSES: readonly Cause[] = [
  ownerCause,
  childConversationCause,
  scoresCause,
  networkMeetingCause,
  chairEvaluationCause,
  professionalsMeetingCause,
  controleCause,
  monitoringCause, // the plan's own checks (issue 21)
  teamConsultationCause,
  handoverCause,
  huisverbodCause,
  phaseDurationCause,
];

/**
 * Every cause that is active in this state (independent of now except for month boundaries); none
 * once closed. An imported household's review (issue 22) applies to every cause alike.
 */
export function deadlines(s: HouseholdState, now: Date, policy: Policy): Deadline[] {
  if (s.phase === 'afgesloten') return [];
  return CAUSES.flatMap((cause) => cause(s, now, policy)).map((d) => calmForImport(d, s, policy));
}
