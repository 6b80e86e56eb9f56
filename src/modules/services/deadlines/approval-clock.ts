// The statutory clock of an application (Administrative Licensing Law), in working days with
// the platform's holiday calendar (art. 82):
//  - acceptance: decided within 5 working days of submission (art. 32), or the application
//    counts as accepted on receipt;
//  - decision: 20 working days from acceptance, extendable once by 10 with the head's approval;
//    45 for joint handling, extendable once by 15 (art. 42);
//  - hearings, testing, expert review and inspection do not count (art. 45): the clock is
//    suspended from the day one starts to the day it ends, and the applicant is told;
//  - the licence is issued within 10 working days of the decision (art. 44).
// Pure functions over the clock's state; the service keeps the state and its timers.
import { addCalendarDays, addWorkingDays, chinaDateOf, endOfChinaDay, workingDaysBetween, workingDaysLeft, type CivilDate, type WorkCalendar } from '../../../platform/workdays.ts';

export const ACCEPTANCE_DAYS = 5;
export const ISSUE_DAYS = 10;
export const DECISION_DAYS = { single: { base: 20, extension: 10 }, joint: { base: 45, extension: 15 } } as const;
/** A deadline turns yellow with this many working days left, red on its last day and after. */
export const YELLOW_WHEN_LEFT = 3;

export type SuspensionReason = 'hearing' | 'testing' | 'expert_review' | 'inspection';
export type Suspension = { from: CivilDate; to: CivilDate | null; reason: SuspensionReason };

export type ApprovalClock = {
  /** The China date the application was accepted (the period starts the next working day). */
  acceptedOn: CivilDate;
  handling: 'single' | 'joint';
  /** The promised period (never longer than the statutory one): what the dashboard counts against. */
  promisedDays: number;
  extended: boolean;
  suspensions: Suspension[];
};

export type ClockError = { code: 'already_extended' | 'already_suspended' | 'not_suspended' | 'bad_dates'; message: string; messageZh: string };

export type ClockView = {
  /** Working days the law allows, with any extension. */
  statutoryDays: number;
  /** Working days the clock stood still. */
  suspendedDays: number;
  /** The due date of the decision; null while suspended (it moves when the clock resumes). */
  dueDate: CivilDate | null;
  dueAt: Date | null;
  promisedDueDate: CivilDate | null;
  /** Working days left until the due date (negative when overdue); null while suspended. */
  daysLeft: number | null;
  warning: 'none' | 'yellow' | 'red' | 'suspended';
};

/** When the acceptance decision is due: 5 working days after the submission's date. */
export function acceptanceDue(calendar: WorkCalendar, submittedAt: Date): CivilDate {
  return addWorkingDays(calendar, chinaDateOf(submittedAt), ACCEPTANCE_DAYS);
}

/** When the licence must be issued: 10 working days after the decision. */
export function issueDue(calendar: WorkCalendar, decidedAt: Date): CivilDate {
  return addWorkingDays(calendar, chinaDateOf(decidedAt), ISSUE_DAYS);
}

export function statutoryDaysOf(clock: ApprovalClock): number {
  const rule = DECISION_DAYS[clock.handling];
  return rule.base + (clock.extended ? rule.extension : 0);
}

/** Working days inside the closed suspensions, each counted from its first day to its last. */
export function suspendedDays(calendar: WorkCalendar, clock: ApprovalClock): number {
  return clock.suspensions.reduce((sum, s) => sum + (s.to ? workingDaysBetween(calendar, addCalendarDays(s.from, -1), s.to) : 0), 0);
}

export function viewClock(calendar: WorkCalendar, clock: ApprovalClock, now: Date): ClockView {
  const statutory = statutoryDaysOf(clock);
  const suspended = suspendedDays(calendar, clock);
  if (clock.suspensions.some((s) => s.to === null)) {
    return { statutoryDays: statutory, suspendedDays: suspended, dueDate: null, dueAt: null, promisedDueDate: null, daysLeft: null, warning: 'suspended' };
  }
  const dueDate = addWorkingDays(calendar, clock.acceptedOn, statutory + suspended);
  const promisedDueDate = addWorkingDays(calendar, clock.acceptedOn, Math.min(clock.promisedDays, statutory) + suspended);
  const daysLeft = workingDaysLeft(calendar, now, dueDate);
  const warning = daysLeft <= 0 ? 'red' : daysLeft <= YELLOW_WHEN_LEFT ? 'yellow' : 'none';
  return { statutoryDays: statutory, suspendedDays: suspended, dueDate, dueAt: endOfChinaDay(dueDate), promisedDueDate, daysLeft, warning };
}

/** The one extension the law allows; a second is refused. */
export function extend(clock: ApprovalClock): ApprovalClock | ClockError {
  if (clock.extended) {
    const rule = DECISION_DAYS[clock.handling];
    return { code: 'already_extended', message: `The period was extended already; the law allows one extension of ${rule.extension} working days.`, messageZh: `办理期限已延长过；法律只允许延长一次（${rule.extension} 个工作日）。` };
  }
  return { ...clock, extended: true };
}

/** Stops the clock from `on` (a hearing, a test, an expert review, an inspection starts). */
export function suspend(clock: ApprovalClock, on: CivilDate, reason: SuspensionReason): ApprovalClock | ClockError {
  if (clock.suspensions.some((s) => s.to === null)) return { code: 'already_suspended', message: 'The clock is already suspended; resume it first.', messageZh: '已暂停计时，请先恢复计时。' };
  const last = clock.suspensions.at(-1);
  if (on <= clock.acceptedOn || (last?.to && on <= last.to)) return { code: 'bad_dates', message: 'A suspension starts after acceptance and after the previous one ended.', messageZh: '暂停计时须晚于受理日和上一次暂停的结束日。' };
  return { ...clock, suspensions: [...clock.suspensions, { from: on, to: null, reason }] };
}

/** Starts the clock again: `on` is the last day that does not count. */
export function resume(clock: ApprovalClock, on: CivilDate): ApprovalClock | ClockError {
  const open = clock.suspensions.at(-1);
  if (!open || open.to !== null) return { code: 'not_suspended', message: 'The clock is running; there is nothing to resume.', messageZh: '计时未暂停，无需恢复。' };
  if (on < open.from) return { code: 'bad_dates', message: 'A suspension cannot end before it started.', messageZh: '暂停的结束日不能早于开始日。' };
  return { ...clock, suspensions: [...clock.suspensions.slice(0, -1), { ...open, to: on }] };
}

export const isClockError = (value: ApprovalClock | ClockError): value is ClockError => 'code' in value && 'messageZh' in value;
