/**
 * One household's trajectory through the Routekaart, from report to closure (months to years).
 *
 * The story: the intake creates the household (R-01). Commands arrive as updates; each is checked
 * by the method's rules in domain/ before anything changes, and a refused command tells the caller
 * which rule forbids it. Between commands the workflow sleeps until the next deadline that the
 * domain derives from the state: reminders go out, causes that stay open climb the escalation
 * ladder (professional, organisation lead / gedragswetenschapper, regional coordinator) and resolve
 * by themselves when their cause is gone. The outgoing professional stays the role holder and keeps
 * the reminders until the incoming one has started (R-24). Before the history grows large the
 * workflow continues as new, carrying the whole state.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Activities } from '../activities';
import { applyCommand, COMMAND_TYPES, MethodRefusal, type CommandType } from '../domain/commands';
import { unmetCriteria } from '../domain/criteria';
import { duePlan, type Deadline } from '../domain/deadlines';
import { initialState } from '../domain/intake';
import type { HouseholdState } from '../domain/model';
import { recipientsFor, type EscalationLevel, type NotificationRequest, type WebhookEvent } from '../domain/notifications';
import type { Policy } from '../domain/policy';
import { householdView } from '../domain/view';
import { METHOD_REFUSAL, queries, SA, updates, type CommandArgs, type CommandResult, type HouseholdWorkflowInput, type RefusalDetails } from './messages';

/** A run accepts at most 2,000 updates; continue well before (TEMPORAL-NOTES.md). */
const MAX_UPDATES_PER_RUN = 500;

export async function householdTrajectory(input: HouseholdWorkflowInput): Promise<HouseholdState> {
  const policy: Policy = input.policy;
  const now = () => new Date();
  let state: HouseholdState = input.kind === 'start' ? startState(input, policy) : input.state;
  let changed = true;
  let updatesThisRun = 0;
  const inFlight = new Set<Promise<void>>();

  const mail = proxyActivities<Activities>({
    startToCloseTimeout: '2 minutes',
    // Nothing lost: SMTP outages are retried for more than a day, then escalated (below).
    scheduleToCloseTimeout: `${policy.mailRetryHours} hours`,
    retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
  });
  const hooks = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '7 days',
    retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
  });

  // Every command: the validator runs the rule on a copy and throws if refused (nothing written);
  // the handler runs it again and keeps the result.
  for (const type of COMMAND_TYPES) {
    const def = updates[type] as unknown as UpdateDefinition<CommandResult, [CommandArgs<CommandType>]>;
    setHandler(
      def,
      (args: CommandArgs<CommandType>) => {
        const applied = run(() => applyCommand(state, type, args.body, args.actor, now(), policy));
        state = applied.state;
        updatesThisRun++;
        changed = true;
        if (applied.effects.override) notifyOverride(applied.effects.override, args.actor.professionalId);
        return { householdId: state.householdId, phase: state.phase, unmet: unmetCriteria(state, now(), policy) };
      },
      { validator: (args: CommandArgs<CommandType>) => void run(() => applyCommand(state, type, args.body, args.actor, now(), policy)) },
    );
  }
  setHandler(queries.view, () => householdView(state, now(), policy));
  setHandler(queries.unmetCriteria, () => unmetCriteria(state, now(), policy));
  setHandler(queries.deadlinePlan, () => householdView(state, now(), policy).plan);
  setHandler(queries.timeline, () => state.roleHistory);

  const id = state.householdId;

  function dispatch(key: string, work: () => Promise<unknown>, onFailure?: (err: unknown) => void, onSuccess?: () => void): void {
    if (state.notified.includes(key)) return;
    state.notified.push(key);
    const p: Promise<void> = work()
      .then(() => onSuccess?.())
      .catch((err: unknown) => {
        log.warn('Activity failed after its retries', { key, error: String((err as Error)?.message ?? err) });
        onFailure?.(err);
        changed = true;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  function notify(req: Omit<NotificationRequest, 'householdId' | 'phase'>): void {
    const full: NotificationRequest = { ...req, householdId: id, phase: state.phase };
    dispatch(req.idempotencyKey, () => mail.sendNotification(full), () => mailFailed(full), mailDelivered);
  }

  /** A delivered mail proves the mail route works again: earlier delivery escalations resolve. */
  function mailDelivered(): void {
    for (const e of state.escalations) {
      if (e.resolvedAt || !e.key.startsWith('mail:')) continue;
      e.resolvedAt = now().toISOString();
      publish('escalatie', `${e.key}:opgelost`, { level: 0, rule: e.rule, cause: 'opgelost' });
      changed = true;
    }
  }

  /** Mail could not be delivered within the retry window: the coordinator must know (nothing lost). */
  function mailFailed(req: NotificationRequest): void {
    const key = `mail:${req.idempotencyKey}`;
    if (state.escalations.some((e) => e.key === key)) return;
    const at = now().toISOString();
    state.escalations.push({ key, rule: req.rule, level: 3, raisedAt: at, levelSince: at, reason: `E-mail kon niet worden afgeleverd (${req.kind}, niveau ${req.level}).` });
    publish('escalatie', `${key}`, { level: 3, rule: req.rule, cause: 'mail_niet_afgeleverd' });
  }

  function notifyOverride(o: { from: string; to: string; unmet: string[] }, by: string): void {
    const at = now().toISOString();
    notify({
      idempotencyKey: `${id}:afwijking:${o.from}:${o.to}:${at}`,
      kind: 'override',
      rule: o.unmet[0] ?? 'R-50',
      level: 3,
      reason: `Casusregisseur ${by} ging van ${o.from} naar ${o.to} terwijl niet voldaan was aan ${o.unmet.join(', ')}; onderbouwing vastgelegd.`,
      since: at,
      recipients: { professionals: [], organisationLeads: [], coordinator: true },
    });
  }

  function publish(type: WebhookEvent['type'], key: string, data: WebhookEvent['data']): void {
    const ev: WebhookEvent = {
      idempotencyKey: `${id}:webhook:${key}`,
      householdId: id,
      organisation: state.intake.organisation,
      intakeReference: state.intake.reference,
      type,
      occurredAt: now().toISOString(),
      data,
    };
    dispatch(ev.idempotencyKey, () => hooks.deliverWebhook(ev));
  }

  /** Sends what is due, moves escalations, tells the intake system, updates the overview. */
  function act(): string | undefined {
    const at = now();
    const plan = duePlan(state, at, policy);
    const gw = state.roles.gedragswetenschapper;
    const gedragswetenschapper = gw ? { professionalId: gw.professionalId, organisation: gw.organisation } : undefined;

    for (const { deadline, at: due } of plan.dueReminders) {
      notify(request(deadline, 0, due, gedragswetenschapper));
    }
    for (const { deadline, level, since } of plan.levels) {
      const open = state.escalations.find((e) => e.key === deadline.key && !e.resolvedAt);
      if (level === 0 || (open && open.level >= level)) continue;
      const iso = since ?? at.toISOString();
      if (open) {
        open.level = level;
        open.levelSince = iso;
      } else {
        state.escalations.push({ key: deadline.key, rule: deadline.rule, level, raisedAt: iso, levelSince: iso, reason: deadline.reason });
      }
      notify(request(deadline, level, iso, gedragswetenschapper));
      publish('escalatie', `${deadline.key}:${level}`, { level, rule: deadline.rule, cause: deadline.kind });
    }
    // An escalation resolves when its cause is gone (the deadline left the plan or fell back to 0).
    const active = new Set(plan.levels.filter((l) => l.level > 0).map((l) => l.deadline.key));
    for (const e of state.escalations) {
      if (e.resolvedAt || e.key.startsWith('mail:') || active.has(e.key)) continue;
      e.resolvedAt = at.toISOString();
      publish('escalatie', `${e.key}:opgelost`, { level: 0, rule: e.rule, cause: 'opgelost' });
    }
    for (const p of state.phaseHistory) publish('fase', `fase:${p.phase}:${p.from}`, { phase: p.phase, via: p.via });
    for (const r of state.roleHistory) {
      publish('rol', `rol:${r.role}:${r.professionalId}:${r.from}`, { role: r.role, professionalId: r.professionalId, organisation: r.organisation, via: r.via });
    }
    upsertOverview(plan.nextWakeAt);
    return plan.nextWakeAt;
  }

  function request(d: Deadline, level: EscalationLevel, since: string, gw?: { professionalId: string; organisation: string }): Omit<NotificationRequest, 'householdId' | 'phase'> {
    return {
      idempotencyKey: `${id}:${d.key}:${level === 0 ? `herinnering:${since}` : `niveau${level}`}`,
      kind: d.kind,
      rule: d.rule,
      level,
      reason: d.reason,
      since: level === 0 ? (d.remindAt ?? since) : (d.overdueAt ?? since),
      recipients: recipientsFor(d, level, gw, state.intake.organisation),
      meetingAt: d.meetingAt,
    };
  }

  let lastOverview = '';
  function upsertOverview(nextWakeAt: string | undefined): void {
    const view = householdView(state, now(), policy);
    const runs = view.runs.map((r) => (state.phase === 'herstel' ? r.consensusMonths : r.riskMonths));
    const escalationLevel = Math.max(0, ...state.escalations.filter((e) => !e.resolvedAt).map((e) => e.level));
    const attrs = {
      phase: state.phase,
      organisations: view.organisations,
      intakeOrganisation: state.intake.organisation,
      casusregisseur: state.roles.casusregisseur?.professionalId ?? '',
      escalationLevel,
      runMonths: runs.length ? Math.min(...runs) : 0,
      nextDeadline: nextWakeAt ?? '',
      openHandover: view.openHandover,
      overdue: escalationLevel > 0,
      phaseStartedAt: state.phaseStartedAt,
    };
    const json = JSON.stringify(attrs);
    if (json === lastOverview) return;
    lastOverview = json;
    upsertSearchAttributes({
      [SA.phase.name]: [attrs.phase],
      [SA.organisations.name]: attrs.organisations,
      [SA.intakeOrganisation.name]: [attrs.intakeOrganisation],
      [SA.casusregisseur.name]: attrs.casusregisseur ? [attrs.casusregisseur] : [],
      [SA.escalationLevel.name]: [attrs.escalationLevel],
      [SA.runMonths.name]: [attrs.runMonths],
      [SA.nextDeadline.name]: attrs.nextDeadline ? [new Date(attrs.nextDeadline)] : [],
      [SA.openHandover.name]: [attrs.openHandover],
      [SA.overdue.name]: [attrs.overdue],
      [SA.startedAt.name]: [new Date(state.startedAt)],
      [SA.phaseStartedAt.name]: [new Date(state.phaseStartedAt)],
    });
  }

  // Main loop: act on what is due, then wait for a change or the next deadline.
  while (state.phase !== 'afgesloten') {
    const nextWakeAt = act();
    changed = false;
    const timeout = nextWakeAt ? Math.max(1, new Date(nextWakeAt).getTime() - now().getTime()) : undefined;
    await (timeout === undefined ? condition(() => changed) : condition(() => changed, timeout));
    if (workflowInfo().continueAsNewSuggested || updatesThisRun >= MAX_UPDATES_PER_RUN) {
      await condition(allHandlersFinished);
      await Promise.all([...inFlight]);
      act();
      await Promise.all([...inFlight]);
      return continueAsNew<typeof householdTrajectory>({ kind: 'resume', state: compact(state, policy), policy });
    }
  }
  act();
  await condition(allHandlersFinished);
  await Promise.all([...inFlight]);
  return state;
}

function startState(input: Extract<HouseholdWorkflowInput, { kind: 'start' }>, policy: Policy): HouseholdState {
  return run(() => initialState(input.start, new Date(), policy));
}

/** Domain refusals become update failures with the rule id; anything else is a bug and fails the task. */
function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MethodRefusal) {
      const details: RefusalDetails = { rule: err.rule, unmet: err.unmet };
      throw ApplicationFailure.create({ type: METHOD_REFUSAL, message: err.message, nonRetryable: true, details: [details] });
    }
    throw err;
  }
}

/** Before continuing as new, forget idempotency keys of causes that can no longer recur. */
function compact(s: HouseholdState, policy: Policy): HouseholdState {
  const active = duePlan(s, new Date(), policy).deadlines.map((d) => `${s.householdId}:${d.key}:`);
  const notified = s.notified.filter((k) => k.includes(':webhook:') || active.some((prefix) => k.startsWith(prefix)));
  return { ...s, notified };
}
