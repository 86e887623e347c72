/**
 * Working time: working days (Monday to Friday, not a public holiday) and working hours in
 * Amsterdam. Every mail goes out inside working hours; R-02 counts working days. The holidays are
 * data (holidays.json), not code.
 */
import holidayData from './holidays.json';
import { addDays, amsterdamDay, amsterdamInstant, dateToUtc, type IsoDate } from './time';

const HOLIDAYS: Record<string, string> = holidayData.holidays;
/** The holidays that fall on a weekday, sorted: only they take a working day away. */
const WEEKDAY_HOLIDAYS: readonly IsoDate[] = Object.keys(HOLIDAYS)
  .filter((d) => ![0, 6].includes(dateToUtc(d).getUTCDay()))
  .sort();

/** Working hours in Amsterdam: from `from`:00 up to `until`:00, on working days or on every day. */
export interface WorkingHours {
  from: number;
  until: number;
  everyDay?: boolean;
}

export function isHoliday(date: IsoDate): boolean {
  return Object.hasOwn(HOLIDAYS, date);
}

/** The last date the holiday list knows; after it only weekends count as days off. */
export function holidaysKnownUntil(): IsoDate {
  return Object.keys(HOLIDAYS).sort().at(-1)!;
}

export function isWorkingDay(date: IsoDate): boolean {
  const weekday = dateToUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isHoliday(date);
}
const isWorkingDate = isWorkingDay;

/** The date itself when it is a working day, else the next one (a meeting is not planned on a Sunday). */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/**
 * `days` working days after a date (R-02: 2 and 5 working days). Whole weeks are jumped, since
 * every 7 days hold 5 weekdays less the holidays among them; only the last week is stepped. The
 * workflow computes this at every wake-up, so it must not cost a loop per day.
 */
export function addWorkingDays(date: IsoDate, days: number): IsoDate {
  let d = date;
  let left = days;
  // Jump while more than a week's worth is left, so the last working day is found by stepping.
  while (left > 5) {
    const weeks = Math.floor((left - 1) / 5);
    const end = addDays(d, 7 * weeks);
    left -= 5 * weeks - weekdayHolidaysBetween(d, end);
    d = end;
  }
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Holidays on a weekday after `from` up to and including `to`. */
function weekdayHolidaysBetween(from: IsoDate, to: IsoDate): number {
  let n = 0;
  for (const h of WEEKDAY_HOLIDAYS) {
    if (h > to) break;
    if (h > from) n++;
  }
  return n;
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });

/** Wall-clock hour in Amsterdam as a fraction (09:30 -> 9.5). */
function hourOf(instant: Date): number {
  const [h, m] = clock.format(instant).split(':').map(Number) as [number, number];
  return h + m / 60;
}

/** The first moment at or after `at` inside working hours (a reminder waits for the office to open). */
export function nextWorkingMoment(at: string, hours: WorkingHours): string {
  const t = new Date(at);
  let day = amsterdamDay(t);
  const isWorkingDay = (d: IsoDate) => hours.everyDay === true || isWorkingDate(d);
  if (isWorkingDay(day)) {
    const h = hourOf(t);
    if (h >= hours.from && h < hours.until) return t.toISOString();
    if (h < hours.from) return amsterdamInstant(day, hours.from);
  }
  do day = addDays(day, 1);
  while (!isWorkingDay(day));
  return amsterdamInstant(day, hours.from);
}

/**
 * The last moment at or before `at` inside working hours, and at least an hour before closing
 * time when it has to move: a warning that must arrive before a deadline comes earlier,
 * never later.
 */
export function previousWorkingMoment(at: string, hours: WorkingHours): string {
  const t = new Date(at);
  let day = amsterdamDay(t);
  const isWorkingDay = (d: IsoDate) => hours.everyDay === true || isWorkingDate(d);
  if (isWorkingDay(day)) {
    const h = hourOf(t);
    if (h >= hours.from && h < hours.until) return t.toISOString();
    if (h >= hours.until) return amsterdamInstant(day, hours.until - 1);
  }
  do day = addDays(day, -1);
  while (!isWorkingDay(day));
  return amsterdamInstant(day, hours.until - 1);
}
