/**
 * How many frames an Error made by workflow code captures. This module is preloaded once per
 * worker thread, before the SDK freezes the workflow context's globals (worker/bundle.ts); the
 * limit is the context's own, so errors of the worker itself keep theirs.
 *
 * Why: the SDK's promise hook creates an Error for every promise a workflow makes, to answer the
 * stack-trace query, and maps every captured frame through the bundle's source map. At the month
 * boundary that was 29% of the worker's CPU (issue 23, docs/benchmarks/cpu-profile-month-2026-12-05.txt).
 * One captured frame is the hook's own; the other three are enough for the query to name the line
 * of workflow code that made each promise, and for an error thrown by workflow code to say where.
 */
export const WORKFLOW_STACK_FRAMES = 4;

Error.stackTraceLimit = WORKFLOW_STACK_FRAMES;
