/**
 * The workflow thread's young generation. The SDK runs workflow code in a worker thread that it
 * creates in `Worker.create`, without resource limits, and V8 lets that thread's semi-spaces grow
 * to 64 MB each as the cache fills: 128 MB of RSS that mostly holds garbage (issue 23,
 * docs/BENCHMARKS.md). V8 reads the flag when a thread's heap is set up, so calling this before
 * `Worker.create` sizes the isolates created from then on (the workflow thread), not the running
 * main thread. 0 leaves V8's own choice.
 */
import { setFlagsFromString } from 'node:v8';

export function sizeWorkflowThreadYoungGeneration(semiSpaceMb: number): void {
  if (semiSpaceMb > 0) setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`);
}
