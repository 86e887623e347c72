/**
 * The family's own narrow log link (issue 21; R-16, R-20, R-40). The casusregisseur makes a
 * personal link for one member of the household or its network on the plan page, shown as a link
 * and a QR code to hand over in the meeting, and can revoke it there. The link (/log/<token>,
 * signed with its own context: platform/links.ts) allows one thing: adding an entry to this
 * household's safety log through the same addLogEntry command as the API, and seeing the entries
 * made through it. It is rate limited (policy.logLinkEntriesPerDay), refused once revoked, once its
 * household is closed (the plan ended) or past policy.logLinkMaxDays, and every use and refusal is
 * audited (page()).
 */
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { z } from 'zod';
import { CommandSchemas } from '../../domain/schemas/commands';
import { type Actor, type HouseholdState } from '../../domain/model';
import { Ref } from '../../domain/schemas/model';
import type { Policy } from '../../domain/policy';
import { LOG_OUTCOMES, plansOf, type LogOutcome } from '../../domain/safety-plan';
import { amsterdamDay, dutchDate } from '../../domain/time';
import type { HouseholdView } from '../../domain/view';
import { html, type SafeHtml } from '../../platform/html';
import { logLinkUrl } from '../../platform/links';
import type { LogLinks } from '../../platform/store/log-links';
import type { TextStore } from '../../platform/store/texts';
import { ApiError, toApiError } from '../errors';
import type { HouseholdService } from '../household-service';
import { HouseholdId } from '../ids';
import { dateField, formError, one, radios, select, textArea, type Errors, type Values } from './fields';
import { notice } from './frame';
import { page, type PageContext, type PageReply } from './page';
import { planPath } from './plan-print';
import { PageRefusal, type KeyCaller, type LogLinkReader } from './readers';

export const LOG_OUTCOME_LABEL: Record<LogOutcome, string> = {
  goed_gegaan: 'Ging goed',
  bijna_misgegaan: 'Ging bijna mis, op tijd opgevangen',
  misgegaan: 'Ging mis',
};

export interface LogLinkDeps {
  households: HouseholdService;
  links: LogLinks;
  /** Issue 21: seals the member's address for reminders (encrypted like every text of the household). */
  texts: TextStore;
  linkSecret: Buffer;
  policy: Policy;
  now: () => Date;
  publicUrl: string;
}

/** R-16: the casusregisseur makes and revokes the family's links (the key's own professional, of their organisation). */
function isRegisseur(reader: KeyCaller, s: HouseholdState): boolean {
  const r = s.roles.casusregisseur;
  return (
    reader.kind === 'professional' &&
    r !== undefined &&
    r.professionalId === reader.professionalId &&
    r.organisation === reader.organisation
  );
}

/** Who a link can be for: the household's members and the active network (refs, never names). */
function holders(s: HouseholdState): { value: string; label: string }[] {
  return [
    ...s.members.map((m) => ({ value: m.ref, label: `${m.ref} (${m.isChild ? 'kind' : 'gezinslid'})` })),
    ...s.network.filter((n) => n.active).map((n) => ({ value: n.id, label: `${n.id} (netwerk)` })),
  ];
}

const linksPath = (householdId: string) => `${planPath(householdId)}/logboeklinks`;

/** The section on the plan page: the links made so far, and for the casusregisseur the form to make one. */
export function logLinkSection(deps: LogLinkDeps) {
  return async (reader: KeyCaller, view: HouseholdView): Promise<SafeHtml> => {
    const s = view.state;
    const regie = isRegisseur(reader, s);
    const links = await deps.links.ofHousehold(s.householdId);
    const open = s.phase !== 'afgesloten';
    return html`<section class="card" aria-labelledby="logboeklinks"><h2 id="logboeklinks">Persoonlijke logboeklinks <span class="rule">R-16</span></h2>
<p class="hint">Een persoonlijke link laat één gezins- of netwerklid regels in het veiligheidslogboek schrijven en alleen de eigen regels zien. Hij vervalt als het traject afsluit, of als u hem intrekt.</p>
${
  links.length === 0
    ? html`<p class="empty">Nog geen logboeklinks gemaakt.</p>`
    : html`<ul class="plain">${links.map(
        (l) =>
          html`<li data-link="${l.linkId}">Voor ${l.member}, gemaakt op ${dutchDate(amsterdamDay(l.createdAt))}: ${
            l.revokedAt
              ? html`<strong>ingetrokken</strong> op ${dutchDate(amsterdamDay(l.revokedAt))}`
              : open
                ? 'actief'
                : 'vervallen (traject afgesloten)'
          }${
            regie && !l.revokedAt && open
              ? html` · <a href="${linksPath(s.householdId)}/${l.linkId}">link en QR-code tonen</a>
<form method="post" action="${linksPath(s.householdId)}/${l.linkId}/intrekken" class="inline-form"><button type="submit" class="button secondary">Intrekken</button></form>`
              : ''
          }</li>`,
      )}</ul>`
}
${
  regie && open
    ? html`<form method="post" action="${linksPath(s.householdId)}" class="form-grid">
${select('lid', 'Voor wie is de link?', '', holders(s), {})}
<div class="form-row"><label for="adres">E-mailadres <span class="muted">(niet verplicht)</span></label>
<input type="email" id="adres" name="adres" maxlength="254" autocomplete="off" aria-describedby="adres-hint">
<p class="hint" id="adres-hint">Blijft een controle uit die dit lid doet, dan krijgt hij of zij eerst zelf een herinnering met de link, en pas daarna de casusregisseur (R-20). Het adres wordt versleuteld bewaard.</p></div>
<div><button type="submit" class="button">Link maken</button></div>
</form>`
    : ''
}
</section>`;
  };
}

/** "Sent by mail" (R-16): a message the casusregisseur sends from their own mailbox, to the member's address when given. */
function mailto(address: string | undefined, url: string): string {
  const subject = 'Uw persoonlijke link naar het veiligheidslogboek';
  const body = `Met deze persoonlijke link schrijft u in het veiligheidslogboek hoe het gaat met de afspraken die u controleert:\n\n${url}\n\nDe link is alleen voor u; stuur hem niet door.`;
  return `mailto:${address ? encodeURIComponent(address) : ''}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

const LinkParams = z.object({ id: HouseholdId, linkId: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/) });

/** The casusregisseur's pages below the plan page: make a link, show it with its QR code, revoke it. */
export function logLinkAdminPages(ctx: PageContext, deps: LogLinkDeps): void {
  const asRegisseur = async (reader: KeyCaller, id: string, household: (id: string) => Promise<HouseholdView>) => {
    const view = await household(id);
    if (!isRegisseur(reader, view.state))
      throw new PageRefusal(403, 'forbidden', 'Alleen de casusregisseur maakt en beheert logboeklinks (R-16).', {
        reason: 'not_casusregisseur',
        reader,
        householdId: id,
      });
    return view;
  };

  page(
    ctx,
    {
      method: 'post',
      path: '/households/:id/veiligheidsplan/logboeklinks',
      reader: 'session',
      params: z.object({ id: HouseholdId }),
      form: { limit: '4kb', parameterLimit: 10 },
      audit: true,
    },
    async ({ reader, params, household, form }) => {
      const view = await asRegisseur(reader, params.id, household);
      if (view.state.phase === 'afgesloten')
        throw new ApiError(409, 'household_closed', 'Dit traject is afgesloten; er worden geen logboeklinks meer gemaakt (R-50).');
      const member = one(form, 'lid');
      if (!Ref.safeParse(member).success || !holders(view.state).some((h) => h.value === member))
        throw new ApiError(422, 'validation_failed', 'Kies een gezinslid of actief netwerklid van dit huishouden (R-16).');
      const address = one(form, 'adres').trim();
      if (address && !z.email().safeParse(address).success)
        throw new ApiError(422, 'validation_failed', "Vul bij 'E-mailadres' een geldig e-mailadres in, of laat het leeg (R-20).");
      const now = deps.now();
      const linkId = randomBytes(16).toString('base64url');
      const [addressRef] = address ? await deps.texts.seal(params.id, [address.toLowerCase()]) : [];
      await deps.links.create({
        linkId,
        householdId: params.id,
        member,
        createdBy: reader.professionalId ?? reader.keyId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + deps.policy.logLinkMaxDays * 24 * 60 * 60 * 1000),
        ...(addressRef ? { addressRef } : {}),
      });
      return { redirect: `${linksPath(params.id)}/${linkId}` };
    },
  );

  page(
    ctx,
    { method: 'get', path: '/households/:id/veiligheidsplan/logboeklinks/:linkId', reader: 'session', params: LinkParams, audit: true },
    async ({ reader, params, household }) => {
      await asRegisseur(reader, params.id, household);
      const link = await deps.links.get(params.linkId);
      if (!link || link.householdId !== params.id || link.revokedAt)
        throw new ApiError(404, 'route_not_found', 'Deze logboeklink bestaat niet of is ingetrokken.');
      const url = logLinkUrl(deps.publicUrl, deps.linkSecret, {
        householdId: link.householdId,
        linkId: link.linkId,
        exp: Math.floor(link.expiresAt.getTime() / 1000),
      });
      const qr = await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 280 });
      const address = link.addressRef ? (await deps.texts.open(params.id, [link.addressRef])).get(link.addressRef) : undefined;
      return {
        title: 'Logboeklink',
        body: html`<p><a class="back" href="${planPath(params.id)}">Terug naar het veiligheidsplan</a></p>
<h1>Logboeklink voor ${link.member}</h1>
<section class="card"><p>Geef deze link of QR-code aan ${link.member}. Hiermee schrijft hij of zij regels in het veiligheidslogboek van dit huishouden, en ziet alleen de eigen regels.</p>
<p><img src="${qr}" alt="QR-code van de persoonlijke logboeklink" width="280" height="280"></p>
<p><a href="${url}" class="ref">${url}</a></p>
<p><a class="button secondary" href="${mailto(address, url)}">Link mailen vanuit uw eigen mailprogramma</a></p>
<p class="hint">Geldig tot ${dutchDate(amsterdamDay(link.expiresAt))}, tot het traject afsluit of tot u de link intrekt.</p>
${link.addressRef ? html`<p class="hint">Herinneringen bij een uitgebleven controle gaan eerst naar het opgegeven e-mailadres, met deze link (R-20).</p>` : ''}</section>`,
      };
    },
  );

  page(
    ctx,
    {
      method: 'post',
      path: '/households/:id/veiligheidsplan/logboeklinks/:linkId/intrekken',
      reader: 'session',
      params: LinkParams,
      form: { limit: '1kb', parameterLimit: 5 },
      audit: true,
    },
    async ({ reader, params, household }) => {
      await asRegisseur(reader, params.id, household);
      if (!(await deps.links.revoke(params.id, params.linkId, deps.now())))
        throw new ApiError(404, 'route_not_found', 'Deze logboeklink bestaat niet of is al ingetrokken.');
      return { redirect: `${planPath(params.id)}#logboeklinks` };
    },
  );
}

/** The form fields of a log entry and the command fields they fill. */
const FIELD_OF: Record<string, string> = {
  agreementId: 'afspraak',
  date: 'datum',
  outcome: 'uitkomst',
  score: 'score',
  note: 'toelichting',
};

/** The public page of a log link: one form, and the holder's own entries. */
export function logLinkPages(ctx: PageContext, deps: LogLinkDeps): void {
  async function handle({ caller, claims }: LogLinkReader, values: Values | undefined): Promise<PageReply> {
    const refuse = (status: number, reason: string, message: string) =>
      new PageRefusal(status, 'link_invalid', message, { reason, reader: caller, householdId: claims.householdId });
    const link = await deps.links.get(claims.linkId);
    // A link row of another household never opens this one (nor does a signed id without a row).
    if (!link || link.householdId !== claims.householdId)
      throw refuse(403, 'other_household', 'Deze link hoort niet bij dit huishouden en werkt hier niet.');
    if (link.revokedAt) throw refuse(410, 'revoked', 'Deze link is ingetrokken door de casusregisseur. Vraag zo nodig om een nieuwe.');
    const ids = await deps.households.readIds(link.householdId);
    const s = ids.state;
    if (s.phase === 'afgesloten')
      throw refuse(410, 'closed', 'Het traject is afgesloten; het veiligheidslogboek is dicht en deze link werkt niet meer.');
    const regie = s.roles.casusregisseur;
    // The entry is given as the casusregisseur's command (R-64: an involved professional); the link's row says who wrote it.
    const actor: Actor | undefined = regie && {
      professionalId: regie.professionalId,
      organisation: regie.organisation,
      kind: 'professional',
    };
    const agreements = await agreementOptions(deps.households, s);
    const now = deps.now();
    const today = amsterdamDay(now);
    let errors: Errors = {};
    let done: string | undefined;
    if (values) {
      if (!actor)
        throw refuse(
          409,
          'no_casusregisseur',
          'Er is nu geen casusregisseur bij dit huishouden; het logboek kan even niet worden bijgewerkt.',
        );
      if ((await deps.links.countSince(link.linkId, new Date(now.getTime() - 24 * 60 * 60 * 1000))) >= deps.policy.logLinkEntriesPerDay)
        throw new PageRefusal(429, 'too_many_requests', 'U heeft vandaag al veel regels geschreven; probeer het morgen opnieuw.', {
          reason: 'rate_limited',
          reader: caller,
          householdId: link.householdId,
        });
      const score = one(values, 'score');
      const note = one(values, 'toelichting');
      const parsed = CommandSchemas.addLogEntry.safeParse({
        agreementId: one(values, 'afspraak'),
        date: one(values, 'datum'),
        outcome: one(values, 'uitkomst'),
        score: score === '' ? undefined : Number(score),
        note: note === '' ? undefined : note,
      });
      if (!parsed.success) for (const issue of parsed.error.issues) errors[FIELD_OF[String(issue.path[0])] ?? '_form'] ??= issue.message;
      else if (!agreements.some((a) => a.value === parsed.data.agreementId)) errors.afspraak = 'Kies een afspraak uit het plan (R-16).';
      else {
        const noteRef = parsed.data.note === undefined ? undefined : await deps.households.sealText(link.householdId, parsed.data.note);
        try {
          await deps.households.receipt(link.householdId, 'addLogEntry', { actor, body: { ...parsed.data, note: noteRef } });
          await deps.links.addEntry(link, {
            agreementId: parsed.data.agreementId,
            day: parsed.data.date,
            outcome: parsed.data.outcome,
            score: parsed.data.score,
            noteRef,
            recordedAt: now,
          });
          done = 'Uw regel staat in het veiligheidslogboek. Dank u wel.';
        } catch (err) {
          const e = toApiError(err);
          if (e.status !== 409) throw err;
          errors = { _form: `${e.message}${e.extra.rule ? ` (${e.extra.rule})` : ''}` };
        }
      }
    }
    const mine = await deps.links.entries(link.linkId);
    const notes = await deps.households.openTexts(
      link.householdId,
      mine.flatMap((e) => (e.noteRef ? [e.noteRef] : [])),
    );
    const label = new Map(agreements.map((a) => [a.value, a.label]));
    const failed = Object.keys(errors).length > 0;
    const shown = failed && values ? values : {};
    return {
      status: failed ? 422 : 200,
      hideWho: true,
      title: 'Veiligheidslogboek',
      body: html`<h1>Veiligheidslogboek</h1>
<p class="muted">Voor ${link.member}. Schrijf op hoe het ging met een afspraak uit het veiligheidsplan.</p>
${done ? notice('ok', done) : ''}${formError(errors)}
${
  agreements.length === 0
    ? notice('info', 'Er staat nog geen afspraak in het veiligheidsplan.')
    : html`<form method="post" class="form-grid card" novalidate>
${select('afspraak', 'Afspraak', one(shown, 'afspraak'), agreements, errors)}
${dateField('datum', 'Datum', one(shown, 'datum') || today, today, errors)}
${radios(
  'uitkomst',
  'Hoe ging het?',
  one(shown, 'uitkomst'),
  LOG_OUTCOMES.map((o) => ({ value: o, label: LOG_OUTCOME_LABEL[o] })),
  errors,
)}
${select(
  'score',
  'Cijfer voor de veiligheid (niet verplicht)',
  one(shown, 'score'),
  [{ value: '', label: 'geen cijfer' }, ...Array.from({ length: 11 }, (_, i) => ({ value: String(i), label: String(i) }))],
  errors,
  '0 is helemaal niet veilig, 10 is helemaal veilig.',
)}
${textArea('toelichting', 'Toelichting', one(shown, 'toelichting'), errors, { required: false, max: 2000 })}
<div><button type="submit" class="button">Regel toevoegen</button></div>
</form>`
}
<section class="card" aria-labelledby="mijn-regels"><h2 id="mijn-regels">Mijn regels</h2>
${
  mine.length === 0
    ? html`<p class="empty">U heeft nog geen regels geschreven.</p>`
    : html`<ul class="plain">${mine.map(
        (e) =>
          html`<li data-entry="${e.agreementId}">${dutchDate(e.day)}: ${label.get(e.agreementId) ?? e.agreementId}: ${
            LOG_OUTCOME_LABEL[e.outcome as LogOutcome] ?? e.outcome
          }${e.score !== undefined ? html`, cijfer ${e.score}` : ''}${e.noteRef && notes.get(e.noteRef) ? html`. ${notes.get(e.noteRef)!}` : ''}</li>`,
      )}</ul>`
}
</section>`,
    };
  }

  const spec = { path: '/:token', reader: 'log-link' as const, audit: true };
  page(ctx, { ...spec, method: 'get' }, ({ reader }) => handle(reader, undefined));
  page(ctx, { ...spec, method: 'post', form: { limit: '16kb', parameterLimit: 20 } }, ({ reader, form }) => handle(reader, form));
}

/** The agreements of each plan's latest version, with their texts: what the holder can write about. */
async function agreementOptions(households: HouseholdService, s: HouseholdState): Promise<{ value: string; label: string }[]> {
  const latest = new Map<string, number>();
  for (const p of plansOf(s)) latest.set(p.planId, Math.max(p.version, latest.get(p.planId) ?? 0));
  const out = new Map<string, string>();
  for (const [planId, version] of latest) {
    const body = await households.planVersion(s.householdId, planId, version);
    for (const d of body?.dangers ?? []) for (const a of d.agreements) if (!out.has(a.id)) out.set(a.id, `${a.what} (${a.when})`);
  }
  return [...out].map(([value, label]) => ({ value, label }));
}
