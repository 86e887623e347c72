/**
 * Households for the dashboard test, built with the real domain (intake, commands, view), so the
 * page is tested against the shapes and Dutch texts the API really returns. No workflow runs:
 * escalation records, which the workflow keeps, are derived from the plan the same way.
 */
import { sampleIntake } from '../support/state';
import { applyCommand } from '../../domain/commands';
import type { CommandInput, CommandType } from '../../domain/command-schemas';
import { initialState, type IntakeInput } from '../../domain/intake';
import type { Actor, HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { householdView, type HouseholdView } from '../../domain/view';
import type { HouseholdSummary } from '../../api/types';

/** "Now" of every fixture: a Monday in January, winter time in Amsterdam. */
export const NOW = new Date('2025-01-20T10:00:00.000Z');

export const MARKUP = '<img src=x onerror="window.__xss=1">';

const pro = (professionalId: string, organisation: string): ProfessionalRef => ({ professionalId, organisation });
const actor = (p: ProfessionalRef): Actor => ({ ...p, kind: 'professional' });

function start(householdId: string, receivedAt: string, intake: Partial<IntakeInput>, now: Date): HouseholdState {
  return initialState(
    {
      householdId,
      organisation: 'veilig-thuis',
      receivedAt,
      intake: sampleIntake(`ref-${householdId}`, intake),
    },
    now,
    DEFAULT_POLICY,
  );
}

function apply<K extends CommandType>(s: HouseholdState, type: K, by: ProfessionalRef, body: CommandInput<K>, at: string): HouseholdState {
  return applyCommand(s, type, body, actor(by), new Date(at), DEFAULT_POLICY);
}

/** What the workflow records when a cause escalates; here derived from the view's own plan. */
function withEscalations(s: HouseholdState): HouseholdState {
  const plan = householdView(s, NOW, DEFAULT_POLICY).plan;
  s.escalations = plan
    .filter((p) => p.level > 0)
    .map((p) => ({ key: p.key, rule: p.rule, level: p.level, raisedAt: p.overdueAt!, levelSince: p.overdueAt!, reason: p.reason }));
  return s;
}

const vt = pro('vt-prof-1', 'veilig-thuis');
const crisis = pro('cd-prof-7', 'crisisdienst-huisverboden');
const lokaal = pro('lt-prof-3', 'lokaal-team');

/** Fase Veiligheid with a huisverbod that ended without handover and an open handover. */
function safetyWithHuisverbod(householdId: string, statement: string): HouseholdState {
  let s = start(householdId, '2025-01-06T08:00:00.000Z', { owner: vt }, new Date('2025-01-06T08:00:00.000Z'));
  s = apply(
    s,
    'defineDanger',
    vt,
    { statement, safetyGoal: 'Kind-1 slaapt elke nacht veilig thuis; ruzies lopen niet uit op slaan.' },
    '2025-01-07T09:00:00.000Z',
  );
  s = apply(s, 'registerHuisverbod', vt, { startDate: '2025-01-07', days: 10, guidedBy: crisis }, '2025-01-07T10:00:00.000Z');
  s = apply(
    s,
    'startHandover',
    crisis,
    { role: 'veiligheidsplanner', from: crisis, to: lokaal, reason: 'huisverbod' },
    '2025-01-08T10:00:00.000Z',
  );
  for (const [group, value] of [
    ['huishouden', 4],
    ['netwerk', 5],
    ['professionals', 3],
  ] as const)
    s = apply(
      s,
      'recordScore',
      vt,
      { dangerId: 'g1', group, value, observedBehaviour: 'Buren hoorden geschreeuw; kind-1 bleef bij oma.', date: '2025-01-09' },
      '2025-01-09T15:00:00.000Z',
    );
  s = apply(s, 'recordEvidence', vt, { item: 'genogram', date: '2025-01-08' }, '2025-01-08T11:00:00.000Z');
  s = apply(
    s,
    'addNetworkMember',
    vt,
    { id: 'oma-1', kind: 'sociaal', safetyPersonFor: ['kind-1'], chair: false },
    '2025-01-08T12:00:00.000Z',
  );
  return withEscalations(s);
}

/** Fase Risico gestuurd, imported with months of scores: an R-39 run in progress. */
function riskDriven(householdId: string): HouseholdState {
  const months = ['2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01'];
  const scores = months.flatMap((m, i) =>
    (['huishouden', 'netwerk', 'professionals'] as const).map((group) => ({
      dangerId: 'g1',
      group,
      value: i === 0 && group === 'netwerk' ? 5 : 6 + (i % 2),
      observedBehaviour: 'Afspraken uit het veiligheidsplan nagekomen; netwerk kwam onaangekondigd langs.',
      date: `${m}-1${i % 3}`,
    })),
  );
  const s = start(
    householdId,
    '2025-01-15T08:00:00.000Z',
    {
      localTeamOrGi: true,
      import: {
        startDate: '2024-03-01',
        phase: 'risicogestuurd',
        phaseStartDate: '2024-06-01',
        roles: [
          { role: 'casusregisseur', professional: lokaal, since: '2024-03-01' },
          { role: 'veiligheidsplanner', professional: lokaal, since: '2024-06-01' },
          { role: 'eigenaar_veiligheid', professional: vt, since: '2024-03-01' },
        ],
        dangers: [
          {
            id: 'g1',
            priority: 1,
            statement: 'Vader slaat moeder als hij gedronken heeft, waar kind-1 bij is.',
            safetyGoal: 'Kind-1 ziet geen geweld meer; vader drinkt niet als hij voor kind-1 zorgt.',
            definedAt: '2024-03-10',
            revisions: 1,
          },
        ],
        scores,
        evidence: [
          { item: 'analyse_herzien_giz', date: '2024-06-20' },
          { item: 'stabiel_veiligheidsplan', date: '2024-07-01' },
        ],
        network: [
          { id: 'buur-2', kind: 'sociaal', active: true, safetyPersonFor: ['kind-1'], chair: true, since: '2024-04-01' },
          { id: 'coach-1', kind: 'professioneel', active: true, safetyPersonFor: [], chair: false, since: '2024-05-01' },
        ],
      },
    },
    new Date('2025-01-15T08:00:00.000Z'),
  );
  return withEscalations(s);
}

/** Afstemming without an owner for ten days (R-02 escalates). */
function coordination(householdId: string): HouseholdState {
  return withEscalations(
    start(
      householdId,
      '2025-01-08T08:00:00.000Z',
      { reportingOrganisation: 'school', source: 'sociaal_netwerk' },
      new Date('2025-01-08T08:00:00.000Z'),
    ),
  );
}

export const IDS = {
  safety: 'hh-0a1b2c3d4e5f60718293',
  risk: 'hh-1b2c3d4e5f6071829304',
  coordination: 'hh-2c3d4e5f607182930415',
  /** A household id no caller may read: the stub answers 403 as the API does. */
  forbidden: 'hh-3d4e5f60718293041526',
  /** Markup where a ref belongs: must render as text. */
  markup: MARKUP,
} as const;

export function fixtureViews(): Map<string, HouseholdView> {
  const states = [
    safetyWithHuisverbod(IDS.safety, 'Ouders maken ruzie waarbij vader moeder slaat; kind-1 is erbij en raakt gewond.'),
    riskDriven(IDS.risk),
    coordination(IDS.coordination),
    safetyWithHuisverbod(IDS.markup, `Ruzie met geweld ${MARKUP}<b>vet</b>`),
  ];
  return new Map(states.map((s) => [s.householdId, householdView(s, NOW, DEFAULT_POLICY)]));
}

/** The list endpoint's item (api/types.ts), as GET /api/v1/households returns it. */
export function listItem(v: HouseholdView): HouseholdSummary {
  const s = v.state;
  const runs = v.runs.map((r) => (s.phase === 'herstel' ? r.consensusMonths : r.riskMonths));
  return {
    householdId: s.householdId,
    phase: s.phase,
    organisations: v.organisations,
    intakeOrganisation: s.intake.organisation,
    casusregisseur: s.roles.casusregisseur?.professionalId ?? null,
    escalationLevel: v.escalationLevel,
    runMonths: runs.length ? Math.min(...runs) : 0,
    nextDeadline: v.nextDeadline ?? null,
    openHandover: v.openHandover,
    overdue: v.escalationLevel > 0,
    startedAt: s.startedAt,
    phaseStartedAt: s.phaseStartedAt,
    status: 'running',
  };
}
