/**
 * `applyCommand`: the pure reducer that either returns the next state or throws a MethodRefusal naming the R-rule. The
 * workflow's update validator runs it on the current state and discards the result (so a refused
 * command changes nothing); the handler runs it again and keeps the result.
 */
import { CommandSchemas, type CommandBody, type CommandType } from './command-schemas';
import { unmetCriteria, type Unmet } from './criteria';
import {
  EVIDENCE_ITEMS,
  NEXT_PHASE,
  PHASE_LABEL,
  ROLE_LABEL,
  type Actor,
  type ControleVisit,
  type EvidenceItem,
  type EvidenceSpec,
  type HouseholdState,
  type ProfessionalRef,
  type Role,
} from './model';
import { isKnownOrganisation, organisationWarning } from './organisations';
import { METHOD, type Policy } from './policy';
import { LIMITS, stateBytes } from './limits';
import { MethodRefusal } from './refusal';
import { eligibleMembers, involvedOrganisations, isOpenHandover, openHandovers, responsibleProfessionals } from './selectors';
import { addDays, amsterdamDay, amsterdamInstant, daysBetween, dutchDate, hoursAndMinutes, monthOf } from './time';

const { maxDangers: MAX_DANGERS, huisverbodMaxDays: HUISVERBOD_MAX_DAYS } = METHOD;

type Ctx = { now: Date; today: string; nowIso: string; policy: Policy };

function refuse(rule: string, message: string, unmet: Unmet[] = [], field?: string): never {
  throw new MethodRefusal(rule, message, unmet, field);
}

function notInFuture(date: string, today: string, what: string, field: string): void {
  if (date > today)
    refuse(
      'R-18',
      `${what} ligt in de toekomst (${dutchDate(date)}); een evaluatie of bewijs draagt de datum waarop het gebeurde.`,
      [],
      field,
    );
}

/** Nothing counts from before the trajectory started; history from before enters through the import only. */
function notBackdated(s: HouseholdState, date: string, rule: string, what: string, field: string): void {
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
function scoreRule(s: HouseholdState): string {
  return s.phase === 'herstel' ? 'R-46' : s.phase === 'risicogestuurd' ? 'R-39' : 'R-18';
}

/** Items recorded per child (or protected person) name whom they concern, and only such members. */
function checkEvidenceMembers(s: HouseholdState, item: EvidenceItem, members: string[] | undefined): void {
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
 * R-60: a controle says how the visit was made (planned or unannounced, by the network or a
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

/** Section 5: roles go to organisations of the regional list; an unknown id is a typing error. */
function knownOrganisation(...refs: (ProfessionalRef | undefined)[]): void {
  for (const p of refs) {
    if (p && !isKnownOrganisation(p.organisation))
      refuse(
        'sectie 5',
        `Organisatie '${p.organisation}' staat niet in de regionale lijst van organisaties; controleer de id of laat de lijst (domain/organisations.json) aanvullen.`,
      );
  }
}

function isCasusregisseur(s: HouseholdState, actor: Actor): boolean {
  return s.roles.casusregisseur?.professionalId === actor.professionalId;
}

function requireOpen(s: HouseholdState): void {
  if (s.phase === 'afgesloten') refuse('R-50', 'Dit traject is afgesloten; er kan niets meer worden vastgelegd.');
}

/** The Dutch text of an R-64 refusal; the API answers it as 404, the same as an unknown household. */
export const NOT_INVOLVED = 'Uw organisatie is niet betrokken bij dit huishouden.';

/** R-64: only the organisations involved now change a household, checked where the state is (the workflow). */
function requireInvolved(s: HouseholdState, actor: Actor): void {
  if (!involvedOrganisations(s).includes(actor.organisation)) refuse('R-64', NOT_INVOLVED);
}

const handlers: { [K in CommandType]: (s: HouseholdState, body: CommandBody<K>, actor: Actor, c: Ctx) => void } = {
  recordScore(s, b, actor, c) {
    if (s.phase === 'afstemming') refuse('R-12', 'Scoren kan vanaf fase Veiligheid, nadat een gevaarsomschrijving is vastgelegd.');
    if (!s.dangers.some((d) => d.id === b.dangerId))
      refuse('R-31', `Onbekend gevaar '${b.dangerId}': elke score hoort bij een gevaarsomschrijving.`);
    notInFuture(b.date, c.today, 'De evaluatiedatum', 'date');
    notBackdated(s, b.date, scoreRule(s), 'Een score', 'date');
    const danger = s.dangers.find((d) => d.id === b.dangerId)!;
    // A run counts from the month its danger was defined (R-39, R-46): no run is made out of the past.
    if (monthOf(b.date) < monthOf(danger.definedAt))
      refuse(
        scoreRule(s),
        `Gevaar ${danger.id} is vastgelegd op ${dutchDate(danger.definedAt)}; een score telt vanaf die maand, niet eerder (${dutchDate(b.date)}).`,
      );
    s.scores.push({ ...b, recordedAt: c.nowIso, recordedBy: actor.professionalId });
  },
  defineDanger(s, b, _actor, c) {
    if (s.dangers.length >= MAX_DANGERS) refuse('R-31', `Maximaal ${MAX_DANGERS} gevaarsomschrijvingen; herzie of bundel een bestaande.`);
    const id = nextId(
      s,
      'g',
      s.dangers.map((d) => d.id),
    );
    const danger = {
      id,
      priority: 0,
      statement: b.statement,
      safetyGoal: b.safetyGoal,
      scaleQuestion: b.scaleQuestion,
      definedAt: c.today,
      revisions: 0,
    };
    placeDanger(s, danger, b.priority ?? s.dangers.length + 1);
  },
  reviseDanger(s, b) {
    const d = s.dangers.find((x) => x.id === b.dangerId);
    if (!d) refuse('R-31', `Onbekend gevaar '${b.dangerId}'.`);
    if (b.statement) d.statement = b.statement;
    if (b.safetyGoal) d.safetyGoal = b.safetyGoal;
    if (b.scaleQuestion !== undefined) d.scaleQuestion = b.scaleQuestion;
    if (b.priority && b.priority !== d.priority) placeDanger(s, d, b.priority);
    d.revisions++;
  },
  assignRole(s, b, _actor, c) {
    knownOrganisation(b.professional);
    const holder = s.roles[b.role];
    if (holder && holder.professionalId === b.professional.professionalId && holder.organisation === b.professional.organisation)
      refuse('R-21', `${b.professional.professionalId} is al ${ROLE_LABEL[b.role]}.`);
    // R-24: nobody is replaced silently; a held role changes hands only through a warm handover.
    if (holder)
      refuse(
        'R-24',
        `De rol ${ROLE_LABEL[b.role]} is bezet; wissel via een overdracht, zodat de huidige professional pas loslaat als de nieuwe gestart is.`,
      );
    setHolder(s, b.role, b.professional, c.nowIso, 'toewijzing');
    const warning = organisationWarning(b.professional.organisation, s.phase, b.role);
    if (warning) s.warnings.push({ at: c.nowIso, rule: 'sectie 5', message: warning });
    autoAdvanceCoordination(s, c);
  },
  addHouseholdMember(s, b) {
    if (s.members.some((m) => m.ref === b.ref)) refuse('R-10', `Gezinslid '${b.ref}' bestaat al.`);
    s.members.push(b);
  },
  addNetworkMember(s, b, _actor, c) {
    if (s.network.some((n) => n.id === b.id)) refuse('R-11', `Netwerklid '${b.id}' bestaat al.`);
    checkChildren(s, b.safetyPersonFor);
    s.network.push({ ...b, active: true, since: c.today });
  },
  updateNetworkMember(s, b) {
    const n = s.network.find((x) => x.id === b.id);
    if (!n) refuse('R-11', `Onbekend netwerklid '${b.id}'.`);
    if (b.safetyPersonFor) checkChildren(s, b.safetyPersonFor);
    if (b.active !== undefined) n.active = b.active;
    if (b.safetyPersonFor) n.safetyPersonFor = b.safetyPersonFor;
    if (b.chair !== undefined) n.chair = b.chair;
  },
  recordEvidence(s, b, actor, c) {
    notInFuture(b.date, c.today, 'De datum', 'date');
    notBackdated(s, b.date, EVIDENCE_ITEMS[b.item].rule, 'Bewijs', 'date');
    checkEvidenceMembers(s, b.item, b.members);
    checkControleVisit(b.item, b.visit);
    if (b.giApproval) notInFuture(b.giApproval.date, c.today, 'De datum van goedkeuring', 'giApproval.date');
    s.evidence.push({ ...b, phase: s.phase, recordedAt: c.nowIso, recordedBy: actor.professionalId });
  },
  registerHuisverbod(s, b, _actor, c) {
    knownOrganisation(b.guidedBy);
    if (s.huisverbod && s.huisverbod.endAt > c.nowIso)
      refuse('R-25', 'Er loopt al een huisverbod; verleng dat in plaats van een nieuw te registreren.');
    const startAt = amsterdamInstant(b.startDate, ...hoursAndMinutes(b.startTime));
    if (startAt > c.nowIso) refuse('R-25', `Het huisverbod kan niet in de toekomst ingaan (${dutchDate(b.startDate)} ${b.startTime}).`);
    notBackdated(s, b.startDate, 'R-25', 'Een huisverbod', 'startDate');
    const endDate = addDays(b.startDate, b.days);
    s.huisverbod = {
      startDate: b.startDate,
      startTime: b.startTime,
      endDate,
      endAt: amsterdamInstant(endDate, ...hoursAndMinutes(b.startTime)),
      guidedBy: b.guidedBy,
      extensions: [],
    };
  },
  extendHuisverbod(s, b, _actor, c) {
    const hv = s.huisverbod;
    if (!hv) refuse('R-25', 'Er is geen huisverbod om te verlengen.');
    if (b.endDate <= hv.endDate) refuse('R-25', `De nieuwe einddatum moet na de huidige (${dutchDate(hv.endDate)}) liggen.`);
    if (daysBetween(hv.startDate, b.endDate) > HUISVERBOD_MAX_DAYS)
      refuse(
        'R-25',
        `Een huisverbod duurt met verlenging hooguit ${HUISVERBOD_MAX_DAYS} dagen (uiterlijk ${dutchDate(addDays(hv.startDate, HUISVERBOD_MAX_DAYS))}).`,
      );
    hv.endDate = b.endDate;
    // The same time of day as the start: an extension by days ends at the hour the order took effect.
    hv.endAt = amsterdamInstant(b.endDate, ...hoursAndMinutes(hv.startTime));
    hv.extensions.push({ endDate: b.endDate, recordedAt: c.nowIso });
  },
  startHandover(s, b, actor, c) {
    knownOrganisation(b.to, b.from);
    if (openHandovers(s).some((h) => h.role === b.role)) refuse('R-24', `Er loopt al een overdracht voor de rol ${ROLE_LABEL[b.role]}.`);
    const holder = s.roles[b.role];
    const from = holder ? { professionalId: holder.professionalId, organisation: holder.organisation } : b.from;
    if (!from) refuse('R-24', `De rol ${ROLE_LABEL[b.role]} is onbezet: geef aan wie overdraagt ('from').`);
    if (holder && b.from && b.from.professionalId !== holder.professionalId)
      refuse('R-24', `Alleen de huidige ${ROLE_LABEL[b.role]} (${holder.professionalId}) kan deze rol overdragen.`);
    if (from.professionalId === b.to.professionalId) refuse('R-24', 'Overdragen aan dezelfde professional is geen overdracht.');
    if (actor.kind === 'professional' && actor.professionalId !== from.professionalId && !isCasusregisseur(s, actor))
      refuse('R-24', 'Een overdracht start de vertrekkende professional of de casusregisseur.');
    s.handovers.push({
      id: nextId(
        s,
        'o',
        s.handovers.map((h) => h.id),
      ),
      role: b.role,
      from,
      to: b.to,
      reason: b.reason,
      requestedAt: c.nowIso,
      requestedBy: actor.professionalId,
    });
  },
  confirmHandover(s, b, actor, c) {
    const h = s.handovers.find((x) => x.id === b.handoverId);
    if (!h) refuse('R-24', `Onbekende overdracht '${b.handoverId}'.`);
    if (!isOpenHandover(h)) refuse('R-24', 'Deze overdracht is al afgerond of ingetrokken.');
    if (actor.professionalId !== h.to.professionalId || actor.organisation !== h.to.organisation)
      refuse('R-24', 'Alleen de nieuwe professional bevestigt de start: pas loslaten als je collega gestart is.');
    if (!b.householdPresent)
      refuse(
        'R-24',
        'Een overdracht gebeurt met het huishouden erbij; bevestig de start samen met het huishouden.',
        [],
        'householdPresent',
      );
    notInFuture(b.startDate, c.today, 'De startdatum', 'startDate');
    if (b.startDate < h.requestedAt.slice(0, 10))
      refuse('R-24', 'De start kan niet vóór het verzoek tot overdracht liggen.', [], 'startDate');
    h.confirmedAt = c.nowIso;
    h.startDate = b.startDate;
    setHolder(s, h.role, h.to, c.nowIso, 'overdracht');
    const warning = organisationWarning(h.to.organisation, s.phase, h.role);
    if (warning) s.warnings.push({ at: c.nowIso, rule: 'sectie 5', message: warning });
  },
  cancelHandover(s, b, actor, c) {
    const h = s.handovers.find((x) => x.id === b.handoverId);
    if (!h || !isOpenHandover(h)) refuse('R-24', `Geen lopende overdracht '${b.handoverId}'.`);
    if (actor.professionalId !== h.from.professionalId && !isCasusregisseur(s, actor))
      refuse('R-24', 'Intrekken kan de vertrekkende professional of de casusregisseur.');
    h.cancelledAt = c.nowIso;
    h.cancelJustification = b.justification;
    s.warnings.push({ at: c.nowIso, rule: 'R-24', message: `Overdracht ${h.id} ingetrokken; de onderbouwing staat bij de overdracht.` });
  },
  requestTransition(s, b, actor, c) {
    const next = NEXT_PHASE[s.phase as Exclude<typeof s.phase, 'afgesloten'>];
    const early = b.to === 'afgesloten' && s.phase !== 'herstel';
    if (b.to !== next && !early)
      refuse('R-50', `Van ${PHASE_LABEL[s.phase]} gaat het traject naar ${PHASE_LABEL[next]}, niet naar ${PHASE_LABEL[b.to]}.`);
    if (!responsibleProfessionals(s).some((p) => p.professionalId === actor.professionalId && p.organisation === actor.organisation))
      refuse('R-62', 'Alleen de casusregisseur (of in fase Veiligheid de eigenaar van die fase) beslist over een faseovergang.');
    const unmet = unmetCriteria(s, c.now, c.policy);
    if (early) unmet.push({ rule: 'R-50', message: 'Afsluiten kan pas als stabiele veiligheid en herstel zijn bereikt.' });
    if (unmet.length > 0 && !b.justification)
      refuse(unmet[0]!.rule, `Nog niet aan alle criteria voldaan (${unmet.map((u) => u.rule).join(', ')}).`, unmet);
    if (unmet.length > 0 && !isCasusregisseur(s, actor))
      refuse('R-62', 'Afwijken van de criteria met een onderbouwing kan alleen de casusregisseur.', unmet);
    const from = s.phase;
    enterPhase(s, b.to, c.nowIso, unmet.length ? 'override' : 'criteria');
    if (unmet.length === 0) return;
    s.overrides.push({
      at: c.nowIso,
      by: actor.professionalId,
      from,
      to: b.to,
      unmet: unmet.map((u) => u.rule),
      justification: b.justification!,
    });
    // The coordinator hears of it (workflows/steps.ts noticeOverrides).
  },
  acknowledgeEscalation(s, b, actor, c) {
    const e = s.escalations.find((x) => x.key === b.key && !x.resolvedAt);
    if (!e) refuse('R-62', 'Deze escalatie staat niet (meer) open; er valt niets te bevestigen.');
    const responsible = responsibleProfessionals(s).some((p) => p.professionalId === actor.professionalId);
    const lead = actor.professionalId === `lead:${actor.organisation}` && e.level >= 2;
    if (!responsible && !lead)
      refuse(
        'R-62',
        'Een escalatie bevestigt de verantwoordelijke professional, of vanaf niveau 2 de leidinggevende van een betrokken organisatie.',
      );
    e.acknowledgements = [...(e.acknowledgements ?? []), { at: c.nowIso, by: actor.professionalId, level: e.level, plan: b.plan }].slice(
      -5,
    );
  },
};

/** R-31: dangers in priority order 1..n without gaps; `danger` takes place `priority` (or the last). */
function placeDanger(s: HouseholdState, danger: HouseholdState['dangers'][number], priority: number): void {
  const others = s.dangers.filter((x) => x !== danger).sort((a, z2) => a.priority - z2.priority);
  others.splice(Math.min(priority - 1, others.length), 0, danger);
  others.forEach((x, i) => (x.priority = i + 1));
  s.dangers = others;
}

/** A fresh id that no imported record uses already. */
function nextId(s: HouseholdState, prefix: string, taken: string[]): string {
  let id: string;
  do id = `${prefix}${++s.seq}`;
  while (taken.includes(id));
  return id;
}

function checkChildren(s: HouseholdState, refs: string[]): void {
  for (const r of refs) {
    if (!s.members.some((m) => m.ref === r && (m.isChild || m.vulnerableAdult)))
      refuse('R-16', `'${r}' is geen kind of kwetsbare volwassene van dit huishouden.`);
  }
}

function setHolder(s: HouseholdState, role: Role, p: ProfessionalRef, at: string, via: 'toewijzing' | 'overdracht' | 'intake'): void {
  for (const h of s.roleHistory) if (h.role === role && !h.to) h.to = at;
  s.roles[role] = { professionalId: p.professionalId, organisation: p.organisation, since: at };
  s.roleHistory.push({ role, professionalId: p.professionalId, organisation: p.organisation, from: at, via });
}

export function enterPhase(
  s: HouseholdState,
  phase: HouseholdState['phase'],
  at: string,
  via: 'criteria' | 'override' | 'start' | 'import',
): void {
  for (const p of s.phaseHistory) if (!p.to) p.to = at;
  s.phase = phase;
  s.phaseStartedAt = at;
  s.phaseHistory.push({ phase, from: at, via });
  if (phase === 'afgesloten') s.closedAt = at;
}

/** Afstemming exists only to find an owner (R-02, R-04): once found, phase Veiligheid starts. */
export function autoAdvanceCoordination(s: HouseholdState, c: { now: Date; nowIso: string; policy: Policy }): void {
  if (s.phase === 'afstemming' && unmetCriteria(s, c.now, c.policy).length === 0) enterPhase(s, 'veiligheid', c.nowIso, 'criteria');
}

/** A command that would let the state outgrow its limits is refused, naming the limit. */
function withinLimits(s: HouseholdState): void {
  const counts: [keyof typeof LIMITS, number, string][] = [
    ['members', s.members.length, 'gezinsleden'],
    ['network', s.network.length, 'netwerkleden'],
    ['handovers', s.handovers.length, 'overdrachten'],
    ['evidence', s.evidence.length, 'bewijsstukken'],
    ['scores', s.scores.length, 'scores'],
  ];
  for (const [limit, n, what] of counts) {
    if (n > LIMITS[limit])
      refuse('limiet', `Dit huishouden heeft de grens van ${LIMITS[limit]} ${what} bereikt; neem contact op met de beheerder.`);
  }
  const bytes = stateBytes(s);
  if (bytes > LIMITS.stateBytes)
    refuse(
      'limiet',
      `De gegevens van dit huishouden zouden ${bytes} bytes worden, boven de grens van ${LIMITS.stateBytes} bytes; de opdracht is niet uitgevoerd.`,
    );
}

/** Applies one command to a copy of the state; throws MethodRefusal when the method forbids it. */
export function applyCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): HouseholdState {
  const parsed = CommandSchemas[type].safeParse(input);
  if (!parsed.success)
    throw new MethodRefusal(
      'invoer',
      `Ongeldige invoer: ${parsed.error.issues.map((i) => `${i.path.join('.') || type}: ${i.message}`).join('; ')}`,
    );
  requireOpen(state);
  // The state is plain JSON (it travels through Temporal payloads), so a JSON copy is exact.
  const s: HouseholdState = JSON.parse(JSON.stringify(state));
  const handler = handlers[type] as (s: HouseholdState, b: CommandBody<K>, a: Actor, c: Ctx) => void;
  handler(s, parsed.data as CommandBody<K>, actor, { now, today: amsterdamDay(now), nowIso: now.toISOString(), policy });
  withinLimits(s);
  return s;
}

/**
 * What the workflow's update validator runs: first who may act (R-64, the actor's organisation is
 * involved now), then the command itself on a copy. The handler runs `applyCommand` alone: a
 * validator does not run again on replay, so an admission rule added later cannot turn a command
 * accepted in a recorded history into a refusal.
 */
export function validateCommand<K extends CommandType>(
  state: HouseholdState,
  type: K,
  input: unknown,
  actor: Actor,
  now: Date,
  policy: Policy,
): void {
  requireOpen(state);
  requireInvolved(state, actor);
  applyCommand(state, type, input, actor, now, policy);
}
