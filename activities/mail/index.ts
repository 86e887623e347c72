/** The mail activities' public face: what the worker, the other activities and the tests import. */
export { createMailActivities } from './activities';
export { messageIdFor } from './compose';
export type { MailLogger } from './deliver-once';
export type { DigestEntry } from './digest';
export { SMTP_PERMANENT_FAILURE, SmtpTransientError } from './failures';
export { INVALID_NOTIFICATION } from './notification';
export type { MailDeps, SendResult } from './setup';
export type { MailTransport, SmtpOptions } from './transport';
