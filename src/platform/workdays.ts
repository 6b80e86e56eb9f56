// Working-day arithmetic for statutory deadlines. Chinese administrative law counts most
// periods in working days, without statutory holidays (Administrative Licensing Law art. 82;
// Disclosure Regulations art. 33), and the State Council moves weekends each year to make the
// holidays longer, so "a working day" is a fact of a published calendar, not of the weekday.
// The day a period starts from is not counted (Civil Code art. 201): a request received on a
// Monday with 1 working day to answer is due at the end of Tuesday. Dates are civil dates in
// China Standard Time (UTC+8 all year; no daylight saving since 1991), wherever the server or
// the user is: a request submitted at 23:30 Beijing time on 1 June (15:30 UTC) was received
// on 1 June.

/** A civil date, YYYY-MM-DD. */
export type CivilDate = string;

/** What the calendar says of one day, beyond its weekday. */
export type DayKind = 'holiday' | 'workday';

export type CalendarDay = { date: CivilDate; kind: DayKind; nameZh: string; nameEn: string };

/** The days of some years that differ from the weekday rule, and which years are known. */
export type WorkCalendar = {
  /** Statutory holidays (kind holiday) and adjusted working weekends (kind workday). */
  days: ReadonlyMap<CivilDate, CalendarDay>;
  /** Years whose arrangement has been entered; other years follow the weekday rule unconfirmed. */
  years: ReadonlySet<number>;
};

export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real date written YYYY-MM-DD (not 2026-02-30). */
export function isCivilDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function parse(date: CivilDate): number {
  if (!isCivilDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const m = DATE_PATTERN.exec(date)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const format = (utcMidnight: number): CivilDate => new Date(utcMidnight).toISOString().slice(0, 10);

export const yearOf = (date: CivilDate): number => Number(date.slice(0, 4));

/** The civil date in China of an instant. */
export function chinaDateOf(instant: Date): CivilDate {
  return format(Math.floor((instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000) / DAY_MS) * DAY_MS);
}

/** The last millisecond of a civil date in China, as an instant: when a deadline on that date runs out. */
export function endOfChinaDay(date: CivilDate): Date {
  return new Date(parse(date) + DAY_MS - CHINA_UTC_OFFSET_MINUTES * 60_000 - 1);
}

export function addCalendarDays(date: CivilDate, days: number): CivilDate {
  return format(parse(date) + days * DAY_MS);
}

/** Monday to Friday, unless the calendar makes it a holiday; a weekend day the calendar makes a working day. */
export function isWorkingDay(calendar: WorkCalendar, date: CivilDate): boolean {
  const special = calendar.days.get(date);
  if (special) return special.kind === 'workday';
  const weekday = new Date(parse(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

// A guard against a calendar that never yields a working day (every day a holiday): no
// statutory period is longer than a few hundred working days.
const MAX_SCAN_DAYS = 3 * 366;

/** The `n`th working day after `start` (start itself not counted); `n` ≥ 1. */
export function addWorkingDays(calendar: WorkCalendar, start: CivilDate, n: number): CivilDate {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`working days must be a whole number from 1: ${n}`);
  let date = start;
  let left = n;
  for (let scanned = 0; scanned < MAX_SCAN_DAYS + n * 7; scanned++) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(calendar, date) && --left === 0) return date;
  }
  throw new RangeError(`no ${n} working days within ${MAX_SCAN_DAYS} days after ${start}: check the calendar`);
}

/** Days since 1970-01-01 (a Thursday). */
const dayNumber = (date: CivilDate) => parse(date) / DAY_MS;
const isWeekendDay = (day: number) => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
};

/**
 * The calendar's exceptions to the weekday rule as changes to a count of weekdays, by day
 * number, in order: a holiday on a weekday takes one away, an adjusted working weekend adds
 * one. Kept per calendar object (a calendar is replaced, never changed, when days change).
 */
const exceptionIndex = new WeakMap<WorkCalendar, { days: number[]; deltas: number[] }>();
function exceptionsOf(calendar: WorkCalendar): { days: number[]; deltas: number[] } {
  let index = exceptionIndex.get(calendar);
  if (!index) {
    const list = [...calendar.days.values()]
      .map((d) => ({ day: dayNumber(d.date), delta: d.kind === 'holiday' ? (isWeekendDay(dayNumber(d.date)) ? 0 : -1) : isWeekendDay(dayNumber(d.date)) ? 1 : 0 }))
      .filter((e) => e.delta !== 0)
      .sort((a, b) => a.day - b.day);
    index = { days: list.map((e) => e.day), deltas: list.map((e) => e.delta) };
    exceptionIndex.set(calendar, index);
  }
  return index;
}

/** The first position in sorted `days` whose day is greater than `day`. */
function after(days: number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Working days in (from, to]: how many have passed from one date to a later one (0 when to ≤
 * from). Counted, not walked: weekdays by arithmetic, then the calendar's exceptions in the
 * range — the inbox colours a page of deadlines per request, so this is on a hot path.
 */
export function workingDaysBetween(calendar: WorkCalendar, from: CivilDate, to: CivilDate): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b <= a) return 0;
  const span = b - a;
  const fullWeeks = Math.floor(span / 7);
  let count = fullWeeks * 5;
  for (let day = a + fullWeeks * 7 + 1; day <= b; day++) if (!isWeekendDay(day)) count++;
  const { days, deltas } = exceptionsOf(calendar);
  for (let i = after(days, a); i < days.length && days[i] <= b; i++) count += deltas[i];
  return count;
}

export type Deadline = {
  /** The civil date in China on which the period started (not counted). */
  startDate: CivilDate;
  /** The last day of the period. */
  dueDate: CivilDate;
  /** When it runs out: the end of the due date, China time. */
  dueAt: Date;
  /** False when the period crosses a year whose holiday arrangement has not been entered. */
  confirmed: boolean;
};

/** A period of `workingDays` starting from an instant (a submission, a receipt). */
export function deadlineFrom(calendar: WorkCalendar, startedAt: Date, workingDays: number): Deadline {
  const startDate = chinaDateOf(startedAt);
  const dueDate = addWorkingDays(calendar, startDate, workingDays);
  let confirmed = true;
  for (let year = yearOf(startDate); year <= yearOf(dueDate); year++) if (!calendar.years.has(year)) confirmed = false;
  return { startDate, dueDate, dueAt: endOfChinaDay(dueDate), confirmed };
}

/** Working days left until a due date, counted from an instant's China date (negative when overdue). */
export function workingDaysLeft(calendar: WorkCalendar, now: Date, dueDate: CivilDate): number {
  const today = chinaDateOf(now);
  if (parse(today) <= parse(dueDate)) return workingDaysBetween(calendar, today, dueDate);
  return -workingDaysBetween(calendar, dueDate, today);
}

/** A calendar from a list of special days (e.g. the shipped arrangements). */
export function workCalendarOf(days: CalendarDay[], years: Iterable<number>): WorkCalendar {
  return { days: new Map(days.map((d) => [d.date, d])), years: new Set(years) };
}
