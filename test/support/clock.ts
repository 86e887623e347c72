/**
 * Start instants for time-skipping tests. The test server starts at the real wall clock and can
 * only move forward, so a test that must not depend on when it runs first moves the clock to an
 * instant it chooses: the first date after today (plus a margin) with the wanted property, at a
 * fixed Amsterdam wall-clock time. The hour and the kind of day are then always the same; only the
 * year may differ, which no rule depends on.
 */
import { addDays, amsterdamDay, amsterdamInstant, dateToUtc, type IsoDate } from '../../domain/time';

type DatePredicate = (date: IsoDate) => boolean;

const weekday = (date: IsoDate) => dateToUtc(date).getUTCDay();
const isLastSunday = (month: number) => (date: IsoDate) =>
  Number(date.slice(5, 7)) === month && weekday(date) === 0 && Number(addDays(date, 7).slice(5, 7)) !== month;

/** The first date at least two days after the real today that satisfies the predicate. */
function nextDate(matches: DatePredicate, realNow = new Date()): IsoDate {
  let d = addDays(amsterdamDay(realNow), 2);
  for (let i = 0; i < 800; i++, d = addDays(d, 1)) if (matches(d)) return d;
  throw new Error('no such date within 800 days');
}

export interface StartInstant {
  name: string;
  /** ISO instant, computed when the test runs. */
  at(): string;
}

const instant = (name: string, matches: DatePredicate, hour: number, minute = 0): StartInstant => ({
  name,
  at: () => amsterdamInstant(nextDate(matches), hour, minute),
});

/** The default for clock-dependent tests: an ordinary Tuesday morning in office hours. */
export const TUESDAY_10 = instant('dinsdag 10:00', (d) => weekday(d) === 2, 10);

/** Day-boundary cases that every scenario involving days and hours must survive. */
export const DAY_BOUNDARY_INSTANTS: StartInstant[] = [
  instant('02:00 op een woensdag', (d) => weekday(d) === 3, 2),
  instant('08:59 op een donderdag', (d) => weekday(d) === 4, 8, 59),
  instant('20:00 op een maandag', (d) => weekday(d) === 1, 20),
  instant('vrijdagavond 21:30', (d) => weekday(d) === 5, 21, 30),
  instant('nacht van de zomertijd (laatste zondag van maart, 01:30)', isLastSunday(3), 1, 30),
  instant('nacht van de wintertijd (laatste zondag van oktober, 01:30)', isLastSunday(10), 1, 30),
  instant('oudejaarsavond 23:30', (d) => d.endsWith('-12-31'), 23, 30),
];
