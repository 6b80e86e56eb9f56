// Officers' tasks: the inbox of their organization's open steps for the duties they hold,
// claiming a step, giving it back to the pool (return) and passing it to a colleague who holds
// the same duty (forward). Completing a step is the acceptance's or the review's business.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../platform/errors.ts';
import { chinaDateOf, workingDaysLeft, type WorkCalendar } from '../../../platform/workdays.ts';
import { YELLOW_WHEN_LEFT } from '../deadlines/approval-clock.ts';
import { staleTask } from './lifecycle.ts';
import type { ApplicationsDeps } from './ports.ts';
import * as store from './store.ts';

export type Warning = 'none' | 'yellow' | 'red' | 'suspended';

export type TaskView = {
  id: string;
  applicationId: string;
  applicationNumber: string;
  serviceCode: string;
  applicantName: string;
  /** The process's handle for the step (stable across its life). */
  ref: string;
  kind: string;
  nameZh: string;
  nameEn: string;
  /** The organization whose officers do it (a joint department's step is theirs). */
  orgId: string;
  duty: string;
  status: store.TaskRow['status'];
  /** What the officer decided, once done. */
  outcome: Record<string, unknown> | null;
  /** A joint department's step that reached this node through the exchange. */
  joint: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string | null;
  daysLeft: number | null;
  warning: Warning;
  version: number;
  createdAt: string;
};

export function warningOf(calendar: WorkCalendar, dueDate: string | null, now: Date): { daysLeft: number | null; warning: Warning } {
  if (!dueDate) return { daysLeft: null, warning: 'none' };
  const daysLeft = workingDaysLeft(calendar, now, dueDate);
  return { daysLeft, warning: daysLeft <= 0 ? 'red' : daysLeft <= YELLOW_WHEN_LEFT ? 'yellow' : 'none' };
}

export function presentTask(row: store.TaskRow, calendar: WorkCalendar, now: Date, suspended = false): TaskView {
  const clock = suspended ? { daysLeft: null, warning: 'suspended' as const } : warningOf(calendar, row.due_date, now);
  return {
    id: row.id,
    applicationId: row.application_id,
    applicationNumber: row.application_number,
    serviceCode: row.service_code,
    applicantName: row.applicant_name,
    ref: row.ref,
    kind: row.kind,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    orgId: row.org_id,
    duty: row.duty,
    status: row.status,
    outcome: (row.outcome as Record<string, unknown> | null) ?? null,
    joint: row.reply_to !== null,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    dueDate: row.due_date,
    ...clock,
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
}

const alreadySigned = () => new ConflictError('already_countersigned', 'You have countersigned this application already: the other signatures must come from other leaders.', '您已会签过该申请，其余会签须由其他领导完成。');

const notYourTask = () => new ForbiddenError('This task belongs to another organization or to a duty you do not hold.', '该任务属于其他机关，或您不具备办理该任务的岗位职责。', 'not_your_task');

export function createTasks(deps: ApplicationsDeps) {
  const { db, clock } = deps;

  /** The task, if `actor` is an officer of its organization holding its duty; 404 hides other organizations' tasks. */
  async function assignable(actor: Actor, id: string, executor: Executor = db): Promise<store.TaskRow> {
    const task = await store.findTask(executor, id);
    if (!task || task.org_id !== actor.orgId) throw new NotFoundError('task', id, '任务');
    if (!hasRole(actor, 'officer', 'org_admin') || !(await store.dutiesOf(executor, actor.userId, actor.orgId)).includes(task.duty)) throw notYourTask();
    return task;
  }

  /** A task `actor` may complete now: theirs (claimed by them), or open (completing claims it). */
  async function workable(actor: Actor, id: string, version: number, executor: Executor): Promise<store.TaskRow> {
    const task = await assignable(actor, id, executor);
    if (task.version !== version) throw staleTask();
    if (task.status === 'done' || task.status === 'cancelled') throw new ConflictError('task_closed', 'This task is already done or was cancelled.', '该任务已办结或已取消。');
    if (task.status === 'claimed' && task.assignee_id !== actor.userId) throw new ConflictError('claimed_by_other', `${task.assignee_name ?? 'A colleague'} has claimed this task.`, `该任务已由${task.assignee_name ?? '其他同事'}认领。`);
    if (task.kind === 'countersign' && (await store.countersignedBy(executor, actor.userId, [task.application_id])).has(task.application_id)) throw alreadySigned();
    return task;
  }

  async function change(actor: Actor, id: string, version: number, patch: Partial<store.TaskRow>, action: string, detail: Record<string, unknown> = {}): Promise<TaskView> {
    const task = await assignable(actor, id);
    await db.transaction().execute(async (trx) => {
      if (!(await store.updateTask(trx, id, version, patch))) throw staleTask();
      await deps.audit.record(trx, { actor: { id: actor.userId, name: actor.username, orgId: actor.orgId }, action: `services.task.${action}`, subjectType: 'task', subjectId: id, outcome: 'success', detail: { application: task.application_number, ...detail }, ip: null, requestId: null });
    });
    return presentTask({ ...task, ...patch, version: version + 1 }, await deps.calendar(), clock.now());
  }

  return {
    assignable,
    workable,

    async inbox(actor: Actor, query: { scope: 'mine' | 'pool' | 'all'; limit: number; offset: number }): Promise<{ total: number; items: TaskView[]; duties: string[] }> {
      if (!hasRole(actor, 'officer', 'org_admin')) throw new ForbiddenError('The task inbox is for officers of an organization that provides services.', '待办任务仅供提供政务服务的机关工作人员使用。');
      const duties = await store.dutiesOf(db, actor.userId, actor.orgId);
      const [found, calendar] = await Promise.all([store.inbox(db, { orgId: actor.orgId, duties, userId: actor.userId, ...query }), deps.calendar()]);
      const now = clock.now();
      // A leader who signed one countersignature of an application is not offered the next.
      const countersigning = found.rows.filter((r) => r.kind === 'countersign').map((r) => r.application_id);
      const signed = await store.countersignedBy(db, actor.userId, countersigning);
      const rows = found.rows.filter((r) => r.kind !== 'countersign' || !signed.has(r.application_id));
      return { total: found.total - (found.rows.length - rows.length), duties, items: rows.map((r) => presentTask(r, calendar, now)) };
    },

    async claim(actor: Actor, id: string, version: number): Promise<TaskView> {
      const task = await assignable(actor, id);
      if (task.status !== 'open') throw new ConflictError('not_open', task.status === 'claimed' ? `${task.assignee_name ?? 'A colleague'} has claimed this task.` : 'This task is closed.', task.status === 'claimed' ? `该任务已由${task.assignee_name ?? '其他同事'}认领。` : '该任务已关闭。');
      return change(actor, id, version, { status: 'claimed', assignee_id: actor.userId, assignee_name: actor.displayName, claimed_at: clock.now() }, 'claim');
    },

    /** Gives a claimed task back to the pool of its duty (退回待办池). */
    async giveBack(actor: Actor, id: string, version: number): Promise<TaskView> {
      const task = await assignable(actor, id);
      if (task.status !== 'claimed' || task.assignee_id !== actor.userId) throw new ConflictError('not_claimed_by_you', 'Only a task you claimed can be returned to the pool.', '只有您认领的任务才能退回待办池。');
      return change(actor, id, version, { status: 'open', assignee_id: null, assignee_name: null, claimed_at: null }, 'return');
    },

    /** Passes a task to a colleague of the same organization who holds its duty (转办). */
    async forward(actor: Actor, id: string, version: number, to: { staffId: string; name: string }): Promise<TaskView> {
      const task = await assignable(actor, id);
      if (task.status === 'done' || task.status === 'cancelled') throw new ConflictError('task_closed', 'This task is already done or was cancelled.', '该任务已办结或已取消。');
      if (task.status === 'claimed' && task.assignee_id !== actor.userId) throw new ConflictError('claimed_by_other', 'Only the officer who claimed a task forwards it.', '只有认领该任务的人员才能转办。');
      if (!(await store.staffWithDuty(db, task.org_id, task.duty)).includes(to.staffId)) {
        throw new ConflictError('colleague_lacks_duty', 'The colleague does not hold this duty in your organization; ask your administrator to give it first.', '该同事在本机关不具备办理该任务的岗位职责，请先由管理员授予。');
      }
      return change(actor, id, version, { status: 'claimed', assignee_id: to.staffId, assignee_name: to.name, claimed_at: clock.now() }, 'forward', { to: to.staffId });
    },

    /** Closes a task with its outcome inside the caller's transaction (acceptance or a review step). */
    async close(trx: Executor, actor: Actor, task: store.TaskRow, outcome: Record<string, unknown>): Promise<void> {
      const now = clock.now();
      const patch = { status: 'done' as const, outcome, done_at: now, assignee_id: actor.userId, assignee_name: actor.displayName, claimed_at: task.claimed_at ?? now };
      if (!(await store.updateTask(trx, task.id, task.version, patch))) throw staleTask();
    },

    /** Today's China date, for deadlines. */
    today: () => chinaDateOf(clock.now()),
  };
}

export type Tasks = ReturnType<typeof createTasks>;
