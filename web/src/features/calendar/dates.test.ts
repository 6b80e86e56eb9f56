import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, chinaInputToIso, chinaNowInput, chinaToday, monthWeeks, weekdayIndex } from './dates.ts';

test('months are weeks of seven days starting on Monday', () => {
  const october = monthWeeks(2026, 9);
  assert.ok(october.every((week) => week.length === 7));
  // 1 October 2026 is a Thursday.
  assert.deepEqual(october[0], [undefined, undefined, undefined, '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04']);
  assert.equal(october.flat().filter(Boolean).length, 31);
  assert.equal(weekdayIndex('2026-10-10'), 5, 'a Saturday');
  assert.equal(monthWeeks(2026, 1).flat().filter(Boolean).at(-1), '2026-02-28');
});

test('a month on keeps the day, or takes the shorter month’s last', () => {
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
  assert.equal(addMonths('2026-12-15', 1), '2027-01-15');
  assert.equal(addMonths('2026-01-15', -1), '2025-12-15');
});

test('today and a datetime-local input are China time whatever the browser’s zone', () => {
  assert.equal(chinaToday(new Date('2026-06-01T15:30:00Z')), '2026-06-01');
  assert.equal(chinaToday(new Date('2026-06-01T16:00:00Z')), '2026-06-02');
  assert.equal(chinaNowInput(new Date('2026-06-30T02:05:00Z')), '2026-06-30T10:05');
  assert.equal(chinaInputToIso('2026-06-30T10:00'), '2026-06-30T02:00:00.000Z');
  assert.equal(chinaInputToIso(''), undefined);
  assert.equal(chinaInputToIso('2026-06-30'), undefined);
});
