/**
 * Everything that touches the world, built from its dependencies (the samples' createActivities
 * pattern): tests pass a real SMTP server on loopback and a local webhook receiver, never a flag.
 * Workflow code imports only the `Activities` type from here.
 */
import type { NotificationRequest } from '../domain/notifications';
import type { HouseholdSummary } from '../domain/summary';
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
  const mail = createMailActivities(deps.mail);
  const readModel = createReadModelActivities(deps.readModel);
  return {
    ...mail,
    ...createWeeklyActivities(deps.weekly),
    ...createFollowUpActivities(deps.followUp),
    ...createWebhookActivities(deps.webhook),
    ...readModel,
    notifyWithRow: withRow(mail.sendNotification, readModel.recordSummary),
  };
}

/**
 * Issue 23: a step that sends mail and has no webhook events writes its read-model row in its first
 * mail's activity rather than in a local activity of its own (one workflow activation and one history
 * event fewer per reminder). The row goes first, so a mail that waits for the SMTP server does not
 * hold it back; a retry writes it again, which the writer ignores (it keeps the newest row by seq).
 */
export function withRow<R>(send: (req: NotificationRequest) => Promise<R>, record: (summary: HouseholdSummary) => Promise<void>) {
  return async (req: NotificationRequest, summary: HouseholdSummary): Promise<R> => {
    await record(summary);
    return send(req);
  };
}

export type Activities = ReturnType<typeof createActivities>;
