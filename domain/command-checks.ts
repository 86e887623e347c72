/**
 * The checks commands share: the refusal itself, dates that may not lie in the future or before
 * the trajectory, who may act, known organisations (section 5), and which members an
 * evidence item or a safety person may name. Each refuses with a MethodRefusal naming its rule.
 */
import type { Unmet } from './criteria';
import { EVIDENCE_ITEMS, type ControleVisit, type EvidenceItem, type EvidenceSpec } from './evidence-items';
import type { Actor, HouseholdState, ProfessionalRef } from './model';
import { isKnownOrganisation } from './organisations';
import type { Policy } from './policy';
import { MethodRefusal } from './refusal';
import { eligibleMembers, involvedOrganisations } from './selectors';
import { amsterdamDay, dutchDate } from './time';

/** What every command handler knows besides the state and the body. */
export type Ctx = { now: Date; today: string; nowIso: string; policy: Policy };

export function refuse(rule: string, message: string, unmet: Unmet[] = [], field?: string): never {
  throw new MethodRefusal(rule, message, unmet, field);
}

export function notInFuture(date: string, today: string, what: string, field: string): void {
  if (date > today)
    refuse(
      'R-18',
      `${what} ligt in de toekomst (${dutchDate(date)}); een evaluatie of bewijs draagt de datum waarop het gebeurde.`,
      [],
      field,
    );
}

/** Nothing counts from before the trajectory started; history from before enters through the import only. */
export function notBackdated(s: HouseholdState, date: string, rule: string, what: string, field: string): void {
  const start = amsterdamDay(new Date(s.startedAt));
  if (date < start)
    refuse(
      rule,
      `${what} gedateerd ${dutchDate(date)} ligt vóór de start van het traject (${dutchDate(start)}) en telt daarom niet mee.`,
      [],
      field,
    );
}

/** The rule whose score run a new score feeds: R-18 in phase Veiligheid, R-39 in Risico gestuurd, R-46 in Herstel. */
export function scoreRule(s: HouseholdState): string {
  return s.phase === 'herstel' ? 'R-46' : s.phase === 'risicogestuurd' ? 'R-39' : 'R-18';
}

/** Items recorded per child (or protected person) name whom they concern, and only such members. */
export function checkEvidenceMembers(s: HouseholdState, item: EvidenceItem, members: string[] | undefined): void {
  const spec: EvidenceSpec = EVIDENCE_ITEMS[item];
  if (!spec.perMember) {
    if (members?.length) refuse(spec.rule, `${spec.label} wordt niet per gezinslid vastgelegd; laat 'members' weg.`);
    return;
  }
  const eligible = eligibleMembers(s, item);
  const who = spec.perMember === 'children' ? 'kind' : 'kind of kwetsbare volwassene';
  if (!members?.length)
    refuse(
      spec.rule,
      `${spec.label} geldt per ${who}: geef in 'members' aan om wie het gaat (${eligible.map((m) => m.ref).join(', ') || 'nog niemand vastgelegd'}).`,
      [],
      'members',
    );
  for (const m of members) {
    if (!eligible.some((e) => e.ref === m)) refuse(spec.rule, `'${m}' is geen ${who} van dit huishouden.`, [], 'members');
  }
}

/**
 * a controle says how the visit was made (planned or unannounced, by the network or a
 * professional), so R-61 can measure how the checks are organised; no other item carries a visit.
 * `field` is where the visit sits in the body (the command's, or an import's).
 */
export function checkControleVisit(item: EvidenceItem, visit: ControleVisit | undefined, field = 'visit'): void {
  if (item === 'controle' && !visit)
    refuse(
      'R-60',
      "Leg bij een controle vast of het bezoek gepland of onaangekondigd was en wie controleerde: het netwerk of een professional ('visit').",
      [],
      field,
    );
  if (item !== 'controle' && visit)
    refuse('R-60', `Alleen een controle legt een bezoek vast; laat 'visit' weg bij ${EVIDENCE_ITEMS[item].label}.`, [], field);
}

/** a safety person is named for children (or protected adults) of this household only. */
export function checkChildren(s: HouseholdState, refs: string[]): void {
  for (const r of refs) {
    if (!s.members.some((m) => m.ref === r && (m.isChild || m.vulnerableAdult)))
      refuse('R-16', `'${r}' is geen kind of kwetsbare volwassene van dit huishouden.`);
  }
}

/** Section 5: roles go to organisations of the regional list; an unknown id is a typing error. */
export function knownOrganisation(...refs: (ProfessionalRef | undefined)[]): void {
  for (const p of refs) {
    if (p && !isKnownOrganisation(p.organisation))
      refuse(
        'sectie 5',
        `Organisatie '${p.organisation}' staat niet in de regionale lijst van organisaties; controleer de id of laat de lijst (domain/organisations.json) aanvullen.`,
      );
  }
}

export function isCasusregisseur(s: HouseholdState, actor: Actor): boolean {
  return s.roles.casusregisseur?.professionalId === actor.professionalId;
}

export function requireOpen(s: HouseholdState): void {
  if (s.phase === 'afgesloten') refuse('R-50', 'Dit traject is afgesloten; er kan niets meer worden vastgelegd.');
}

/** The Dutch text of an R-64 refusal; the API answers it as 404, the same as an unknown household. */
export const NOT_INVOLVED = 'Uw organisatie is niet betrokken bij dit huishouden.';

/** only the organisations involved now change a household, checked where the state is (the workflow). */
export function requireInvolved(s: HouseholdState, actor: Actor): void {
  if (!involvedOrganisations(s).includes(actor.organisation)) refuse('R-64', NOT_INVOLVED);
}
