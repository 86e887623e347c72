/**
 * What commands record, and what they refuse to record, each refusal naming its rule: the
 * huisverbod, dangers, scores, nothing backdated, evidence per
 * child, the controle visit, an import's own dates, and ending a
 * huisverbod or closing a danger (issue 20).
 */
import { unmetCriteria } from '../../domain/criteria';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apply, household, refusal, REGISSEUR, started, VT } from '../support/state';

const T = '2026-03-02T09:00:00.000Z';
const NEW = { professionalId: 'p-new', organisation: 'jeugdformaat' };

describe('R-25 huisverbod', () => {
  const guide = { professionalId: 'p-hv', organisation: 'crisisdienst-huisverboden' };
  test('10 days by default, extendable to at most 28 days in total; it ends at the hour it took effect', () => {
    let s = apply(started(T), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '02:15', guidedBy: guide });
    expect(s.huisverbod).toMatchObject({ endDate: '2026-03-12', endAt: '2026-03-12T01:15:00.000Z' });
    s = apply(s, T, 'extendHuisverbod', VT, { endDate: '2026-03-30' });
    // Summer time by then: 02:15 in Amsterdam is 00:15 UTC.
    expect(s.huisverbod).toMatchObject({ endDate: '2026-03-30', endAt: '2026-03-30T00:15:00.000Z' });
    expect(refusal(() => apply(s, T, 'extendHuisverbod', VT, { endDate: '2026-03-31' })).rule).toBe('R-25');
  });

  test('without a time, the start of the day counts (warnings early rather than late); not in the future', () => {
    const s = apply(started(T), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', guidedBy: guide });
    expect(s.huisverbod).toMatchObject({ startTime: '00:00', endAt: '2026-03-11T23:00:00.000Z' });
    expect(
      refusal(() => apply(started(T), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '11:00', guidedBy: guide })).rule,
    ).toBe('R-25');
  });
});

describe('R-31 dangers', () => {
  test('at most four, in priority order', () => {
    let s = started(T);
    for (let i = 1; i <= 4; i++) s = apply(s, T, 'defineDanger', REGISSEUR, { statement: `Gevaar ${i}`, safetyGoal: `Doel ${i}` });
    expect(refusal(() => apply(s, T, 'defineDanger', REGISSEUR, { statement: 'Vijfde', safetyGoal: 'Doel' })).rule).toBe('R-31');
    s = apply(s, T, 'reviseDanger', REGISSEUR, { dangerId: s.dangers[3]!.id, priority: 1 });
    expect(s.dangers.map((d) => d.statement)).toEqual(['Gevaar 4', 'Gevaar 1', 'Gevaar 2', 'Gevaar 3']);
    expect(s.dangers.map((d) => d.priority)).toEqual([1, 2, 3, 4]);
  });
});

describe('scores (R-18 / R-39 reading)', () => {
  test('observed behaviour is required, the date may not be in the future, the danger must exist', () => {
    const s = apply(started(T), T, 'defineDanger', REGISSEUR, { statement: 'G', safetyGoal: 'D' });
    const base = {
      dangerId: 'g1',
      group: 'netwerk' as const,
      value: 7,
      observedBehaviour: 'Oma ziet dat vader rustig blijft',
      date: '2026-03-02',
    };
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, observedBehaviour: '  ' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '2026-03-03' })).rule).toBe('R-18');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '0000-01-01' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, date: '2026-02-30' })).rule).toBe('invoer');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, dangerId: 'g9' })).rule).toBe('R-31');
    expect(refusal(() => apply(s, T, 'recordScore', REGISSEUR, { ...base, value: 11 })).rule).toBe('invoer');
    expect(apply(s, T, 'recordScore', REGISSEUR, base).scores).toHaveLength(1);
  });
});

describe('nothing is backdated into a run or a criterion (R-18, R-39, R-46)', () => {
  const LATER = '2026-09-15T09:00:00.000Z';
  function risk(): HouseholdState {
    let s = apply(started(T), LATER, 'requestTransition', REGISSEUR, {
      to: 'risicogestuurd',
      justification: 'Test: direct naar risico gestuurd.',
    });
    s = apply(s, LATER, 'defineDanger', REGISSEUR, { statement: 'G', safetyGoal: 'D' });
    return s;
  }
  const score = (date: string) => ({ dangerId: 'g1', group: 'huishouden' as const, value: 8, observedBehaviour: 'Rustig', date });

  test('a score counts from the month its danger was defined, not before (R-39)', () => {
    const s = risk();
    const err = refusal(() => apply(s, LATER, 'recordScore', REGISSEUR, score('2026-08-20')));
    expect(err.rule).toBe('R-39');
    expect(err.message).toContain('15 september 2026');
    expect(apply(s, LATER, 'recordScore', REGISSEUR, score('2026-09-01')).scores).toHaveLength(1);
  });

  test('no score or evidence from before the trajectory started', () => {
    const s = started(T);
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-01' })).rule).toBe('R-10');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2001-01-01' })).rule).toBe('R-10');
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '1999-12-31' })).rule).toBe('invoer');
  });
});

describe('per child (R-13, R-16, R-37)', () => {
  function twoChildren(): HouseholdState {
    return apply(started(T), T, 'addHouseholdMember', REGISSEUR, { ref: 'kind-2', isChild: true });
  }

  test('a child conversation names the children spoken to; each child must be spoken to', () => {
    const s = twoChildren();
    expect(refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02' })).rule).toBe('R-13');
    expect(
      refusal(() => apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['ouder-1'] })).rule,
    ).toBe('R-13');
    const one = apply(s, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['kind-1'] });
    expect(unmetCriteria(one, new Date(T), DEFAULT_POLICY).find((u) => u.rule === 'R-13')?.message).toContain('kind-2');
    const both = apply(one, T, 'recordEvidence', REGISSEUR, { item: 'kindgesprek', date: '2026-03-02', members: ['kind-2'] });
    expect(unmetCriteria(both, new Date(T), DEFAULT_POLICY).map((u) => u.rule)).not.toContain('R-13');
  });

  test('items that are not per member refuse members', () => {
    expect(
      refusal(() => apply(started(T), T, 'recordEvidence', REGISSEUR, { item: 'genogram', date: '2026-03-02', members: ['kind-1'] })).rule,
    ).toBe('R-10');
  });
});

describe('R-60: a controle says how the visit was made, and only a controle does', () => {
  const visit = { kind: 'gepland', by: 'netwerk' } as const;

  test('a controle without its visit is refused beside the field; with it, the visit is kept', () => {
    const err = refusal(() => apply(started(T), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02' }));
    expect([err.rule, err.field]).toEqual(['R-60', 'visit']);
    expect(err.message).toContain('gepland of onaangekondigd');
    const s = apply(started(T), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02', visit });
    expect(s.evidence).toEqual([expect.objectContaining({ item: 'controle', visit, phase: 'veiligheid' })]);
  });

  test('a visit on any other item is refused beside the field', () => {
    for (const item of ['genogram', 'teamoverleg', 'netwerkberaad'] as const) {
      const err = refusal(() => apply(started(T), T, 'recordEvidence', REGISSEUR, { item, date: '2026-03-02', visit }));
      expect([item, err.rule, err.field]).toEqual([item, 'R-60', 'visit']);
    }
  });

  test('a visit outside the vocabulary is invalid input, in Dutch with the rule', () => {
    const bad = { kind: 'aangekondigd', by: 'buurman' } as unknown as typeof visit;
    const err = refusal(() => apply(started(T), T, 'recordEvidence', REGISSEUR, { item: 'controle', date: '2026-03-02', visit: bad }));
    expect(err.rule).toBe('invoer');
    expect(err.message).toContain('visit.kind: Kies of het bezoek gepland of onaangekondigd was (R-60).');
    expect(err.message).toContain('visit.by: Kies wie controleerde: het netwerk of een professional (R-60).');
  });

  test('R-63: a team consultation is plain dated evidence', () => {
    const s = apply(started(T), T, 'recordEvidence', REGISSEUR, { item: 'teamoverleg', date: '2026-03-02' });
    expect(s.evidence.map((e) => [e.item, e.date, e.visit])).toEqual([['teamoverleg', '2026-03-02', undefined]]);
  });
});

describe('R-01 import: history states its own dates, consistently', () => {
  const imported = (over: object) =>
    household(T, {
      owner: VT,
      import: {
        startDate: '2026-01-05',
        phase: 'risicogestuurd',
        phaseStartDate: '2026-02-01',
        roles: [],
        dangers: [{ id: 'd-1', priority: 1, statement: 'G', safetyGoal: 'D', definedAt: '2026-02-01', revisions: 0 }],
        scores: [],
        evidence: [],
        network: [],
        ...over,
      },
    });

  test('R-60: imported controles carry their visit, and nothing else does', () => {
    const visit = { kind: 'onaangekondigd', by: 'professional' } as const;
    const missing = refusal(() =>
      imported({
        evidence: [
          { item: 'genogram', date: '2026-02-02' },
          { item: 'controle', date: '2026-02-03' },
        ],
      }),
    );
    expect([missing.rule, missing.field]).toEqual(['R-60', 'import.evidence.1.visit']);
    const misplaced = refusal(() => imported({ evidence: [{ item: 'genogram', date: '2026-02-02', visit }] }));
    expect([misplaced.rule, misplaced.field]).toEqual(['R-60', 'import.evidence.0.visit']);
    expect(imported({ evidence: [{ item: 'controle', date: '2026-02-03', visit }] }).evidence).toEqual([
      expect.objectContaining({ item: 'controle', visit, phase: 'risicogestuurd', recordedBy: 'import' }),
    ]);
  });

  test('nothing dated before the trajectory started; no score before its danger was defined', () => {
    expect(refusal(() => imported({ evidence: [{ item: 'genogram', date: '2025-12-01' }] })).rule).toBe('R-01');
    const early = [{ dangerId: 'd-1', group: 'netwerk', value: 7, observedBehaviour: 'x', date: '2026-01-20' }];
    expect(refusal(() => imported({ scores: early })).rule).toBe('R-39');
    expect(imported({ scores: [{ ...early[0], date: '2026-02-03' }] }).scores).toHaveLength(1);
  });
});

describe('ending a huisverbod and closing a danger (issue 20)', () => {
  test('R-25: a huisverbod lifted early ends then; the handover to the veiligheidsplanner stays due; not twice, not in the future', () => {
    let s = apply(started(T), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '08:00', guidedBy: NEW });
    s = apply(s, '2026-03-05T10:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-05' });
    expect(s.huisverbod).toMatchObject({
      endDate: '2026-03-05',
      endAt: '2026-03-05T10:00:00.000Z',
      ended: { date: '2026-03-05', by: 'p-vt' },
    });
    expect(refusal(() => apply(s, '2026-03-05T11:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-05' })).rule).toBe('R-25');
    const running = apply(started(T), T, 'registerHuisverbod', VT, { startDate: '2026-03-02', startTime: '08:00', guidedBy: NEW });
    expect(refusal(() => apply(running, '2026-03-05T10:00:00.000Z', 'endHuisverbod', VT, { date: '2026-03-09' })).field).toBe('date');
  });

  test('R-31: a danger that no longer applies is closed with its reason; its id is never handed out again; the last one stays', () => {
    let s = apply(started(T), T, 'defineDanger', REGISSEUR, { statement: 'A', safetyGoal: 'a' });
    s = apply(s, T, 'defineDanger', REGISSEUR, { statement: 'B', safetyGoal: 'b' });
    const [first, second] = s.dangers.map((d) => d.id);
    s = apply(s, T, 'closeDanger', REGISSEUR, { dangerId: first!, reason: 'Vader is verhuisd naar het buitenland.' });
    expect(s.dangers.map((d) => [d.id, d.priority])).toEqual([[second, 1]]);
    expect(s.closedDangers).toEqual([expect.objectContaining({ closedBy: 'p-regie', reason: 'Vader is verhuisd naar het buitenland.' })]);
    const next = apply(s, T, 'defineDanger', REGISSEUR, { statement: 'C', safetyGoal: 'c' });
    expect(next.dangers.map((d) => d.id)).not.toContain(first);
    expect(refusal(() => apply(s, T, 'closeDanger', REGISSEUR, { dangerId: second!, reason: 'x' })).rule).toBe('R-31');
  });
});
