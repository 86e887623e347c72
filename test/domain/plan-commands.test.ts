/**
 * Plan commands (issue 21) and the criteria that now read the plan and the log: a version is stored
 * as facts, endorsed only by the casusregisseur, approved only by a GI professional,
 * and move with versions and log entries.
 */
import { unmetCriteria } from '../../domain/criteria';
import { deadlines } from '../../domain/deadlines/causes';
import type { HouseholdState, ProfessionalRef } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { MethodRefusal } from '../../domain/refusal';
import type { PlanVersionInput } from '../../domain/safety-plan';
import { addDays, morningOf } from '../../domain/time';
import { recipientsFor } from '../../domain/notifications';
import { apply, household, PLANNER, REGISSEUR } from '../support/state';

const GI: ProfessionalRef = { professionalId: 'p-gi', organisation: 'gi' };
const T0 = '2026-03-02T09:00:00.000Z';

function start(jeugdbeschermer: boolean): HouseholdState {
  const s = household(T0, { jeugdbeschermer });
  return {
    ...s,
    phase: 'veiligheid',
    roles: { casusregisseur: { ...REGISSEUR, since: T0 } },
    dangers: [{ id: 'g1', priority: 1, statement: 'ref:1', safetyGoal: 'ref:2', definedAt: '2026-03-02', revisions: 0 }],
    network: [
      { id: 'oma', kind: 'sociaal', active: true, safetyPersonFor: [], chair: false, since: '2026-03-02' },
      { id: 'buurman', kind: 'sociaal', active: true, safetyPersonFor: [], chair: false, since: '2026-03-02' },
    ],
  };
}

function body(over: Partial<PlanVersionInput> & { planId?: string } = {}) {
  return {
    kind: 'direct' as const,
    dangers: [
      {
        dangerId: 'g1',
        agreements: [
          { id: 'a1', what: 'txt:1', who: ['oma'], when: 'txt:2', monitoring: { by: 'buurman', everyDays: 7, informs: ['oma'] } },
        ],
        whenItGoesWrong: 'txt:3',
      },
    ],
    children: [{ member: 'kind-1', safetyPerson: 'oma' }],
    network: [{ memberId: 'oma', role: 'txt:4' }],
    owner: 'oma',
    ...over,
  };
}

const rules = (s: HouseholdState, at: string) => unmetCriteria(s, new Date(at), DEFAULT_POLICY).map((u) => u.rule);
const at = (day: string) => `${day}T10:00:00.000Z`;

function refusal(fn: () => unknown): MethodRefusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof MethodRefusal) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('plan commands (issue 21)', () => {
  it('stores a version as facts only, and a change as the next version of the same plan', () => {
    let s = apply(start(false), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    expect(s.plans).toHaveLength(1);
    const planId = s.plans![0]!.planId;
    expect(JSON.stringify(s.plans)).not.toContain('txt:');
    expect(refusal(() => apply(s, at('2026-03-03'), 'recordPlanVersion', PLANNER, body())).rule).toBe('R-35');
    s = apply(s, at('2026-03-04'), 'recordPlanVersion', PLANNER, body({ planId }));
    expect(s.plans!.map((p) => p.version)).toEqual([1, 2]);
    for (let i = 0; i < 6; i++) s = apply(s, at('2026-03-05'), 'recordPlanVersion', PLANNER, body({ planId }));
    expect(s.plans!.map((p) => p.version)).toEqual([4, 5, 6, 7, 8]);
  });

  it('refuses a safety person outside the network (R-16) and an agreement without who (input)', () => {
    const s = start(false);
    const r = refusal(() =>
      apply(s, at('2026-03-03'), 'recordPlanVersion', PLANNER, body({ children: [{ member: 'kind-1', safetyPerson: 'vreemde' }] })),
    );
    expect(r.rule).toBe('R-16');
    const bad = body();
    bad.dangers[0]!.agreements[0]!.who = [];
    expect(refusal(() => apply(s, at('2026-03-03'), 'recordPlanVersion', PLANNER, bad)).message).toContain('R-15');
  });

  it('R-15 holds once the casusregisseur endorsed the direct plan, and with a GI only after GI approval (R-65)', () => {
    let s = apply(start(true), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    const planId = s.plans![0]!.planId;
    expect(rules(s, at('2026-03-03'))).toContain('R-15');
    expect(refusal(() => apply(s, at('2026-03-03'), 'endorsePlan', PLANNER, { planId, version: 1, date: '2026-03-03' })).rule).toBe('R-15');
    s = apply(s, at('2026-03-03'), 'endorsePlan', REGISSEUR, { planId, version: 1, date: '2026-03-03' });
    expect(rules(s, at('2026-03-03'))).toContain('R-15');
    expect(refusal(() => apply(s, at('2026-03-04'), 'approvePlan', PLANNER, { planId, version: 1, date: '2026-03-04' })).rule).toBe('R-65');
    s = apply(s, at('2026-03-04'), 'approvePlan', GI, { planId, version: 1, date: '2026-03-04' });
    expect(s.plans![0]!.approval).toEqual({ by: 'p-gi', on: '2026-03-04' });
    expect(rules(s, at('2026-03-04'))).not.toContain('R-15');
  });

  it('R-20 holds once every agreement of the endorsed direct plan has a log entry; entries for unknown agreements are refused', () => {
    let s = apply(start(false), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    const planId = s.plans![0]!.planId;
    s = apply(s, at('2026-03-03'), 'endorsePlan', REGISSEUR, { planId, version: 1, date: '2026-03-03' });
    expect(rules(s, at('2026-03-05'))).toContain('R-20');
    expect(
      refusal(() => apply(s, at('2026-03-05'), 'addLogEntry', PLANNER, { agreementId: 'a9', date: '2026-03-05', outcome: 'goed_gegaan' }))
        .rule,
    ).toBe('R-16');
    s = apply(s, at('2026-03-05'), 'addLogEntry', PLANNER, { agreementId: 'a1', date: '2026-03-05', outcome: 'goed_gegaan' });
    expect(s.planLog!['a1']!.last).toBe('2026-03-05');
    expect(rules(s, at('2026-03-05'))).not.toContain('R-20');
  });

  it('R-35, R-42 and R-40 follow the stable plan and half a year of log; R-44 a linked herstelplan', () => {
    let s = apply(start(false), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    const direct = s.plans![0]!.planId;
    s = apply(s, at('2026-03-03'), 'recordPlanVersion', PLANNER, body({ kind: 'stabiel', children: [] }));
    const stable = s.plans![1]!.planId;
    s = apply(s, at('2026-03-04'), 'endorsePlan', REGISSEUR, { planId: stable, version: 1, date: '2026-03-04' });
    const risk = { ...s, phase: 'risicogestuurd' as const };
    expect(rules(risk, at('2026-03-04'))).not.toContain('R-35');
    expect(rules(risk, at('2026-03-04'))).toContain('R-42'); // the stable plan names no safety person for kind-1
    let logged = s;
    for (let d = '2026-03-05'; d < '2026-10-02'; d = addDays(d, 7))
      logged = apply(logged, at(d), 'addLogEntry', PLANNER, { agreementId: 'a1', date: d, outcome: 'goed_gegaan' });
    const noViolence = {
      item: 'geen_nieuw_geweld' as const,
      date: '2026-09-01',
      phase: 'risicogestuurd' as const,
      recordedAt: T0,
      recordedBy: 'p-regie',
    };
    const held = (x: HouseholdState) => rules({ ...x, phase: 'risicogestuurd', evidence: [noViolence] }, at('2026-10-02'));
    expect(held(logged)).not.toContain('R-40');
    const wrong = apply(logged, at('2026-08-10'), 'addLogEntry', PLANNER, { agreementId: 'a1', date: '2026-08-10', outcome: 'misgegaan' });
    expect(held(wrong)).toContain('R-40');
    let h = apply(s, at('2026-03-05'), 'recordPlanVersion', PLANNER, body({ kind: 'herstel', linkedPlanId: direct }));
    const herstel = h.plans!.find((p) => p.kind === 'herstel')!.planId;
    expect(rules({ ...h, phase: 'herstel' }, at('2026-03-05'))).toContain('R-44');
    h = apply(h, at('2026-03-05'), 'endorsePlan', REGISSEUR, { planId: herstel, version: 1, date: '2026-03-05' });
    expect(rules({ ...h, phase: 'herstel' }, at('2026-03-05'))).not.toContain('R-44');
  });

  it('a household started before issue 21 (no plans, no log) still runs its commands', () => {
    const old = start(false);
    delete old.plans;
    delete old.planLog;
    expect(rules(old, at('2026-03-03'))).toContain('R-15');
    expect(apply(old, at('2026-03-03'), 'recordPlanVersion', PLANNER, body()).plans).toHaveLength(1);
  });
});

describe('monitoring reminders (issue 21, R-20, R-60)', () => {
  const monitoring = (s: HouseholdState) =>
    deadlines(s, new Date(at('2026-03-20')), DEFAULT_POLICY).filter((d) => d.key.startsWith('R-20:monitoring'));

  it('an endorsed agreement without a log entry reminds the member who checks first, the casusregisseur two working days later, who escalates; an entry moves both', () => {
    let s = apply(start(false), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    expect(monitoring(s)).toEqual([]); // not endorsed: nothing to monitor yet
    const planId = s.plans![0]!.planId;
    s = apply(s, at('2026-03-03'), 'endorsePlan', REGISSEUR, { planId, version: 1, date: '2026-03-03' });
    const [member, regie] = monitoring(s);
    // Due Tuesday 10 March: the member (buurman) on Wednesday morning, through their log link.
    expect(member).toMatchObject({
      key: 'R-20:monitoring-lid:a1:2026-03-10',
      kind: 'logboek_herinnering',
      rule: 'R-20',
      members: ['buurman'],
      responsible: [],
      remindAt: morningOf('2026-03-11'),
    });
    expect(member!.ladder).toBeUndefined(); // the member's reminder never escalates
    expect(recipientsFor(member!, 0)).toEqual({ professionals: [], organisationLeads: [], coordinator: false, members: ['buurman'] });
    // The casusregisseur two working days later (Friday), naming who checks; then the ladder.
    expect(regie).toMatchObject({
      key: 'R-20:monitoring:a1:2026-03-10',
      rule: 'R-20',
      responsible: [REGISSEUR],
      remindAt: morningOf('2026-03-13'),
    });
    expect(regie!.reason).toContain('buurman');
    expect(regie!.remindAt! < regie!.ladder![0]).toBe(true);
    s = apply(s, at('2026-03-12'), 'addLogEntry', PLANNER, { agreementId: 'a1', date: '2026-03-12', outcome: 'goed_gegaan' });
    expect(monitoring(s).map((d) => d.key)).toEqual(['R-20:monitoring-lid:a1:2026-03-19', 'R-20:monitoring:a1:2026-03-19']);
  });

  it('with monitoringMemberFirstDays 0 (households started before) the casusregisseur is reminded the morning after, as before', () => {
    let s = apply(start(false), at('2026-03-03'), 'recordPlanVersion', PLANNER, body());
    s = apply(s, at('2026-03-03'), 'endorsePlan', REGISSEUR, { planId: s.plans![0]!.planId, version: 1, date: '2026-03-03' });
    const before = deadlines(s, new Date(at('2026-03-20')), { ...DEFAULT_POLICY, monitoringMemberFirstDays: 0 }).filter((d) =>
      d.key.startsWith('R-20:monitoring'),
    );
    expect(before).toEqual([expect.objectContaining({ key: 'R-20:monitoring:a1:2026-03-10', remindAt: morningOf('2026-03-11') })]);
  });
});
