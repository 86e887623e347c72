// The workflows the worker registers; bundled by @temporalio/worker.
export { householdTrajectory } from './household';
export { dailyDigest } from './digest';
export { weeklyOverview } from './weekly';
export { followUpAfterClosure } from './follow-up';
