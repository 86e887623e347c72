/**
 * Everything that touches the world, built from its dependencies (the samples' createActivities
 * pattern): tests pass a real SMTP server on loopback and a local webhook receiver, never a flag.
 * Workflow code imports only the `Activities` type from here.
 */
import { createMailActivities, type MailDeps } from './mail';
import { createFollowUpActivities, type FollowUpDeps } from './mail/follow-up';
import { createWeeklyActivities, type WeeklyDeps } from './mail/weekly';
import { createReadModelActivities, type ReadModelDeps } from './read-model';
import { createWebhookActivities, type WebhookDeps } from './webhook';

export interface ActivityDeps {
  mail: MailDeps;
  webhook: WebhookDeps;
  readModel: ReadModelDeps;
  weekly: WeeklyDeps;
  followUp: FollowUpDeps;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMailActivities(deps.mail),
    ...createWeeklyActivities(deps.weekly),
    ...createFollowUpActivities(deps.followUp),
    ...createWebhookActivities(deps.webhook),
    ...createReadModelActivities(deps.readModel),
  };
}

export type Activities = ReturnType<typeof createActivities>;
