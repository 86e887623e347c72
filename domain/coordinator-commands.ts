/**
 * What the regional coordinator decides (section 6: the last step of the escalation ladder, and
 * whoever hears of an override, R-62): agreeing or not with a casusregisseur's override, and the
 * decision after a level-3 escalation. Only a coordinator gives these; they record a decision
 * beside what it is about, and change neither phase nor roles: the casusregisseur keeps the case.
 */
import type { CommandBody } from './schemas/commands';
import { refuse, type Ctx } from './command-checks';
import type { Actor, HouseholdState } from './model';

export const COORDINATOR_COMMANDS = ['reviewOverride', 'decideEscalation'] as const;
export type CoordinatorCommand = (typeof COORDINATOR_COMMANDS)[number];

/** Decisions kept per escalation; older ones stay in the logbook's history of the state before. */
const DECISIONS_KEPT = 5;

function coordinatorOnly(actor: Actor): void {
  if (actor.kind !== 'coordinator') refuse('sectie 6', 'Alleen de regionaal coördinator legt dit besluit vast.');
}

type Handler<K extends CoordinatorCommand> = (s: HouseholdState, body: CommandBody<K>, actor: Actor, c: Ctx) => void;

export const coordinatorHandlers: { [K in CoordinatorCommand]: Handler<K> } = {
  reviewOverride(s, b, actor, c) {
    coordinatorOnly(actor);
    const o = s.overrides.find((x) => x.at === b.at);
    if (!o) refuse('R-62', 'Deze afwijking bestaat niet bij dit huishouden.', [], 'at');
    if (o.review) refuse('R-62', 'Over deze afwijking is al besloten.', [], 'at');
    o.review = { at: c.nowIso, by: actor.professionalId, decision: b.decision, note: b.note };
  },
  decideEscalation(s, b, actor, c) {
    coordinatorOnly(actor);
    const e = s.escalations.find((x) => x.key === b.key && !x.resolvedAt);
    if (!e) refuse('sectie 6', 'Deze escalatie staat niet (meer) open.', [], 'key');
    if (e.level < 3) refuse('sectie 6', 'De coördinator beslist pas na een escalatie op niveau 3.', [], 'key');
    e.decisions = [...(e.decisions ?? []), { at: c.nowIso, by: actor.professionalId, decision: b.decision }].slice(-DECISIONS_KEPT);
  },
};

/** Who may give a command at all: coordinators only these, professionals and intake keys all others. */
export function requireCommandOfKind(type: string, actor: Actor): void {
  const forCoordinator = (COORDINATOR_COMMANDS as readonly string[]).includes(type);
  if (forCoordinator && actor.kind !== 'coordinator') refuse('sectie 6', 'Alleen de regionaal coördinator legt dit besluit vast.');
  if (!forCoordinator && actor.kind === 'coordinator')
    refuse('R-64', 'Coördinatoren lezen alle huishoudens en beslissen na escalaties, maar geven geen opdrachten in het traject.');
}
