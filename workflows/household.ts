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
 * workflow continues as new, carrying the whole state. This file registers the handlers; the main
 * loop is run.ts, its steps steps.ts, and everything sent goes through outbox.ts.
 */
import { ApplicationFailure, patched, setHandler, uuid4 } from '@temporalio/workflow';
import { COMMAND_TYPES, type CommandType } from '../domain/command-types';
import type { CommandBody } from '../domain/schemas/commands';
import { reduce, validate } from '../domain/reducer';
import { MethodRefusal } from '../domain/refusal';
import { unmetCriteria } from '../domain/criteria';
import { initialState } from '../domain/intake';
import type { HouseholdState } from '../domain/model';
import { withPolicyDefaults } from '../domain/policy';
import { plansOf } from '../domain/safety-plan';
import { correctedScore } from '../domain/scores';
import { householdView } from '../domain/view';
import { METHOD_REFUSAL, queries, updates, type CommandArgs, type HouseholdWorkflowInput, type RefusalDetails } from './messages';
import { admittedBody, recordedBody } from './bodies';
import { Outbox, type Run } from './outbox';
import { PLAN_EVENTS_PATCH } from './steps';
import { run, type LoopSignals } from './run';

export async function householdTrajectory(input: HouseholdWorkflowInput): Promise<HouseholdState> {
  // A household started under an older policy gets defaults for fields added since (parsed at start).
  // Issue 21: a run recorded before members were reminded first replays with the casusregisseur first
  // (0 days); the policy it continues as new with keeps that.
  const stored = withPolicyDefaults(input.policy);
  const policy = patched('monitoring-member-first') ? stored : { ...stored, monitoringMemberFirstDays: 0 };
  const signals: LoopSignals = { changed: true, updatesThisRun: 0 };
  const household: Run = {
    state:
      input.kind === 'start'
        ? // Issue 22: imports started before the calm-import rule replay without their review.
          refusalsAsFailures(() =>
            initialState(input.start, new Date(), policy, !input.start.intake.import || patched('calm-import-review')),
          )
        : input.state,
    policy,
    now: () => new Date(),
    touch: () => void (signals.changed = true),
  };
  const out = new Outbox(household);

  // Every command: the validator checks who acts, the body against its schema, and runs the
  // rule on a copy, and throws if refused (nothing written); the handler runs the rule again on the
  // body as recorded and keeps the result.
  for (const type of COMMAND_TYPES) {
    const apply = (args: CommandArgs<CommandType>) =>
      refusalsAsFailures(() => reduce(household.state, type, recordedBody(type, args.body), args.actor, household.now(), policy));
    const validator = (args: CommandArgs<CommandType>) =>
      refusalsAsFailures(() => validate(household.state, type, args.body, admittedBody, args.actor, household.now(), policy));
    setHandler(
      updates[type],
      (args: CommandArgs<CommandType>) => {
        const before = household.state;
        household.state = apply(args);
        signals.updatesThisRun++;
        signals.changed = true;
        // A score for a danger, group and month that has one replaces it: the API keeps the earlier one.
        const corrected = type === 'recordScore' ? correctedScore(before.scores, args.body as CommandBody<'recordScore'>) : undefined;
        // A new plan version is the last of the plans (domain/plan-commands.ts): the API keeps its body.
        const written = type === 'recordPlanVersion' ? plansOf(household.state).at(-1) : undefined;
        const planVersion = written && { planId: written.planId, version: written.version };
        if (type === 'addLogEntry' && patched(PLAN_EVENTS_PATCH)) {
          const b = args.body as CommandBody<'addLogEntry'>;
          out.publish('log.entry', `log:${uuid4()}`, {
            agreementId: b.agreementId,
            date: b.date,
            outcome: b.outcome,
            score: b.score ?? null,
            by: args.actor.professionalId,
          });
        }
        return { householdId: household.state.householdId, phase: household.state.phase, corrected, planVersion };
      },
      { validator },
    );
  }
  setHandler(queries.snapshot, () => ({ state: household.state, policy }));
  setHandler(queries.view, () => householdView(household.state, household.now(), policy));
  setHandler(queries.unmetCriteria, () => unmetCriteria(household.state, household.now(), policy));
  setHandler(queries.deadlinePlan, () => householdView(household.state, household.now(), policy).plan);
  setHandler(queries.timeline, () => household.state.roleHistory);

  return run(household, out, signals);
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
