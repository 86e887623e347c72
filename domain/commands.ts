/**
 * `applyCommand`: the pure reducer that either returns the next state or throws a MethodRefusal
 * naming the R-rule. The workflow's update validator runs `validateCommand` on the current state
 * and discards the result (so a refused command changes nothing); the handler runs `applyCommand`
 * again and keeps the result. The commands themselves are in record-commands.ts (what happened:
 * scores, dangers, members, evidence) and safety-commands.ts (roles, huisverbod, handovers,
 * transitions, escalations); only the first kind is held to the household's limits.
 */
import { CommandSchemas, type CommandBody, type CommandType } from './command-schemas';
import { requireInvolved, requireOpen, type Ctx } from './command-checks';
import { withinLimits } from './command-limits';
import type { Actor, HouseholdState } from './model';
import type { Policy } from './policy';
import { MethodRefusal } from './refusal';
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

function parse<K extends CommandType>(type: K, input: unknown): CommandBody<K> {
  const parsed = CommandSchemas[type].safeParse(input);
  if (!parsed.success)
    throw new MethodRefusal(
      'invoer',
      `Ongeldige invoer: ${parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`).join('; ')}`,
    );
  return parsed.data as CommandBody<K>;
}

function run<K extends CommandType>(
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

/** Applies one command to a copy of the state; throws MethodRefusal when the method forbids it. */
export function applyCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): HouseholdState {
  return run(state, type, parse(type, input), actor, now, policy);
}

/**
 * What the workflow's update validator runs: first who may act (R-64, the actor's organisation is
 * involved now), then the command itself on a copy, then, for a command that records something,
 * the household's limits. The handler runs `applyCommand` alone: a validator does not run again on
 * replay, so an admission rule added later cannot turn a command accepted in a recorded history
 * into a refusal.
 */
export function validateCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): void {
  // Who may act first: to an organisation not involved, a closed household is as unknown as any other
  // (R-64); the coordinator reads every household and decides after escalations (section 6).
  requireCommandOfKind(type, actor);
  if (actor.kind !== 'coordinator') requireInvolved(state, actor);
  requireOpen(state);
  const body = parse(type, input);
  const next = run(state, type, body, actor, now, policy);
  if (isRecordCommand(type)) withinLimits(next, type, body as CommandBody<RecordCommand>, amsterdamDay(now));
}
