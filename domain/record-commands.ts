/**
 * Commands that record what happened: scores, dangers, family and network members, evidence.
 * They are the only commands that add records to the state, so they are the ones the limits
 * (domain/command-limits.ts) apply to. A score for a danger, group and month that already has one
 * is a correction: it replaces the current value (R-18, R-39, R-46 read that value); the API
 * keeps the earlier one in Routekaart's database.
 */
import type { CommandBody } from './schemas/commands';
import {
  checkChildren,
  checkControleVisit,
  checkEvidenceMembers,
  notBackdated,
  notInFuture,
  refuse,
  scoreRule,
  type Ctx,
} from './command-checks';
import { EVIDENCE_ITEMS } from './evidence-items';
import type { Actor, HouseholdState } from './model';
import { METHOD } from './policy';
import { sameSlot } from './scores';
import { nextId, placeDanger } from './state-changes';
import { dutchDate, monthOf } from './time';

type Handler<K extends RecordCommand> = (s: HouseholdState, body: CommandBody<K>, actor: Actor, c: Ctx) => void;

export const RECORD_COMMANDS = [
  'recordScore',
  'defineDanger',
  'reviseDanger',
  'closeDanger',
  'addHouseholdMember',
  'addNetworkMember',
  'updateNetworkMember',
  'recordEvidence',
] as const;
export type RecordCommand = (typeof RECORD_COMMANDS)[number];

/** Closed dangers kept in the state; their scores stay in it and in the database. */
const CLOSED_DANGERS_KEPT = 8;

export const recordHandlers: { [K in RecordCommand]: Handler<K> } = {
  recordScore(s, b, actor, c) {
    if (s.phase === 'afstemming') refuse('R-12', 'Scoren kan vanaf fase Veiligheid, nadat een gevaarsomschrijving is vastgelegd.');
    const danger = s.dangers.find((d) => d.id === b.dangerId);
    if (!danger) refuse('R-31', `Onbekend gevaar '${b.dangerId}': elke score hoort bij een gevaarsomschrijving.`);
    notInFuture(b.date, c.today, 'De evaluatiedatum', 'date');
    notBackdated(s, b.date, scoreRule(s), 'Een score', 'date');
    // A run counts from the month its danger was defined: no run is made out of the past.
    if (monthOf(b.date) < monthOf(danger.definedAt))
      refuse(
        scoreRule(s),
        `Gevaar ${danger.id} is vastgelegd op ${dutchDate(danger.definedAt)}; een score telt vanaf die maand, niet eerder (${dutchDate(b.date)}).`,
      );
    const score = { ...b, recordedAt: c.nowIso, recordedBy: actor.professionalId };
    const current = s.scores.findIndex((x) => sameSlot(x, score));
    if (current >= 0) s.scores[current] = score;
    else s.scores.push(score);
  },
  defineDanger(s, b, _actor, c) {
    if (s.dangers.length >= METHOD.maxDangers)
      refuse('R-31', `Maximaal ${METHOD.maxDangers} gevaarsomschrijvingen; herzie of bundel een bestaande.`);
    // A closed danger's id is never handed out again: its scores keep naming it.
    const id = nextId(
      s,
      'g',
      [...s.dangers, ...(s.closedDangers ?? []).map((x) => x.danger)].map((d) => d.id),
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
  closeDanger(s, b, actor, c) {
    const d = s.dangers.find((x) => x.id === b.dangerId);
    if (!d) refuse('R-31', `Onbekend gevaar '${b.dangerId}'.`, [], 'dangerId');
    if (s.dangers.length === 1)
      refuse(
        'R-31',
        'Dit is het laatste gevaar: herformuleer het in plaats van het af te sluiten, zodat er een veiligheidsdoel blijft om naartoe te werken.',
        [],
        'dangerId',
      );
    s.dangers = s.dangers.filter((x) => x !== d).map((x, i) => ({ ...x, priority: i + 1 }));
    s.closedDangers = [
      ...(s.closedDangers ?? []),
      { danger: d, closedAt: c.nowIso, closedBy: actor.professionalId, reason: b.reason },
    ].slice(-CLOSED_DANGERS_KEPT);
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
};
