/**
 * The start of a trajectory (R-01): an intake from an organisation's system, optionally carrying a
 * running case with its history (import). `initialState` builds the first state; imported scores
 * and evidence keep their own dates, so R-39/R-46 runs are computed over that history at once.
 * What an intake may hold is checked by ./schemas/intake (in the API, before the workflow starts).
 */
import { checkControleVisit } from './command-checks';
import { autoAdvanceCoordination, enterPhase } from './state-changes';
import { isKnownOrganisation } from './organisations';
import { MethodRefusal } from './refusal';
import { EVIDENCE_ITEMS, type EvidenceItem, type EvidenceSpec } from './evidence-items';
import type { HouseholdMember, HouseholdState, ProfessionalRef, Role } from './model';
import type { IntakeInput } from './schemas/intake';
import { startImportReview } from './import-review';
import { eligibleMembers } from './selectors';
import type { Policy } from './policy';
import { currentScores } from './scores';
import { amsterdamDay, monthOf } from './time';

export type { ImportedHistory, IntakeInput } from './schemas/intake';

/** One difference between a repeated intake's members and the household's, by ref only (never a name). */
export interface MemberDifference {
  ref: string;
  change: 'toegevoegd' | 'verwijderd' | 'gewijzigd';
}

/**
 * R-01: a second intake with the same reference must describe the same household; the differences
 * (empty when the same) let the API answer with a conflict instead of silently keeping the old data.
 */
export function memberDifferences(existing: readonly HouseholdMember[], incoming: readonly HouseholdMember[]): MemberDifference[] {
  const before = new Map(existing.map((m) => [m.ref, m]));
  const after = new Map(incoming.map((m) => [m.ref, m]));
  const differences: MemberDifference[] = [];
  for (const [ref, m] of after) {
    const old = before.get(ref);
    if (!old) differences.push({ ref, change: 'toegevoegd' });
    else if (old.isChild !== m.isChild || (old.vulnerableAdult ?? false) !== (m.vulnerableAdult ?? false))
      differences.push({ ref, change: 'gewijzigd' });
  }
  for (const ref of before.keys()) if (!after.has(ref)) differences.push({ ref, change: 'verwijderd' });
  return differences.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export interface StartInput {
  householdId: string;
  organisation: string;
  intake: IntakeInput;
  receivedAt: string;
  /** A keyed hash of the normalised alias, derived by the API (never the alias itself). */
  aliasKey?: string;
}

/**
 * R-13, R-16, R-37: an imported item recorded per child (or protected person) names whom it
 * concerns, among this household's members; without them it would count for nobody.
 */
function checkImportedMembers(s: HouseholdState, e: { item: EvidenceItem; members?: string[] }, index: number): void {
  const spec: EvidenceSpec = EVIDENCE_ITEMS[e.item];
  if (!spec.perMember) return;
  const eligible = eligibleMembers(s, e.item).map((m) => m.ref);
  const who = spec.perMember === 'children' ? 'kind' : 'kind of kwetsbare volwassene';
  const field = `import.evidence.${index}.members`;
  if (!e.members?.length)
    throw new MethodRefusal(
      spec.rule,
      `Geïmporteerd bewijs '${e.item}' (${field}) geldt per ${who} en noemt niemand; geef in 'members' aan om wie het gaat (${eligible.join(', ') || 'geen ' + who + ' in dit huishouden'}).`,
      [],
      field,
    );
  const strangers = e.members.filter((m) => !eligible.includes(m));
  if (strangers.length)
    throw new MethodRefusal(
      spec.rule,
      `Geïmporteerd bewijs '${e.item}' (${field}) noemt wie geen ${who} van dit huishouden is: ${strangers.join(', ')}.`,
      [],
      field,
    );
}

/**
 * The first state. `calmImport` (issue 22) puts an import under review; the workflow passes it
 * only for histories that started with that rule (patched), so older imports replay unchanged.
 */
export function initialState(input: StartInput, now: Date, policy: Policy, calmImport = true): HouseholdState {
  const { intake } = input;
  const nowIso = now.toISOString();
  const today = amsterdamDay(now);
  const imp = intake.import;
  const unknown = [intake.owner, intake.casusregisseur, ...(imp?.roles.map((r) => r.professional) ?? [])].filter(
    (p) => p && !isKnownOrganisation(p.organisation),
  );
  if (unknown.length)
    throw new MethodRefusal(
      'sectie 5',
      `Onbekende organisatie: ${unknown.map((p) => p!.organisation).join(', ')}; controleer de id of laat de regionale lijst aanvullen.`,
    );
  const startedAt = imp ? `${imp.startDate}T00:00:00.000Z` : input.receivedAt;
  const s: HouseholdState = {
    householdId: input.householdId,
    intake: {
      organisation: input.organisation,
      reference: intake.reference,
      source: intake.source,
      reportingOrganisation: intake.reportingOrganisation,
      receivedAt: input.receivedAt,
      ...(intake.alias ? { alias: intake.alias } : {}),
      ...(input.aliasKey ? { aliasKey: input.aliasKey } : {}),
    },
    startedAt,
    phase: 'afstemming',
    phaseStartedAt: startedAt,
    phaseHistory: [{ phase: 'afstemming', from: startedAt, via: 'start' }],
    localTeamOrGi: intake.localTeamOrGi,
    jeugdbeschermer: intake.jeugdbeschermer,
    roles: {},
    roleHistory: [],
    members: intake.members,
    network: [],
    dangers: [],
    scores: [],
    evidence: [],
    handovers: [],
    escalations: [],
    overrides: [],
    warnings: [],
    notified: [],
    seq: 0,
  };
  const assign = (role: Role, p: ProfessionalRef, since: string) => {
    s.roles[role] = { ...p, since };
    s.roleHistory.push({ role, ...p, from: since, via: 'intake' });
  };
  if (intake.owner) assign('eigenaar_veiligheid', intake.owner, startedAt);
  if (intake.casusregisseur) assign('casusregisseur', intake.casusregisseur, startedAt);
  if (imp) {
    const future = [imp.startDate, imp.phaseStartDate, ...imp.scores.map((x) => x.date), ...imp.evidence.map((x) => x.date)].filter(
      (d) => d > today,
    );
    if (future.length) throw new MethodRefusal('R-01', `Geïmporteerde datums liggen in de toekomst: ${future.join(', ')}.`);
    if (imp.phaseStartDate < imp.startDate)
      throw new MethodRefusal('R-01', 'De fase kan niet vóór de start van het traject begonnen zijn.');
    const early = [...imp.scores.map((x) => x.date), ...imp.evidence.map((x) => x.date), ...imp.dangers.map((d) => d.definedAt)].filter(
      (d) => d < imp.startDate,
    );
    if (early.length)
      throw new MethodRefusal(
        'R-01',
        `Geïmporteerde datums liggen vóór de start van het traject (${imp.startDate}): ${[...new Set(early)].join(', ')}.`,
      );
    const defined = new Map(imp.dangers.map((d) => [d.id, d.definedAt]));
    const beforeDanger = imp.scores.filter((x) => defined.has(x.dangerId) && monthOf(x.date) < monthOf(defined.get(x.dangerId)!));
    if (beforeDanger.length)
      throw new MethodRefusal(
        'R-39',
        `Scores vóór de maand waarin hun gevaar is vastgelegd tellen niet: ${beforeDanger.map((x) => `${x.dangerId} ${x.date}`).join(', ')}.`,
      );
    // R-60: imported controles say how the visit was made, exactly as recorded ones do.
    imp.evidence.forEach((e, i) => checkControleVisit(e.item, e.visit, `import.evidence.${i}.visit`));
    imp.evidence.forEach((e, i) => checkImportedMembers(s, e, i));
    const ids = new Set(imp.dangers.map((d) => d.id));
    const unknown = imp.scores.filter((x) => !ids.has(x.dangerId)).map((x) => x.dangerId);
    if (unknown.length) throw new MethodRefusal('R-31', `Scores bij onbekende gevaren: ${[...new Set(unknown)].join(', ')}.`);
    for (const r of imp.roles) assign(r.role, r.professional, `${r.since}T00:00:00.000Z`);
    s.dangers = imp.dangers.map((d) => ({ ...d })).sort((a, b) => a.priority - b.priority);
    const byDate = [...imp.scores].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    s.scores = currentScores(byDate).map((x) => ({ ...x, recordedAt: nowIso, recordedBy: 'import' }));
    s.evidence = imp.evidence.map((e) => ({ ...e, phase: e.phase ?? imp.phase, recordedAt: nowIso, recordedBy: 'import' }));
    s.network = imp.network;
    s.seq = imp.dangers.length;
    if (imp.phase !== 'afstemming') enterPhase(s, imp.phase, `${imp.phaseStartDate}T00:00:00.000Z`, 'import');
    // A review of 0 days: the region wants imported history to escalate as it stands.
    if (calmImport && policy.importReviewDays > 0) s.importReview = startImportReview(input.receivedAt, policy);
  }
  autoAdvanceCoordination(s, { now, nowIso, policy });
  return s;
}
