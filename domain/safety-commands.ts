/**
 * Commands that move a household towards safety or end it: roles, the huisverbod and its
 * extension, warm handovers, phase transitions (closure included) and escalation
 * acknowledgements. None of them is ever refused for the household's size: whatever others
 * recorded, the people responsible can always hand over, act on a huisverbod and close. Their own
 * growth is bounded by the method (one open handover per role, a huisverbod of at most 28 days,
 * four phases, the last five acknowledgements) or pruned (cancelled handovers beyond the last few).
 */
import type { CommandBody } from './schemas/commands';
import { isCasusregisseur, knownOrganisation, notBackdated, notInFuture, refuse, type Ctx } from './command-checks';
import { confirmImport } from './confirm-import';
import { unmetCriteria } from './criteria';
import { LIMITS } from './limits';
import { NEXT_PHASE, PHASE_LABEL, ROLE_LABEL, type Actor, type HouseholdState } from './model';
import { organisationWarning } from './organisations';
import { METHOD } from './policy';
import { isOpenHandover, openHandovers, responsibleProfessionals } from './selectors';
import { autoAdvanceCoordination, enterPhase, nextId, setHolder } from './state-changes';
import { addDays, amsterdamInstant, daysBetween, dutchDate, hoursAndMinutes } from './time';

export const SAFETY_COMMANDS = [
  'assignRole',
  'registerHuisverbod',
  'extendHuisverbod',
  'endHuisverbod',
  'startHandover',
  'confirmHandover',
  'cancelHandover',
  'requestTransition',
  'acknowledgeEscalation',
  'confirmImport',
] as const;
export type SafetyCommand = (typeof SAFETY_COMMANDS)[number];

type Handler<K extends SafetyCommand> = (s: HouseholdState, body: CommandBody<K>, actor: Actor, c: Ctx) => void;

export const safetyHandlers: { [K in SafetyCommand]: Handler<K> } = {
  confirmImport, // issue 22, R-01
  assignRole(s, b, _actor, c) {
    knownOrganisation(b.professional);
    const holder = s.roles[b.role];
    if (holder && holder.professionalId === b.professional.professionalId && holder.organisation === b.professional.organisation)
      refuse('R-21', `${b.professional.professionalId} is al ${ROLE_LABEL[b.role]}.`);
    // nobody is replaced silently; a held role changes hands only through a warm handover.
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
    if (daysBetween(hv.startDate, b.endDate) > METHOD.huisverbodMaxDays)
      refuse(
        'R-25',
        `Een huisverbod duurt met verlenging hooguit ${METHOD.huisverbodMaxDays} dagen (uiterlijk ${dutchDate(addDays(hv.startDate, METHOD.huisverbodMaxDays))}).`,
      );
    hv.endDate = b.endDate;
    // The same time of day as the start: an extension by days ends at the hour the order took effect.
    hv.endAt = amsterdamInstant(b.endDate, ...hoursAndMinutes(hv.startTime));
    hv.extensions.push({ endDate: b.endDate, recordedAt: c.nowIso });
  },
  endHuisverbod(s, b, actor, c) {
    const hv = s.huisverbod;
    if (!hv || hv.endAt <= c.nowIso) refuse('R-25', 'Er loopt geen huisverbod om te beëindigen.');
    if (b.date < hv.startDate) refuse('R-25', `Het huisverbod begon pas op ${dutchDate(hv.startDate)}.`, [], 'date');
    notInFuture(b.date, c.today, 'Het einde van het huisverbod', 'date');
    hv.endDate = b.date;
    // Ended today: now; an earlier day: at the hour it took effect (never before it began).
    const at = b.date === c.today ? c.nowIso : amsterdamInstant(b.date, ...hoursAndMinutes(hv.startTime));
    hv.endAt = at < amsterdamInstant(hv.startDate, ...hoursAndMinutes(hv.startTime)) ? c.nowIso : at;
    hv.ended = { date: b.date, recordedAt: c.nowIso, by: actor.professionalId };
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
    forgetOldCancelledHandovers(s, c.nowIso);
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

/**
 * A start-and-cancel loop must not grow the state: cancelled handovers beyond the last few leave
 * it. The read model (household_handovers) already holds them, written when the workflow acted on
 * the cancellation; one cancelled at this very instant is kept, as its row may not be written yet.
 */
function forgetOldCancelledHandovers(s: HouseholdState, nowIso: string): void {
  const cancelled = s.handovers.filter((h) => h.cancelledAt !== undefined);
  const excess = cancelled.slice(0, Math.max(0, cancelled.length - LIMITS.cancelledHandoversKept)).filter((h) => h.cancelledAt !== nowIso);
  if (excess.length) s.handovers = s.handovers.filter((h) => !excess.includes(h));
}
