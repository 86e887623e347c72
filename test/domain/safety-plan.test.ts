/**
 * The safety plan as data (issue 21): what a version must hold, when
 * it counts (endorsed; approved by the jeugdbeschermer where a GI is involved, R-65), the plan in
 * force, children without a safety person, and what the log proves or
 * misses (monitoring gaps, R-60).
 */
import type { HouseholdState } from '../../domain/model';
import {
  agreementsHeld,
  agreementsObserved,
  childrenWithoutSafetyPersonInPlan,
  monitoringGaps,
  planFacts,
  planInForce,
  planRefusals,
  recordLogEntry,
  type LogFacts,
  type PlanFacts,
} from '../../domain/safety-plan';
import { PlanVersionInput } from '../../domain/schemas/safety-plan';
import { household } from '../support/state';

function withNetwork(s: HouseholdState): HouseholdState {
  return {
    ...s,
    dangers: [{ id: 'g1', priority: 1, statement: 'ref:1', safetyGoal: 'ref:2', definedAt: '2026-03-02', revisions: 0 }],
    network: [
      { id: 'oma', kind: 'sociaal', active: true, safetyPersonFor: [], chair: false, since: '2026-03-02' },
      { id: 'buurman', kind: 'sociaal', active: true, safetyPersonFor: [], chair: false, since: '2026-03-02' },
      { id: 'juf', kind: 'professioneel', active: true, safetyPersonFor: [], chair: false, since: '2026-03-02' },
      { id: 'oud-lid', kind: 'sociaal', active: false, safetyPersonFor: [], chair: false, since: '2026-03-02' },
    ],
  };
}

const s0 = withNetwork(household('2026-03-02T09:00:00.000Z'));

function version(over: Partial<PlanVersionInput> = {}): PlanVersionInput {
  return PlanVersionInput.parse({
    kind: 'direct',
    dangers: [
      {
        dangerId: 'g1',
        agreements: [
          {
            id: 'a1',
            what: 'Oma belt elke avond',
            who: ['oma'],
            when: 'elke avond om 20:00',
            monitoring: { by: 'buurman', everyDays: 7, informs: ['oma'] },
          },
        ],
        whenItGoesWrong: 'Moeder gaat met kind-1 naar oma en belt de casusregisseur.',
      },
    ],
    children: [{ member: 'kind-1', safetyPerson: 'oma', safeObject: 'de blauwe knuffel' }],
    network: [{ memberId: 'oma', role: 'veiligheidspersoon' }],
    owner: 'oma',
    ...over,
  });
}

describe('what a version must hold', () => {
  test('a sound version is accepted', () => {
    expect(planRefusals(s0, version(), [])).toEqual([]);
  });

  test('an agreement without a who or a when is refused by the schema (R-15)', () => {
    const base = version();
    const agreement = base.dangers[0]!.agreements[0]!;
    for (const broken of [
      { ...agreement, who: [] },
      { ...agreement, when: '  ' },
      { ...agreement, monitoring: { ...agreement.monitoring, informs: [] } },
    ]) {
      const parsed = PlanVersionInput.safeParse({ ...base, dangers: [{ ...base.dangers[0], agreements: [broken] }] });
      expect(parsed.success).toBe(false);
    }
  });

  test('a safety person who is not an active network member, or a child who is not a child, is refused (R-16)', () => {
    const refusals = planRefusals(s0, version({ children: [{ member: 'ouder-1', safetyPerson: 'oud-lid' }] }), []);
    expect(refusals).toEqual([
      expect.objectContaining({ rule: 'R-16', field: 'children.0.member' }),
      expect.objectContaining({ rule: 'R-16', field: 'children.0.safetyPerson' }),
    ]);
  });

  test('an unknown danger (R-31), a monitor outside the network (R-60), a professional as owner (R-41) are refused', () => {
    const base = version();
    const agreement = { ...base.dangers[0]!.agreements[0]!, monitoring: { by: 'onbekend', everyDays: 7, informs: ['oma'] } };
    const refusals = planRefusals(
      s0,
      { ...base, owner: 'juf', dangers: [{ ...base.dangers[0]!, dangerId: 'g9', agreements: [agreement] }] },
      [],
    );
    expect(refusals.map((r) => r.rule).sort()).toEqual(['R-31', 'R-41', 'R-60']);
  });

  test('a herstelplan must link to a safety plan (R-44)', () => {
    expect(planRefusals(s0, version({ kind: 'herstel' }), [])).toEqual([expect.objectContaining({ rule: 'R-44', field: 'linkedPlanId' })]);
    const direct = planFacts('plan-1', 1, version(), '2026-03-05T10:00:00Z', 'p-regie');
    expect(planRefusals(s0, version({ kind: 'herstel', linkedPlanId: 'plan-1' }), [direct])).toEqual([]);
  });
});

describe('when a plan counts, and which is in force', () => {
  const direct = planFacts('plan-1', 1, version(), '2026-03-05T10:00:00Z', 'p-regie');
  const stable = planFacts('plan-2', 1, version({ kind: 'stabiel' }), '2026-06-05T10:00:00Z', 'p-regie');

  test('an unendorsed plan does not count; endorsed it does; with a GI only once approved (R-65)', () => {
    expect(planInForce(s0, [direct])).toBeUndefined();
    const endorsed = { ...direct, endorsedOn: '2026-03-06' };
    expect(planInForce(s0, [endorsed])).toBe(endorsed);
    const gi = { ...s0, jeugdbeschermer: true };
    expect(planInForce(gi, [endorsed])).toBeUndefined();
    const approved = { ...endorsed, approval: { by: 'gi-0512', on: '2026-03-07' } };
    expect(planInForce(gi, [approved])).toBe(approved);
  });

  test('the direct plan stays in force until an endorsed stable plan replaces it (R-35)', () => {
    const endorsedDirect = { ...direct, endorsedOn: '2026-03-06' };
    expect(planInForce(s0, [endorsedDirect, stable])).toBe(endorsedDirect);
    const endorsedStable = { ...stable, endorsedOn: '2026-06-06' };
    expect(planInForce(s0, [endorsedDirect, endorsedStable])).toBe(endorsedStable);
  });

  test('R-42: a child without a safety person in the plan in force is named', () => {
    const twoChildren = { ...s0, members: [...s0.members, { ref: 'kind-2', isChild: true, vulnerableAdult: false }] };
    expect(childrenWithoutSafetyPersonInPlan(twoChildren, [{ ...direct, endorsedOn: '2026-03-06' }])).toEqual(['kind-2']);
    expect(childrenWithoutSafetyPersonInPlan(s0, [])).toEqual(['kind-1']);
  });
});

describe('the log', () => {
  const plans: PlanFacts[] = [{ ...planFacts('plan-1', 1, version(), '2026-03-05T10:00:00Z', 'p-regie'), endorsedOn: '2026-03-06' }];

  test('a monitoring period without an entry is a gap, counted from the last entry or the endorsement (R-60)', () => {
    expect(monitoringGaps(s0, plans, {}, '2026-03-13')).toEqual([]);
    expect(monitoringGaps(s0, plans, {}, '2026-03-14')).toEqual([{ agreementId: 'a1', monitorBy: 'buurman', dueOn: '2026-03-13' }]);
    const log = recordLogEntry({}, 'a1', '2026-03-12', 'goed_gegaan');
    expect(monitoringGaps(s0, plans, log, '2026-03-19')).toEqual([]);
    expect(monitoringGaps(s0, plans, log, '2026-03-20')).toEqual([expect.objectContaining({ dueOn: '2026-03-19' })]);
  });

  test('R-20 holds once every agreement of the direct plan has an entry after the endorsement', () => {
    expect(agreementsObserved(s0, plans, {})).toBe(false);
    expect(agreementsObserved(s0, plans, recordLogEntry({}, 'a1', '2026-03-01', 'goed_gegaan'))).toBe(false);
    expect(agreementsObserved(s0, plans, recordLogEntry({}, 'a1', '2026-03-08', 'bijna_misgegaan'))).toBe(true);
  });

  test('R-40: six complete months with entries and none "misgegaan"; the log facts stay bounded', () => {
    const stable: PlanFacts[] = [
      { ...planFacts('plan-2', 1, version({ kind: 'stabiel' }), '2026-01-05T10:00:00Z', 'p-regie'), endorsedOn: '2026-01-06' },
    ];
    let log: LogFacts = {};
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'])
      log = recordLogEntry(log, 'a1', `${month}-15`, 'goed_gegaan');
    expect(agreementsHeld(s0, stable, log, '2026-07-02', 6)).toBe(true);
    expect(agreementsHeld(s0, stable, log, '2026-08-02', 6)).toBe(false); // July has no entry
    const wrong = recordLogEntry(log, 'a1', '2026-04-20', 'misgegaan');
    expect(agreementsHeld(s0, stable, wrong, '2026-07-02', 6)).toBe(false);
    for (let i = 0; i < 40; i++)
      log = recordLogEntry(log, 'a1', `${2027 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, 'goed_gegaan');
    expect(log.a1!.months).toHaveLength(12);
    expect(log.a1!.last).toBe('2030-04-01');
  });
});
