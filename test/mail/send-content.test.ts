/**
 * sendNotification against a real SMTP server on loopback: content, headers, recipients per kind
 * and escalation level, and calendar invites. Nothing twice, nothing lost: send-delivery.test.ts.
 */

import { verifyHouseholdLink } from '../../platform/links';
import { createMailActivities, messageIdFor } from '../../activities/mail';
import { inviteUid } from '../../activities/mail/invite';
import { recipientsFor } from '../../domain/notifications';
import {
  ADDR,
  ALL_NAMES,
  DAAN,
  DIRECTORY,
  EVA,
  FATMA,
  ILSE,
  NOW,
  PUBLIC_URL,
  removeTempDirs,
  request,
  SECRET,
  smtpDeps,
  freshMailStore,
} from './support/fixtures';
import { icsLines, readMail } from './support/mime';
import { verifyAction } from '../../platform/links';
import { resetCatcher, startSmtp, type SmtpCatcher } from './support/smtp';

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
  removeTempDirs();
});
beforeEach(() => resetCatcher(smtp));

const byRecipient = () => new Map(smtp.received.map((m) => [m.envelopeTo.join(','), readMail(m.raw)]));

describe('content and headers', () => {
  test('a score reminder (R-32): Dutch subject, text and html, deterministic Message-ID, signed link', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const req = request();
    await expect(sendNotification(req)).resolves.toEqual({ sent: 1, skipped: 0, queued: 0 });

    expect(smtp.received).toHaveLength(1);
    const [received] = smtp.received;
    expect(received!.envelopeTo).toEqual([ADDR.fatma]);
    expect(received!.envelopeFrom).toBe('routekaart@routekaart.example.org');
    const m = readMail(received!.raw);
    expect(m.subject).toBe('Herinnering: Maandelijkse score van de veiligheidsschalen (huishouden hh-7f3a9c)');
    expect(m.messageId).toBe(messageIdFor(req.idempotencyKey, ADDR.fatma, 'routekaart.example.org'));
    expect(m.messageId).toMatch(/^<rk-[0-9a-f]{40}@routekaart\.example\.org>$/);
    expect(m.header('to')).toBe(`Fatma Yilmaz <${ADDR.fatma}>`);
    expect(m.header('from')).toBe('Routekaart naar Veiligheid <routekaart@routekaart.example.org>');
    expect(m.header('auto-submitted')).toBe('auto-generated');
    expect(m.header('x-routekaart-household')).toBe('hh-7f3a9c');
    expect(m.header('x-routekaart-rule')).toBe('R-32');
    expect(m.header('x-routekaart-level')).toBe('0');
    expect(m.calendarParts).toHaveLength(0);

    for (const body of [m.text, m.html]) {
      expect(body).toContain('hh-7f3a9c');
      expect(body).toContain('R-32');
      expect(body).toContain('Gevaar d1 is deze maand (2025-03) nog niet door huishouden, netwerk én professionals gescoord.');
      expect(body).toContain('donderdag 20 maart 2025 om 09:00');
      expect(body).toContain('Fase Risico gestuurd');
      expect(body).toContain('Beste Fatma Yilmaz,');
      expect(body).toContain('geldig tot maandag 24 maart 2025 om 09:00');
      for (const name of ALL_NAMES.filter((n) => n !== 'Fatma Yilmaz')) expect(body).not.toContain(name);
    }
    expect(m.html).toMatch(/<html lang="nl">/);

    const url = new URL(/https:\/\/\S+/.exec(m.text)![0]);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/dashboard/households/hh-7f3a9c`);
    const claims = verifyHouseholdLink(SECRET, url.searchParams.get('token')!, NOW);
    expect(claims).toEqual({ householdId: 'hh-7f3a9c', sub: 'jf-0142', exp: NOW.getTime() / 1000 + 14 * 86400 });
    // The html link is the same signed link, HTML-escaped in the attribute.
    expect(m.html).toContain(`href="${url.toString().replace(/&/g, '&amp;')}"`);
  });

  test('an escalation climbing three levels reaches professional, then lead and gedragswetenschapper, then coordinator', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const deadline = { responsible: [FATMA] };
    const expected: Record<number, string[]> = {
      1: [ADDR.fatma],
      2: [ADDR.fatma, ADDR.eva, ADDR.leadJf],
      3: [ADDR.fatma, ADDR.eva, ADDR.leadJf, ADDR.coordinator],
    };
    for (const level of [1, 2, 3] as const) {
      smtp.received.length = 0;
      const req = request({
        kind: 'fase_duurt_lang',
        rule: 'R-62',
        level,
        idempotencyKey: `hh-7f3a9c:R-62:fase:L${level}`,
        recipients: recipientsFor(deadline, level, EVA),
      });
      const result = await sendNotification(req);
      expect(result.sent).toBe(expected[level]!.length);
      expect(smtp.received.map((r) => r.envelopeTo[0]).sort()).toEqual([...expected[level]!].sort());
      const mails = byRecipient();
      for (const [address, m] of mails) {
        expect(m.subject).toBe(`Escalatie niveau ${level}: Fase duurt langer dan verwacht (huishouden hh-7f3a9c)`);
        expect(m.text).toContain(`Escalatie niveau ${level}:`);
        const token = new URL(/https:\/\/\S+/.exec(m.text)![0]).searchParams.get('token')!;
        const sub = verifyHouseholdLink(SECRET, token, NOW)!.sub;
        expect(sub).toBe(
          { [ADDR.fatma]: 'jf-0142', [ADDR.eva]: 'gw-0801', [ADDR.leadJf]: 'lead:jeugdformaat', [ADDR.coordinator]: 'coordinator' }[
            address
          ],
        );
      }
      if (level >= 2) {
        expect(mails.get(ADDR.leadJf)!.text).toContain('U ontvangt dit bericht als leidinggevende van Jeugdformaat.');
        expect(mails.get(ADDR.eva)!.text).toContain('gedragswetenschapper met de eindverantwoordelijkheid');
      }
      if (level === 3) expect(mails.get(ADDR.coordinator)!.text).toContain('U ontvangt dit bericht als regionaal coördinator.');
    }
  });

  test('an open handover (R-24) reaches both the outgoing and the incoming professional', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const req = request({
      kind: 'overdracht',
      rule: 'R-24',
      idempotencyKey: 'hh-7f3a9c:R-24:overdracht:ho-1:0',
      reason:
        'De overdracht van de rol casusregisseur van jf-0142 naar lt-0204 staat open sinds 2025-03-07: pas loslaten als je collega gestart is.',
      phase: 'veiligheid',
      recipients: recipientsFor({ responsible: [FATMA, ILSE] }, 0),
    });
    await expect(sendNotification(req)).resolves.toMatchObject({ sent: 2 });
    const mails = byRecipient();
    expect([...mails.keys()].sort()).toEqual([ADDR.fatma, ADDR.ilse].sort());
    for (const m of mails.values()) {
      expect(m.subject).toBe('Herinnering: Overdracht staat open (huishouden hh-7f3a9c)');
      expect(m.text).toContain('pas loslaten als je collega gestart is');
      expect(m.text).toContain('Fase Veiligheid');
      expect(m.text).not.toContain('Fatma Yilmaz, ');
    }
    // Colleagues by name, not by id (issue 20).
    for (const m of mails.values()) {
      expect(m.text).toContain('van Fatma Yilmaz (Jeugdformaat) naar Ilse Jansen (Lokaal team / gemeente)');
      expect(m.text).not.toMatch(/jf-0142|lt-0204/);
    }
  });

  test('action links: the incoming professional confirms the start in one step, escalations are acknowledged, the intake organisation sees its own reference', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    const req = request({
      kind: 'overdracht',
      rule: 'R-24',
      level: 2,
      idempotencyKey: 'hh-7f3a9c:R-24:overdracht:o3:niveau2',
      phase: 'veiligheid',
      recipients: recipientsFor({ responsible: [FATMA, ILSE] }, 2),
      actions: [
        { action: 'overdracht_start', ref: 'o3', for: ['lt-0204'] },
        { action: 'escalatie', ref: 'R-24:overdracht:o3' },
      ],
      intake: { organisation: 'lokaal-team', reference: 'LT-2025-0042' },
    });
    await sendNotification(req);
    const mails = byRecipient();
    const linksIn = (addr: string) =>
      [...mails.get(addr)!.text.matchAll(/https:\/\/routekaart\.example\.org\/acties\/[^/\s]+\/(\S+)/g)].map((m) =>
        verifyAction(SECRET, m[1]!, NOW)!,
      );
    // The incoming professional (Ilse) gets the start confirmation and the acknowledgement; the outgoing one only the acknowledgement.
    expect(linksIn(ADDR.ilse).map((c) => [c.action, c.ref, c.sub, c.householdId])).toEqual([
      ['overdracht_start', 'o3', 'lt-0204', 'hh-7f3a9c'],
      ['escalatie', 'R-24:overdracht:o3', 'lt-0204', 'hh-7f3a9c'],
    ]);
    expect(linksIn(ADDR.fatma).map((c) => c.action)).toEqual(['escalatie']);
    // Leads acknowledge from level 2 on; nobody else gets a form.
    expect(linksIn(ADDR.leadJf).map((c) => [c.action, c.sub])).toEqual([['escalatie', 'lead:jeugdformaat']]);
    expect(mails.get(ADDR.ilse)!.text).toContain('Start van de overdracht bevestigen');
    // Every professional gets their own task list; a lead does not.
    expect(mails.get(ADDR.fatma)!.text).toMatch(/Mijn taken:\s+\S+\/dashboard\/taken\?token=/);
    expect(mails.get(ADDR.leadJf)!.text).not.toContain('/dashboard/taken');
    // The reference of the intake system only for people of that organisation.
    expect(mails.get(ADDR.ilse)!.text).toContain('uw referentie LT-2025-0042');
    expect(mails.get(ADDR.fatma)!.text).not.toContain('LT-2025-0042');
  });

  test('a huisverbod reminder (R-25) and the override notice to the coordinator', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(
      request({
        kind: 'huisverbod',
        rule: 'R-25',
        idempotencyKey: 'k-hv',
        reason: 'Het huisverbod eindigt op 2025-03-14.',
        phase: 'veiligheid',
      }),
    );
    await sendNotification(
      request({
        kind: 'override',
        rule: 'R-18',
        idempotencyKey: 'k-ov',
        reason: 'Fase Veiligheid is afgerond terwijl R-18 en R-19 nog niet zijn voldaan.',
        recipients: { professionals: [], organisationLeads: [], coordinator: true },
      }),
    );
    const mails = byRecipient();
    expect(mails.get(ADDR.fatma)!.subject).toBe('Herinnering: Huisverbod loopt af (huishouden hh-7f3a9c)');
    expect(mails.get(ADDR.fatma)!.text).toContain('R-25');
    const ov = mails.get(ADDR.coordinator)!;
    expect(ov.subject).toBe('Melding: Fase doorgezet terwijl criteria openstaan (huishouden hh-7f3a9c)');
    expect(ov.text).toContain('R-18');
    expect(ov.text).toContain('U ontvangt dit bericht als regionaal coördinator.');
  });

  test('an unknown professional’s mail goes to their organisation lead with a note, never dropped', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(
      request({
        recipients: {
          professionals: [{ professionalId: 'jf-9999', organisation: 'jeugdformaat' }],
          organisationLeads: [],
          coordinator: false,
        },
      }),
    );
    expect(smtp.received.map((r) => r.envelopeTo)).toEqual([[ADDR.leadJf]]);
    const m = readMail(smtp.received[0]!.raw);
    expect(m.text).toContain('Professional jf-9999 (Jeugdformaat) staat niet in het adresboek van Routekaart');
    expect(m.html).toContain('jf-9999');
  });

  test('one mail per address: a professional who is also the lead gets one mail', async () => {
    const dir = structuredClone(DIRECTORY);
    dir.organisations.jeugdformaat!.leadEmail = ADDR.daan;
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore(), { directory: dir }));
    await sendNotification(
      request({
        level: 2,
        idempotencyKey: 'k-dedupe',
        recipients: { professionals: [DAAN], organisationLeads: ['jeugdformaat'], coordinator: false },
      }),
    );
    expect(smtp.received.map((r) => r.envelopeTo)).toEqual([[ADDR.daan]]);
    expect(readMail(smtp.received[0]!.raw).text).toContain(
      'als betrokken professional bij dit huishouden en leidinggevende van Jeugdformaat',
    );
  });
});

describe('calendar invites', () => {
  const meeting = (level: 0 | 1 | 2 | 3 = 0) =>
    request({
      kind: 'netwerkberaad',
      rule: 'R-36',
      level,
      idempotencyKey: `hh-7f3a9c:R-36:netwerkberaad:2025-04-08:${level}`,
      reason: 'Het volgende netwerkberaad met evaluatie van de veiligheidsschalen staat gepland rond 2025-04-08.',
      since: '2025-04-01T07:00:00.000Z',
      meetingAt: '2025-04-08T08:00:00.000Z',
      recipients: recipientsFor({ responsible: [FATMA] }, level, EVA),
    });

  test('a network meeting carries a METHOD:REQUEST invite that parses as VCALENDAR', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(meeting());
    const m = readMail(smtp.received[0]!.raw);
    expect(m.text).toContain('Voorgesteld moment: dinsdag 8 april 2025 om 10:00');
    expect(m.calendarParts.length).toBeGreaterThanOrEqual(1);
    const alt = m.calendarParts.find((p) => p.contentType === 'text/calendar')!;
    expect(alt.params.method).toBe('REQUEST');
    const lines = icsLines(alt.body.toString('utf8'));
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines).toContain('BEGIN:VEVENT');
    expect(lines).toContain('DTSTART:20250408T080000Z');
    expect(lines).toContain('DTEND:20250408T090000Z');
    expect(lines).toContain('SEQUENCE:0');
    expect(lines).toContain(`UID:${inviteUid('hh-7f3a9c', 'netwerkberaad', '2025-04-08T08:00:00.000Z', 'routekaart.example.org')}`);
    expect(lines.find((l) => l.startsWith('ORGANIZER'))).toMatch(/mailto:routekaart@routekaart\.example\.org$/i);
    expect(lines.find((l) => l.startsWith('ATTENDEE'))).toMatch(new RegExp(`mailto:${ADDR.fatma.replace(/\./g, '\\.')}$`, 'i'));
    const summary = lines.find((l) => l.startsWith('SUMMARY:'))!;
    expect(summary).toBe('SUMMARY:Netwerkberaad en evaluatie van de veiligheidsschalen (huishouden hh-7f3a9c)');
    // No names and no signed link in the calendar entry (calendars are shared).
    const ics = alt.body.toString('utf8');
    expect(ics).not.toContain('token=');
    expect(ics).not.toContain('Yilmaz');
  });

  test('the escalation of the same meeting updates the same calendar entry (same UID, higher SEQUENCE)', async () => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(meeting(0));
    await sendNotification(meeting(2));
    const uids = new Set<string>();
    const sequences: string[] = [];
    for (const r of smtp.received) {
      const lines = icsLines(
        readMail(r.raw)
          .calendarParts.find((p) => p.contentType === 'text/calendar')!
          .body.toString('utf8'),
      );
      uids.add(lines.find((l) => l.startsWith('UID:'))!);
      sequences.push(lines.find((l) => l.startsWith('SEQUENCE:'))!);
    }
    expect(smtp.received).toHaveLength(1 + 3);
    expect(uids.size).toBe(1);
    expect(sequences).toEqual(['SEQUENCE:0', 'SEQUENCE:2', 'SEQUENCE:2', 'SEQUENCE:2']);
  });

  test.each([
    ['evaluatie_netwerkvoorzitter', 'R-49'],
    ['professionaloverleg', 'R-48'],
  ] as const)('%s (%s) carries an invite too', async (kind, rule) => {
    const { sendNotification } = createMailActivities(smtpDeps(smtp.port, await freshMailStore()));
    await sendNotification(request({ kind, rule, idempotencyKey: `k-${kind}`, meetingAt: '2025-06-02T12:00:00.000Z', phase: 'herstel' }));
    const m = readMail(smtp.received[0]!.raw);
    const lines = icsLines(m.calendarParts.find((p) => p.contentType === 'text/calendar')!.body.toString('utf8'));
    expect(lines).toContain('METHOD:REQUEST');
    expect(lines).toContain('DTSTART:20250602T120000Z');
    expect(m.text).toContain(rule);
    expect(m.text).toContain('Fase Herstel');
  });
});
