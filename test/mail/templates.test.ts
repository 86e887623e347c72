import { NOTIFICATION_KINDS } from '../../domain/deadlines';
import { EVENT_KINDS, isEventKind } from '../../domain/notifications';
import { escapeHtml, html } from '../../platform/html';
import { formatDutch } from '../../domain/time';
import { renderDigest, renderMail, subjectOf, TEMPLATES, type MailKind, type TemplateContext } from '../../activities/mail/templates';

const KINDS: MailKind[] = [...NOTIFICATION_KINDS, ...EVENT_KINDS];

function ctx(kind: MailKind, level: 0 | 1 | 2 | 3, over: Partial<TemplateContext> = {}): TemplateContext {
  return {
    kind,
    level,
    householdId: 'hh-7f3a9c',
    rule: 'R-99',
    reason: 'Dit is de reden uit de workflow.',
    since: 'maandag 10 maart 2025 om 09:00',
    phase: 'Fase Risico gestuurd',
    link: 'https://rk.example.org/dashboard/households/hh-7f3a9c?token=abc.def',
    linkValidUntil: 'maandag 24 maart 2025 om 09:00',
    recipient: { name: 'Fatma Yilmaz', roles: ['professional'], notes: [] },
    ...over,
  };
}

describe('mail templates', () => {
  test('every kind of the deadline plan has a template, plus the event notices (override, handover asked and started)', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...KINDS].sort());
  });

  test.each(KINDS.flatMap((k) => ([0, 1, 2, 3] as const).map((l) => [k, l] as const)))(
    '%s level %d: Dutch html and text with every fact',
    (kind, level) => {
      const m = renderMail(ctx(kind, level));
      const label = isEventKind(kind) ? 'Melding' : level === 0 ? 'Herinnering' : `Escalatie niveau ${level}`;
      expect(m.subject).toBe(`${label}: ${TEMPLATES[kind].title} (huishouden hh-7f3a9c)`);
      for (const body of [m.text, m.html.replace(/&amp;/g, '&')]) {
        expect(body).toContain('hh-7f3a9c');
        expect(body).toContain('R-99');
        expect(body).toContain('Dit is de reden uit de workflow.');
        expect(body).toContain('maandag 10 maart 2025 om 09:00');
        expect(body).toContain('Fase Risico gestuurd');
        expect(body).toContain('https://rk.example.org/dashboard/households/hh-7f3a9c?token=abc.def');
        expect(body).toContain('Beste Fatma Yilmaz,');
        expect(body).toContain('Wat nu:');
        expect(body).toContain('geen namen of andere persoonsgegevens');
        expect(body).not.toMatch(/undefined|NaN|Invalid Date|\[object/);
      }
      expect(m.html).toContain('<html lang="nl">');
      if (!isEventKind(kind) && level > 0) expect(m.text).toContain(`Escalatie niveau ${level}:`);
    },
  );

  test('the escalation levels say who is involved now', () => {
    expect(renderMail(ctx('score', 0)).text).toContain('Dit is een herinnering');
    expect(renderMail(ctx('score', 1)).text).toContain('De verantwoordelijke professional is aan zet.');
    expect(renderMail(ctx('score', 2)).text).toContain('ook de leidinggevende van de betrokken organisatie');
    expect(renderMail(ctx('score', 3)).text).toContain('regionaal coördinator ingeschakeld');
  });

  test('the recipient learns in which role, and why they got someone else’s mail', () => {
    const m = renderMail(
      ctx('overdracht', 2, {
        recipient: {
          name: 'Bas Willems',
          roles: ['organisation_lead', 'gedragswetenschapper'],
          organisationName: 'Jeugdformaat',
          notes: [
            { kind: 'professional_unknown', professionalId: 'jf-9999', organisation: 'jeugdformaat', organisationName: 'Jeugdformaat' },
          ],
        },
      }),
    );
    expect(m.text).toContain('U ontvangt dit bericht als leidinggevende van Jeugdformaat en gedragswetenschapper');
    expect(m.text).toContain('Professional jf-9999 (Jeugdformaat) staat niet in het adresboek van Routekaart');
    expect(m.html).toContain('staat niet in het adresboek');
    // the handover mail speaks to both the outgoing and the incoming professional.
    expect(m.text).toContain('Vertrekt u:');
    expect(m.text).toContain('Neemt u over:');
  });

  test('meeting kinds mention the proposed moment and the invite', () => {
    const m = renderMail(ctx('netwerkberaad', 0, { meetingAt: 'dinsdag 8 april 2025 om 10:00' }));
    expect(m.text).toContain('Voorgesteld moment: dinsdag 8 april 2025 om 10:00');
    expect(m.text).toContain('agendaverzoek');
    expect(m.html).toContain('agendaverzoek');
    expect(renderMail(ctx('netwerkberaad', 0)).text).not.toContain('agendaverzoek');
  });

  test('everything from outside is HTML-escaped', () => {
    const evil = '<script>alert("x")</script> & \'';
    const m = renderMail(
      ctx('score', 1, { reason: evil, householdId: 'hh-<b>', recipient: { name: '<img src=x>', roles: ['coordinator'], notes: [] } }),
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<img src=x>');
    expect(m.html).not.toContain('hh-<b>');
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;');
    // The text part is plain text: shown as is.
    expect(m.text).toContain(evil);
    expect(html`<a href="${'x" onclick="y'}">`.value).toBe('<a href="x&quot; onclick=&quot;y">');
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  test('subjectOf names the household by its pseudonymous id only', () => {
    expect(subjectOf({ kind: 'huisverbod', level: 3, householdId: 'hh-1' })).toBe(
      'Escalatie niveau 3: Huisverbod loopt af (huishouden hh-1)',
    );
  });

  test('digest lists each reminder with its own link', () => {
    const m = renderDigest({
      day: 'maandag 10 maart 2025',
      linkValidUntil: 'maandag 24 maart 2025 om 09:00',
      recipient: { name: 'Ruben Bakker', roles: ['professional'], notes: [] },
      items: [
        {
          householdId: 'hh-1',
          kind: 'score',
          rule: 'R-32',
          reason: 'Reden een.',
          since: 'zondag 9 maart 2025',
          phase: 'Fase Herstel',
          link: 'https://x/1',
        },
        {
          householdId: 'hh-2',
          kind: 'overdracht',
          rule: 'R-24',
          reason: 'Reden twee.',
          since: 'zaterdag 8 maart 2025',
          phase: 'Fase Veiligheid',
          link: 'https://x/2',
        },
      ],
    });
    expect(m.subject).toBe('Dagoverzicht Routekaart naar Veiligheid: 2 herinneringen (maandag 10 maart 2025)');
    for (const body of [m.text, m.html]) {
      for (const s of ['hh-1', 'hh-2', 'R-32', 'R-24', 'Reden een.', 'Reden twee.', 'https://x/1', 'https://x/2', 'Fase Herstel'])
        expect(body).toContain(s);
    }
  });
});

describe('Dutch dates in Europe/Amsterdam', () => {
  test('instants in winter and summer time, and calendar dates', () => {
    expect(formatDutch('2025-03-10T08:00:00.000Z')).toBe('maandag 10 maart 2025 om 09:00');
    expect(formatDutch('2025-07-01T07:30:00.000Z')).toBe('dinsdag 1 juli 2025 om 09:30');
    expect(formatDutch('2025-03-30')).toBe('zondag 30 maart 2025');
    expect(formatDutch('niet-een-datum')).toBe('niet-een-datum');
  });
});
