/**
 * The pure reducer of the method: a command body (already checked against its schema) either gives
 * the next state or a MethodRefusal naming the R-rule. `reduce` is what the workflow's update
 * handler keeps; `validate` is what its validator checks first, on a copy, so a refused command
 * changes nothing. The commands themselves are in record-commands.ts (what
 * happened: scores, dangers, members, evidence), safety-commands.ts (roles, huisverbod, handovers,
 * transitions, escalations), plan-commands.ts and coordinator-commands.ts; only the first kind is
 * held to the household's limits. Bodies from callers go through ./commands (schemas first).
 */
import type { CommandType } from './command-types';
import type { CommandBody } from './schemas/commands';
import { requireInvolved, requireOpen, type Ctx } from './command-checks';
import { withinLimits } from './command-limits';
import type { Actor, HouseholdState } from './model';
import type { Policy } from './policy';
import { recordHandlers, RECORD_COMMANDS, type RecordCommand } from './record-commands';
import { safetyHandlers } from './safety-commands';
import { planHandlers } from './plan-commands';
import { coordinatorHandlers, requireCommandOfKind } from './coordinator-commands';
import { amsterdamDay } from './time';

type Handler = (s: HouseholdState, body: unknown, actor: Actor, c: Ctx) => void;

/** Every command has one handler, either recording or moving towards safety; the compiler checks none is missing. */
const handlers = { ...recordHandlers, ...safetyHandlers, ...planHandlers, ...coordinatorHandlers } satisfies Record<CommandType, unknown>;

function isRecordCommand(type: CommandType): type is RecordCommand {
  return (RECORD_COMMANDS as readonly CommandType[]).includes(type);
}

/** Applies one command to a copy of the state; throws MethodRefusal when the method forbids it. */
export function reduce<K extends CommandType>(
  state: HouseholdState,
  type: K,
  body: CommandBody<K>,
  actor: Actor,
  now: Date,
  policy: Policy,
): HouseholdState {
  requireOpen(state);
  // The state is plain JSON (it travels through Temporal payloads), so a JSON copy is exact.
  const s: HouseholdState = JSON.parse(JSON.stringify(state));
  (handlers[type] as Handler)(s, body, actor, { now, today: amsterdamDay(now), nowIso: now.toISOString(), policy });
  return s;
}

/**
 * What an update validator checks, in this order: who acts, then the body (`parse`: the
 * schema, which the workflow and the API load differently), then the command on a copy.
 */
export function validate<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  parse: (type: K, input: unknown) => CommandBody<K>,
  actor: Actor,
  now: Date,
  policy: Policy,
): void {
  requireActor(state, type, actor);
  admitBody(state, type, parse(type, input), actor, now, policy);
}

/**
 * Who may act, before anything else: to an organisation not involved, a closed household is as
 * unknown as any other; the coordinator reads every household and decides after escalations
 * (section 6).
 */
function requireActor(state: HouseholdState, type: CommandType, actor: Actor): void {
  requireCommandOfKind(type, actor);
  if (actor.kind !== 'coordinator') requireInvolved(state, actor);
  requireOpen(state);
}

/**
 * The rest of what the update validator checks: the command itself on a copy, then, for a command
 * that records something, the household's limits. The handler runs `reduce` alone: a validator does
 * not run again on replay, so an admission rule added later cannot turn a command accepted in a
 * recorded history into a refusal.
 */
function admitBody<K extends CommandType>(
  state: HouseholdState,
  type: K,
  body: CommandBody<K>,
  actor: Actor,
  now: Date,
  policy: Policy,
): void {
  const next = reduce(state, type, body, actor, now, policy);
  if (isRecordCommand(type)) withinLimits(next, type, body as CommandBody<RecordCommand>, amsterdamDay(now));
}
