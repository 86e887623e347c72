/** An imported running case whose per-child evidence must say for whom it counts (issue 19). */
import { MethodRefusal } from '../../domain/refusal';
import { household, VT } from '../support/state';

const T = '2026-03-02T09:00:00.000Z';

function imported(evidence: object[]) {
  return household(T, {
    owner: VT,
    import: {
      startDate: '2026-01-05',
      phase: 'veiligheid',
      phaseStartDate: '2026-02-01',
      roles: [],
      dangers: [],
      scores: [],
      evidence: evidence as never,
      network: [],
    },
  });
}

function refusal(fn: () => unknown): MethodRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof MethodRefusal) return err;
    throw err;
  }
  throw new Error('expected a MethodRefusal');
}

test.each([
  ['woord_en_beeld', 'R-37'],
  ['kindgesprek', 'R-13'],
  ['veilig_voorwerp', 'R-16'],
])('an imported %s that names no members is refused naming the item (%s)', (item, rule) => {
  for (const evidence of [
    { item, date: '2026-02-02' },
    { item, date: '2026-02-02', members: [] },
  ]) {
    const r = refusal(() => imported([{ item: 'genogram', date: '2026-02-02' }, evidence]));
    expect([r.rule, r.field]).toEqual([rule, 'import.evidence.1.members']);
    expect(r.message).toContain(`'${item}'`);
    expect(r.message).toContain('kind-1');
  }
});

test('an imported per-child item names only children of this household; with them it counts', () => {
  const stranger = refusal(() => imported([{ item: 'woord_en_beeld', date: '2026-02-02', members: ['ouder-1'] }]));
  expect([stranger.rule, stranger.message]).toEqual(['R-37', expect.stringContaining('ouder-1')]);
  const s = imported([{ item: 'woord_en_beeld', date: '2026-02-02', members: ['kind-1'] }]);
  expect(s.evidence).toEqual([expect.objectContaining({ item: 'woord_en_beeld', members: ['kind-1'], recordedBy: 'import' })]);
});
