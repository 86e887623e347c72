/**
 * Command bodies in the workflow. The schemas are loaded into a household's sandbox only when a
 * command is validated (or a run recorded before TRUSTED_BODIES_PATCH replays one), never when a
 * household is merely loaded into the cache or woken by a timer: building them was a large part of
 * each wake-up's CPU and of each cached household's memory (issue 23, worker/bundle.ts).
 */
import { patched } from '@temporalio/workflow';
import type { CommandType } from '../domain/command-types';
import type { CommandBody } from '../domain/schemas/commands';

/**
 * Since this patch the update handler applies the body as the history holds it, because the
 * validator admitted it only in normal form. Runs recorded before parse it in the handler, as then.
 */
export const TRUSTED_BODIES_PATCH = 'trusted-command-bodies';

type Schemas = typeof import('../domain/schemas/commands');

function schemas(): Schemas {
  // A require inside the function, not an import: webpack evaluates the module on the first call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../domain/schemas/commands') as Schemas;
}

/** The validator's check: the body parses, and is already in the form the parse gives (else a refusal, rule 'invoer'). */
export function admittedBody<K extends CommandType>(type: K, input: unknown): CommandBody<K> {
  return schemas().normalCommand(type, input);
}

/** The handler's body: as recorded, or for runs from before the patch, parsed as they were then. */
export function recordedBody<K extends CommandType>(type: K, input: unknown): CommandBody<K> {
  return patched(TRUSTED_BODIES_PATCH) ? (input as CommandBody<K>) : schemas().parseCommand(type, input);
}
