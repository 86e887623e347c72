/**
 * The mails, in Dutch, for professionals: per kind of notification what the method asks (with its
 * rule) and what the recipient can do now, written once and rendered as HTML and plain text
 * (blocks.ts). A mail names the household only by its pseudonymous id; names of household members
 * or of other professionals never appear (the recipient's own name is used in the greeting only).
 */
import type { NotificationKind } from '../../domain/deadlines';
import { isEventKind, type EscalationLevel, type EventKind } from '../../domain/notifications';
import type { RecipientNote, RecipientRole } from '../directory';
import { p, renderBlocks, todo, type Block } from './blocks';
import { IMPORT_SUMMARY_TEMPLATE } from './import-summary';
import { LOG_WRONG_TEMPLATE } from './log-wrong';

export type MailKind = NotificationKind | EventKind;

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
  /** One-step forms this recipient can open (signed, single-use links). */
  actions?: { label: string; href: string }[];
  /** The recipient's own task list ("Mijn taken"). */
  tasksLink?: string;
  /** The intake organisation's own reference, for its own people. */
  reference?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

interface KindTemplate {
  /** Short Dutch title: subject, heading and calendar summary. */
  title: string;
  /** What the method asks, with its rule. */
  explain: string;
  /** What the recipient can do now. */
  todo: string | string[];
}

/** Per kind: what the method asks (with its rule) and what the recipient can do now. */
export const TEMPLATES: Record<MailKind, KindTemplate> = {
  eigenaar_ontbreekt: {
    title: 'Nog geen eigenaar voor fase Veiligheid',
    explain:
      'Zodra een zorg bekend is, moet duidelijk zijn welke professional samen met het huishouden en het netwerk de analyse maakt en voor directe veiligheid zorgt, en wie daarbij monitort en coacht (R-02). Een traject mag nooit zonder eigenaar blijven wachten (R-03).',
    todo: 'wijs in Routekaart een eigenaar voor fase Veiligheid toe. Lukt de afstemming niet, dan voert de professional die bij de zorg betrokken is de fase Veiligheid zelf uit.',
  },
  kindgesprek: {
    title: 'Gesprek met het kind of de kwetsbare volwassene',
    explain:
      'Binnen twee weken na de start van fase Veiligheid is het kind of de kwetsbare volwassene gesproken over de zorgen en over wat er nu nodig is (R-13).',
    todo: 'voer het gesprek op korte termijn en leg het vast in de checklist van het huishouden in Routekaart.',
  },
  score: {
    title: 'Maandelijkse score van de veiligheidsschalen',
    explain:
      'In de fasen Risico gestuurd en Herstel wordt elke veiligheidsschaal minstens één keer per maand gescoord door het huishouden, het netwerk en de professionals, met bij elke score het concreet waargenomen gedrag dat de score onderbouwt (R-32).',
    todo: 'leg de scores van deze maand vast, per gevaar en per groep. Een maand zonder scores van alle drie groepen onderbreekt de reeks die nodig is om de fase af te ronden (R-39).',
  },
  scores_ontbreken: {
    title: 'Scores ontbreken, de reeks is onderbroken',
    explain:
      'Een maand waarin niet alle drie groepen (huishouden, netwerk en professionals) een gevaar hebben gescoord, onderbreekt de reeks van minstens zes maanden met scores van 6 of hoger die nodig is om fase Risico gestuurd af te ronden (R-32, R-39).',
    todo: 'laat de veiligheidsschalen zo snel mogelijk opnieuw scoren door huishouden, netwerk en professionals, en leg de scores met het waargenomen gedrag vast.',
  },
  scores_dalen: {
    title: 'Veiligheidsscores onder de 6',
    explain:
      'Een score onder de 6 betekent dat de veiligheid op dit moment niet voldoende is. De reeks van R-39 (fase Risico gestuurd) of R-46 (fase Herstel) begint pas opnieuw bij de volgende voldoende score.',
    todo: 'bespreek met het huishouden en het netwerk wat er nodig is voor directe veiligheid, en pas het veiligheidsplan zo nodig aan.',
  },
  overdracht: {
    title: 'Overdracht staat open',
    explain:
      'Een overdracht gebeurt met het huishouden erbij. De vertrekkende professional blijft verantwoordelijk en blijft deze herinneringen ontvangen totdat de nieuwe professional de start heeft bevestigd: pas loslaten als je collega gestart is (R-24).',
    todo: [
      'Vertrekt u: blijf betrokken en bereikbaar tot de overdracht in Routekaart is bevestigd.',
      'Neemt u over: bevestig in Routekaart de start, nadat u samen met het huishouden bent begonnen.',
    ],
  },
  huisverbod: {
    title: 'Huisverbod loopt af',
    explain:
      'Bij een huisverbod is er altijd een overdracht: de professional die het huisverbod begeleidt, draagt vóór het einde ervan over aan de veiligheidsplanner. Is directe veiligheid nog niet aangetoond, dan zet de veiligheidsplanner de afspraken voort tot dat wel zo is (R-25).',
    todo: 'zorg dat de veiligheidsplanner vóór het einde van het huisverbod met het huishouden is gestart, en leg de overdracht vast in Routekaart.',
  },
  netwerkberaad: {
    title: 'Netwerkberaad en evaluatie van de veiligheidsschalen',
    explain:
      'In de fasen Risico gestuurd en Herstel komen huishouden en netwerk geregeld samen in een netwerkberaad om het veiligheidsplan te evalueren en bij te stellen. Een netwerklid neemt het voorzitterschap stap voor stap over (R-36). In fase Herstel is stabiele veiligheid pas bereikt als iedereen bij opeenvolgende evaluaties elke schaal met minstens een 7 scoort (R-46).',
    todo: 'plan het netwerkberaad met huishouden en netwerk, laat de veiligheidsschalen scoren en leg het beraad daarna vast in de checklist.',
  },
  evaluatie_netwerkvoorzitter: {
    title: 'Evaluatie van de rol van netwerkvoorzitter',
    explain:
      'De rol van netwerkvoorzitter en eigenaar van het veiligheidsplan wordt geëvalueerd. De netwerkvoorzitter en/of de casusregisseur plannen deze evaluatie (R-49).',
    todo: 'plan de evaluatie met de netwerkvoorzitter en leg de uitkomst vast in Routekaart.',
  },
  professionaloverleg: {
    title: 'Overleg van professionals vóór afsluiting',
    explain:
      'Voordat een casus wordt afgesloten of overgedragen aan een professional die langer betrokken blijft, komen de professionals minstens één keer bij elkaar. Daarin wordt concreet welke professional in de toekomst te bellen is en hoe de casusregisseur in noodsituaties bereikbaar blijft (R-48).',
    todo: 'plan het overleg met de betrokken professionals en leg de afspraken over bereikbaarheid vast.',
  },
  fase_duurt_lang: {
    title: 'Fase duurt langer dan verwacht',
    explain:
      'De casusregisseur bewaakt op elk moment dat er wordt doorgewerkt aan het veiligheidsdoel (R-62). Deze fase loopt langer dan verwacht en de criteria om haar af te ronden komen niet verder.',
    todo: "bekijk in het dashboard welke criteria nog openstaan en bespreek met huishouden, netwerk en collega's wat er nodig is om verder te komen.",
  },
  controle: {
    title: 'Controle van de veiligheidsafspraken',
    explain:
      'Iemand controleert of de veiligheidsafspraken echt worden nagekomen, met geplande en onaangekondigde bezoeken, bij voorkeur door mensen uit het sociale netwerk (R-60). Voor dit huishouden is binnen de afgesproken termijn geen controle vastgelegd.',
    todo: 'spreek met het netwerk af wie wanneer langsgaat, gepland of onaangekondigd, en leg elke controle vast in Routekaart: wanneer, gepland of onaangekondigd, en door het netwerk of een professional.',
  },
  teamoverleg: {
    title: 'Huishouden bespreken in uw team',
    explain:
      'In elke fase bespreken de professionals het huishouden met hun team of met andere organisaties, in een veilig leerklimaat, en bereiden ze samen hun vragen voor (R-63). Voor de huidige fase is dat nog niet vastgelegd.',
    todo: 'breng het huishouden in bij uw teamoverleg of bij een overleg met de andere betrokken organisaties, en leg daarna de datum vast in Routekaart.',
  },
  import_samenvatting: IMPORT_SUMMARY_TEMPLATE,
  misgegaan: LOG_WRONG_TEMPLATE,
  // Issue 21: the member's own reminder has its own plain text (member-reminder.ts); this names it on the pages.
  logboek_herinnering: {
    title: 'Herinnering aan wie de afspraak controleert',
    explain:
      'Wie een afspraak uit het veiligheidsplan controleert, krijgt eerst zelf een herinnering via de persoonlijke logboeklink (R-20).',
    todo: 'geen: de casusregisseur hoort het pas als er daarna nog niets in het logboek staat.',
  },
  override: {
    title: 'Fase doorgezet terwijl criteria openstaan',
    explain:
      'Een casusregisseur heeft dit huishouden naar een volgende fase gezet, terwijl nog niet aan alle criteria van de methode was voldaan. De casusregisseur heeft dit besluit gemotiveerd; de motivering staat in het dossier.',
    todo: 'beoordeel als regionaal coördinator of het besluit verantwoord is en neem zo nodig contact op met de casusregisseur.',
  },
  overdracht_gevraagd: {
    title: 'Overdracht aan u gevraagd',
    explain:
      'Een overdracht gebeurt warm: met het huishouden erbij. Tot u de start bevestigt, blijft de vertrekkende professional verantwoordelijk: pas loslaten als je collega gestart is (R-24).',
    todo: 'maak met de vertrekkende professional en het huishouden een afspraak om samen te beginnen, en bevestig daarna de start met de knop hieronder.',
  },
  overdracht_gestart: {
    title: 'Overdracht gestart',
    explain:
      'De nieuwe professional heeft de start bevestigd, samen met het huishouden. Vanaf nu neemt die uw rol over; u ontvangt geen herinneringen meer over deze overdracht (R-24).',
    todo: 'draag wat u nog weet over aan uw collega en laat het huishouden weten dat u loslaat.',
  },
  afwijking_beoordeeld: {
    title: 'Besluit van de coördinator over uw afwijking',
    explain:
      'U zette dit huishouden naar een volgende fase terwijl niet aan alle criteria was voldaan. De regionaal coördinator heeft die afwijking beoordeeld (R-62); de toelichting staat op de huishoudpagina, niet in deze mail.',
    todo: 'lees de toelichting van de coördinator op de huishoudpagina. Is de coördinator niet akkoord, bespreek dan samen wat er nodig is om aan de open criteria te voldoen.',
  },
  escalatie_besluit: {
    title: 'Besluit van de coördinator na escalatie',
    explain:
      'Dit huishouden was geëscaleerd tot bij de regionaal coördinator (niveau 3). De coördinator heeft een besluit vastgelegd; het besluit staat op de huishoudpagina, niet in deze mail.',
    todo: 'lees het besluit op de huishoudpagina en voer het uit met de betrokken professionals; de escalatie loopt door tot de oorzaak is opgelost.',
  },
};

function kindLabel(c: Pick<TemplateContext, 'kind' | 'level'>): string {
  if (isEventKind(c.kind)) return 'Melding';
  return c.level === 0 ? 'Herinnering' : `Escalatie niveau ${c.level}`;
}

export function subjectOf(c: Pick<TemplateContext, 'kind' | 'level' | 'householdId'>): string {
  return `${kindLabel(c)}: ${TEMPLATES[c.kind].title} (huishouden ${c.householdId})`;
}

/** Why a mail about an event arrives. */
const EVENT_INTRO: Record<EventKind, string> = {
  override: 'Dit is een melding voor de regionaal coördinator.',
  overdracht_gevraagd: 'U wordt gevraagd een rol bij dit huishouden over te nemen.',
  overdracht_gestart: 'De overdracht die u startte, is begonnen.',
  afwijking_beoordeeld: 'De regionaal coördinator heeft uw afwijking van de criteria beoordeeld.',
  escalatie_besluit: 'De regionaal coördinator heeft een besluit genomen over een escalatie bij dit huishouden.',
};

/** Why this mail arrives, by escalation level (ROUTEKAART.md section 6: professional, lead, coordinator). */
const LEVEL_INTRO: Record<EscalationLevel, string> = {
  0: 'Dit is een herinnering: voor dit huishouden staat het volgende klaar.',
  1: 'Escalatie niveau 1: de termijn is verstreken en het volgende is nog niet afgerond. De verantwoordelijke professional is aan zet.',
  2: 'Escalatie niveau 2: het volgende staat al langer open dan de methode toestaat. Daarom ontvangen naast de verantwoordelijke professional nu ook de leidinggevende van de betrokken organisatie en, als die is aangewezen, de gedragswetenschapper dit bericht.',
  3: 'Escalatie niveau 3: het volgende is ondanks eerdere escalaties nog niet opgelost. Daarom is nu ook de regionaal coördinator ingeschakeld.',
};

const LEVEL_CLOSING: Record<EscalationLevel, string | undefined> = {
  0: undefined,
  1: 'Wilt u dit zo snel mogelijk oppakken en in Routekaart vastleggen?',
  2: 'Wilt u onderling afstemmen wie dit oppakt en wat daarvoor nodig is?',
  3: 'Wilt u met de betrokken organisaties afspreken hoe en wanneer dit wordt opgelost?',
};

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

const PRIVACY =
  'Om privacyredenen staan in deze e-mail geen namen of andere persoonsgegevens; het huishouden is alleen herkenbaar aan zijn referentie. De gegevens vindt u na inloggen in het dashboard.';
const AUTOMATIC = 'Dit bericht is automatisch verstuurd door Routekaart naar Veiligheid. Antwoorden op dit bericht worden niet gelezen.';

/** Greeting, role and notes: the same opening for every mail. */
function opening(recipient: TemplateContext['recipient'], intro: string): Block[] {
  return [
    p(`Beste ${recipient.name},`),
    p(intro),
    p(roleLine(recipient)),
    ...recipient.notes.map((n): Block => ({ kind: 'note', text: noteText(n) })),
  ];
}

const footer: Block[] = [{ kind: 'rule' }, { kind: 'small', text: PRIVACY }, { kind: 'small', text: AUTOMATIC }];

export function renderMail(c: TemplateContext): RenderedMail {
  const t = TEMPLATES[c.kind];
  const subject = subjectOf(c);
  const closing = isEventKind(c.kind) ? undefined : LEVEL_CLOSING[c.level];
  const escalated = !isEventKind(c.kind) && c.level > 0;
  const facts: [string, string][] = [
    ['Huishouden', c.reference ? `${c.householdId} (uw referentie ${c.reference})` : c.householdId],
    ['Fase', c.phase],
    ['Wat is er nodig', c.reason],
    ['Sinds', c.since],
    ['Regel', `${c.rule} (Routekaart naar Veiligheid)`],
    ['Soort bericht', kindLabel(c)],
  ];
  if (c.meetingAt) facts.push(['Voorgesteld moment', c.meetingAt]);
  const blocks: Block[] = [
    ...opening(c.recipient, isEventKind(c.kind) ? EVENT_INTRO[c.kind] : LEVEL_INTRO[c.level]),
    { kind: 'facts', rows: facts },
    p(t.explain),
    todo(t.todo),
    ...(c.meetingAt
      ? [
          p(
            `Voorgesteld moment: ${c.meetingAt}. Bij deze e-mail zit een agendaverzoek. Verplaats de afspraak in uw agenda zodra het moment met huishouden en netwerk vaststaat.`,
          ),
        ]
      : []),
    ...(closing ? [{ kind: 'strong', text: closing } as Block] : []),
    ...(c.actions ?? []).map((a): Block => ({ kind: 'button', label: a.label, href: a.href })),
    ...(c.actions?.length
      ? [{ kind: 'small', text: 'Elke knop opent een kort formulier dat één keer werkt en alleen voor u.' } as Block]
      : []),
    { kind: 'button', label: `Open huishouden ${c.householdId} in het dashboard`, href: c.link },
    ...(c.tasksLink ? [{ kind: 'small', text: 'Al uw huishoudens en wat er klaarstaat, in Mijn taken:', url: c.tasksLink } as Block] : []),
    {
      kind: 'small',
      text: `Deze link is persoonlijk en geldig tot ${c.linkValidUntil}. Werkt de knop niet, kopieer dan dit adres in uw browser:`,
      url: c.link,
    },
    ...footer,
  ];
  return { subject, ...renderBlocks(subject, `${kindLabel(c)}: ${t.title}`, escalated ? '#b42318' : '#1f2933', blocks) };
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
  const blocks: Block[] = [
    ...opening(c.recipient, intro),
    ...c.items.map((i, idx): Block => ({
      kind: 'card',
      title: `${idx + 1}. ${TEMPLATES[i.kind].title} (huishouden ${i.householdId})`,
      lines: [i.reason, `Fase: ${i.phase} · Sinds: ${i.since} · Regel: ${i.rule}`],
      link: { label: `Open huishouden ${i.householdId} in het dashboard`, href: i.link },
    })),
    { kind: 'small', text: `De links zijn persoonlijk en geldig tot ${c.linkValidUntil}.` },
    ...footer,
  ];
  return { subject, ...renderBlocks(subject, `Dagoverzicht van ${c.day}`, '#1f2933', blocks) };
}
