/** addWorkingDays jumps whole weeks (issue 23): the same answer as stepping day by day, for any start and count. */
import fc from 'fast-check';
import { addWorkingDays, isWorkingDay } from '../../domain/calendar';
import { addDays } from '../../domain/time';

function stepping(date: string, days: number): string {
  let d = date;
  for (let left = days; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

test('equals day-by-day stepping over holidays, weekends and year ends', () => {
  const start = fc.integer({ min: 0, max: 365 * 14 }).map((n) => addDays('2025-01-01', n));
  fc.assert(
    fc.property(start, fc.integer({ min: 0, max: 400 }), (date, days) => {
      expect(addWorkingDays(date, days)).toBe(stepping(date, days));
    }),
    { numRuns: 3000 },
  );
});

test('around Christmas and a Friday: the answer is a working day', () => {
  expect(addWorkingDays('2026-12-18', 5)).toBe('2026-12-28'); // Friday 25 December is Christmas
  expect(addWorkingDays('2026-12-18', 7)).toBe('2026-12-30');
  expect(isWorkingDay(addWorkingDays('2026-12-04', 14))).toBe(true);
});
