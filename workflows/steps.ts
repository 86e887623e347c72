/**
 * What the household workflow does each time it wakes, as named steps over the deadline plan:
 * send the reminders that are due, move escalations up the ladder, resolve those whose cause is
 * gone, tell the intake system what changed, and update the overview for operators.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { handoverNotices, mayMail, type Deadline, type DuePlan } from '../domain/deadlines';
import { coordinatorNotices, markNoticed } from '../domain/coordinator-notices';
import { importSummary } from '../domain/import-review';
import { PHASE_LABEL, ROLE_LABEL, type ProfessionalRef } from '../domain/model';
import { plansOf } from '../domain/safety-plan';
import { dutchDate } from '../domain/time';
import { actionsFor, recipientsFor, type EscalationLevel, type NotificationRequest } from '../domain/notifications';
import { LIMITS } from '../domain/limits';
import { householdSummary, type HouseholdSummary } from '../domain/summary';
import type { HouseholdView } from '../domain/view';
import { SA } from './messages';
import type { Outbox, Run } from './outbox';

/** The notification for one cause at one level (0: reminder); its key is stable across retries and runs. */
function request(
  run: Run,
  d: Deadline,
  level: EscalationLevel,
  at: string,
  repeat = false,
): Omit<NotificationRequest, 'householdId' | 'phase'> {
  const s = run.state;
  const gw = s.roles.gedragswetenschapper;
  const gedragswetenschapper: ProfessionalRef | undefined = gw
    ? { professionalId: gw.professionalId, organisation: gw.organisation }
    : undefined;
  const event = level === 0 ? `herinnering:${at}` : repeat ? `niveau${level}:herhaling:${at}` : `niveau${level}`;
  return {
    idempotencyKey: `${s.householdId}:${d.key}:${event}`,
    kind: d.kind,
    rule: d.rule,
    level,
    reason: d.reason,
    since: level === 0 ? (d.remindAt ?? at) : (d.overdueAt ?? at),
    recipients: recipientsFor(d, level, gedragswetenschapper, s.intake.organisation),
    meetingAt: d.meetingAt,
    actions: actionsFor(d, level),
    intake: { organisation: s.intake.organisation, reference: s.intake.reference },
  };
}

export function sendDueReminders(run: Run, out: Outbox, plan: DuePlan): void {
  for (const { deadline, at } of plan.dueReminders) {
    if (mayMail(plan, deadline, run.now(), run.policy)) out.notify(request(run, deadline, 0, at));
  }
}

/**
 * A cause that stays open climbs the ladder: professional, organisation lead and
 * gedragswetenschapper, coordinator. The level is recorded when reached; its mail goes out inside
 * working hours (once per level: the outbox knows what it sent).
 */
export function climbEscalations(run: Run, out: Outbox, plan: DuePlan): void {
  const s = run.state;
  for (const { deadline, level, since } of plan.levels) {
    if (level === 0) continue;
    const open = s.escalations.find((e) => e.key === deadline.key && !e.resolvedAt);
    if (!open || open.level < level) {
      const iso = since ?? run.now().toISOString();
      const noted = run.now().toISOString();
      if (open) {
        open.level = level;
        open.levelSince = iso;
        open.levelNotedAt = noted;
      } else {
        s.escalations.push({
          key: deadline.key,
          rule: deadline.rule,
          level,
          raisedAt: iso,
          levelSince: iso,
          levelNotedAt: noted,
          reason: deadline.reason,
        });
      }
      out.publish('escalatie', `${deadline.key}:${level}`, { level, rule: deadline.rule, cause: deadline.kind });
    }
    if (mayMail(plan, deadline, run.now(), run.policy)) out.notify(request(run, deadline, level, since ?? run.now().toISOString()));
  }
}

/** Never silent (R-24, section 6): while the cause is open its escalation is repeated to everyone at that level. */
export function repeatEscalations(run: Run, out: Outbox, plan: DuePlan): void {
  for (const { deadline, level, at } of plan.dueRepeats) {
    // A repeat falls after the level's own mail: a case that arrives long overdue is not told twice at once.
    const noted = run.state.escalations.find((e) => e.key === deadline.key && !e.resolvedAt)?.levelNotedAt;
    if (noted && at <= noted) continue;
    if (mayMail(plan, deadline, run.now(), run.policy)) out.notify(request(run, deadline, level, at, true));
  }
}

/** An escalation resolves when its cause is gone (the deadline left the plan or fell back to 0). */
export function resolveEscalations(run: Run, out: Outbox, plan: DuePlan): void {
  const active = new Set(plan.levels.filter((l) => l.level > 0).map((l) => l.deadline.key));
  for (const e of run.state.escalations) {
    if (e.resolvedAt || e.key.startsWith('mail:') || active.has(e.key)) continue;
    e.resolvedAt = run.now().toISOString();
    out.publish('escalatie', `${e.key}:opgelost`, { level: 0, rule: e.rule, cause: 'opgelost' });
  }
}

/** Issue 22: an imported case gets one summary of what it lacks (by its key, once), inside working hours. */
export function sendImportSummary(run: Run, out: Outbox, plan: DuePlan): void {
  const summary = importSummary(run.state, plan.deadlines, run.now());
  if (!summary || !plan.mailNow) return;
  const s = run.state;
  out.notify({
    idempotencyKey: summary.key,
    kind: 'import_samenvatting',
    rule: summary.rule,
    level: 0,
    reason: summary.reason,
    since: summary.since,
    recipients: recipientsFor({ responsible: summary.responsible }, 0, undefined, s.intake.organisation),
    intake: { organisation: s.intake.organisation, reference: s.intake.reference },
    // A signed single-use link to confirm the import, for whoever runs the trajectory (R-01).
    actions: [{ action: 'import_bevestigen', for: summary.responsible.map((p) => p.professionalId) }],
  });
}

/**
 * Issue 21: a "misgegaan" log entry reaches the casusregisseur the same working day (R-16, R-20):
 * at once inside working hours, else when the office opens. Each entry once, by its key.
 */
export function sendWrongEntries(run: Run, out: Outbox, plan: DuePlan): void {
  const s = run.state;
  if (!s.wrongPending?.length || !plan.mailNow || !patched(PLAN_EVENTS_PATCH)) return;
  const regisseur = s.roles.casusregisseur ?? s.roles.eigenaar_veiligheid;
  for (const w of s.wrongPending) {
    out.notify({
      idempotencyKey: `${s.householdId}:misgegaan:${w.agreementId}:${w.date}:${w.at}`,
      kind: 'misgegaan',
      rule: 'R-16',
      level: 0,
      reason: `In het veiligheidslogboek staat dat afspraak ${w.agreementId} op ${dutchDate(w.date)} is misgegaan.`,
      since: w.at,
      recipients: recipientsFor(
        { responsible: regisseur ? [{ professionalId: regisseur.professionalId, organisation: regisseur.organisation }] : [] },
        0,
        undefined,
        s.intake.organisation,
      ),
      intake: { organisation: s.intake.organisation, reference: s.intake.reference },
    });
  }
  s.wrongPending = [];
}

/** An override of the phase criteria always reaches the regional coordinator, inside working hours. */
export function noticeOverrides(run: Run, out: Outbox, plan: DuePlan): void {
  if (!plan.mailNow) return;
  const s = run.state;
  for (const o of s.overrides) {
    if (o.coordinatorNotified) continue;
    o.coordinatorNotified = true;
    out.notify({
      idempotencyKey: `${s.householdId}:afwijking:${o.from}:${o.to}:${o.at}`,
      kind: 'override',
      rule: o.unmet[0] ?? 'R-50',
      level: 3,
      reason: `Casusregisseur ${o.by} zette het traject van ${PHASE_LABEL[o.from]} naar ${PHASE_LABEL[o.to]} terwijl niet voldaan was aan ${o.unmet.join(', ')}; de onderbouwing is vastgelegd.`,
      since: o.at,
      recipients: { professionals: [], organisationLeads: [], coordinator: true },
    });
  }
}

/**
 * R-24, the warm handover, said out loud: the incoming professional hears of the request at once
 * (inside working hours) with the form to confirm the start; the outgoing one hears when it started.
 */
export function noticeHandovers(run: Run, out: Outbox, plan: DuePlan): void {
  if (!plan.mailNow) return;
  const s = run.state;
  for (const { handover: h, step } of handoverNotices(s)) {
    const role = ROLE_LABEL[h.role];
    if (step === 'gevraagd') {
      h.requestNoticed = true;
      out.notify({
        idempotencyKey: `${s.householdId}:overdracht-gevraagd:${h.id}`,
        kind: 'overdracht_gevraagd',
        rule: 'R-24',
        level: 0,
        reason: `${h.from.professionalId} vraagt u de rol ${role} over te nemen. Bevestig de start zodra u samen met het huishouden bent begonnen.`,
        since: h.requestedAt,
        recipients: { professionals: [h.to], organisationLeads: [], coordinator: false },
        actions: [{ action: 'overdracht_start', ref: h.id, for: [h.to.professionalId] }],
      });
    } else {
      h.startNoticed = true;
      out.notify({
        idempotencyKey: `${s.householdId}:overdracht-gestart:${h.id}`,
        kind: 'overdracht_gestart',
        rule: 'R-24',
        level: 0,
        reason: `${h.to.professionalId} is ${h.startDate ? `op ${h.startDate} ` : ''}samen met het huishouden gestart als ${role}; u kunt loslaten.`,
        since: h.confirmedAt!,
        recipients: { professionals: [h.from], organisationLeads: [], coordinator: false },
      });
    }
  }
}

/** Issue 20, section 6: the coordinator's decision reaches whom it concerns (domain/coordinator-notices.ts). */
export function noticeCoordinatorDecisions(run: Run, out: Outbox, plan: DuePlan): void {
  if (!plan.mailNow) return;
  const s = run.state;
  for (const n of coordinatorNotices(s)) {
    markNoticed(n);
    const about =
      n.kind === 'afwijking_beoordeeld' ? `afwijking-beoordeeld:${n.override.at}` : `escalatie-besluit:${n.escalation.key}:${n.decisionAt}`;
    out.notify({
      idempotencyKey: `${s.householdId}:${about}`,
      kind: n.kind,
      rule: n.kind === 'afwijking_beoordeeld' ? 'R-62' : n.escalation.rule,
      level: 0,
      reason: n.reason,
      since: n.kind === 'afwijking_beoordeeld' ? n.at : n.decisionAt,
      recipients: { professionals: [n.to], organisationLeads: [], coordinator: false },
    });
  }
}

/**
 * Issue 21's webhook events and mail: a household that recorded plans or log entries before they
 * existed replays without them (its history has no such activities).
 */
export const PLAN_EVENTS_PATCH = 'plan-events-and-misgegaan-mail';

/** The intake system hears of every phase and role change, plan version and approval (each once, by its key). */
export function publishChanges(run: Run, out: Outbox): void {
  const s = run.state;
  // Issue 21: ids, kinds and dates only; the version itself is read with GET /plans/{planId}/versions/{version}.
  for (const p of plansOf(s).length && patched(PLAN_EVENTS_PATCH) ? plansOf(s) : []) {
    out.publish('plan.version', `plan:${p.planId}:${p.version}`, { planId: p.planId, kind: p.kind, version: p.version });
    if (p.approval)
      out.publish('plan.approved', `plan:${p.planId}:${p.version}:approved`, {
        planId: p.planId,
        kind: p.kind,
        version: p.version,
        approvedOn: p.approval.on,
      });
  }
  for (const p of s.phaseHistory) out.publish('fase', `fase:${p.phase}:${p.from}`, { phase: p.phase, via: p.via });
  for (const r of s.roleHistory) {
    out.publish('rol', `rol:${r.role}:${r.professionalId}:${r.from}`, {
      role: r.role,
      professionalId: r.professionalId,
      organisation: r.organisation,
      via: r.via,
    });
  }
}

/** Search attributes for operators: ids, levels and dates only (they are not encrypted). */
export function overviewAttributes(view: HouseholdView) {
  const s = view.state;
  const runs = view.runs.map((r) => (s.phase === 'herstel' ? r.consensusMonths : r.riskMonths));
  return {
    [SA.phase.name]: [s.phase],
    [SA.organisations.name]: view.organisations,
    [SA.intakeOrganisation.name]: [s.intake.organisation],
    [SA.casusregisseur.name]: s.roles.casusregisseur ? [s.roles.casusregisseur.professionalId] : [],
    [SA.escalationLevel.name]: [view.escalationLevel],
    [SA.runMonths.name]: [runs.length ? Math.min(...runs) : 0],
    [SA.nextDeadline.name]: view.nextDeadline ? [new Date(view.nextDeadline)] : [],
    [SA.openHandover.name]: [view.openHandover],
    [SA.overdue.name]: [view.escalationLevel > 0],
    [SA.startedAt.name]: [new Date(s.startedAt)],
    [SA.phaseStartedAt.name]: [new Date(s.phaseStartedAt)],
  };
}

/**
 * The read-model row when it changed since the last one of this run, numbered by state.summarySeq
 * (which survives continue-as-new); undefined when it did not change.
 */
export function summaryUpdater(run: Run): (view: HouseholdView) => HouseholdSummary | undefined {
  let last = '';
  return (view) => {
    const json = JSON.stringify(householdSummary(view, 0));
    if (json === last) return undefined;
    last = json;
    run.state.summarySeq = (run.state.summarySeq ?? 0) + 1;
    return householdSummary(view, run.state.summarySeq);
  };
}

/** Resolved escalations and warnings beyond the last few leave the state (the read model has them). */
export function pruneHistory(run: Run): void {
  const s = run.state;
  const resolved = s.escalations.filter((e) => e.resolvedAt).sort((a, b) => (a.resolvedAt! < b.resolvedAt! ? -1 : 1));
  const drop = new Set(resolved.slice(0, Math.max(0, resolved.length - LIMITS.resolvedEscalationsKept)));
  if (drop.size) s.escalations = s.escalations.filter((e) => !drop.has(e));
  if (s.warnings.length > LIMITS.warningsKept) s.warnings = s.warnings.slice(-LIMITS.warningsKept);
}

/** Upserts the overview only when it changed since the last upsert of this run. */
export function overviewUpdater(): (view: HouseholdView) => void {
  let last = '';
  return (view) => {
    const attrs = overviewAttributes(view);
    const json = JSON.stringify(attrs);
    if (json === last) return;
    last = json;
    upsertSearchAttributes(attrs);
  };
}
