/**
 * One household's trajectory through the Routekaart, from report to closure (months to years).
 *
 * The story: the intake creates the household. Commands arrive as updates; each is checked
 * by the method's rules in domain/ before anything changes, and a refused command tells the caller
 * which rule forbids it. Between commands the workflow sleeps until the next deadline that the
 * domain derives from the state: reminders go out, causes that stay open climb the escalation
 * ladder (professional, organisation lead / gedragswetenschapper, regional coordinator) and resolve
 * by themselves when their cause is gone. The outgoing professional stays the role holder and keeps
 * the reminders until the incoming one has started. Before the history grows large the
 * workflow continues as new, carrying the whole state.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { nextWorkingMoment } from '../domain/calendar';
import { COMMAND_TYPES, type CommandBody, type CommandType } from '../domain/command-schemas';
import { applyCommand, validateCommand } from '../domain/commands';
import { MethodRefusal } from '../domain/refusal';
import { unmetCriteria } from '../domain/criteria';
import { duePlan } from '../domain/deadlines';
import { initialState } from '../domain/intake';
import type { HouseholdState } from '../domain/model';
import { Policy } from '../domain/policy';
import { correctedScore } from '../domain/scores';
import { householdView } from '../domain/view';
import { METHOD_REFUSAL, queries, updates, type CommandArgs, type HouseholdWorkflowInput, type RefusalDetails } from './messages';
import { Outbox, type Run } from './outbox';
import {
  climbEscalations,
  noticeOverrides,
  overviewUpdater,
  pruneHistory,
  readModelUpdater,
  publishChanges,
  repeatEscalations,
  resolveEscalations,
  sendDueReminders,
} from './steps';

/** A run accepts at most 2,000 updates in total; continue as new well before. */
const MAX_UPDATES_PER_RUN = 500;

export async function householdTrajectory(input: HouseholdWorkflowInput): Promise<HouseholdState> {
  // Parsed again: a household started under an older policy gets defaults for fields added since.
  const policy = Policy.parse(input.policy);
  let changed = true;
  let updatesThisRun = 0;
  const run: Run = {
    state: input.kind === 'start' ? refusalsAsFailures(() => initialState(input.start, new Date(), policy)) : input.state,
    policy,
    now: () => new Date(),
    touch: () => void (changed = true),
  };
  const out = new Outbox(run);
  const upsertOverview = overviewUpdater();
  const writeReadModel = readModelUpdater(run, out);

  // Every command: the validator checks who acts and runs the rule on a copy, and throws if
  // refused (nothing written); the handler runs the rule again and keeps the result.
  for (const type of COMMAND_TYPES) {
    const apply = (args: CommandArgs<CommandType>) =>
      refusalsAsFailures(() => applyCommand(run.state, type, args.body, args.actor, run.now(), policy));
    const validate = (args: CommandArgs<CommandType>) =>
      refusalsAsFailures(() => validateCommand(run.state, type, args.body, args.actor, run.now(), policy));
    setHandler(
      updates[type],
      (args: CommandArgs<CommandType>) => {
        const before = run.state;
        run.state = apply(args);
        // A score for a danger, group and month that has one replaces it: the API keeps the earlier one.
        const corrected = type === 'recordScore' ? correctedScore(before.scores, args.body as CommandBody<'recordScore'>) : undefined;
        updatesThisRun++;
        changed = true;
        return { householdId: run.state.householdId, phase: run.state.phase, corrected };
      },
      { validator: validate },
    );
  }
  setHandler(queries.snapshot, () => ({ state: run.state, policy }));
  setHandler(queries.view, () => householdView(run.state, run.now(), policy));
  setHandler(queries.unmetCriteria, () => unmetCriteria(run.state, run.now(), policy));
  setHandler(queries.deadlinePlan, () => householdView(run.state, run.now(), policy).plan);
  setHandler(queries.timeline, () => run.state.roleHistory);

  /** Sends what is due, moves and repeats escalations, tells the intake system, updates the overview. */
  function act(): string | undefined {
    pruneHistory(run);
    const plan = duePlan(run.state, run.now(), policy);
    sendDueReminders(run, out, plan);
    climbEscalations(run, out, plan);
    repeatEscalations(run, out, plan);
    resolveEscalations(run, out, plan);
    noticeOverrides(run, out, plan);
    publishChanges(run, out);
    out.flushEvents();
    const view = householdView(run.state, run.now(), policy);
    upsertOverview(view);
    writeReadModel(view);
    return plan.nextWakeAt;
  }

  // Main loop: act on what is due, then wait for a change or the next deadline. The timer stays
  // while the next deadline stays: a command that changes nothing due costs no new timer.
  let wake: { at: string; scope: CancellationScope; fired: boolean } | undefined;
  while (run.state.phase !== 'afgesloten') {
    const nextWakeAt = act();
    changed = false;
    if (wake && wake.at !== nextWakeAt) {
      wake.scope.cancel();
      wake = undefined;
    }
    if (!wake && nextWakeAt) {
      const timer = { at: nextWakeAt, scope: new CancellationScope(), fired: false };
      timer.scope
        .run(() => sleep(Math.max(1, Date.parse(nextWakeAt) - run.now().getTime())))
        .then(
          () => void (timer.fired = true),
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
      wake = timer;
    }
    await condition(() => changed || wake?.fired === true);
    if (wake?.fired) wake = undefined;
    if (workflowInfo().continueAsNewSuggested || updatesThisRun >= MAX_UPDATES_PER_RUN) {
      await condition(allHandlersFinished);
      await out.drain();
      act();
      await out.drain();
      return continueAsNew<typeof householdTrajectory>({ kind: 'resume', state: compact(run.state, policy, run.now()), policy });
    }
  }
  act();
  // A closure by override reaches the coordinator inside working hours: wait for the office to open.
  while (run.state.overrides.some((o) => !o.coordinatorNotified)) {
    const opens = nextWorkingMoment(run.now().toISOString(), policy.workingHours);
    await sleep(Math.max(1, Date.parse(opens) - run.now().getTime()));
    act();
  }
  await condition(allHandlersFinished);
  await out.drain();
  return run.state;
}

/** Domain refusals become update failures with the rule id; anything else is a bug and fails the task. */
function refusalsAsFailures<T>(fn: () => T): T {
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
function compact(s: HouseholdState, policy: Policy, now: Date): HouseholdState {
  const active = duePlan(s, now, policy).deadlines.map((d) => `${s.householdId}:${d.key}:`);
  const notified = s.notified.filter((k) => k.includes(':webhook:') || active.some((prefix) => k.startsWith(prefix)));
  return { ...s, notified };
}
