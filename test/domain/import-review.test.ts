/**
 * Calm imports (issue 22): a running case imported with old dates escalates nothing during its
 * review, shows nothing due in the past, and climbs the ladder normally after the review or once
 * the import is confirmed. A received Friday afternoon 16:30 (Amsterdam) makes "next working day" a Monday.
 */
import { duePlan } from '../../domain/deadlines/plan';
import { overdueAtImport, reviewEndsAt } from '../../domain/import-review';
import type { HouseholdState } from '../../domain/model';
import { DEFAULT_POLICY } from '../../domain/policy';
import { addDaysToInstant, amsterdamInstant } from '../../domain/time';
import { apply, household, VT } from '../support/state';

const RECEIVED = amsterdamInstant('2026-03-06', 16, 30); // a Friday
const MONDAY_9 = amsterdamInstant('2026-03-09', 9);

/** Seven months in Veiligheid, nothing recorded: the child conversation, controle and more are long overdue. */
function importedCase(): HouseholdState {
  return household(RECEIVED, {
    owner: VT,
    casusregisseur: VT,
    import: {
      startDate: '2025-07-01',
      phase: 'veiligheid',
      phaseStartDate: '2025-08-01',
      roles: [],
      dangers: [],
      scores: [],
      evidence: [],
      network: [],
    },
  });
}

const maxLevel = (s: HouseholdState, at: string) => Math.max(0, ...duePlan(s, new Date(at), DEFAULT_POLICY).levels.map((l) => l.level));

test('during the review nothing escalates, and the overdue items are known by rule for the one summary', () => {
  const s = importedCase();
  expect(s.importReview).toBeDefined();
  for (const at of [RECEIVED, MONDAY_9, addDaysToInstant(RECEIVED, 13)]) expect([at, maxLevel(s, at)]).toEqual([at, 0]);
  const plan = duePlan(s, new Date(RECEIVED), DEFAULT_POLICY);
  const items = overdueAtImport(s, plan.deadlines);
  expect(items.map((d) => d.rule)).toEqual(expect.arrayContaining(['R-13', 'R-60']));
  // Their own reminders wait: the summary mail is the only mail about them during the review.
  const remindedItems = plan.dueReminders.filter((r) => items.some((d) => d.key === r.deadline.key));
  expect(remindedItems).toEqual([]);
});

test('no overdue date, invite or next deadline of an import lies before the next working day', () => {
  const s = importedCase();
  const plan = duePlan(s, new Date(RECEIVED), DEFAULT_POLICY);
  for (const d of plan.deadlines) {
    if (d.overdueAt) expect([d.key, d.overdueAt >= MONDAY_9]).toEqual([d.key, true]);
    if (d.meetingAt) expect([d.key, d.meetingAt >= MONDAY_9]).toEqual([d.key, true]);
  }
  // In "mijn taken" (the plan's remindAt, else overdueAt) what was overdue at import is due on Monday, not in the past.
  for (const d of overdueAtImport(s, plan.deadlines)) expect([d.key, d.remindAt ?? d.overdueAt]).toEqual([d.key, MONDAY_9]);
  expect(plan.nextWakeAt! > RECEIVED).toBe(true);
});

test('after the review the ladder climbs as usual; without the review it would have escalated at once', () => {
  const s = importedCase();
  const end = reviewEndsAt(s.importReview!);
  expect(end).toBe(amsterdamInstant('2026-03-20', 16, 30));
  expect(maxLevel(s, end)).toBe(1);
  expect(maxLevel(s, addDaysToInstant(end, 21))).toBe(3);
  const { importReview: _none, ...uncalm } = s;
  expect(maxLevel(uncalm, RECEIVED)).toBe(3);
});

test('a confirmation by the casusregisseur ends the review early', () => {
  const s = importedCase();
  const confirmedAt = amsterdamInstant('2026-03-10', 11);
  const confirmed = { ...s, importReview: { ...s.importReview!, confirmedAt } };
  expect(maxLevel(s, amsterdamInstant('2026-03-10', 12))).toBe(0);
  expect(maxLevel(confirmed, amsterdamInstant('2026-03-10', 12))).toBe(1);
});

test('confirmImport: only the casusregisseur confirms, once, while the review lasts (R-01)', () => {
  const s = importedCase();
  const at = amsterdamInstant('2026-03-10', 11);
  const other = { professionalId: 'p-ander', organisation: 'veilig-thuis' };
  expect(() => apply(s, at, 'confirmImport', other, {})).toThrow(/casusregisseur/);
  const confirmed = apply(s, at, 'confirmImport', VT, {});
  expect(confirmed.importReview!.confirmedAt).toBe(at);
  expect(maxLevel(confirmed, amsterdamInstant('2026-03-10', 12))).toBe(1);
  expect(() => apply(confirmed, amsterdamInstant('2026-03-10', 13), 'confirmImport', VT, {})).toThrow(/R-01|niets te bevestigen/);
  const plain = household(RECEIVED, { owner: VT, casusregisseur: VT });
  expect(() => apply(plain, at, 'confirmImport', VT, {})).toThrow(/niets te bevestigen/);
});
