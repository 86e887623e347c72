/**
 * iCalendar invites for meetings (R-36 / R-46 netwerkberaad, R-49 evaluation, R-48 professionals'
 * meeting), sent as METHOD:REQUEST so calendar programs offer to add them.
 *
 * The UID is derived from household, kind and meeting time, not from the whole idempotency key:
 * a reminder and the escalations about the same meeting then update one calendar entry instead of
 * adding one per mail; SEQUENCE (the escalation level) makes each later mail a valid update.
 * Times are written in UTC (DTSTART:...Z): without a VTIMEZONE block a TZID would be wrong.
 * The invite holds no personal data and no signed link (calendars are often shared).
 */
import { createHash } from 'node:crypto';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod } from 'ical-generator';

export const MEETING_MINUTES = 60;

export interface InviteInput {
  householdId: string;
  kind: string;
  rule: string;
  /** ISO instant of the meeting. */
  meetingAt: string;
  level: number;
  title: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  now: Date;
  uidDomain: string;
}

export function inviteUid(householdId: string, kind: string, meetingAt: string, domain: string): string {
  const hash = createHash('sha256')
    .update(`${householdId}\n${kind}\n${new Date(meetingAt).toISOString()}`)
    .digest('hex')
    .slice(0, 32);
  return `rk-${hash}@${domain}`;
}

export function buildInvite(i: InviteInput): string {
  const start = new Date(i.meetingAt);
  if (Number.isNaN(start.getTime())) throw new Error('meetingAt is not a valid instant');
  const calendar = ical({
    prodId: { company: 'Routekaart naar Veiligheid', product: 'Routekaart', language: 'NL' },
    method: ICalCalendarMethod.REQUEST,
    name: 'Routekaart naar Veiligheid',
  });
  calendar.createEvent({
    id: inviteUid(i.householdId, i.kind, i.meetingAt, i.uidDomain),
    sequence: i.level,
    stamp: i.now,
    start,
    end: new Date(start.getTime() + MEETING_MINUTES * 60_000),
    summary: `${i.title} (huishouden ${i.householdId})`,
    description: `${i.title} voor huishouden ${i.householdId} (${i.rule}, Routekaart naar Veiligheid). Het voorgestelde moment kan worden verplaatst zodra het met huishouden en netwerk vaststaat. De gegevens van het huishouden staan in het dashboard; de link staat in de e-mail.`,
    organizer: { name: i.organizer.name, email: i.organizer.email },
    attendees: [
      { name: i.attendee.name, email: i.attendee.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: false },
    ],
  });
  return calendar.toString();
}
