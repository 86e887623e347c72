/**
 * The bare baseline's one activity: one mail through nodemailer, with the same delivery as
 * Routekaart's mail (activities/mail/transport.ts: one transporter per process, at most
 * MAIL_SEND_CONCURRENCY mails at once), without the sent-log, templates or directory.
 */
import type { Delivery } from '../../../activities/mail/transport';

/** X-Routekaart-Kind of the bare mails. */
export const BARE_MAIL_KIND = 'bench-bare';

export interface BareMail {
  workflowId: string;
  to: string;
}

export function bareActivities(delivery: Delivery, from: string) {
  return {
    async sendOneMail(m: BareMail): Promise<void> {
      await delivery.inSlot(() =>
        delivery.send(
          {
            from,
            to: m.to,
            subject: 'Bench: bare wake-up',
            text: `Bare wake-up of ${m.workflowId}.`,
            // The bench's SMTP catcher (scripts/bench/smtp.ts) notes these headers.
            headers: { 'X-Routekaart-Household': m.workflowId, 'X-Routekaart-Kind': BARE_MAIL_KIND },
          },
          m.workflowId,
        ),
      );
    },
  };
}

export type BareActivities = ReturnType<typeof bareActivities>;
