/**
 * Calendar arithmetic for the method's clocks. Months are calendar months in Europe/Amsterdam
 * (ROUTEKAART.md, "Precise meaning of the score rules"). Pure: every function takes its "now".
 * Never use local-time getters: the worker's TZ leaks into the workflow sandbox.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A calendar month 'YYYY-MM'. */
export type MonthKey = string;

const amsterdamDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Amsterdam at an instant. */
export function amsterdamDay(at: Date): IsoDate {
  return amsterdamDate.format(at);
}

export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

export function addMonths(month: MonthKey, n: number): MonthKey {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Number of months from `a` to `b` (b - a). */
export function monthsBetween(a: MonthKey, b: MonthKey): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return yb * 12 + mb - (ya * 12 + ma);
}

/** Midnight UTC of a calendar date; used for day arithmetic only, never shown. */
export function dateToUtc(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(dateToUtc(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((dateToUtc(b).getTime() - dateToUtc(a).getTime()) / DAY_MS);
}

/**
 * The instant of a wall-clock time in Amsterdam on a calendar date, computed from the zone's offset
 * on that day so it is right in summer and winter time. A time skipped by the spring change (02:30
 * on the last Sunday of March) lands an hour later, as clocks show it.
 */
export function amsterdamInstant(date: IsoDate, hour: number, minute = 0): string {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`);
  // The offset at the guess can be the wrong side of a DST change; the offset at the first answer is not.
  const first = new Date(guess.getTime() - amsterdamOffsetMinutes(guess) * 60_000);
  return new Date(guess.getTime() - amsterdamOffsetMinutes(first) * 60_000).toISOString();
}

/** 'HH:MM' -> [hours, minutes]. */
export function hoursAndMinutes(time: string): [number, number] {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return [h, m];
}

/** The instant a reminder for a calendar date goes out: 09:00 in Amsterdam (or another hour). */
export function morningOf(date: IsoDate, hour = 9): string {
  return amsterdamInstant(date, hour);
}

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

function amsterdamOffsetMinutes(at: Date): number {
  const parts = Object.fromEntries(offsetFormat.formatToParts(at).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

export function firstDayOf(month: MonthKey): IsoDate {
  return `${month}-01`;
}

export function addDaysToInstant(instant: string, days: number): string {
  return new Date(new Date(instant).getTime() + days * DAY_MS).toISOString();
}

/** The same day `n` months later (clamped to the month's last day): "12 months after the start". */
export function addMonthsToDate(date: IsoDate, n: number): IsoDate {
  const month = addMonths(monthOf(date), n);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(month));
  return `${month}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(month: MonthKey): number {
  const next = dateToUtc(firstDayOf(addMonths(month, 1)));
  return Math.round((next.getTime() - dateToUtc(firstDayOf(month)).getTime()) / DAY_MS);
}

const dutchDay = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const dutchMonth = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** '2026-03-05' -> '5 maart 2026': dates in texts for Dutch professionals. */
export function dutchDate(date: IsoDate): string {
  return dutchDay.format(dateToUtc(date));
}

/** '2026-03' -> 'maart 2026'. */
export function dutchMonthName(month: MonthKey): string {
  return dutchMonth.format(dateToUtc(firstDayOf(month)));
}

const dutchDateTime = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dutchWeekdayDate = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * "maandag 3 maart 2025 om 09:00" for an instant (Amsterdam time), "maandag 3 maart 2025" for a
 * calendar date: how mails name a moment. Anything unreadable is shown as given, never as "Invalid Date".
 */
export function formatDutch(value: string): string {
  // A day without a time of day: a calendar date, or an instant at midnight UTC, which is how an
  // imported day is stored ("om 01:00" would invent a clock time the intake system never gave).
  const day = /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.000)?Z)?$/.exec(value)?.[1];
  if (day) {
    const d = dateToUtc(day);
    return Number.isNaN(d.getTime()) ? value : dutchWeekdayDate.format(d);
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : dutchDateTime.format(d);
}

/** "1 maand", "3 maanden": a number with the Dutch singular or plural. */
export function count(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
