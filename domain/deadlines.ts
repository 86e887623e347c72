/**
 * The deadline plan: from the state and a "now", every cause that asks for a reminder or an
 * escalation, with its rule, its times and who is responsible (ROUTEKAART.md section 6). The
 * workflow sleeps until the earliest of these times; a test can ask "what is due next, and why"
 * without running a workflow. Escalation levels are derived from time since a cause became
 * overdue, so an escalation resolves by itself when its cause is gone.
 */
import { hasEvidence, huisverbodHandoverDone } from './criteria';
import { responsibleRole } from './commands';
import { PHASE_LABEL, ROLE_LABEL, type HouseholdState, type ProfessionalRef } from './model';
import { METHOD, type Policy } from './policy';
import { latestScores, scoredInMonth } from './scores';
import { openHandovers, protectedMembers } from './selectors';
import {
  addDays,
  addDaysToInstant,
  addMonths,
  addWorkingDays,
  amsterdamDay,
  DAY_MS,
  dutchDate,
  dutchMonthName,
  firstDayOf,
  monthOf,
  morningOf,
} from './time';

export const NOTIFICATION_KINDS = [
  'eigenaar_ontbreekt', // R-02
  'kindgesprek', // R-13
  'score', // R-32
  'scores_ontbreken', // R-32 / R-39
  'scores_dalen', // R-39 / R-46
  'overdracht', // R-24
  'huisverbod', // R-25
  'netwerkberaad', // R-36 / R-46
  'evaluatie_netwerkvoorzitter', // R-49
  'professionaloverleg', // R-48
  'fase_duurt_lang', // R-62
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Deadline {
  /** Stable identity of the cause; part of every idempotency key. */
  key: string;
  kind: NotificationKind;
  rule: string;
  /** Dutch: what is due and why. */
  reason: string;
  /** First reminder; repeated every `repeatDays` while the cause lasts. */
  remindAt?: string;
  repeatDays?: number;
  /** From here on the escalation ladder runs. */
  overdueAt?: string;
  ladderDays: readonly [number, number, number];
  /** Who must act (level 0 and 1). */
  responsible: ProfessionalRef[];
  /** Meetings go out with a calendar invite at this time. */
  meetingAt?: string;
}

export interface DuePlan {
  deadlines: Deadline[];
  /** Reminders whose time has come (latest instance of each repeating one). */
  dueReminders: { deadline: Deadline; at: string }[];
  /** Current escalation level per cause (0: none). */
  levels: { deadline: Deadline; level: 0 | 1 | 2 | 3; since?: string }[];
  /** The next instant at which something in the plan changes; undefined when nothing is planned. */
  nextWakeAt?: string;
}

function responsible(s: HouseholdState): ProfessionalRef[] {
  const role = responsibleRole(s);
  const holder = role ? s.roles[role] : undefined;
  return holder ? [{ professionalId: holder.professionalId, organisation: holder.organisation }] : [];
}

const dateOf = (iso: string) => amsterdamDay(new Date(iso));

/** Every cause that is active in this state (independent of now except for month boundaries). */
export function deadlines(s: HouseholdState, now: Date, policy: Policy): Deadline[] {
  if (s.phase === 'afgesloten') return [];
  const out: Deadline[] = [];
  const today = amsterdamDay(now);
  const phaseStart = dateOf(s.phaseStartedAt);
  const who = responsible(s);
  const ladder = policy.escalationLadderDays;
  /** A meeting (R-36, R-46, R-48, R-49): invite for `hour` on the due date, reminder before, escalation after. */
  const meeting = (due: string, hour: number, d: Pick<Deadline, 'key' | 'kind' | 'rule' | 'reason'>): Deadline => ({
    ...d,
    remindAt: morningOf(addDays(due, -policy.meetingReminderDaysBefore)),
    overdueAt: morningOf(addDays(due, policy.meetingEscalationDaysAfter)),
    ladderDays: ladder,
    responsible: who,
    meetingAt: morningOf(due, hour),
  });

  if (s.phase === 'afstemming' && !s.roles.eigenaar_veiligheid) {
    const start = dateOf(s.startedAt);
    out.push({
      key: 'R-02:eigenaar',
      kind: 'eigenaar_ontbreekt',
      rule: 'R-02',
      reason: 'Er is nog geen professional die met huishouden en netwerk de analyse maakt en directe veiligheid brengt.',
      remindAt: morningOf(addWorkingDays(start, policy.ownerReminderWorkingDays)),
      repeatDays: policy.ownerReminderEveryDays,
      overdueAt: morningOf(addWorkingDays(start, policy.ownerEscalationWorkingDays)),
      ladderDays: ladder,
      responsible: who,
    });
  }

  if (s.phase === 'veiligheid' && protectedMembers(s).length > 0 && !hasEvidence(s, 'kindgesprek')) {
    const due = addDays(phaseStart, policy.childConversationDays);
    out.push({
      key: `R-13:kindgesprek:${phaseStart}`,
      kind: 'kindgesprek',
      rule: 'R-13',
      reason: `Het kind of de kwetsbare volwassene moet uiterlijk ${dutchDate(due)} gesproken zijn over de zorgen en wat nu nodig is.`,
      remindAt: morningOf(addDays(due, -policy.childConversationReminderDaysBefore)),
      overdueAt: morningOf(due),
      ladderDays: ladder,
      responsible: who,
    });
  }

  if (s.phase === 'risicogestuurd' || s.phase === 'herstel') {
    const month = monthOf(today);
    for (const d of s.dangers) {
      if (!scoredInMonth(s.scores, d.id, month)) {
        const day = String(policy.scoreReminderDayOfMonth).padStart(2, '0');
        out.push({
          key: `R-32:score:${d.id}:${month}`,
          kind: 'score',
          rule: 'R-32',
          reason: `Gevaar ${d.id} is deze maand (${dutchMonthName(month)}) nog niet door huishouden, netwerk én professionals gescoord.`,
          remindAt: morningOf(`${month}-${day}`),
          repeatDays: policy.scoreReminderEveryDays,
          ladderDays: ladder,
          responsible: who,
        });
      }
      // A month that ended without all three groups breaks the run (R-39): escalate until scored again.
      const graceMonth = addMonths(monthOf(phaseStart), 1);
      const previous = addMonths(month, -1);
      if (previous >= graceMonth && !scoredInMonth(s.scores, d.id, previous) && !scoredInMonth(s.scores, d.id, month)) {
        let since = previous;
        while (addMonths(since, -1) >= graceMonth && !scoredInMonth(s.scores, d.id, addMonths(since, -1))) since = addMonths(since, -1);
        out.push({
          key: `R-32:ontbreekt:${d.id}:${since}`,
          kind: 'scores_ontbreken',
          rule: 'R-32',
          reason: `Gevaar ${d.id} is sinds ${dutchMonthName(since)} niet meer maandelijks door alle drie groepen gescoord; de reeks van R-39 is onderbroken.`,
          overdueAt: morningOf(firstDayOf(addMonths(since, 1))),
          ladderDays: ladder,
          responsible: who,
        });
      }
      const latest = Object.values(latestScores(s.scores, d.id));
      const low = latest.filter((x) => x.value < METHOD.safeScore);
      if (low.length > 0) {
        const first = low.map((x) => x.date).sort()[0]!;
        out.push({
          key: `R-39:daling:${d.id}:${first}`,
          kind: 'scores_dalen',
          rule: s.phase === 'herstel' ? 'R-46' : 'R-39',
          reason: `Gevaar ${d.id}: ${low.map((x) => `${x.group} scoort ${x.value}`).join(', ')}, onder de ${METHOD.safeScore}. Bespreek wat er nodig is voor directe veiligheid.`,
          overdueAt: morningOf(first),
          ladderDays: ladder,
          responsible: who,
        });
      }
    }

    const meetings = s.evidence
      .filter((e) => e.item === 'netwerkberaad' && e.date >= phaseStart)
      .map((e) => e.date)
      .sort();
    const due = addDays(meetings[meetings.length - 1] ?? phaseStart, policy.networkMeetingEveryDays);
    out.push(
      meeting(due, 10, {
        key: `R-36:netwerkberaad:${due}`,
        kind: 'netwerkberaad',
        rule: s.phase === 'herstel' ? 'R-46' : 'R-36',
        reason: `Het volgende netwerkberaad met evaluatie van de veiligheidsschalen staat gepland rond ${dutchDate(due)}.`,
      }),
    );
  }

  if (s.phase === 'herstel') {
    if (!hasEvidence(s, 'evaluatie_netwerkvoorzitter', phaseStart)) {
      const due = addDays(phaseStart, policy.chairEvaluationAfterDays);
      out.push(
        meeting(due, 10, {
          key: `R-49:evaluatie:${due}`,
          kind: 'evaluatie_netwerkvoorzitter',
          rule: 'R-49',
          reason: `De rol van netwerkvoorzitter en eigenaar van het veiligheidsplan wordt geëvalueerd, gepland rond ${dutchDate(due)}.`,
        }),
      );
    }
    if (!hasEvidence(s, 'professionaloverleg', phaseStart)) {
      const due = addDays(phaseStart, policy.professionalsMeetingAfterDays);
      out.push(
        meeting(due, 14, {
          key: `R-48:overleg:${due}`,
          kind: 'professionaloverleg',
          rule: 'R-48',
          reason: `Voor afsluiting komen de professionals minstens één keer bij elkaar; gepland rond ${dutchDate(due)}. Spreek af wie in de toekomst te bellen is.`,
        }),
      );
    }
  }

  // R-24: the outgoing professional stays responsible and keeps the reminders, with the incoming one.
  for (const h of openHandovers(s)) {
    out.push({
      key: `R-24:overdracht:${h.id}`,
      kind: 'overdracht',
      rule: 'R-24',
      reason: `De overdracht van de rol ${ROLE_LABEL[h.role]} van ${h.from.professionalId} naar ${h.to.professionalId} staat open sinds ${dutchDate(dateOf(h.requestedAt))}: pas loslaten als je collega gestart is.`,
      remindAt: addDaysToInstant(h.requestedAt, policy.handoverReminderEveryDays),
      repeatDays: policy.handoverReminderEveryDays,
      overdueAt: addDaysToInstant(h.requestedAt, policy.handoverEscalationDays),
      ladderDays: ladder,
      responsible: [h.from, h.to],
    });
  }

  // R-25: before the huisverbod ends, the veiligheidsplanner has taken over.
  const hv = s.huisverbod;
  if (hv && !huisverbodHandoverDone(s)) {
    const remind = addDays(hv.endDate, -policy.huisverbodReminderDaysBefore);
    out.push({
      key: `R-25:huisverbod:${hv.startDate}`,
      kind: 'huisverbod',
      rule: 'R-25',
      reason: `Het huisverbod eindigt op ${dutchDate(hv.endDate)}; vóór die datum moet de overdracht naar de veiligheidsplanner gestart zijn, met het huishouden erbij.`,
      remindAt: morningOf(remind < hv.startDate ? hv.startDate : remind),
      repeatDays: policy.huisverbodReminderEveryDays,
      overdueAt: morningOf(addDays(hv.endDate, -policy.huisverbodEscalationDaysBefore)),
      ladderDays: policy.urgentLadderDays,
      responsible: [hv.guidedBy, ...who.filter((p) => p.professionalId !== hv.guidedBy.professionalId)],
    });
  }

  if (s.phase !== 'afstemming') {
    const days = policy.expectedPhaseDays[s.phase];
    const due = addDays(phaseStart, days);
    out.push({
      key: `R-62:fase:${s.phase}:${phaseStart}`,
      kind: 'fase_duurt_lang',
      rule: 'R-62',
      reason: `${PHASE_LABEL[s.phase]} loopt sinds ${dutchDate(phaseStart)}; verwacht is afronding binnen ${days} dagen, uiterlijk ${dutchDate(due)}. Bekijk welke criteria nog openstaan.`,
      remindAt: morningOf(addDays(due, -policy.phaseStallReminderDaysBefore)),
      overdueAt: morningOf(due),
      ladderDays: ladder,
      responsible: who,
    });
  }
  return out;
}

/** Escalation level of a cause at `now`: 0 before it is overdue, then 1..3 along its ladder. */
export function levelAt(d: Deadline, now: Date): { level: 0 | 1 | 2 | 3; since?: string; next?: string } {
  if (!d.overdueAt) return { level: 0 };
  const start = new Date(d.overdueAt).getTime();
  const steps = d.ladderDays.map((days) => start + days * DAY_MS);
  let level: 0 | 1 | 2 | 3 = 0;
  let since: string | undefined;
  for (let i = 0; i < 3; i++) {
    if (now.getTime() >= steps[i]!) {
      level = (i + 1) as 1 | 2 | 3;
      since = new Date(steps[i]!).toISOString();
    }
  }
  const next = level < 3 ? new Date(steps[level]!).toISOString() : undefined;
  return { level, since, next };
}

/** The latest reminder instance at or before now, and the next one after now. */
export function reminderAt(d: Deadline, now: Date): { due?: string; next?: string } {
  if (!d.remindAt) return {};
  const first = new Date(d.remindAt).getTime();
  const t = now.getTime();
  if (t < first) return { next: d.remindAt };
  if (!d.repeatDays) return { due: d.remindAt };
  const every = d.repeatDays * DAY_MS;
  const k = Math.floor((t - first) / every);
  return { due: new Date(first + k * every).toISOString(), next: new Date(first + (k + 1) * every).toISOString() };
}

/** Everything due now and the next moment to look again. */
export function duePlan(s: HouseholdState, now: Date, policy: Policy): DuePlan {
  const list = deadlines(s, now, policy);
  const dueReminders: DuePlan['dueReminders'] = [];
  const levels: DuePlan['levels'] = [];
  const wakes: string[] = [];
  for (const d of list) {
    const r = reminderAt(d, now);
    const l = levelAt(d, now);
    // Once escalated, the escalation mails replace the reminders.
    if (r.due && l.level === 0) dueReminders.push({ deadline: d, at: r.due });
    if (r.next && l.level === 0) wakes.push(r.next);
    levels.push({ deadline: d, level: l.level, since: l.since });
    if (l.next) wakes.push(l.next);
  }
  // Month boundaries change the plan (a new month needs scores, R-32).
  if (s.phase === 'risicogestuurd' || s.phase === 'herstel') {
    wakes.push(morningOf(firstDayOf(addMonths(monthOf(amsterdamDay(now)), 1)), 0));
  }
  const nextWakeAt = wakes.filter((w) => w > now.toISOString()).sort()[0];
  return { deadlines: list, dueReminders, levels, nextWakeAt };
}
