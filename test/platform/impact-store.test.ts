/**
 * ImpactStore on the embedded PGlite: read-model rows written by SummaryWriter.write for a dozen
 * households, read back for one quarter (and one organisation), and the impact report computed
 * from them.
 */
import type { Figure } from '../../domain/disclosure';
import { impactReport } from '../../domain/impact-report';
import type { HouseholdSummary } from '../../domain/summary';
import type { Database } from '../../platform/db/database';
import { ImpactStore } from '../../platform/store/impact-rows';
import { SummaryWriter } from '../../platform/store/summary-writer';
import { freshDatabase } from '../support/database';
import { householdRow } from '../support/summary';

const Q1 = { from: '2026-01-01', to: '2026-04-01' };
const at = (date: string) => `${date}T09:00:00.000Z`;
const plusDays = (date: string, days: number) => new Date(Date.parse(at(date)) + days * 86_400_000).toISOString();
const v = (f: Figure) => (f.suppressed ? 'onderdrukt' : f.value);

const summary = (id: string, over: Partial<HouseholdSummary> = {}): HouseholdSummary =>
  householdRow(id, { startedAt: at('2026-01-05'), ...over });

/** Closed on `closedOn` with stable safety, after `herstelDays` days in Herstel. */
function stable(i: number, closedOn: string, herstelDays: number, network: number): HouseholdSummary {
  const closedAt = at(closedOn);
  const herstel = new Date(Date.parse(closedAt) - herstelDays * 86_400_000).toISOString();
  return summary(`stable-${i}`, {
    organisations: i <= 3 ? ['veilig-thuis', 'lokaal-team'] : ['veilig-thuis', 'ggz'],
    phase: 'afgesloten',
    activeSocialNetwork: network,
    startedAt: at('2025-01-06'),
    directSafetyAt: '2025-03-01',
    stableSafetyAt: '2025-09-01',
    phaseStartedAt: closedAt,
    closedAt,
    phases: [
      { phase: 'afstemming', startedAt: at('2025-01-06'), endedAt: at('2025-01-08'), via: 'start' },
      { phase: 'veiligheid', startedAt: at('2025-01-08'), endedAt: at('2025-03-01'), via: 'criteria' },
      { phase: 'risicogestuurd', startedAt: at('2025-03-01'), endedAt: herstel, via: 'criteria' },
      { phase: 'herstel', startedAt: herstel, endedAt: closedAt, via: 'criteria' },
      { phase: 'afgesloten', startedAt: closedAt, endedAt: null, via: 'criteria' },
    ],
    escalations: [
      {
        key: `R-32:ontbreekt:g1:${i}`,
        rule: 'R-32',
        level: 2,
        raisedAt: at('2026-01-15'),
        levelSince: at('2026-01-22'),
        resolvedAt: at('2026-01-30'),
      },
      {
        key: 'R-13:kindgesprek:2025-01-08',
        rule: 'R-13',
        level: 1,
        raisedAt: at('2025-01-23'),
        levelSince: at('2025-01-23'),
        resolvedAt: at('2025-01-25'),
      },
    ],
    handovers: [
      {
        id: 'o1',
        role: 'veiligheidsplanner',
        reason: 'fasewissel',
        requestedAt: at('2025-03-01'),
        confirmedAt: at('2025-03-04'),
        cancelledAt: null,
      },
    ],
  });
}

/** In phase Veiligheid since 20 January 2026, with a handover confirmed after two days and an R-13 escalation. */
function running(i: number): HouseholdSummary {
  return summary(`running-${i}`, {
    intakeOrganisation: i <= 2 ? 'lokaal-team' : 'veilig-thuis',
    startedAt: at('2026-01-20'),
    phaseStartedAt: at('2026-01-20'),
    phases: [
      { phase: 'afstemming', startedAt: at('2026-01-19'), endedAt: at('2026-01-20'), via: 'start' },
      { phase: 'veiligheid', startedAt: at('2026-01-20'), endedAt: null, via: 'criteria' },
    ],
    escalations: [
      {
        key: 'R-13:kindgesprek:2026-01-20',
        rule: 'R-13',
        level: 1,
        raisedAt: at('2026-02-03'),
        levelSince: at('2026-02-03'),
        resolvedAt: null,
      },
    ],
    handovers: [
      {
        id: 'o1',
        role: 'casusregisseur',
        reason: 'expertise',
        requestedAt: at('2026-03-01'),
        confirmedAt: plusDays('2026-03-01', 2),
        cancelledAt: null,
      },
    ],
  });
}

let db: Database;
beforeEach(async () => {
  db = await freshDatabase();
  const summaries = new SummaryWriter(db);
  const households = [
    ...[150, 160, 170, 180, 190, 200].map((days, i) =>
      stable(i + 1, `2026-02-${String(10 + i).padStart(2, '0')}`, days, [3, 3, 4, 5, 3, 6][i]!),
    ),
    ...[1, 2, 3, 4, 5].map(running),
    // Closed before the quarter, and started after it: out of scope.
    summary('early', {
      phase: 'afgesloten',
      startedAt: at('2025-06-01'),
      closedAt: at('2025-12-15'),
      phases: [
        { phase: 'veiligheid', startedAt: at('2025-06-01'), endedAt: at('2025-12-15'), via: 'start' },
        { phase: 'afgesloten', startedAt: at('2025-12-15'), endedAt: null, via: 'override' },
      ],
    }),
    summary('future', {
      startedAt: at('2026-04-05'),
      phases: [{ phase: 'afstemming', startedAt: at('2026-04-05'), endedAt: null, via: 'start' }],
    }),
  ];
  for (const s of households) expect(await summaries.write(s)).toBe(true);
});

test('reads the households touching the period, all their phases, the escalations raised and the handovers open in it', async () => {
  const rows = await new ImpactStore(db).rows(Q1);
  const ids = rows.households.map((h) => h.householdId);
  expect(ids).toHaveLength(11);
  expect(ids).not.toContain('early');
  expect(ids).not.toContain('future');
  expect(rows.households.find((h) => h.householdId === 'stable-1')).toEqual({
    householdId: 'stable-1',
    intakeOrganisation: 'veilig-thuis',
    organisations: ['veilig-thuis', 'lokaal-team'],
    closedAt: at('2026-02-10'),
    activeSocialNetwork: 3,
    // Issue 22: the months to safety are written and read back as calendar days.
    startedAt: at('2025-01-06'),
    directSafetyAt: '2025-03-01',
    stableSafetyAt: '2025-09-01',
  });
  expect(rows.phases.filter((p) => p.householdId === 'stable-1').map((p) => p.phase)).toEqual([
    'afstemming',
    'veiligheid',
    'risicogestuurd',
    'herstel',
    'afgesloten',
  ]);
  expect(rows.escalations).toHaveLength(11);
  expect(rows.escalations.every((e) => e.raisedAt >= '2025-12-31T23:00:00.000Z')).toBe(true);
  expect(rows.handovers.map((h) => h.householdId)).toEqual(['running-1', 'running-2', 'running-3', 'running-4', 'running-5']);
  expect(rows.handovers[0]).toEqual({
    householdId: 'running-1',
    id: 'o1',
    requestedAt: at('2026-03-01'),
    confirmedAt: plusDays('2026-03-01', 2),
    cancelledAt: null,
  });
});

test('the impact report of the quarter, from the stored rows', async () => {
  const r = impactReport(await new ImpactStore(db).rows(Q1), Q1);
  const herstel = r.phaseDays.herstel;
  expect([herstel.n, herstel.min, herstel.median, herstel.max].map(v)).toEqual([6, 150, 175, 200]);
  expect(v(r.phaseDays.veiligheid.n)).toBe(0);
  expect(Object.fromEntries(Object.entries(r.closures).map(([k, f]) => [k, v(f)]))).toEqual({
    closed: 6,
    stableSafety: 6,
    override: 0,
    reachedHerstel: 6,
    shareStableSafety: 1,
    shareReachedHerstel: 1,
  });
  expect(v(r.escalations.total)).toBe(11);
  expect([r.escalations.byLevel['1'], r.escalations.byLevel['2'], r.escalations.byLevel['3']].map(v)).toEqual([5, 6, 0]);
  expect(Object.fromEntries(Object.entries(r.escalations.byCause).map(([k, f]) => [k, v(f)]))).toEqual({ 'R-13': 5, 'R-32': 6 });
  expect([r.handovers.daysToConfirm.n, r.handovers.daysToConfirm.median].map(v)).toEqual([5, 2]);
  expect([r.handovers.openAtEnd, r.handovers.cancelled].map(v)).toEqual([0, 0]);
  expect([r.networkAtClosure.size.median, r.networkAtClosure.size.min, r.networkAtClosure.size.max].map(v)).toEqual([3.5, 3, 6]);
  expect(v(r.networkAtClosure.shareAtLeastMinimum)).toBe(1);
  // Veiligheid since 20 January: 71 days at the end of March, 56 expected.
  expect(v(r.longerThanExpected.veiligheid.households)).toBe(5);
  expect(v(r.longerThanExpected.herstel.households)).toBe(0);
});

test('one organisation: involved in, or did the intake of, five households; small figures suppressed', async () => {
  const filter = { ...Q1, organisation: 'lokaal-team' };
  const rows = await new ImpactStore(db).rows(filter);
  expect(rows.households.map((h) => h.householdId).sort()).toEqual(['running-1', 'running-2', 'stable-1', 'stable-2', 'stable-3']);
  expect(new Set([...rows.phases, ...rows.escalations, ...rows.handovers].map((x) => x.householdId)).size).toBe(5);
  const r = impactReport(rows, filter);
  expect(v(r.closures.closed)).toBe('onderdrukt');
  expect(v(r.escalations.total)).toBe(5);
  expect(v(r.escalations.byLevel['1'])).toBe('onderdrukt');
  expect(v(r.escalations.byLevel['2'])).toBe('onderdrukt');
  expect(v(r.handovers.daysToConfirm.median)).toBe('onderdrukt');
});

test('a later quarter: nothing closed or raised, the running households still too long in Veiligheid', async () => {
  const Q2 = { from: '2026-04-01', to: '2026-07-01' };
  const r = impactReport(await new ImpactStore(db).rows(Q2), Q2);
  expect(v(r.closures.closed)).toBe(0);
  expect(v(r.escalations.total)).toBe(0);
  expect(v(r.longerThanExpected.veiligheid.households)).toBe(5);
});

test('two phases entered at the same instant both count; an escalation raised again under its key is a second one', async () => {
  const db = await freshDatabase();
  const s = new SummaryWriter(db);
  const start = at('2026-02-02');
  // The owner was known at intake: Afstemming ended the instant it began.
  await s.write(
    summary('same-instant', {
      phases: [
        { phase: 'afstemming', startedAt: start, endedAt: start, via: 'start' },
        { phase: 'veiligheid', startedAt: start, endedAt: null, via: 'criteria' },
      ],
      escalations: [
        {
          key: 'R-13:kindgesprek:2026-02-02',
          rule: 'R-13',
          level: 1,
          raisedAt: at('2026-02-16'),
          levelSince: at('2026-02-16'),
          resolvedAt: at('2026-02-18'),
        },
        {
          key: 'R-13:kindgesprek:2026-02-02',
          rule: 'R-13',
          level: 2,
          raisedAt: at('2026-03-02'),
          levelSince: at('2026-03-09'),
          resolvedAt: null,
        },
      ],
    }),
  );
  const rows = await new ImpactStore(db).rows(Q1);
  expect(rows.phases.map((p) => [p.phase, p.endedAt === null])).toEqual([
    ['afstemming', false],
    ['veiligheid', true],
  ]);
  expect(rows.escalations.map((e) => [e.level, e.raisedAt])).toEqual([
    [1, at('2026-02-16')],
    [2, at('2026-03-02')],
  ]);
});
