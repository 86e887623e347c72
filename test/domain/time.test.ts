import { addWorkingDays } from '../../domain/calendar';
import { addMonthsToDate, amsterdamDay, amsterdamInstant, dutchDate, dutchMonthName, formatDutch, morningOf } from '../../domain/time';

test('Amsterdam calendar date, not UTC: 23:30 UTC on 31 March is 1 April in summer time', () => {
  expect(amsterdamDay(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
  expect(amsterdamDay(new Date('2026-01-31T22:59:00Z'))).toBe('2026-01-31');
});

test('09:00 Amsterdam in winter and summer time', () => {
  expect(morningOf('2026-01-15')).toBe('2026-01-15T08:00:00.000Z');
  expect(morningOf('2026-07-15')).toBe('2026-07-15T07:00:00.000Z');
});

test('wall-clock times around the DST changes: before, skipped, after, and the repeated hour', () => {
  expect(amsterdamInstant('2027-03-28', 1, 30)).toBe('2027-03-28T00:30:00.000Z'); // still winter time
  expect(amsterdamInstant('2027-03-28', 2, 30)).toBe('2027-03-28T01:30:00.000Z'); // does not exist: 03:30 summer time
  expect(amsterdamInstant('2027-03-28', 3, 30)).toBe('2027-03-28T01:30:00.000Z');
  expect(amsterdamInstant('2026-10-25', 1, 30)).toBe('2026-10-24T23:30:00.000Z'); // summer time
  expect(amsterdamInstant('2026-10-25', 3, 30)).toBe('2026-10-25T02:30:00.000Z'); // winter time
  expect(amsterdamInstant('2026-12-31', 23, 30)).toBe('2026-12-31T22:30:00.000Z');
});

test('working days skip the weekend (R-02: 2 and 5 working days)', () => {
  expect(addWorkingDays('2026-11-27', 2)).toBe('2026-12-01'); // Friday + 2 -> Tuesday
  expect(addWorkingDays('2026-11-27', 5)).toBe('2026-12-04');
});

test('months later clamps to the end of a shorter month (R-52: 12 months)', () => {
  expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
  expect(addMonthsToDate('2025-11-29', 12)).toBe('2026-11-29');
});

test('dates in texts are Dutch', () => {
  expect(dutchDate('2026-03-05')).toBe('5 maart 2026');
  expect(dutchMonthName('2026-10')).toBe('oktober 2026');
});

test('a day is shown without a clock time, also when stored as an instant at midnight UTC (an imported day); a real moment keeps its time', () => {
  expect(formatDutch('2026-03-02')).toBe('maandag 2 maart 2026');
  expect(formatDutch('2026-03-02T00:00:00.000Z')).toBe('maandag 2 maart 2026');
  expect(formatDutch('2026-03-02T00:00:00Z')).toBe('maandag 2 maart 2026');
  expect(formatDutch('2026-03-02T08:00:00.000Z')).toBe('maandag 2 maart 2026 om 09:00');
  expect(formatDutch('niet-een-datum')).toBe('niet-een-datum');
});
