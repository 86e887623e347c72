/**
 * The coordinators' weekly overview over real SMTP on loopback, from the read model on PGlite:
 * what is escalated to level 2 or 3, which phases run longer than expected (R-62), which handovers
 * have not started (R-24), each with a signed link; once per week, whatever the number of runs.
 */
import type { HouseholdSummary } from '../../domain/summary';
import { DEFAULT_POLICY } from '../../domain/policy';
import { verifyHouseholdLink } from '../../platform/links';
import { SummaryStore } from '../../platform/store/summaries';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { createWeeklyActivities, weekOf } from '../../activities/mail/weekly';
import { freshDatabase } from '../support/database';
import { MailStore } from '../../platform/store/mail';
import { ADDR, ALL_NAMES, SECRET, smtpDeps } from './support/fixtures';
import { readMail } from './support/mime';
import { startSmtp, type SmtpCatcher } from './support/smtp';
import { householdRow } from '../support/summary';

const NOW = new Date('2026-03-11T07:00:00.000Z'); // a Wednesday
const at = (day: string) => `${day}T08:00:00.000Z`;

const summary = (id: string, over: Partial<HouseholdSummary> = {}): HouseholdSummary =>
  householdRow(id, { casusregisseur: 'jf-0142', startedAt: at('2026-02-20'), ...over });

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

test('weekOf: the Monday of the week, in Amsterdam dates', () => {
  expect(weekOf('2026-03-11')).toBe('2026-03-09');
  expect(weekOf('2026-03-09')).toBe('2026-03-09');
  expect(weekOf('2026-03-15')).toBe('2026-03-09');
  expect(weekOf('2026-01-01')).toBe('2025-12-29');
});

test('one mail to the coordinator with what is stuck, escalated and not handed over; a second run sends nothing', async () => {
  const db = await freshDatabase();
  const writer = new SummaryWriter(db);
  const expected = DEFAULT_POLICY.expectedPhaseDays.veiligheid;
  await writer.write(summary('hh-escalated', { escalationLevel: 3, overdue: true }));
  await writer.write(summary('hh-level1', { escalationLevel: 1, overdue: true }));
  // Phase Veiligheid for longer than the policy expects: stuck. One just inside: not.
  await writer.write(summary('hh-stuck', { phaseStartedAt: new Date(NOW.getTime() - (expected + 3) * 86_400_000).toISOString() }));
  await writer.write(summary('hh-on-course', { phaseStartedAt: new Date(NOW.getTime() - (expected - 3) * 86_400_000).toISOString() }));
  await writer.write(
    summary('hh-handover', {
      openHandover: true,
      handovers: [
        {
          id: 'o1',
          role: 'eigenaar_veiligheid',
          reason: 'complexiteit',
          requestedAt: at('2026-03-02'),
          confirmedAt: null,
          cancelledAt: null,
        },
      ],
    }),
  );
  await writer.write(summary('hh-closed', { phase: 'afgesloten', closedAt: at('2026-03-01'), escalationLevel: 0 }));

  const { sendWeeklyOverview } = createWeeklyActivities({
    // The same database: the sent-log and the read model live side by side.
    ...smtpDeps(smtp.port, new MailStore(db)),
    summaries: new SummaryStore(db),
    policy: DEFAULT_POLICY,
    now: () => NOW,
  });
  await expect(sendWeeklyOverview()).resolves.toEqual({ sent: 1, skipped: 0 });
  await expect(sendWeeklyOverview()).resolves.toEqual({ sent: 0, skipped: 1 });

  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.envelopeTo).toEqual([ADDR.coordinator]);
  const mail = readMail(smtp.received[0]!.raw);
  expect(mail.subject).toBe('Weekoverzicht Routekaart naar Veiligheid, week van maandag 9 maart 2026: 2 geëscaleerd, 1 open overdrachten');
  const sections = mail.text.split('Fase duurt langer dan verwacht (R-62)');
  expect(sections[0]).toContain('Huishouden hh-escalated: niveau 3');
  expect(sections[0]).not.toContain('hh-level1');
  expect(sections[1]).toContain('Huishouden hh-stuck: Fase Veiligheid sinds');
  expect(mail.text).not.toContain('hh-on-course');
  expect(mail.text).not.toContain('hh-closed');
  expect(mail.text).toContain('Huishouden hh-handover: rol eigenaar fase Veiligheid');
  // Each household with a link signed for the coordinator, to its own page.
  const links = [...mail.text.matchAll(/https:\/\/routekaart\.example\.org\/dashboard\/households\/([^?\s]+)\?token=(\S+)/g)];
  expect(links.map((l) => l[1]).sort()).toEqual(['hh-escalated', 'hh-handover', 'hh-stuck']);
  for (const [, id, token] of links)
    expect(verifyHouseholdLink(SECRET, token!, NOW)).toMatchObject({ householdId: id, sub: 'coordinator' });
  // Ids and figures only: no names of professionals, no references of intake systems.
  for (const name of ALL_NAMES.filter((n) => n !== 'Esther van Leeuwen')) expect(mail.text).not.toContain(name);
  expect(mail.text).not.toContain('REF-');
  expect(mail.header('x-routekaart-kind')).toBe('weekoverzicht');
});
