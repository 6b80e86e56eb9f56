// Applications: the applicant's side (submission.ts), the officers' tasks (tasks.ts) and
// decisions (decisions.ts), and the two views of an application — the applicant's tracking page
// and the officers' dossier, whose every read is audited because it holds personal data.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { isDuty } from './model.ts';
import { createDecisions } from './decisions.ts';
import { createDocuments } from './documents.ts';
import * as listing from './listing-store.ts';
import { notFound, record } from './lifecycle.ts';
import type { AcceptanceDecision, Applicant } from './model.ts';
import type { ApplicationsDeps } from './ports.ts';
import { presentApplication, presentDossier, type ApplicationView, type DossierView } from './present.ts';
import * as store from './store.ts';
import { createSubmission } from './submission.ts';
import { createTasks } from './tasks.ts';

/** What completes a step: an acceptance decision, or a review opinion (with the decision on a decide step). */
export type StepOutcome = AcceptanceDecision | { opinion: 'agree' | 'disagree'; comment: string; decision?: 'approve' | 'deny' };

/** History lines an applicant sees without their detail: officers' internal opinions stay in the dossier. */
const INTERNAL_DETAIL = new Set(['review_step', 'joint_step']);

export function createApplications(deps: ApplicationsDeps) {
  const { db, clock } = deps;
  const submission = createSubmission(deps);
  const tasks = createTasks(deps);
  const decisions = createDecisions(deps, tasks);
  const documents = createDocuments(deps);

  async function view(row: store.ApplicationRow): Promise<ApplicationView> {
    const [calendar, files, events] = await Promise.all([deps.calendar(), store.listAttachments(db, row.id), store.listEvents(db, row.id)]);
    return presentApplication(row, { calendar, now: clock.now(), files, events });
  }

  async function forApplicant(row: store.ApplicationRow): Promise<ApplicationView> {
    const v = await view(row);
    return { ...v, history: v.history.map((h) => (INTERNAL_DETAIL.has(h.type) ? { ...h, detail: {} } : h)) };
  }

  return {
    submission,
    tasks,
    decisions,
    documents,
    forApplicant,

    async mine(applicant: Applicant): Promise<ApplicationView[]> {
      return Promise.all((await submission.mine(applicant)).map(forApplicant));
    },

    async get(applicant: Applicant, id: string): Promise<ApplicationView> {
      return forApplicant(await submission.own(applicant, id));
    },

    /**
     * The dossier for an officer of the lead organization, or of a joint organization with a
     * step on it. A read of personal data: audited.
     */
    async dossier(actor: Actor, id: string, meta: { ip: string | null; requestId: string | null }): Promise<DossierView> {
      const row = await store.findApplication(db, id);
      if (!row) throw notFound(id);
      const taskRows = await store.tasksOf(db, id);
      const involved = row.org_id === actor.orgId || taskRows.some((t) => t.org_id === actor.orgId);
      if (!involved) throw notFound(id);
      if (!hasRole(actor, 'officer', 'org_admin')) throw new ForbiddenError('Application dossiers are for the officers who handle them.', '申请卷宗仅供办理人员查阅。');
      const [v, calendar] = await Promise.all([view(row), deps.calendar()]);
      await deps.audit.record(db, { actor: { id: actor.userId, name: actor.username, orgId: actor.orgId }, action: 'services.application.read', subjectType: 'application', subjectId: id, outcome: 'success', detail: { number: row.number, personalData: true }, ip: meta.ip, requestId: meta.requestId });
      return presentDossier(v, taskRows, calendar, clock.now());
    },

    /**
     * A message from the officers to the applicant (a question, an appointment for a site
     * visit): it goes into the application's history, which the applicant reads, and to their
     * inbox and chosen channels.
     */
    async message(actor: Actor, id: string, text: string, meta: { ip: string | null; requestId: string | null }): Promise<DossierView> {
      const row = await store.findApplication(db, id);
      if (!row || row.org_id !== actor.orgId) throw notFound(id);
      if (!hasRole(actor, 'officer', 'org_admin')) throw new ForbiddenError('Messages to applicants are written by the officers who handle the application.', '仅办理该申请的工作人员可以向申请人发送消息。');
      const body = text.trim();
      if (body.length < 2) throw new ValidationError([{ field: 'text', code: 'required', message: 'write the message the applicant reads', messageZh: '请填写发给申请人的消息' }]);
      if (row.status === 'draft') throw new ConflictError('not_submitted', 'The application is still a draft: its applicant has not sent it.', '该申请仍是草稿，申请人尚未提交。');
      await db.transaction().execute((trx) => record(deps, trx, row, { kind: 'staff', id: actor.userId, name: actor.displayName }, 'message', { text: body }, { ...meta, orgId: actor.orgId }));
      const service = await deps.catalog.findPublished(row.service_code);
      try {
        await deps.notify({ citizenId: row.applicant_citizen_id, template: 'application_message', vars: { number: row.number, service: service?.nameZh ?? row.service_code, text: body } });
      } catch {
        // The message stands in the history, where the applicant reads it.
      }
      return this.dossier(actor, id, meta);
    },

    async file(actor: Actor, id: string, fileId: string, meta: { ip: string | null; requestId: string | null }): Promise<store.AttachmentRow> {
      await this.dossier(actor, id, meta);
      const found = await store.findAttachment(db, id, fileId);
      if (!found) throw new NotFoundError('file', fileId, '文件');
      return found;
    },

    /** Who a task can be forwarded to: the ids of its organization's staff holding its duty (for an officer who may handle it). */
    async colleagues(actor: Actor, taskId: string): Promise<string[]> {
      const task = await tasks.assignable(actor, taskId);
      return store.staffWithDuty(db, task.org_id, task.duty);
    },

    /** The applicant's applications (and their enterprises'), of one service or all, sorted and paged. */
    async list(applicant: Applicant, query: { serviceId?: string; sort: listing.ApplicationSort; order: listing.SortOrder; limit: number; offset: number }): Promise<store.ApplicationRow[]> {
      return listing.applicationsOf(db, { citizenId: applicant.citizenId, enterpriseIds: await deps.enterprisesOf(applicant.citizenId), ...query });
    },

    /** An officer's open steps as their inbox has them, for one application or assignee, sorted and paged. */
    async openTasks(actor: Actor, query: { applicationId?: string; assigneeId?: string; sort: listing.TaskSort; order: listing.SortOrder; limit: number; offset: number }): Promise<listing.ListedTask[]> {
      if (!hasRole(actor, 'officer', 'org_admin')) throw new ForbiddenError('The task inbox is for officers of an organization that provides services.', '待办任务仅供提供政务服务的机关工作人员使用。');
      const duties = await store.dutiesOf(db, actor.userId, actor.orgId);
      return listing.openTasksFor(db, { orgId: actor.orgId, duties, userId: actor.userId, ...query });
    },

    /**
     * Completes a step with its outcome: an acceptance step takes an acceptance decision, any
     * other step a review opinion. Without a version, the task as it is now.
     */
    async complete(actor: Actor, taskId: string, outcome: StepOutcome, meta: { ip: string | null; requestId: string | null }, version?: number): Promise<store.ApplicationRow> {
      const task = await tasks.assignable(actor, taskId);
      const at = version ?? task.version;
      if (task.kind === 'acceptance') {
        if (!('decision' in outcome) || 'opinion' in outcome || !['accept', 'not_accept', 'supplement'].includes(outcome.decision)) throw wrongOutcome('an acceptance step takes decision: accept, not_accept or supplement', '受理环节须作出受理、不予受理或补正的决定');
        return decisions.accept(actor, taskId, at, outcome as AcceptanceDecision, meta);
      }
      if (!('opinion' in outcome)) throw wrongOutcome('a review step takes opinion: agree or disagree, with a comment', '审查环节须填写同意或不同意的意见');
      return decisions.review(actor, taskId, at, outcome, meta);
    },

    /** The duties an officer holds (what their inbox shows). */
    duties: (actor: Actor) => store.dutiesOf(db, actor.userId, actor.orgId),

    /** Gives an officer of the administrator's organization their duties (replacing the ones before). */
    async setDuties(actor: Actor | null, staff: { id: string; orgId: string }, duties: string[]): Promise<string[]> {
      if (actor && !(hasRole(actor, 'org_admin') && actor.orgId === staff.orgId) && !hasRole(actor, 'platform_admin')) {
        throw new ForbiddenError("Only the organization's administrator gives its officers their duties.", '仅本机关管理员可以设置工作人员的岗位职责。');
      }
      const bad = duties.filter((d) => !isDuty(d));
      if (bad.length) throw new ValidationError(bad.map((d) => ({ field: 'duties', code: 'unknown_duty', message: `${d} is not a duty (acceptor, reviewer, approver, leader)`, messageZh: `${d} 不是有效的岗位职责（acceptor、reviewer、approver、leader）` })));
      const unique = [...new Set(duties)].sort();
      await db.transaction().execute(async (trx) => {
        await store.setDuties(trx, staff.id, staff.orgId, unique, clock.now());
        await deps.audit.record(trx, { actor: actor ? { id: actor.userId, name: actor.username, orgId: actor.orgId } : { id: null, name: 'seed', orgId: null }, action: 'services.duties.set', subjectType: 'user', subjectId: staff.id, outcome: 'success', detail: { duties: unique }, ip: null, requestId: null });
      });
      return unique;
    },
  };
}

export type Applications = ReturnType<typeof createApplications>;

function wrongOutcome(en: string, zh: string): ValidationError {
  return new ValidationError([{ field: 'body', code: 'wrong_step_outcome', message: en, messageZh: zh }]);
}
