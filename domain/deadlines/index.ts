/**
 * The deadline plan (ROUTEKAART.md section 6): from the state and a "now", every cause that asks
 * for a reminder or an escalation, with its rule, its times and who is responsible. The workflow
 * sleeps until the earliest of these times; a test can ask "what is due next, and why" without
 * running a workflow. One file per cause (causes.ts lists them), the ladder's arithmetic in
 * ladder.ts, what is due now in plan.ts.
 */
export { CAUSES, deadlines } from './causes';
export { handoverNotices } from './handover';
export { duePlan, levelAt, mayMail, series, type DuePlan } from './plan';
export { NOTIFICATION_KINDS, type Cause, type Deadline, type Level, type NotificationKind, type Remedy } from './types';
