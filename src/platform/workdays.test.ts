// Deadlines against the 2026 arrangement as the State Council published it: weekends,
// statutory holidays, the weekends moved to be working days, China time, and years whose
// arrangement nobody has entered yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import shipped from '../modules/calendar/arrangements/cn-2026.json' with { type: 'json' };
import { addWorkingDays, chinaDateOf, deadlineFrom, isCivilDate, isWorkingDay, workCalendarOf, workingDaysBetween, workingDaysLeft, type CalendarDay } from './workdays.ts';

const calendar = workCalendarOf(shipped.days as CalendarDay[], [2026]);

test('an ordinary week: the start day is not counted, and a weekend is skipped', () => {
  assert.equal(addWorkingDays(calendar, '2026-03-02', 1), '2026-03-03', 'Monday + 1 is Tuesday');
  assert.equal(addWorkingDays(calendar, '2026-03-06', 1), '2026-03-09', 'Friday + 1 is the next Monday');
  assert.equal(addWorkingDays(calendar, '2026-03-07', 1), '2026-03-09', 'a period started on a Saturday counts from Monday');
});

test('statutory holidays are skipped and adjusted working weekends count', () => {
  assert.equal(isWorkingDay(calendar, '2026-10-01'), false, 'National Day');
  assert.equal(isWorkingDay(calendar, '2026-09-20'), true, 'Sunday 20 September is a working day in 2026');
  assert.equal(isWorkingDay(calendar, '2026-10-10'), true, 'Saturday 10 October is a working day in 2026');
  // Licensing Law art. 42: 20 working days from Tuesday 15 September 2026, across the
  // Mid-Autumn and National Day holidays and both moved weekends.
  assert.equal(addWorkingDays(calendar, '2026-09-15', 20), '2026-10-19');
  assert.equal(addWorkingDays(calendar, '2026-02-13', 1), '2026-02-14', 'Saturday 14 February is a working day');
  assert.equal(addWorkingDays(calendar, '2026-02-13', 2), '2026-02-24', 'then nine days of Spring Festival');
  assert.equal(addWorkingDays(calendar, '2026-12-31', 1), '2027-01-01', '2027 follows the weekday rule until its arrangement is entered');
});

test('dates are China dates: 23:30 in Beijing is still that day, 00:30 is the next', () => {
  assert.equal(chinaDateOf(new Date('2026-06-01T15:30:00Z')), '2026-06-01');
  assert.equal(chinaDateOf(new Date('2026-06-01T16:30:00Z')), '2026-06-02');
  const late = deadlineFrom(calendar, new Date('2026-06-01T15:30:00Z'), 1);
  assert.deepEqual({ start: late.startDate, due: late.dueDate, at: late.dueAt.toISOString(), confirmed: late.confirmed }, { start: '2026-06-01', due: '2026-06-02', at: '2026-06-02T15:59:59.999Z', confirmed: true });
  const afterMidnight = deadlineFrom(calendar, new Date('2026-06-01T16:30:00Z'), 1);
  assert.equal(afterMidnight.dueDate, '2026-06-03');
});

test('a period that runs into a year without an arrangement is marked unconfirmed', () => {
  const d = deadlineFrom(calendar, new Date('2026-12-28T02:00:00Z'), 5);
  assert.equal(d.dueDate, '2027-01-04', 'Tue 29, Wed 30, Thu 31, Fri 1 January (no calendar yet), Mon 4');
  assert.equal(d.confirmed, false);
  assert.equal(deadlineFrom(calendar, new Date('2026-12-01T02:00:00Z'), 5).confirmed, true);
});

test('working days between two dates and left before a due date, negative once overdue', () => {
  assert.equal(workingDaysBetween(calendar, '2026-04-30', '2026-05-11'), 5, 'Labour Day off, Saturday 9 May worked');
  assert.equal(workingDaysBetween(calendar, '2026-05-11', '2026-04-30'), 0);
  assert.equal(workingDaysLeft(calendar, new Date('2026-04-30T04:00:00Z'), '2026-05-11'), 5);
  assert.equal(workingDaysLeft(calendar, new Date('2026-05-12T04:00:00Z'), '2026-05-11'), -1);
  assert.equal(workingDaysLeft(calendar, new Date('2026-05-11T04:00:00Z'), '2026-05-11'), 0, 'due today');
});

test('bad input is refused by name', () => {
  assert.equal(isCivilDate('2026-02-30'), false);
  assert.equal(isCivilDate('2026-2-3'), false);
  assert.equal(isCivilDate('2028-02-29'), true);
  assert.throws(() => addWorkingDays(calendar, '2026-03-02', 0), /whole number from 1/);
  assert.throws(() => addWorkingDays(calendar, '2026-13-01', 1), /not a date/);
  const allHolidays = workCalendarOf(Array.from({ length: 5000 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), kind: 'holiday' as const, nameZh: '假', nameEn: 'off' })), [2026]);
  assert.throws(() => addWorkingDays(allHolidays, '2026-01-01', 1), /check the calendar/);
});

test('the shipped 2026 arrangement has the seven holidays and six moved working days', () => {
  const holidays = shipped.days.filter((d) => d.kind === 'holiday');
  const workdays = shipped.days.filter((d) => d.kind === 'workday').map((d) => d.date);
  assert.equal(holidays.length, 3 + 9 + 3 + 5 + 3 + 3 + 7);
  assert.deepEqual(workdays, ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  for (const d of workdays) assert.ok([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()), `${d} is a weekend day made a working day`);
});

test('counting working days by arithmetic agrees with walking the days, over the 2026 arrangements and past them', () => {
  const walk = (from: string, to: string) => {
    let n = 0;
    for (let d = new Date(`${from}T00:00:00Z`).getTime() + 86_400_000; d <= new Date(`${to}T00:00:00Z`).getTime(); d += 86_400_000) if (isWorkingDay(calendar, new Date(d).toISOString().slice(0, 10))) n++;
    return n;
  };
  const day = (i: number) => new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10);
  let checked = 0;
  for (let i = 0; i < 500; i += 7) {
    for (const span of [0, 1, 2, 5, 6, 7, 8, 13, 30, 61, 200]) {
      assert.equal(workingDaysBetween(calendar, day(i), day(i + span)), walk(day(i), day(i + span)), `${day(i)} → ${day(i + span)}`);
      checked++;
    }
  }
  assert.ok(checked > 700);
  assert.equal(workingDaysBetween(calendar, '2026-05-01', '2026-04-01'), 0, 'a later start counts nothing');
});
