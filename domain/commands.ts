/**
 * A command as a caller sends it: its body checked against its schema first (./schemas/commands),
 * then the method's reducer (./reducer). The API's pages and the tests run commands this way; the
 * workflow checks the schema in its update validator only (workflows/bodies.ts).
 */
import type { CommandType } from './command-types';
import type { Actor, HouseholdState } from './model';
import type { Policy } from './policy';
import { reduce, validate } from './reducer';
import { parseCommand } from './schemas/commands';

/** Applies one command to a copy of the state; throws MethodRefusal when its body or the method forbids it. */
export function applyCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): HouseholdState {
  return reduce(state, type, parseCommand(type, input), actor, now, policy);
}

/** What the workflow's update validator checks: who acts first, then the body, then the command on a copy. */
export function validateCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): void {
  validate(state, type, input, parseCommand, actor, now, policy);
}
