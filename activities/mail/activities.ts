/** The mail activities the worker registers (notifications and the daily digest), over one shared setup. */
import { digestSender } from './digest';
import { notificationSender } from './notification';
import { mailSetup, type MailDeps } from './setup';

export function createMailActivities(deps: MailDeps) {
  const setup = mailSetup(deps);
  return { sendNotification: notificationSender(setup), sendDigests: digestSender(setup) };
}
