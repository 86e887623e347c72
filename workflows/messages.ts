/**
 * The household workflow's contract: every update, query and signal, the task queue, the search
 * attributes and the input type. The API and the worker import this module, never the workflow
 * body; the API never re-types what the workflow accepts.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import type { CommandBody } from '../domain/schemas/commands';
import type { CommandType } from '../domain/command-types';
import type { Unmet } from '../domain/criteria';
import type { StartInput } from '../domain/intake';
import type { Actor, HouseholdState, Score } from '../domain/model';
import type { Policy } from '../domain/policy';
import type { HouseholdView } from '../domain/view';

export const TASK_QUEUE = 'routekaart-households';
export const WORKFLOW_TYPE = 'householdTrajectory';

/** The workflow id is the household id itself: a keyed hash of intake organisation and reference (no personal data). */

export type HouseholdWorkflowInput =
  | { kind: 'start'; start: StartInput; policy: Policy }
  /** continue-as-new carries the whole state; nothing of the household is lost between runs. */
  | { kind: 'resume'; state: HouseholdState; policy: Policy };

/** Every command is one update with a validator; the argument is the actor plus the command body. */
export interface CommandArgs<K extends CommandType> {
  actor: Actor;
  body: CommandBody<K>;
}

/**
 * What an accepted command returns. Deliberately small: update results are stored in history, and a
 * household lives for years, so callers read the full view with the `view` query afterwards.
 * `corrected` is the score a correction replaced (same danger, group and month): the API keeps it
 * in Routekaart's database with who recorded it and when.
 */
export interface CommandResult {
  householdId: string;
  phase: HouseholdState['phase'];
  corrected?: Score;
  /** Issue 21: the version a recordPlanVersion wrote; the API keeps its body (texts as references). */
  planVersion?: { planId: string; version: number };
}

function command<K extends CommandType>(name: K): UpdateDefinition<CommandResult, [CommandArgs<K>], K> {
  return defineUpdate<CommandResult, [CommandArgs<K>], K>(name);
}

/** One update per command; indexed by a command type it is typed with that command's arguments. */
export const updates: { [K in CommandType]: UpdateDefinition<CommandResult, [CommandArgs<K>], K> } = {
  recordScore: command('recordScore'),
  defineDanger: command('defineDanger'),
  reviseDanger: command('reviseDanger'),
  assignRole: command('assignRole'),
  addHouseholdMember: command('addHouseholdMember'),
  addNetworkMember: command('addNetworkMember'),
  updateNetworkMember: command('updateNetworkMember'),
  recordEvidence: command('recordEvidence'),
  registerHuisverbod: command('registerHuisverbod'),
  extendHuisverbod: command('extendHuisverbod'),
  endHuisverbod: command('endHuisverbod'),
  closeDanger: command('closeDanger'),
  startHandover: command('startHandover'),
  confirmHandover: command('confirmHandover'),
  cancelHandover: command('cancelHandover'),
  requestTransition: command('requestTransition'),
  acknowledgeEscalation: command('acknowledgeEscalation'),
  confirmImport: command('confirmImport'),
  recordPlanVersion: command('recordPlanVersion'),
  endorsePlan: command('endorsePlan'),
  approvePlan: command('approvePlan'),
  addLogEntry: command('addLogEntry'),
  reviewOverride: command('reviewOverride'),
  decideEscalation: command('decideEscalation'),
};

/** The state and the policy the household runs under: callers compute the view as of their own now. */
export interface HouseholdSnapshot {
  state: HouseholdState;
  policy: Policy;
}

export const queries = {
  /**
   * State and policy. A query runs at the workflow's last wake-up, which can be weeks ago for a
   * sleeping household: readers compute the view with domain/view.ts at their own now.
   */
  snapshot: defineQuery<HouseholdSnapshot>('snapshot'),
  /** Full read model as of the workflow's last wake-up (tests and operators). */
  view: defineQuery<HouseholdView>('view'),
  unmetCriteria: defineQuery<Unmet[]>('unmetCriteria'),
  deadlinePlan: defineQuery<HouseholdView['plan']>('deadlinePlan'),
  /** Who held which role when (R-24: responsibility never silently changes hands). */
  timeline: defineQuery<HouseholdState['roleHistory']>('timeline'),
};

/** The error type of a refused command; details[0] is { rule, unmet }. */
export const METHOD_REFUSAL = 'MethodRefusal';
export interface RefusalDetails {
  rule: string;
  unmet: Unmet[];
}

/**
 * Search attributes for the coordinators' overview: no personal data (they are not encrypted).
 * Fits SQLite visibility's limits (Keyword <= 10, others <= 3 each).
 */
export const SA = {
  phase: defineSearchAttributeKey('RkPhase', SearchAttributeType.KEYWORD),
  organisations: defineSearchAttributeKey('RkOrganisations', SearchAttributeType.KEYWORD_LIST),
  intakeOrganisation: defineSearchAttributeKey('RkIntakeOrganisation', SearchAttributeType.KEYWORD),
  casusregisseur: defineSearchAttributeKey('RkCasusregisseur', SearchAttributeType.KEYWORD),
  escalationLevel: defineSearchAttributeKey('RkEscalationLevel', SearchAttributeType.INT),
  runMonths: defineSearchAttributeKey('RkRunMonths', SearchAttributeType.INT),
  nextDeadline: defineSearchAttributeKey('RkNextDeadline', SearchAttributeType.DATETIME),
  /** Start of the trajectory (earlier than the run's start for imports and after continue-as-new). */
  startedAt: defineSearchAttributeKey('RkStartedAt', SearchAttributeType.DATETIME),
  /** time per phase. */
  phaseStartedAt: defineSearchAttributeKey('RkPhaseStartedAt', SearchAttributeType.DATETIME),
  openHandover: defineSearchAttributeKey('RkOpenHandover', SearchAttributeType.BOOL),
  overdue: defineSearchAttributeKey('RkOverdue', SearchAttributeType.BOOL),
} as const;

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export const SEARCH_ATTRIBUTE_CLI_ARGS: string[] = Object.values(SA).flatMap((k) => [
  '--search-attribute',
  `${k.name}=${{ KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool', TEXT: 'Text', DOUBLE: 'Double' }[k.type]}`,
]);

export const DIGEST_WORKFLOW_TYPE = 'dailyDigest';
export const DIGEST_SCHEDULE_ID = 'routekaart-daily-digest';
export const WEEKLY_WORKFLOW_TYPE = 'weeklyOverview';
export const WEEKLY_SCHEDULE_ID = 'routekaart-weekly-overview';

/**
 * Issue 22: the follow-up of one closed household (workflows/follow-up.ts), started by the
 * household workflow at closure as a child that outlives it (ParentClosePolicy ABANDON).
 */
export const FOLLOW_UP_WORKFLOW_TYPE = 'followUpAfterClosure';

/** One follow-up per household: a repeated start (a replayed closure) finds it already there. */
export function followUpWorkflowId(householdId: string): string {
  return `nameting-${householdId}`;
}

/** What the follow-up did: the months whose request went out, and those whose request failed after its retries. */
export interface FollowUpResult {
  requested: number[];
  failed: number[];
}
