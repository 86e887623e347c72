/**
 * The household workflow's main loop: act on what is due, then wait for a change or the next
 * deadline; continue as new before the history grows large, and after closure wait only until
 * the coordinator has heard of an override. The handlers (household.ts) change the state and wake
 * the loop; everything the loop sends goes through the outbox.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { followUpPlan } from '../domain/follow-up';
import { nextWorkingMoment } from '../domain/calendar';
import { duePlan } from '../domain/deadlines';
import type { HouseholdState } from '../domain/model';
import type { Policy } from '../domain/policy';
import { householdView } from '../domain/view';
import { FOLLOW_UP_WORKFLOW_TYPE, followUpWorkflowId, type FollowUpResult, type HouseholdWorkflowInput } from './messages';
import type { Outbox, Run } from './outbox';
import {
  climbEscalations,
  noticeHandovers,
  noticeOverrides,
  sendWrongEntries,
  overviewUpdater,
  noticeCoordinatorDecisions,
  pruneHistory,
  publishChanges,
  repeatEscalations,
  resolveEscalations,
  sendDueReminders,
  sendImportSummary,
  summaryUpdater,
} from './steps';

/** Issue 23: runs recorded before it send a step's webhook events before its read-model row, to every organisation. */
export const EVENTS_WITH_ROW_PATCH = 'webhook-events-with-read-model-row';

/** Issue 23: runs recorded before it schedule a step's mail at once and write its row in a local activity. */
export const ROW_WITH_MAIL_PATCH = 'read-model-row-with-mail';

/** A run accepts at most 2,000 updates in total; continue as new well before. */
const MAX_UPDATES_PER_RUN = 500;

/** What the handlers tell the loop: the state changed since it last acted, and how many updates this run took. */
export interface LoopSignals {
  changed: boolean;
  updatesThisRun: number;
}

/** The workflow function's shape, for continue-as-new. */
type HouseholdWorkflow = (input: HouseholdWorkflowInput) => Promise<HouseholdState>;

/** Runs the household until it is closed (its final state) or continues it as new. */
export async function run(household: Run, out: Outbox, signals: LoopSignals): Promise<HouseholdState> {
  const { policy } = household;
  const upsertOverview = overviewUpdater();
  const nextSummary = summaryUpdater(household);
  // Decided once per run: a history recorded before the handover mails replays without them.
  const handoverMails = patched('handover-mails');
  const decisionMails = patched('coordinator-decision-mails');
  // Issue 23: the webhook events go out after the read-model row, for organisations with an endpoint only.
  const eventsWithRow = patched(EVENTS_WITH_ROW_PATCH);
  if (eventsWithRow && patched(ROW_WITH_MAIL_PATCH)) out.holdMailForRow();

  /** One wake-up: sends what is due, moves and repeats escalations, tells the intake system, updates the overview. */
  function act(): string | undefined {
    pruneHistory(household);
    // Computed once: the steps below change escalations and sent keys, never what is due.
    const plan = duePlan(household.state, household.now(), policy);
    sendImportSummary(household, out, plan);
    sendDueReminders(household, out, plan);
    climbEscalations(household, out, plan);
    repeatEscalations(household, out, plan);
    resolveEscalations(household, out, plan);
    noticeOverrides(household, out, plan);
    if (handoverMails) noticeHandovers(household, out, plan);
    if (decisionMails) noticeCoordinatorDecisions(household, out, plan);
    sendWrongEntries(household, out, plan);
    publishChanges(household, out);
    if (!eventsWithRow) out.flushEvents();
    const view = householdView(household.state, household.now(), policy, plan);
    upsertOverview(view);
    const summary = nextSummary(view);
    if (eventsWithRow) out.recordStep(summary);
    else if (summary) out.recordSummary(summary);
    return plan.nextWakeAt;
  }

  // The timer stays while the next deadline stays: a command that changes nothing due costs no new timer.
  let wake: { at: string; scope: CancellationScope; fired: boolean } | undefined;
  while (household.state.phase !== 'afgesloten') {
    const nextWakeAt = act();
    signals.changed = false;
    if (wake && wake.at !== nextWakeAt) {
      wake.scope.cancel();
      wake = undefined;
    }
    if (!wake && nextWakeAt) {
      const timer = { at: nextWakeAt, scope: new CancellationScope(), fired: false };
      timer.scope
        .run(() => sleep(Math.max(1, Date.parse(nextWakeAt) - household.now().getTime())))
        .then(
          () => void (timer.fired = true),
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
      wake = timer;
    }
    await condition(() => signals.changed || wake?.fired === true);
    if (wake?.fired) wake = undefined;
    if (workflowInfo().continueAsNewSuggested || signals.updatesThisRun >= MAX_UPDATES_PER_RUN) {
      await condition(allHandlersFinished);
      await out.drain();
      act();
      await out.drain();
      const state = compact(household.state, policy, household.now());
      return continueAsNew<HouseholdWorkflow>({ kind: 'resume', state, policy });
    }
  }
  act();
  await startFollowUp(household);
  // A closure by override reaches the coordinator inside working hours: wait for the office to open.
  while (household.state.overrides.some((o) => !o.coordinatorNotified)) {
    const opens = nextWorkingMoment(household.now().toISOString(), policy.workingHours);
    await sleep(Math.max(1, Date.parse(opens) - household.now().getTime()));
    act();
  }
  await condition(allHandlersFinished);
  await out.drain();
  return household.state;
}

/**
 * Issue 22: with the policy's consent, a closed household gets its follow-up (3 and 6 months after
 * closure) as a child workflow with ParentClosePolicy ABANDON: it keeps running after this
 * workflow completes, and this trajectory stays closed. Started from here rather than by an
 * activity, so the start is part of the household's own history (replayed, never twice) and its
 * id is deterministic: a second start for the same household is refused by the server and
 * changes nothing. Households closed before this code replay without it (patched).
 */
async function startFollowUp(household: Run): Promise<void> {
  const plan = followUpPlan(household.state, household.policy);
  if (!plan || !patched('follow-up-after-closure')) return;
  try {
    await startChild<(p: typeof plan) => Promise<FollowUpResult>>(FOLLOW_UP_WORKFLOW_TYPE, {
      workflowId: followUpWorkflowId(plan.householdId),
      args: [plan],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    // Already started (or refused): the closure itself is done either way.
    log.warn('Follow-up not started', { error: String((err as Error)?.message ?? err) });
  }
}

/** Before continuing as new, forget idempotency keys of causes that can no longer recur. */
function compact(s: HouseholdState, policy: Policy, now: Date): HouseholdState {
  const active = duePlan(s, now, policy).deadlines.map((d) => `${s.householdId}:${d.key}:`);
  const notified = s.notified.filter((k) => k.includes(':webhook:') || active.some((prefix) => k.startsWith(prefix)));
  return { ...s, notified };
}
