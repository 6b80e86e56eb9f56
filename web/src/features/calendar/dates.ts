// Civil dates as the calendar page counts them: YYYY-MM-DD in China time, whatever zone the
// browser is in (deadlines are counted in China Standard Time, UTC+8 all year), so the grid,
// "today" and the calculator's start agree with the server.
import type { Lang } from '../../i18n/index.tsx';

export type CivilDate = string;

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const utc = (date: CivilDate): number => Date.parse(`${date}T00:00:00Z`);
const civil = (ms: number): CivilDate => new Date(ms).toISOString().slice(0, 10);

export const dateOf = (year: number, month: number, day: number): CivilDate => civil(Date.UTC(year, month, day));
export const addDays = (date: CivilDate, days: number): CivilDate => civil(utc(date) + days * DAY_MS);
export const yearOf = (date: CivilDate): number => Number(date.slice(0, 4));
export const monthOf = (date: CivilDate): number => Number(date.slice(5, 7)) - 1;
export const dayOf = (date: CivilDate): number => Number(date.slice(8, 10));

/** 0 for Monday to 6 for Sunday: weeks start on Monday in China. */
export const weekdayIndex = (date: CivilDate): number => (new Date(utc(date)).getUTCDay() + 6) % 7;
export const isWeekend = (date: CivilDate): boolean => weekdayIndex(date) >= 5;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The same day of another month, or that month's last day when it is shorter (31 January + 1 month = 28 February). */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const index = yearOf(date) * 12 + monthOf(date) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  return dateOf(year, month, Math.min(dayOf(date), daysInMonth(year, month)));
}

/** A month as weeks of seven days, Monday first; days of the neighbouring months are undefined. */
export function monthWeeks(year: number, month: number): (CivilDate | undefined)[][] {
  const first = dateOf(year, month, 1);
  const cells: (CivilDate | undefined)[] = Array.from({ length: weekdayIndex(first) }, () => undefined);
  for (let day = 1; day <= daysInMonth(year, month); day++) cells.push(dateOf(year, month, day));
  while (cells.length % 7 !== 0) cells.push(undefined);
  const weeks: (CivilDate | undefined)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Today's date in China. */
export const chinaToday = (now = new Date()): CivilDate => civil(now.getTime() + CHINA_OFFSET_MS);

/** Now in China time as a datetime-local value ("2026-06-30T10:00"). */
export const chinaNowInput = (now = new Date()): string => new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16);

/** A datetime-local value read as China time, as an ISO instant; undefined when it is not a date and time. */
export function chinaInputToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}+08:00`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Formatters of civil dates and China times in the UI language. */
export function dateFormats(lang: Lang) {
  const long = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', dateStyle: 'full' });
  const medium = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
  const month = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', year: 'numeric', month: 'long' });
  const weekdayShort = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'short' });
  const weekdayLong = new Intl.DateTimeFormat(lang, { timeZone: 'UTC', weekday: 'long' });
  const chinaTime = new Intl.DateTimeFormat(lang, { timeZone: CHINA_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  // 2024-01-01 was a Monday.
  const weekdays = Array.from({ length: 7 }, (_, i) => new Date(utc(dateOf(2024, 0, 1 + i))));
  return {
    /** "2026年10月1日星期四", "Thursday, October 1, 2026" */
    long: (date: CivilDate) => long.format(new Date(utc(date))),
    /** "2026年10月1日周四", "Thu, Oct 1, 2026" */
    medium: (date: CivilDate) => medium.format(new Date(utc(date))),
    /** "2026年10月", "October 2026" */
    month: (year: number, index: number) => month.format(new Date(Date.UTC(year, index, 1))),
    /** Monday first. */
    weekdays: weekdays.map((d) => ({ short: weekdayShort.format(d), long: weekdayLong.format(d) })),
    /** The time of day in China of an instant, "23:59:59". */
    chinaTime: (iso: string) => chinaTime.format(new Date(iso)),
  };
}
export type DateFormats = ReturnType<typeof dateFormats>;
