/**
 * The deadline plan: from the state and a "now", every cause that asks for a reminder or an
 * escalation, with its rule, its times and who is responsible (ROUTEKAART.md section 6). The
 * workflow sleeps until the earliest of these times; a test can ask "what is due next, and why"
 * without running a workflow. Escalation levels are derived from the time since a cause became
 * overdue, so an escalation resolves by itself when its cause is gone. Every mail goes out inside
 * working hours; while a cause stays open nobody responsible is left without mail: reminders
 * repeat, and an escalation is repeated at its level until the cause is gone.
 */
import { addWorkingDays, nextWorkingDay, nextWorkingMoment, previousWorkingMoment, type WorkingHours } from './calendar';
import { hasEvidence, huisverbodHandoverDone } from './criteria';
import { PHASE_LABEL, ROLE_LABEL, type HouseholdState, type ProfessionalRef } from './model';
import { METHOD, type Policy } from './policy';
import { latestScores, scoredInMonth } from './scores';
import { membersWithout, openHandovers, protectedMembers, responsibleProfessionals } from './selectors';
import {
  addDays,
  addDaysToInstant,
  addMonths,
  amsterdamDay,
  count,
  DAY_MS,
  dutchDate,
  dutchMonthName,
  firstDayOf,
  formatDutch,
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
  'controle', // R-60
  'teamoverleg', // R-63
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type Level = 0 | 1 | 2 | 3;

export interface Deadline {
  /** Stable identity of the cause; part of every idempotency key. */
  key: string;
  kind: NotificationKind;
  rule: string;
  /** Dutch: what is due and why. */
  reason: string;
  /** First reminder; repeated every `repeatDays` while the cause lasts and nothing is escalated. */
  remindAt?: string;
  repeatDays?: number;
  /** Since when the cause is overdue (shown in mails). */
  overdueAt?: string;
  /** The instants levels 1, 2 and 3 are reached, inside working hours and in order. */
  ladder?: readonly [string, string, string];
  /** Who must act (level 0 and 1). */
  responsible: ProfessionalRef[];
  /** Meetings go out with a calendar invite at this time. */
  meetingAt?: string;
  /** R-25: when no working moment is left before this instant, its mail goes out at once, at any hour. */
  urgentBefore?: string;
  /** What a professional can record to take the cause away, as a short form (mail action links). */
  remedy?: Remedy;
}

/** A form that takes a cause away: scores, the incoming professional's start, or one evidence item. */
export interface Remedy {
  action: 'evaluatie' | 'overdracht_start' | 'bewijs';
  /** The handover id, or the evidence item. */
  ref?: string;
  /** Only these professionals may use it (the incoming professional of a handover). */
  for?: string[];
}

export interface DuePlan {
  deadlines: Deadline[];
  /** Reminders whose time has come (latest instance of each repeating one), inside working hours. */
  dueReminders: { deadline: Deadline; at: string }[];
  /** Current escalation level per cause (0: none). */
  levels: { deadline: Deadline; level: Level; since?: string }[];
  /** Escalations repeated at their level while the cause stays open (latest instance). */
  dueRepeats: { deadline: Deadline; level: Level; at: string }[];
  /** The next instant at which something in the plan changes; undefined when nothing is planned. */
  nextWakeAt?: string;
  /** Mail may go out now: inside working hours. Outside them, what is due waits for the next working moment. */
  mailNow: boolean;
}

/** May the mail about this cause go out now? Inside working hours, or at once when waiting would pass its urgent end. */
export function mayMail(plan: DuePlan, d: Deadline, now: Date, policy: Policy): boolean {
  if (plan.mailNow) return true;
  const t = now.toISOString();
  return d.urgentBefore !== undefined && t < d.urgentBefore && nextWorkingMoment(t, policy.workingHours) >= d.urgentBefore;
}

const dateOf = (iso: string) => amsterdamDay(new Date(iso));
const HOUR_MS = 3_600_000;

/** The usual ladder: levels 1..3 at `overdueAt` plus the policy's days, each moved into working hours. */
function ladderFrom(overdueAt: string, policy: Policy): [string, string, string] {
  const [a, b, c] = policy.escalationLadderDays.map((days) => nextWorkingMoment(addDaysToInstant(overdueAt, days), policy.workingHours));
  return [a!, b!, c!];
}

/**
 * R-25: the huisverbod ends at an instant; every level must arrive inside working hours and before
 * it, so the ladder is planned back from the end. A level whose moment has already passed when
 * the huisverbod is registered is reached at once (the coordinator hears at once).
 */
function ladderBefore(endAt: string, policy: Policy): [string, string, string] {
  const [h1, h2, h3] = policy.huisverbodLadderHoursBefore;
  const back = (at: number) => previousWorkingMoment(new Date(at).toISOString(), policy.workingHours);
  // From the coordinator's level backwards, each level at least an hour before the next, so each gets its own mail.
  const l3 = back(Date.parse(endAt) - h3 * HOUR_MS);
  const l2 = back(Math.min(Date.parse(endAt) - h2 * HOUR_MS, Date.parse(l3) - HOUR_MS));
  const l1 = back(Math.min(Date.parse(endAt) - h1 * HOUR_MS, Date.parse(l2) - HOUR_MS));
  return [l1, l2, l3];
}

/** Every cause that is active in this state (independent of now except for month boundaries). */
export function deadlines(s: HouseholdState, now: Date, policy: Policy): Deadline[] {
  if (s.phase === 'afgesloten') return [];
  const out: Deadline[] = [];
  const today = amsterdamDay(now);
  const phaseStart = dateOf(s.phaseStartedAt);
  const who = responsibleProfessionals(s);
  const overdue = (overdueAt: string) => ({ overdueAt, ladder: ladderFrom(overdueAt, policy) });
  /** A meeting (R-36, R-46, R-48, R-49): invite for `hour` on the due date (a working day), reminder before, escalation after. */
  const meeting = (dueDate: string, hour: number, d: Pick<Deadline, 'key' | 'kind' | 'rule' | 'reason' | 'remedy'>): Deadline => ({
    ...d,
    remindAt: morningOf(addDays(dueDate, -policy.meetingReminderDaysBefore)),
    ...overdue(morningOf(addDays(dueDate, policy.meetingEscalationDaysAfter))),
    responsible: who,
    meetingAt: morningOf(nextWorkingDay(dueDate), hour),
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
      ...overdue(morningOf(addWorkingDays(start, policy.ownerEscalationWorkingDays))),
      responsible: who,
    });
  }

  // R-13: every child (or else every kwetsbare volwassene) is spoken to within two weeks.
  const notSpokenTo = membersWithout(s, 'kindgesprek', protectedMembers(s));
  if (s.phase === 'veiligheid' && notSpokenTo.length > 0) {
    const due = addDays(phaseStart, policy.childConversationDays);
    out.push({
      key: `R-13:kindgesprek:${phaseStart}`,
      kind: 'kindgesprek',
      rule: 'R-13',
      reason: `Uiterlijk ${dutchDate(due)} is elk kind (of de kwetsbare volwassene) gesproken over de zorgen en wat nu nodig is; nog niet gesproken: ${notSpokenTo.map((m) => m.ref).join(', ')}.`,
      remindAt: morningOf(addDays(due, -policy.childConversationReminderDaysBefore)),
      ...overdue(morningOf(due)),
      responsible: who,
      remedy: { action: 'bewijs', ref: 'kindgesprek' },
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
          responsible: who,
          remedy: { action: 'evaluatie' },
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
          ...overdue(morningOf(firstDayOf(addMonths(since, 1)))),
          responsible: who,
          remedy: { action: 'evaluatie' },
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
          ...overdue(morningOf(first)),
          responsible: who,
          remedy: { action: 'evaluatie' },
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
        remedy: { action: 'bewijs', ref: 'netwerkberaad' },
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
          remedy: { action: 'bewijs', ref: 'evaluatie_netwerkvoorzitter' },
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
          remedy: { action: 'bewijs', ref: 'professionaloverleg' },
          rule: 'R-48',
          reason: `Voor afsluiting komen de professionals minstens één keer bij elkaar; gepland rond ${dutchDate(due)}. Spreek af wie in de toekomst te bellen is.`,
        }),
      );
    }
  }

  if (s.phase === 'veiligheid' || s.phase === 'risicogestuurd' || s.phase === 'herstel') {
    // R-60: someone checks, by planned and unannounced visits, that the safety agreements are kept.
    // A duty of the professionals who run the phase, not a habit: the checks are part of the safety
    // plan (R-15), the criteria rest on agreements "carried out and monitored" (R-18, R-20, R-40),
    // and without them nobody knows whether the child is safe. So: a reminder once the interval has
    // passed without a controle, repeated, and the escalation ladder after a further grace period,
    // as for every safety duty left undone (section 6). A controle starts the interval again (new key).
    const last = s.evidence
      .filter((e) => e.item === 'controle' && e.date >= phaseStart)
      .map((e) => e.date)
      .sort()
      .at(-1);
    const due = addDays(last ?? phaseStart, policy.controleEveryDays);
    const rhythm = `Verwacht is minstens elke ${count(policy.controleEveryDays, 'dag', 'dagen')} een controle, gepland of onaangekondigd, bij voorkeur door het netwerk: de volgende uiterlijk ${dutchDate(due)}.`;
    out.push({
      key: `R-60:controle:${due}`,
      kind: 'controle',
      rule: 'R-60',
      reason: `${
        last
          ? `De laatste controle van de veiligheidsafspraken was op ${dutchDate(last)}.`
          : `Sinds de start van ${PHASE_LABEL[s.phase]} op ${dutchDate(phaseStart)} is nog geen controle van de veiligheidsafspraken vastgelegd.`
      } ${rhythm}`,
      remindAt: morningOf(due),
      repeatDays: policy.controleReminderEveryDays,
      ...overdue(morningOf(addDays(due, policy.controleEscalationDaysAfter))),
      responsible: who,
      remedy: { action: 'bewijs', ref: 'controle' },
    });

    // R-63: in each phase the professionals discuss the household with their team or other
    // organisations. A habit of the parallel process (a safe learning climate, questions prepared
    // together), neither an exit criterion nor a duty towards the household's safety: reminders that
    // repeat until the phase's consultation is recorded, never an escalation to leads or the
    // coordinator, which would not make the climate safer. Afstemming is left out: it is meant to
    // last days (R-02), and its consultation is the coordination itself.
    if (!hasEvidence(s, 'teamoverleg', phaseStart)) {
      const expected = addDays(phaseStart, policy.teamConsultationAfterDays);
      out.push({
        key: `R-63:teamoverleg:${s.phase}:${phaseStart}`,
        kind: 'teamoverleg',
        rule: 'R-63',
        reason: `In elke fase bespreken de professionals het huishouden met hun team of met andere organisaties. Voor ${PHASE_LABEL[s.phase]} (sinds ${dutchDate(phaseStart)}) is dat nog niet vastgelegd; verwacht uiterlijk ${dutchDate(expected)}.`,
        remindAt: morningOf(expected),
        repeatDays: policy.teamConsultationReminderEveryDays,
        responsible: who,
        remedy: { action: 'bewijs', ref: 'teamoverleg' },
      });
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
      ...overdue(addDaysToInstant(h.requestedAt, policy.handoverEscalationDays)),
      responsible: [h.from, h.to],
      remedy: { action: 'overdracht_start', ref: h.id, for: [h.to.professionalId] },
    });
  }

  // R-25: before the huisverbod ends, the veiligheidsplanner has taken over; an extension re-plans (new key).
  const hv = s.huisverbod;
  if (hv && !huisverbodHandoverDone(s)) {
    const ladder = ladderBefore(hv.endAt, policy);
    out.push({
      key: `R-25:huisverbod:${hv.startDate}:${hv.endAt}`,
      kind: 'huisverbod',
      rule: 'R-25',
      reason: `Het huisverbod eindigt ${formatDutch(hv.endAt)}; vóór dat moment moet de overdracht naar de veiligheidsplanner gestart zijn, met het huishouden erbij.`,
      remindAt: addDaysToInstant(hv.endAt, -policy.huisverbodReminderDaysBefore),
      repeatDays: policy.huisverbodReminderEveryDays,
      overdueAt: ladder[0],
      ladder,
      urgentBefore: hv.endAt,
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
      reason: `${PHASE_LABEL[s.phase]} loopt sinds ${dutchDate(phaseStart)}; verwacht is afronding binnen ${count(days, 'dag', 'dagen')}, uiterlijk ${dutchDate(due)}. Bekijk welke criteria nog openstaan.`,
      remindAt: morningOf(addDays(due, -policy.phaseStallReminderDaysBefore)),
      ...overdue(morningOf(due)),
      responsible: who,
    });
  }
  return out;
}

/** Escalation level of a cause at `now`: 0 before it is overdue, then 1..3 along its ladder. */
export function levelAt(d: Deadline, now: Date): { level: Level; since?: string; next?: string } {
  if (!d.ladder) return { level: 0 };
  const t = now.toISOString();
  const ladder: readonly string[] = d.ladder;
  const reached = ladder.filter((at) => at <= t).length as Level;
  return { level: reached, since: ladder[reached - 1], next: ladder[reached] };
}

/**
 * A series of instants `first`, `first + every`, ... each moved into working hours: the latest
 * one at or before now, and the first one after. Two instants that land on the same working
 * moment (Saturday and Sunday both become Monday 09:00) are one mail.
 */
export function series(first: string, everyDays: number | undefined, now: Date, hours: WorkingHours): { due?: string; next?: string } {
  const at = (k: number) => nextWorkingMoment(addDaysToInstant(first, k * (everyDays ?? 0)), hours);
  const t = now.toISOString();
  if (!everyDays) {
    const only = at(0);
    return only <= t ? { due: only } : { next: only };
  }
  const k = Math.max(0, Math.floor((now.getTime() - Date.parse(first)) / (everyDays * DAY_MS)));
  let due: string | undefined;
  for (let j = k; j >= 0 && !due; j--) if (at(j) <= t) due = at(j);
  let next = at(k);
  for (let j = k + 1; next <= t; j++) next = at(j);
  return { due, next };
}

/** Everything due now and the next moment to look again. */
export function duePlan(s: HouseholdState, now: Date, policy: Policy): DuePlan {
  const list = deadlines(s, now, policy);
  const hours = policy.workingHours;
  const t = now.toISOString();
  const opensAt = nextWorkingMoment(t, hours);
  const plan: DuePlan = { deadlines: list, dueReminders: [], levels: [], dueRepeats: [], mailNow: opensAt === t };
  const wakes: string[] = [];
  for (const d of list) {
    const l = levelAt(d, now);
    plan.levels.push({ deadline: d, level: l.level, since: l.since });
    if (l.next) wakes.push(l.next);
    if (l.level === 0 && d.remindAt) {
      const r = series(d.remindAt, d.repeatDays, now, hours);
      if (r.due) plan.dueReminders.push({ deadline: d, at: r.due });
      if (r.next) wakes.push(r.next);
    }
    // Never silent: an open escalation is repeated at its level (the coordinator hears again at level 3).
    if (l.level > 0 && l.since) {
      const r = series(addDaysToInstant(l.since, policy.escalationRepeatDays), policy.escalationRepeatDays, now, hours);
      if (r.due) plan.dueRepeats.push({ deadline: d, level: l.level, at: r.due });
      if (r.next) wakes.push(r.next);
    }
  }
  // Outside working hours, what is due waits for the office to open.
  if (!plan.mailNow && (plan.dueReminders.length || plan.dueRepeats.length || plan.levels.some((l) => l.level > 0))) wakes.push(opensAt);
  // Month boundaries change the plan (a new month needs scores, R-32).
  if (s.phase === 'risicogestuurd' || s.phase === 'herstel') {
    wakes.push(morningOf(firstDayOf(addMonths(monthOf(amsterdamDay(now)), 1)), 0));
  }
  plan.nextWakeAt = wakes.filter((w) => w > t).sort()[0];
  return plan;
}
