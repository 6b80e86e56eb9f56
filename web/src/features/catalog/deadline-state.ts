// Where a share request stands against its deadline, from the working days the server counted
// with the holiday calendar: on time, due soon (two working days or fewer left, today included)
// or overdue (past the due date, or escalated to the data bureau). Answered and unconditional
// requests have no deadline to meet.
export type DeadlineState = 'ok' | 'soon' | 'overdue' | 'none';

export const DUE_SOON_WORKING_DAYS = 2;

type Due = { workingDaysLeft: number | null } | null;

export function deadlineState(request: { status: string; due: Due; escalatedAt: string | null }): DeadlineState {
  const due = request.due;
  if (request.status !== 'pending' || !due) return 'none';
  const left = due.workingDaysLeft;
  if (request.escalatedAt || (left !== null && left < 0)) return 'overdue';
  if (left !== null && left <= DUE_SOON_WORKING_DAYS) return 'soon';
  return 'ok';
}
