/**
 * "Earliest possible" per open criterion: the score runs of R-39 and R-46 (current month still
 * open, already counting, or broken), the half year of R-40, the twelve months of R-52, criteria
 * that can be met today, and the phase's end as the latest of them.
 */
import { PHASE_RULES } from '../../domain/criteria';
import { earliestPhaseEnd, earliestPossible, forecastFor, type Forecast } from '../../domain/forecast';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { apply, evidenceBody, household, REGISSEUR, scoreAll, VT } from '../support/state';

const T0 = '2026-01-05T09:00:00.000Z';
const P = DEFAULT_POLICY;
const forecasts = (s: HouseholdState, now: string) => earliestPossible(s, new Date(now), P);
const of = (list: Forecast[], rule: string) => {
  const f = list.find((x) => x.rule === rule);
  if (!f) throw new Error(`no forecast for ${rule}: ${list.map((x) => x.rule).join(', ')}`);
  return f;
};

/** Phase Risico gestuurd since 10 January 2026 (by override); danger g1 scored 6 by everyone in February, March and April. */
function risk(withPlan = true): HouseholdState {
  let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
  s = apply(s, T0, 'defineDanger', VT, { statement: 'Vader slaat moeder waar kind bij is', safetyGoal: 'Kind ziet geen geweld meer' });
  if (withPlan)
    s = apply(s, '2026-01-10T08:00:00.000Z', 'recordEvidence', REGISSEUR, evidenceBody(s, 'direct_veiligheidsplan', '2026-01-10'));
  s = apply(s, '2026-01-10T09:00:00.000Z', 'requestTransition', REGISSEUR, { to: 'risicogestuurd', justification: 'Veiligheid is er.' });
  for (const m of ['02', '03', '04']) s = scoreAll(s, `2026-${m}-10`, 'g1', 6);
  return s;
}

describe('R-39: every danger needs 6 counting months', () => {
  const NOW = '2026-05-10T09:00:00.000Z';

  test('current month still open: it counts as one of the months still needed', () => {
    const f = of(forecasts(risk(), NOW), 'R-39');
    expect(f).toMatchObject({ kind: 'score_run', earliest: '2026-07-01' });
    expect(f.explanation).toBe('R-39: gevaar g1 heeft nog 3 tellende maanden nodig → niet vóór juli 2026.');
  });

  test('current month already counts: the same month is reached', () => {
    const f = of(forecasts(scoreAll(risk(), '2026-05-05', 'g1', 7), NOW), 'R-39');
    expect(f.earliest).toBe('2026-07-01');
    expect(f.explanation).toContain('nog 2 tellende maanden nodig → niet vóór juli 2026');
  });

  test('current month broken by a score below 6: six months from next month', () => {
    const f = of(forecasts(scoreAll(risk(), '2026-05-05', 'g1', [7, 5, 7]), NOW), 'R-39');
    expect(f.earliest).toBe('2026-11-01');
    expect(f.explanation).toBe(
      'R-39: gevaar g1 heeft nog 6 tellende maanden nodig (deze maand telt niet meer: een score onder de 6) → niet vóór november 2026.',
    );
  });

  test('the danger furthest behind decides; dangers already at 6 are not named', () => {
    let s = apply(risk(), '2026-03-01T09:00:00.000Z', 'defineDanger', REGISSEUR, {
      statement: 'Moeder drinkt',
      safetyGoal: 'Kind is veilig',
    });
    for (const m of ['03', '04']) s = scoreAll(s, `2026-${m}-12`, 'g2', 8);
    const f = of(forecasts(s, NOW), 'R-39');
    expect(f.earliest).toBe('2026-08-01');
    expect(f.explanation).toBe(
      'R-39: gevaar g2 heeft nog 4 tellende maanden nodig → niet vóór augustus 2026; gevaar g1 heeft nog 3 tellende maanden nodig → niet vóór juli 2026.',
    );
    for (const m of ['05', '06', '07']) s = scoreAll(s, `2026-${m}-10`, 'g1', 6);
    for (const m of ['05', '06']) s = scoreAll(s, `2026-${m}-12`, 'g2', 8);
    expect(of(forecasts(s, '2026-07-15T09:00:00.000Z'), 'R-39')).toMatchObject({
      earliest: '2026-08-01',
      explanation: 'R-39: gevaar g2 heeft nog 2 tellende maanden nodig → niet vóór augustus 2026.',
    });
  });

  test('one month missing in the current, open month: today', () => {
    let s = risk();
    for (const m of ['05', '06']) s = scoreAll(s, `2026-${m}-10`, 'g1', 6);
    expect(of(forecasts(s, '2026-07-02T09:00:00.000Z'), 'R-39')).toMatchObject({ earliest: '2026-07-02' });
  });
});

describe('R-40: agreements carried out for half a year', () => {
  test('six months after the first safety plan', () => {
    const f = of(forecasts(risk(), '2026-05-10T09:00:00.000Z'), 'R-40');
    expect(f).toMatchObject({ kind: 'duration', earliest: '2026-07-10' });
    expect(f.explanation).toContain('niet vóór 10 juli 2026');
    expect(f.explanation).toContain('geen geweld meer');
  });

  test('half year passed: today, once the network confirms there is no new violence', () => {
    const f = of(forecasts(risk(), '2026-08-10T09:00:00.000Z'), 'R-40');
    expect(f).toMatchObject({ kind: 'evidence', earliest: '2026-08-10' });
  });

  test('no safety plan yet: unknown', () => {
    const f = of(forecasts(risk(false), '2026-05-10T09:00:00.000Z'), 'R-40');
    expect(f.earliest).toBeNull();
    expect(f.explanation).toContain('nog geen veiligheidsplan vastgelegd');
  });
});

describe('fase Herstel: R-46 and R-52', () => {
  /** Herstel since 1 May 2026; danger g1 at 8 by everyone in May (April's 6 breaks the consensus run before it). */
  function recovery(): HouseholdState {
    const s = apply(risk(), '2026-05-01T09:00:00.000Z', 'requestTransition', REGISSEUR, {
      to: 'herstel',
      justification: 'Klaar voor herstel.',
    });
    return scoreAll(s, '2026-05-12', 'g1', 8);
  }
  const NOW = '2026-06-10T09:00:00.000Z';

  test('R-46: one consensus month, the current month open: today', () => {
    const f = of(forecasts(recovery(), NOW), 'R-46');
    expect(f).toMatchObject({ kind: 'score_run', earliest: '2026-06-10' });
    expect(f.explanation).toBe('R-46: gevaar g1 heeft nog 1 evaluatie met consensus nodig → niet vóór juni 2026.');
  });

  test('R-46: a 6 this month breaks the consensus: two more months from July', () => {
    const f = of(forecasts(scoreAll(recovery(), '2026-06-03', 'g1', [8, 6, 8]), NOW), 'R-46');
    expect(f.earliest).toBe('2026-08-01');
    expect(f.explanation).toContain(
      'nog 2 evaluaties met consensus nodig (deze maand telt niet meer: een score onder de 7) → niet vóór augustus 2026',
    );
  });

  test('R-52: twelve months after the start', () => {
    const f = of(forecasts(recovery(), NOW), 'R-52');
    expect(f).toMatchObject({ kind: 'duration', earliest: '2027-01-05' });
    expect(f.explanation).toContain('gestart op 5 januari 2026');
  });

  test('the phase ends at the latest of its criteria: R-52 here', () => {
    const list = forecasts(recovery(), NOW);
    expect(earliestPhaseEnd(list, new Date(NOW))).toEqual({
      earliest: '2027-01-05',
      decidedBy: ['R-52'],
      explanation: 'De fase kan op zijn vroegst eindigen op 5 januari 2027, bepaald door R-52.',
    });
  });
});

describe('criteria that can be met today', () => {
  const NOW = '2026-05-10T09:00:00.000Z';

  test('evidence (R-30, R-33, ...) and people (R-41, R-43): today, with the reason', () => {
    const list = forecasts(risk(), NOW);
    expect(of(list, 'R-30')).toMatchObject({
      kind: 'evidence',
      earliest: '2026-05-10',
      explanation: 'R-30: kan vandaag, zodra het ontbrekende bewijs is vastgelegd.',
    });
    expect(of(list, 'R-38')).toMatchObject({ kind: 'evidence', earliest: '2026-05-10' });
    expect(of(list, 'R-41')).toMatchObject({ kind: 'people', earliest: '2026-05-10' });
    expect(of(list, 'R-43').explanation).toContain('gedragswetenschapper');
    expect(of(list, 'R-30').open).toContain('nog niet vastgelegd');
  });

  test('afstemming without an owner: R-02 today', () => {
    expect(forecasts(household(T0), T0)).toEqual([expect.objectContaining({ rule: 'R-02', kind: 'people', earliest: '2026-01-05' })]);
  });

  test('an open handover (R-24) and the scores of phase Veiligheid (R-17, R-18): today', () => {
    let s = household(T0, { owner: VT, casusregisseur: REGISSEUR });
    s = apply(s, T0, 'defineDanger', VT, { statement: 'Vader slaat moeder', safetyGoal: 'Kind is veilig' });
    s = apply(s, T0, 'startHandover', VT, {
      role: 'eigenaar_veiligheid',
      to: { professionalId: 'p-new', organisation: 'jeugdformaat' },
      reason: 'expertise',
    });
    const list = forecasts(s, T0);
    for (const rule of ['R-17', 'R-18']) expect(of(list, rule)).toMatchObject({ kind: 'scores', earliest: '2026-01-05' });
    expect(of(list, 'R-24').explanation).toContain('de nieuwe professional de start bevestigt');
  });

  test('every exit criterion of every phase has a forecast', () => {
    const s = risk();
    for (const rules of Object.values(PHASE_RULES))
      for (const rule of rules)
        expect([rule, forecastFor({ rule, message: '-' }, s, new Date(NOW), P).kind]).not.toEqual([rule, 'unknown']);
  });
});

describe('the end of the phase', () => {
  const NOW = '2026-05-10T09:00:00.000Z';

  test('the latest open criterion decides: R-39 after R-40', () => {
    let s = apply(risk(), '2026-03-01T09:00:00.000Z', 'defineDanger', REGISSEUR, {
      statement: 'Moeder drinkt',
      safetyGoal: 'Kind is veilig',
    });
    for (const m of ['03', '04']) s = scoreAll(s, `2026-${m}-12`, 'g2', 8);
    const end = earliestPhaseEnd(forecasts(s, NOW), new Date(NOW));
    expect(end).toMatchObject({ earliest: '2026-08-01', decidedBy: ['R-39'] });
    expect(end.explanation).toBe('De fase kan op zijn vroegst eindigen op 1 augustus 2026, bepaald door R-39.');
  });

  test('one criterion unknown: the end is unknown, naming it', () => {
    expect(earliestPhaseEnd(forecasts(risk(false), NOW), new Date(NOW))).toMatchObject({ earliest: null, decidedBy: ['R-40'] });
  });

  test('nothing open: today; only criteria of today: today, naming them', () => {
    expect(earliestPhaseEnd([], new Date(NOW))).toMatchObject({ earliest: '2026-05-10', decidedBy: [] });
    const end = earliestPhaseEnd(forecasts(household(T0), T0), new Date(T0));
    expect(end).toMatchObject({ earliest: '2026-01-05', decidedBy: ['R-02'] });
    expect(end.explanation).toContain('vandaag');
  });
});
