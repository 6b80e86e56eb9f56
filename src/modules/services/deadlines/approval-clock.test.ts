// The statutory clock in working days with the 2026 holiday arrangement: acceptance within 5,
// decision within 20 (+10 once) or 45 (+15 once) for joint handling, suspensions not counted,
// yellow and red warnings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shippedArrangements } from '../../calendar/index.ts';
import { workCalendarOf } from '../../../platform/workdays.ts';
import { acceptanceDue, extend, isClockError, issueDue, resume, suspend, viewClock, type ApprovalClock } from './approval-clock.ts';

const arrangement = shippedArrangements().find((a) => a.year === 2026)!;
const calendar = workCalendarOf(arrangement.days, [2026]);
const at = (iso: string) => new Date(iso);
const clock = (overrides: Partial<ApprovalClock> = {}): ApprovalClock => ({ acceptedOn: '2026-03-02', handling: 'single', promisedDays: 10, extended: false, suspensions: [], ...overrides });

test('acceptance is due 5 working days after submission; the National Day holiday does not count', () => {
  // Submitted Monday 2 March 2026 (10:00 China time): Tue–Fri and Mon → 9 March.
  assert.equal(acceptanceDue(calendar, at('2026-03-02T02:00:00Z')), '2026-03-09');
  // Submitted Tuesday 29 September 2026: 30 September, then the National Day holiday (1–7
  // October) does not count, then 8, 9 and Saturday 10 October (a working day in 2026), then Monday 12.
  assert.equal(acceptanceDue(calendar, at('2026-09-29T02:00:00Z')), '2026-10-12');
  // Submitted late in the evening UTC is the next day in China.
  assert.equal(acceptanceDue(calendar, at('2026-03-01T17:00:00Z')), '2026-03-09', 'Monday 2 March in China');
  assert.equal(issueDue(calendar, at('2026-03-02T02:00:00Z')), '2026-03-16', 'the licence within 10 working days');
});

test('a decision is due 20 working days after acceptance (45 for joint handling), and one extension adds 10 (15)', () => {
  const now = at('2026-03-03T02:00:00Z');
  assert.equal(viewClock(calendar, clock(), now).dueDate, '2026-03-30', '20 working days from Monday 2 March');
  assert.equal(viewClock(calendar, clock(), now).promisedDueDate, '2026-03-16', 'the promised 10');
  const extended = extend(clock());
  assert.ok(!isClockError(extended));
  assert.equal(viewClock(calendar, extended, now).statutoryDays, 30);
  assert.equal(viewClock(calendar, extended, now).dueDate, '2026-04-14', '30 working days, Qingming (4–6 April) not counted');
  const twice = extend(extended);
  assert.ok(isClockError(twice));
  assert.equal(twice.code, 'already_extended');
  assert.match(twice.messageZh, /只允许延长一次/);
  const joint = clock({ handling: 'joint' });
  assert.equal(viewClock(calendar, joint, now).statutoryDays, 45);
  const jointExtended = extend(joint);
  assert.ok(!isClockError(jointExtended));
  assert.equal(viewClock(calendar, jointExtended, now).statutoryDays, 60);
});

test('a suspension stops the clock while it lasts and moves the due date by its working days', () => {
  const now = at('2026-03-10T02:00:00Z');
  const suspended = suspend(clock(), '2026-03-09', 'expert_review');
  assert.ok(!isClockError(suspended));
  const paused = viewClock(calendar, suspended, now);
  assert.equal(paused.warning, 'suspended');
  assert.equal(paused.dueDate, null);
  assert.ok(isClockError(suspend(suspended, '2026-03-10', 'testing')), 'one suspension at a time');
  // Expert review Monday 9 to Friday 13 March: 5 working days do not count.
  const resumed = resume(suspended, '2026-03-13');
  assert.ok(!isClockError(resumed));
  const view = viewClock(calendar, resumed, now);
  assert.equal(view.suspendedDays, 5);
  assert.equal(view.dueDate, '2026-04-07', '20 + 5 working days, Qingming not counted');
  assert.ok(isClockError(resume(resumed, '2026-03-20')), 'nothing to resume');
  assert.ok(isClockError(suspend(clock(), '2026-03-02', 'hearing')), 'not on the day of acceptance');
  const early = suspend(clock(), '2026-03-09', 'hearing');
  assert.ok(!isClockError(early));
  assert.ok(isClockError(resume(early, '2026-03-05')), 'cannot end before it starts');
});

test('warnings: none with time to spare, yellow with 3 working days left, red on the last day and after', () => {
  const due = viewClock(calendar, clock(), at('2026-03-03T02:00:00Z'));
  assert.equal(due.warning, 'none');
  assert.equal(viewClock(calendar, clock(), at('2026-03-25T02:00:00Z')).warning, 'yellow', 'Wednesday 25 March: 3 working days left');
  assert.equal(viewClock(calendar, clock(), at('2026-03-24T02:00:00Z')).warning, 'none', '4 left');
  assert.equal(viewClock(calendar, clock(), at('2026-03-30T02:00:00Z')).warning, 'red', 'the last day');
  const overdue = viewClock(calendar, clock(), at('2026-04-01T02:00:00Z'));
  assert.equal(overdue.warning, 'red');
  assert.equal(overdue.daysLeft, -2);
});
