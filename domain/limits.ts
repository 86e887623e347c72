/**
 * How large one household's state may grow. A Temporal payload stops at 2 MB and every cached
 * workflow costs the worker memory, so the state is bounded by design: free texts live in the
 * database (the state holds references), resolved escalations and warnings beyond the last few
 * are dropped (the read model keeps them), and a command that would pass a limit is refused with
 * the limit named. A household can never become unreadable by its size.
 */
export const LIMITS = {
  /** The whole state as JSON; a five-year trajectory with monthly scores stays far below it. */
  stateBytes: 240_000,
  members: 20,
  network: 60,
  handovers: 100,
  evidence: 1_500,
  scores: 3_000,
  /** Kept in the state; older ones are in the read model (household_escalations). */
  resolvedEscalationsKept: 50,
  warningsKept: 20,
} as const;

/** UTF-8 bytes of the state as it travels in Temporal payloads. */
export function stateBytes(state: unknown): number {
  return new TextEncoder().encode(JSON.stringify(state)).length;
}
