/**
 * The mails, in Dutch, for professionals. One HTML and one plain-text template per kind of
 * notification, side by side, inside one shared frame (greeting, level, facts, link, footer).
 * A mail names the household only by its pseudonymous id; names of household members or of other
 * professionals never appear (the recipient's own name is used in the greeting only).
 * Every value goes through the `html` tag, which escapes it.
 */
import type { NotificationKind } from '../../domain/deadlines';
import type { EscalationLevel } from '../../domain/notifications';
import type { RecipientNote, RecipientRole } from '../directory';
import { html, type SafeHtml } from './format';

export type MailKind = NotificationKind | 'override';

export interface TemplateContext {
  kind: MailKind;
  level: EscalationLevel;
  householdId: string;
  rule: string;
  /** Dutch, from the workflow: what is due and why. */
  reason: string;
  /** Already formatted in Dutch. */
  since: string;
  /** Dutch phase label. */
  phase: string;
  /** Formatted meeting moment, when the mail carries a calendar invite. */
  meetingAt?: string;
  link: string;
  /** Formatted moment until which the link works. */
  linkValidUntil: string;
  recipient: { name: string; roles: RecipientRole[]; organisationName?: string; notes: RecipientNote[] };
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface KindTemplate {
  /** Short Dutch title: subject, heading and calendar summary. */
  title: string;
  html(c: TemplateContext): SafeHtml;
  text(c: TemplateContext): string;
}

const meetingHtml = (c: TemplateContext) =>
  c.meetingAt
    ? html`<p>Voorgesteld moment: <strong>${c.meetingAt}</strong>. Bij deze e-mail zit een agendaverzoek. Verplaats de afspraak in uw agenda zodra het moment met huishouden en netwerk vaststaat.</p>`
    : '';
const meetingText = (c: TemplateContext) =>
  c.meetingAt
    ? `\nVoorgesteld moment: ${c.meetingAt}. Bij deze e-mail zit een agendaverzoek. Verplaats de afspraak in uw agenda zodra het moment met huishouden en netwerk vaststaat.\n`
    : '';

/** Per kind: what the method asks (with its rule) and what the recipient can do now. */
export const TEMPLATES: Record<MailKind, KindTemplate> = {
  eigenaar_ontbreekt: {
    title: 'Nog geen eigenaar voor fase Veiligheid',
    html: () => html`
      <p>Zodra een zorg bekend is, moet duidelijk zijn welke professional samen met het huishouden en het netwerk de analyse maakt en voor directe veiligheid zorgt, en wie daarbij monitort en coacht (R-02). Een traject mag nooit zonder eigenaar blijven wachten (R-03).</p>
      <p><strong>Wat nu:</strong> wijs in Routekaart een eigenaar voor fase Veiligheid toe. Lukt de afstemming niet, dan voert de professional die bij de zorg betrokken is de fase Veiligheid zelf uit.</p>`,
    text: () => `Zodra een zorg bekend is, moet duidelijk zijn welke professional samen met het huishouden en het netwerk de analyse maakt en voor directe veiligheid zorgt, en wie daarbij monitort en coacht (R-02). Een traject mag nooit zonder eigenaar blijven wachten (R-03).

Wat nu: wijs in Routekaart een eigenaar voor fase Veiligheid toe. Lukt de afstemming niet, dan voert de professional die bij de zorg betrokken is de fase Veiligheid zelf uit.`,
  },
  kindgesprek: {
    title: 'Gesprek met het kind of de kwetsbare volwassene',
    html: () => html`
      <p>Binnen twee weken na de start van fase Veiligheid is het kind of de kwetsbare volwassene gesproken over de zorgen en over wat er nu nodig is (R-13).</p>
      <p><strong>Wat nu:</strong> voer het gesprek op korte termijn en leg het vast in de checklist van het huishouden in Routekaart.</p>`,
    text: () => `Binnen twee weken na de start van fase Veiligheid is het kind of de kwetsbare volwassene gesproken over de zorgen en over wat er nu nodig is (R-13).

Wat nu: voer het gesprek op korte termijn en leg het vast in de checklist van het huishouden in Routekaart.`,
  },
  score: {
    title: 'Maandelijkse score van de veiligheidsschalen',
    html: () => html`
      <p>In de fasen Risico gestuurd en Herstel wordt elke veiligheidsschaal minstens één keer per maand gescoord door het huishouden, het netwerk en de professionals, met bij elke score het concreet waargenomen gedrag dat de score onderbouwt (R-32).</p>
      <p><strong>Wat nu:</strong> leg de scores van deze maand vast, per gevaar en per groep. Een maand zonder scores van alle drie groepen onderbreekt de reeks die nodig is om de fase af te ronden (R-39).</p>`,
    text: () => `In de fasen Risico gestuurd en Herstel wordt elke veiligheidsschaal minstens één keer per maand gescoord door het huishouden, het netwerk en de professionals, met bij elke score het concreet waargenomen gedrag dat de score onderbouwt (R-32).

Wat nu: leg de scores van deze maand vast, per gevaar en per groep. Een maand zonder scores van alle drie groepen onderbreekt de reeks die nodig is om de fase af te ronden (R-39).`,
  },
  scores_ontbreken: {
    title: 'Scores ontbreken, de reeks is onderbroken',
    html: () => html`
      <p>Een maand waarin niet alle drie groepen (huishouden, netwerk en professionals) een gevaar hebben gescoord, onderbreekt de reeks van minstens zes maanden met scores van 6 of hoger die nodig is om fase Risico gestuurd af te ronden (R-32, R-39).</p>
      <p><strong>Wat nu:</strong> laat de veiligheidsschalen zo snel mogelijk opnieuw scoren door huishouden, netwerk en professionals, en leg de scores met het waargenomen gedrag vast.</p>`,
    text: () => `Een maand waarin niet alle drie groepen (huishouden, netwerk en professionals) een gevaar hebben gescoord, onderbreekt de reeks van minstens zes maanden met scores van 6 of hoger die nodig is om fase Risico gestuurd af te ronden (R-32, R-39).

Wat nu: laat de veiligheidsschalen zo snel mogelijk opnieuw scoren door huishouden, netwerk en professionals, en leg de scores met het waargenomen gedrag vast.`,
  },
  scores_dalen: {
    title: 'Veiligheidsscores onder de 6',
    html: () => html`
      <p>Een score onder de 6 betekent dat de veiligheid op dit moment niet voldoende is. De reeks van R-39 (fase Risico gestuurd) of R-46 (fase Herstel) begint pas opnieuw bij de volgende voldoende score.</p>
      <p><strong>Wat nu:</strong> bespreek met het huishouden en het netwerk wat er nodig is voor directe veiligheid, en pas het veiligheidsplan zo nodig aan.</p>`,
    text: () => `Een score onder de 6 betekent dat de veiligheid op dit moment niet voldoende is. De reeks van R-39 (fase Risico gestuurd) of R-46 (fase Herstel) begint pas opnieuw bij de volgende voldoende score.

Wat nu: bespreek met het huishouden en het netwerk wat er nodig is voor directe veiligheid, en pas het veiligheidsplan zo nodig aan.`,
  },
  overdracht: {
    title: 'Overdracht staat open',
    html: () => html`
      <p>Een overdracht gebeurt met het huishouden erbij. De vertrekkende professional blijft verantwoordelijk en blijft deze herinneringen ontvangen totdat de nieuwe professional de start heeft bevestigd: pas loslaten als je collega gestart is (R-24).</p>
      <p><strong>Wat nu:</strong></p>
      <ul>
        <li>Vertrekt u: blijf betrokken en bereikbaar tot de overdracht in Routekaart is bevestigd.</li>
        <li>Neemt u over: bevestig in Routekaart de start, nadat u samen met het huishouden bent begonnen.</li>
      </ul>`,
    text: () => `Een overdracht gebeurt met het huishouden erbij. De vertrekkende professional blijft verantwoordelijk en blijft deze herinneringen ontvangen totdat de nieuwe professional de start heeft bevestigd: pas loslaten als je collega gestart is (R-24).

Wat nu:
- Vertrekt u: blijf betrokken en bereikbaar tot de overdracht in Routekaart is bevestigd.
- Neemt u over: bevestig in Routekaart de start, nadat u samen met het huishouden bent begonnen.`,
  },
  huisverbod: {
    title: 'Huisverbod loopt af',
    html: () => html`
      <p>Bij een huisverbod is er altijd een overdracht: de professional die het huisverbod begeleidt, draagt vóór het einde ervan over aan de veiligheidsplanner. Is directe veiligheid nog niet aangetoond, dan zet de veiligheidsplanner de afspraken voort tot dat wel zo is (R-25).</p>
      <p><strong>Wat nu:</strong> zorg dat de veiligheidsplanner vóór het einde van het huisverbod met het huishouden is gestart, en leg de overdracht vast in Routekaart.</p>`,
    text: () => `Bij een huisverbod is er altijd een overdracht: de professional die het huisverbod begeleidt, draagt vóór het einde ervan over aan de veiligheidsplanner. Is directe veiligheid nog niet aangetoond, dan zet de veiligheidsplanner de afspraken voort tot dat wel zo is (R-25).

Wat nu: zorg dat de veiligheidsplanner vóór het einde van het huisverbod met het huishouden is gestart, en leg de overdracht vast in Routekaart.`,
  },
  netwerkberaad: {
    title: 'Netwerkberaad en evaluatie van de veiligheidsschalen',
    html: (c) => html`
      <p>In de fasen Risico gestuurd en Herstel komen huishouden en netwerk geregeld samen in een netwerkberaad om het veiligheidsplan te evalueren en bij te stellen. Een netwerklid neemt het voorzitterschap stap voor stap over (R-36). In fase Herstel is stabiele veiligheid pas bereikt als iedereen bij opeenvolgende evaluaties elke schaal met minstens een 7 scoort (R-46).</p>
      <p><strong>Wat nu:</strong> plan het netwerkberaad met huishouden en netwerk, laat de veiligheidsschalen scoren en leg het beraad daarna vast in de checklist.</p>
      ${meetingHtml(c)}`,
    text: (c) => `In de fasen Risico gestuurd en Herstel komen huishouden en netwerk geregeld samen in een netwerkberaad om het veiligheidsplan te evalueren en bij te stellen. Een netwerklid neemt het voorzitterschap stap voor stap over (R-36). In fase Herstel is stabiele veiligheid pas bereikt als iedereen bij opeenvolgende evaluaties elke schaal met minstens een 7 scoort (R-46).

Wat nu: plan het netwerkberaad met huishouden en netwerk, laat de veiligheidsschalen scoren en leg het beraad daarna vast in de checklist.
${meetingText(c)}`,
  },
  evaluatie_netwerkvoorzitter: {
    title: 'Evaluatie van de rol van netwerkvoorzitter',
    html: (c) => html`
      <p>De rol van netwerkvoorzitter en eigenaar van het veiligheidsplan wordt geëvalueerd. De netwerkvoorzitter en/of de casusregisseur plannen deze evaluatie (R-49).</p>
      <p><strong>Wat nu:</strong> plan de evaluatie met de netwerkvoorzitter en leg de uitkomst vast in Routekaart.</p>
      ${meetingHtml(c)}`,
    text: (c) => `De rol van netwerkvoorzitter en eigenaar van het veiligheidsplan wordt geëvalueerd. De netwerkvoorzitter en/of de casusregisseur plannen deze evaluatie (R-49).

Wat nu: plan de evaluatie met de netwerkvoorzitter en leg de uitkomst vast in Routekaart.
${meetingText(c)}`,
  },
  professionaloverleg: {
    title: 'Overleg van professionals vóór afsluiting',
    html: (c) => html`
      <p>Voordat een casus wordt afgesloten of overgedragen aan een professional die langer betrokken blijft, komen de professionals minstens één keer bij elkaar. Daarin wordt concreet welke professional in de toekomst te bellen is en hoe de casusregisseur in noodsituaties bereikbaar blijft (R-48).</p>
      <p><strong>Wat nu:</strong> plan het overleg met de betrokken professionals en leg de afspraken over bereikbaarheid vast.</p>
      ${meetingHtml(c)}`,
    text: (c) => `Voordat een casus wordt afgesloten of overgedragen aan een professional die langer betrokken blijft, komen de professionals minstens één keer bij elkaar. Daarin wordt concreet welke professional in de toekomst te bellen is en hoe de casusregisseur in noodsituaties bereikbaar blijft (R-48).

Wat nu: plan het overleg met de betrokken professionals en leg de afspraken over bereikbaarheid vast.
${meetingText(c)}`,
  },
  fase_duurt_lang: {
    title: 'Fase duurt langer dan verwacht',
    html: () => html`
      <p>De casusregisseur bewaakt op elk moment dat er wordt doorgewerkt aan het veiligheidsdoel (R-62). Deze fase loopt langer dan verwacht en de criteria om haar af te ronden komen niet verder.</p>
      <p><strong>Wat nu:</strong> bekijk in het dashboard welke criteria nog openstaan en bespreek met huishouden, netwerk en collega's wat er nodig is om verder te komen.</p>`,
    text: () => `De casusregisseur bewaakt op elk moment dat er wordt doorgewerkt aan het veiligheidsdoel (R-62). Deze fase loopt langer dan verwacht en de criteria om haar af te ronden komen niet verder.

Wat nu: bekijk in het dashboard welke criteria nog openstaan en bespreek met huishouden, netwerk en collega's wat er nodig is om verder te komen.`,
  },
  override: {
    title: 'Fase doorgezet terwijl criteria openstaan',
    html: () => html`
      <p>Een casusregisseur heeft dit huishouden naar een volgende fase gezet, terwijl nog niet aan alle criteria van de methode was voldaan. De casusregisseur heeft dit besluit gemotiveerd; de motivering staat in het dossier.</p>
      <p><strong>Wat nu:</strong> beoordeel als regionaal coördinator of het besluit verantwoord is en neem zo nodig contact op met de casusregisseur.</p>`,
    text: () => `Een casusregisseur heeft dit huishouden naar een volgende fase gezet, terwijl nog niet aan alle criteria van de methode was voldaan. De casusregisseur heeft dit besluit gemotiveerd; de motivering staat in het dossier.

Wat nu: beoordeel als regionaal coördinator of het besluit verantwoord is en neem zo nodig contact op met de casusregisseur.`,
  },
};

function kindLabel(c: Pick<TemplateContext, 'kind' | 'level'>): string {
  if (c.kind === 'override') return 'Melding';
  return c.level === 0 ? 'Herinnering' : `Escalatie niveau ${c.level}`;
}

export function subjectOf(c: Pick<TemplateContext, 'kind' | 'level' | 'householdId'>): string {
  return `${kindLabel(c)}: ${TEMPLATES[c.kind].title} (huishouden ${c.householdId})`;
}

/** Why this mail arrives, by escalation level (ROUTEKAART.md section 6: professional, lead, coordinator). */
function levelIntro(c: TemplateContext): string {
  if (c.kind === 'override') return 'Dit is een melding voor de regionaal coördinator.';
  switch (c.level) {
    case 0:
      return 'Dit is een herinnering: voor dit huishouden staat het volgende klaar.';
    case 1:
      return 'Escalatie niveau 1: de termijn is verstreken en het volgende is nog niet afgerond. De verantwoordelijke professional is aan zet.';
    case 2:
      return 'Escalatie niveau 2: het volgende staat al langer open dan de methode toestaat. Daarom ontvangen naast de verantwoordelijke professional nu ook de leidinggevende van de betrokken organisatie en, als die is aangewezen, de gedragswetenschapper dit bericht.';
    case 3:
      return 'Escalatie niveau 3: het volgende is ondanks eerdere escalaties nog niet opgelost. Daarom is nu ook de regionaal coördinator ingeschakeld.';
  }
}

function levelClosing(c: TemplateContext): string | undefined {
  if (c.kind === 'override') return undefined;
  switch (c.level) {
    case 0:
      return undefined;
    case 1:
      return 'Wilt u dit zo snel mogelijk oppakken en in Routekaart vastleggen?';
    case 2:
      return 'Wilt u onderling afstemmen wie dit oppakt en wat daarvoor nodig is?';
    case 3:
      return 'Wilt u met de betrokken organisaties afspreken hoe en wanneer dit wordt opgelost?';
  }
}

function rolePhrase(role: RecipientRole, organisationName: string | undefined): string {
  switch (role) {
    case 'professional':
      return 'betrokken professional bij dit huishouden';
    case 'gedragswetenschapper':
      return 'gedragswetenschapper met de eindverantwoordelijkheid voor dit traject (R-43)';
    case 'organisation_lead':
      return `leidinggevende van ${organisationName ?? 'de betrokken organisatie'}`;
    case 'coordinator':
      return 'regionaal coördinator';
  }
}

function roleLine(recipient: TemplateContext['recipient']): string {
  const phrases = recipient.roles.map((r) => rolePhrase(r, recipient.organisationName));
  const joined = phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} en ${phrases[phrases.length - 1]}`;
  return `U ontvangt dit bericht als ${joined}.`;
}

function noteText(n: RecipientNote): string {
  switch (n.kind) {
    case 'professional_unknown':
      return `Professional ${n.professionalId} (${n.organisationName ?? n.organisation}) staat niet in het adresboek van Routekaart. U ontvangt dit bericht daarom in diens plaats. Wilt u zorgen dat het de juiste professional bereikt, en het adresboek laten aanvullen?`;
    case 'organisation_unknown':
      return `Organisatie ${n.organisation} staat niet in het adresboek van Routekaart${n.professionalId ? ` (het bericht was bestemd voor professional ${n.professionalId})` : ''}. U ontvangt dit bericht daarom als regionaal coördinator. Wilt u het adresboek laten aanvullen?`;
    case 'no_recipient':
      return 'Voor dit bericht is geen verantwoordelijke professional of organisatie bekend. U ontvangt het daarom als regionaal coördinator, zodat het niet blijft liggen.';
  }
}

function facts(c: TemplateContext): [string, string][] {
  const rows: [string, string][] = [
    ['Huishouden', c.householdId],
    ['Fase', c.phase],
    ['Wat is er nodig', c.reason],
    ['Sinds', c.since],
    ['Regel', `${c.rule} (Routekaart naar Veiligheid)`],
    ['Soort bericht', kindLabel(c)],
  ];
  if (c.meetingAt) rows.push(['Voorgesteld moment', c.meetingAt]);
  return rows;
}

const PRIVACY =
  'Om privacyredenen staan in deze e-mail geen namen of andere persoonsgegevens; het huishouden is alleen herkenbaar aan zijn referentie. De gegevens vindt u na inloggen in het dashboard.';
const AUTOMATIC = 'Dit bericht is automatisch verstuurd door Routekaart naar Veiligheid. Antwoorden op dit bericht worden niet gelezen.';

export function renderMail(c: TemplateContext): RenderedMail {
  const t = TEMPLATES[c.kind];
  const subject = subjectOf(c);
  const closing = levelClosing(c);
  const escalated = c.kind !== 'override' && c.level > 0;

  const htmlBody = html`<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff">
  <p style="margin:0 0 4px 0;font-size:13px;color:#52606d">Routekaart naar Veiligheid</p>
  <h1 style="margin:0 0 16px 0;font-size:20px;color:${escalated ? '#b42318' : '#1f2933'}">${kindLabel(c)}: ${t.title}</h1>
  <p>Beste ${c.recipient.name},</p>
  <p>${levelIntro(c)}</p>
  <p>${roleLine(c.recipient)}</p>
  ${c.recipient.notes.map((n) => html`<p style="padding:8px 12px;background:#fff4e5;border-left:4px solid #f79009">${noteText(n)}</p>`)}
  <table role="presentation" style="border-collapse:collapse;width:100%;margin:16px 0">
    ${facts(c).map(([k, v]) => html`<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;white-space:nowrap;font-weight:bold">${k}</th><td style="padding:4px 0">${v}</td></tr>`)}
  </table>
  ${t.html(c)}
  ${closing ? html`<p><strong>${closing}</strong></p>` : ''}
  <p style="margin:24px 0"><a href="${c.link}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">Open huishouden ${c.householdId} in het dashboard</a></p>
  <p style="font-size:13px;color:#52606d">Deze link is persoonlijk en geldig tot ${c.linkValidUntil}. Werkt de knop niet, kopieer dan dit adres in uw browser:<br><span style="word-break:break-all">${c.link}</span></p>
  <hr style="border:none;border-top:1px solid #e4e7eb;margin:24px 0">
  <p style="font-size:12px;color:#52606d">${PRIVACY}</p>
  <p style="font-size:12px;color:#52606d">${AUTOMATIC}</p>
</div>
</body>
</html>
`;

  const factLines = facts(c).map(([k, v]) => `${`${k}:`.padEnd(20)}${v}`);
  const text = [
    `${kindLabel(c).toUpperCase()}: ${t.title}`,
    '',
    `Beste ${c.recipient.name},`,
    '',
    levelIntro(c),
    '',
    roleLine(c.recipient),
    '',
    ...c.recipient.notes.flatMap((n) => [`LET OP: ${noteText(n)}`, '']),
    ...factLines,
    '',
    t.text(c).trimEnd(),
    '',
    ...(closing ? [closing, ''] : []),
    `Open huishouden ${c.householdId} in het dashboard:`,
    c.link,
    `Deze link is persoonlijk en geldig tot ${c.linkValidUntil}.`,
    '',
    '--',
    PRIVACY,
    AUTOMATIC,
    '',
  ].join('\n');

  return { subject, html: htmlBody.value, text };
}

/** One reminder inside a daily digest. */
export interface DigestItem {
  householdId: string;
  kind: MailKind;
  rule: string;
  reason: string;
  /** Formatted in Dutch. */
  since: string;
  /** Dutch phase label. */
  phase: string;
  link: string;
}

export interface DigestContext {
  /** Formatted date of the digest. */
  day: string;
  recipient: TemplateContext['recipient'];
  items: DigestItem[];
  linkValidUntil: string;
}

/** The daily digest: the day's reminders (level 0) in one mail; escalations never wait for it. */
export function renderDigest(c: DigestContext): RenderedMail {
  const n = c.items.length;
  const subject = `Dagoverzicht Routekaart naar Veiligheid: ${n} ${n === 1 ? 'herinnering' : 'herinneringen'} (${c.day})`;
  const intro = `U hebt gekozen voor één dagelijks overzicht in plaats van losse herinneringen. Hieronder staat wat er voor ${n === 1 ? 'dit huishouden' : 'uw huishoudens'} klaarstaat. Escalaties en agendaverzoeken ontvangt u altijd direct.`;

  const htmlBody = html`<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subject}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff">
  <p style="margin:0 0 4px 0;font-size:13px;color:#52606d">Routekaart naar Veiligheid</p>
  <h1 style="margin:0 0 16px 0;font-size:20px">Dagoverzicht van ${c.day}</h1>
  <p>Beste ${c.recipient.name},</p>
  <p>${intro}</p>
  <p>${roleLine(c.recipient)}</p>
  ${c.recipient.notes.map((note) => html`<p style="padding:8px 12px;background:#fff4e5;border-left:4px solid #f79009">${noteText(note)}</p>`)}
  ${c.items.map(
    (i) => html`
  <div style="border:1px solid #e4e7eb;border-radius:4px;padding:12px 16px;margin:16px 0">
    <h2 style="margin:0 0 8px 0;font-size:16px">${TEMPLATES[i.kind].title} (huishouden ${i.householdId})</h2>
    <p style="margin:0 0 8px 0">${i.reason}</p>
    <p style="margin:0 0 8px 0;font-size:13px;color:#52606d">Fase: ${i.phase} · Sinds: ${i.since} · Regel: ${i.rule}</p>
    <p style="margin:0"><a href="${i.link}">Open huishouden ${i.householdId} in het dashboard</a></p>
  </div>`,
  )}
  <p style="font-size:13px;color:#52606d">De links zijn persoonlijk en geldig tot ${c.linkValidUntil}.</p>
  <hr style="border:none;border-top:1px solid #e4e7eb;margin:24px 0">
  <p style="font-size:12px;color:#52606d">${PRIVACY}</p>
  <p style="font-size:12px;color:#52606d">${AUTOMATIC}</p>
</div>
</body>
</html>
`;

  const text = [
    `DAGOVERZICHT VAN ${c.day.toUpperCase()}`,
    '',
    `Beste ${c.recipient.name},`,
    '',
    intro,
    '',
    roleLine(c.recipient),
    '',
    ...c.recipient.notes.flatMap((note) => [`LET OP: ${noteText(note)}`, '']),
    ...c.items.flatMap((i, idx) => [
      `${idx + 1}. ${TEMPLATES[i.kind].title} (huishouden ${i.householdId})`,
      `   ${i.reason}`,
      `   Fase: ${i.phase} | Sinds: ${i.since} | Regel: ${i.rule}`,
      `   ${i.link}`,
      '',
    ]),
    `De links zijn persoonlijk en geldig tot ${c.linkValidUntil}.`,
    '',
    '--',
    PRIVACY,
    AUTOMATIC,
    '',
  ].join('\n');
  return { subject, html: htmlBody.value, text };
}
