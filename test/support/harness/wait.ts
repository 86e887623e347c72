/** Waiting, bounded: every wait of the tests and the benchmark ends with an error that says what did not happen. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` until `ok` holds for its value, and returns that value; after `timeoutMs` it throws
 * with the last value (or the last error: a poll that throws counts as not yet, since a server
 * that is still starting refuses connections).
 */
export async function until<T>(
  what: string,
  fn: () => T | Promise<T>,
  ok: (value: T) => boolean = Boolean,
  timeoutMs = 90_000,
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: { value: T } | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      last = { value };
      if (ok(value)) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      const seen = last ? JSON.stringify(last.value)?.slice(0, 500) : String((lastError as Error)?.message ?? lastError);
      throw new Error(`${what}: not reached within ${Math.round(timeoutMs / 1000)} s (last: ${seen})`);
    }
    await sleep(everyMs);
  }
}

/** `until` for assertions in tests: activities, visibility and the read model catch up asynchronously. */
export function eventually<T>(fn: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  return until('condition', fn, ok, timeoutMs, 100);
}

/** The promise's value, or an error naming `what` once `ms` have passed without one. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
