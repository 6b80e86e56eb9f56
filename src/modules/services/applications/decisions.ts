// The officers' decisions on an application, each one transaction with the application locked:
//  - acceptance (art. 32): accept, not accept (with the reason and the right agency), or ask for
//    supplements — everything missing at once, once, and within the 5 working days; when nobody
//    decides in time the application counts as accepted (the timer calls deemAccepted);
//  - review: each step of the service's BPMN process; the process's end is the decision;
//  - approval: the licence is issued and sealed in the same transaction;
//  - the statutory clock: one extension with the approving officer's consent, suspensions for
//    hearings, testing and expert review, each told to the applicant.
import { hasRole, type Actor } from '../../../platform/actor.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, ForbiddenError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { chinaDateOf, endOfChinaDay, type CivilDate, type WorkCalendar } from '../../../platform/workdays.ts';
import { extend, isClockError, resume, suspend, viewClock, type ApprovalClock, type SuspensionReason } from '../deadlines/approval-clock.ts';
import { notFound, record, staleApplication } from './lifecycle.ts';
import { NEWS, type AcceptanceDecision, type EventActor, type SupplementItem } from './model.ts';
import type { ServiceView } from '../catalog/schema.ts';
import type { ApplicationsDeps, ProcessSnapshot, PublishedFormPort, WaitingStep } from './ports.ts';
import * as store from './store.ts';
import type { Tasks } from './tasks.ts';
import { JOINT_OUTCOME_QUEUE, JOINT_STEP_QUEUE, type JointStep } from './joint-queues.ts';

export const DECISION_QUEUE = 'services.decision-due';

/** Without a BPMN process, the service's approving officer decides alone after acceptance. */
const DECIDE_STEP: WaitingStep = { ref: 'decide', name: { zh: '审批决定', en: 'Decision' }, duty: 'approver', org: 'lead', kind: 'decide' };

const staffActor = (actor: Actor): EventActor => ({ kind: 'staff', id: actor.userId, name: actor.displayName });
const SYSTEM: EventActor = { kind: 'system', id: null, name: 'system' };

function clockError(field: string, error: { code: string; message: string; messageZh: string }): ConflictError {
  return new ConflictError(error.code, error.message, error.messageZh, [{ field, code: error.code, message: error.message, messageZh: error.messageZh }]);
}

function bilingualRequired(fields: Record<string, string | undefined>): FieldError[] {
  return Object.entries(fields).flatMap(([field, value]) => (value && value.trim().length > 0 ? [] : [{ field, code: 'required', message: 'is required (the applicant reads it)', messageZh: '必填（申请人将看到）' }]));
}

/** What a decision reads before its transaction opens (see lifecycle.ts on why). */
type Prepared = { calendar: WorkCalendar; service: ServiceView | undefined; form: PublishedFormPort | undefined };

export function createDecisions(deps: ApplicationsDeps, tasks: Tasks) {
  const { db, clock } = deps;

  async function prepare(applicationId: string): Promise<Prepared> {
    const row = await store.findApplication(db, applicationId);
    if (!row) throw notFound(applicationId);
    const [calendar, service, form] = await Promise.all([deps.calendar(), deps.catalog.findPublished(row.service_code), deps.forms.published(row.service_code)]);
    return { calendar, service, form };
  }

  async function locked(trx: Executor, id: string): Promise<store.ApplicationRow> {
    const row = await store.findApplication(trx, id, { forUpdate: true });
    if (!row) throw notFound(id);
    return row;
  }

  async function save(trx: Executor, row: store.ApplicationRow, patch: Partial<store.ApplicationRow>): Promise<store.ApplicationRow> {
    const next = { ...row, ...patch, updated_at: clock.now() };
    if (!(await store.updateApplication(trx, row.id, row.version, { ...patch, updated_at: next.updated_at }))) throw staleApplication();
    return { ...next, version: row.version + 1 };
  }

  async function tell(row: store.ApplicationRow, event: string): Promise<void> {
    const news = NEWS[event];
    if (!news) return;
    try {
      const service = await deps.catalog.findPublished(row.service_code);
      await deps.notify({ citizenId: row.applicant_citizen_id, template: 'application_update', vars: { number: row.number, service: service?.nameZh ?? row.service_code, whatZh: news.zh, whatEn: news.en } });
    } catch {
      // The decision stands; the applicant also sees it on their tracking page.
    }
  }

  /**
   * Opens a task row for each step the process waits on that has none yet. A joint
   * department's step is sent to it through the exchange instead (joint.ts), by a job written in
   * this transaction: its node opens the task in its own inbox.
   */
  async function openSteps(trx: Executor, pre: Prepared, row: store.ApplicationRow, waiting: WaitingStep[]): Promise<void> {
    const existing = new Set((await store.tasksOf(trx, row.id)).map((t) => t.ref));
    for (const step of waiting) {
      if (existing.has(step.ref)) continue;
      if (step.org !== 'lead') {
        const orgId = pre.service?.jointOrgIds[0];
        if (!orgId) throw new ConflictError('no_joint_department', `The review process has a joint department's step (${step.name.en}) but the service names no joint department.`, `审查流程含联办部门环节（${step.name.zh}），但事项未设置联办部门。`);
        const payload: JointStep = { applicationId: row.id, ref: step.ref, orgId, nameZh: step.name.zh, nameEn: step.name.en, duty: step.duty, kind: step.kind };
        await deps.timers.schedule(trx, JOINT_STEP_QUEUE, payload, { runAt: clock.now(), key: `${row.id}:${step.ref}` });
        continue;
      }
      await store.insertTask(trx, {
        id: newId(),
        application_id: row.id,
        ref: step.ref,
        org_id: row.org_id,
        duty: step.duty,
        kind: step.kind,
        name_zh: step.name.zh,
        name_en: step.name.en,
        status: 'open',
        assignee_id: null,
        assignee_name: null,
        due_date: row.due_date,
        service_code: row.service_code,
        application_number: row.number,
        applicant_name: row.applicant_name,
        outcome: null,
        reply_to: null,
        version: 1,
        created_at: clock.now(),
        claimed_at: null,
        done_at: null,
      });
    }
  }

  /** Advances the process by one completed step (the lead's own, or a joint department's reported outcome). */
  async function advance(trx: Executor, pre: Prepared, row: store.ApplicationRow, task: { ref: string; kind: string }, output: { opinion: 'agree' | 'disagree'; comment: string; decision?: 'approve' | 'deny'; by: string }, who: EventActor, meta: { ip: string | null; requestId: string | null; orgId?: string | null }): Promise<store.ApplicationRow> {
    let snapshot: ProcessSnapshot;
    if (row.process_key) {
      // A decide step takes the decision (agree means approve); a countersignature is told apart by who signs.
      const step = task.kind === 'decide' ? { decision: output.decision ?? (output.opinion === 'agree' ? 'approve' : 'deny') } : { opinion: output.opinion };
      snapshot = await deps.process.complete(row.process_key, row.process_state, task.ref, { ...step, comment: output.comment, by: output.by });
    } else {
      const approve = output.opinion === 'agree' && output.decision !== 'deny';
      snapshot = { state: null, waiting: [], ended: true, outcome: { decision: approve ? 'approve' : 'deny', reasons: output.comment ? [output.comment] : [] } };
    }
    const saved = await save(trx, row, { process_state: snapshot.state });
    if (snapshot.ended) return decideInside(trx, pre, saved, who, snapshot.outcome ?? { decision: 'deny', reasons: [] }, meta);
    await openSteps(trx, pre, saved, snapshot.waiting);
    return saved;
  }

  /** Accepts inside a transaction: the clock starts, the process starts, its first steps open. */
  async function acceptInside(trx: Executor, pre: Prepared, row: store.ApplicationRow, actor: EventActor, deemed: boolean, meta: { ip: string | null; requestId: string | null; orgId?: string | null }): Promise<store.ApplicationRow> {
    const acceptedOn = chinaDateOf(clock.now());
    const approval: ApprovalClock = { acceptedOn, handling: row.handling, promisedDays: pre.service?.promisedDays ?? 20, extended: false, suspensions: [] };
    const view = viewClock(pre.calendar, approval, clock.now());
    const key = deps.process.keyFor(row.service_code) ?? null;
    const snapshot: ProcessSnapshot = key ? await deps.process.start(key, { serviceCode: row.service_code, applicationId: row.id }) : { state: null, waiting: [DECIDE_STEP], ended: false };
    await store.setOpenTasks(trx, row.id, { status: 'cancelled' });
    const next = await save(trx, row, { status: 'in_review', accepted_on: acceptedOn, deemed_accepted: deemed, clock: approval, due_date: view.dueDate, process_key: key, process_state: snapshot.state, acceptance: { decision: 'accept', by: actor.name, at: clock.now().toISOString(), deemed } });
    await openSteps(trx, pre, next, snapshot.waiting);
    if (view.dueAt) await deps.timers.schedule(trx, DECISION_QUEUE, { applicationId: row.id }, { runAt: view.dueAt, key: `${row.id}:${view.dueDate}` });
    await record(deps, trx, row, actor, deemed ? 'deemed_accept' : 'accept', { acceptedOn, dueDate: view.dueDate }, meta);
    return next;
  }

  /** The decision at the process's end: approve issues the licence; deny gives the reasons. */
  async function decideInside(trx: Executor, pre: Prepared, row: store.ApplicationRow, actor: EventActor, outcome: { decision: 'approve' | 'deny'; reasons: string[] }, meta: { ip: string | null; requestId: string | null; orgId?: string | null }): Promise<store.ApplicationRow> {
    const now = clock.now();
    let licenceId: string | null = null;
    if (outcome.decision === 'approve') {
      const service = pre.service;
      const data = row.form_data;
      const issued = await deps.licences.issue(trx, {
        serviceCode: row.service_code,
        applicationId: row.id,
        orgId: row.org_id,
        holder: row.enterprise_id
          ? { kind: 'enterprise', idNumber: row.enterprise_credit_code ?? '', name: row.enterprise_name ?? row.applicant_name, citizenId: null }
          : { kind: 'person', idNumber: row.applicant_id_number, name: row.applicant_person_name, citizenId: row.applicant_citizen_id },
        typeZh: service?.nameZh ?? row.service_code,
        typeEn: service?.nameEn ?? row.service_code,
        fields: pre.form ? pre.form.particulars(data) : [],
        validFrom: chinaDateOf(now),
        validUntil: null,
      });
      licenceId = issued.id;
    }
    await store.setOpenTasks(trx, row.id, { status: 'cancelled' });
    const next = await save(trx, row, { status: outcome.decision === 'approve' ? 'approved' : 'denied', decision: outcome.decision, decision_reasons: outcome.reasons, decided_at: now, licence_id: licenceId });
    await record(deps, trx, row, actor, outcome.decision, { reasons: outcome.reasons, licenceId }, meta);
    return next;
  }

  async function acceptanceStep(actor: Actor, taskId: string, version: number, decision: AcceptanceDecision, meta: { ip: string | null; requestId: string | null }): Promise<store.ApplicationRow> {
    const who = staffActor(actor);
    const m = { ...meta, orgId: actor.orgId };
    const pre = await prepare((await tasks.assignable(actor, taskId)).application_id);
    const result = await db.transaction().execute(async (trx) => {
      const task = await tasks.workable(actor, taskId, version, trx);
      const row = await locked(trx, task.application_id);
      if (row.status !== 'submitted') throw new ConflictError('not_awaiting_acceptance', 'The application is not awaiting acceptance (it was accepted, withdrawn or sent back already).', '该申请不在待受理状态（已受理、已撤回或已退回补正）。');
      await tasks.close(trx, actor, task, decision);
      if (decision.decision === 'accept') return acceptInside(trx, pre, row, who, false, m);
      if (decision.decision === 'not_accept') {
        const errors = bilingualRequired({ reasonZh: decision.reasonZh, reasonEn: decision.reasonEn });
        if (errors.length) throw new ValidationError(errors);
        const next = await save(trx, row, { status: 'not_accepted', acceptance: { ...decision, by: actor.displayName, at: clock.now().toISOString() } });
        await record(deps, trx, row, who, 'not_accept', { agencyZh: decision.agencyZh ?? null }, m);
        return next;
      }
      return requestSupplements(trx, row, actor, decision.items, decision.noteZh ?? '', decision.noteEn ?? '', m);
    });
    await tell(result, result.status);
    return result;
  }

  /** Everything missing, listed at once (一次性告知), once per application, before the acceptance is due. */
  async function requestSupplements(trx: Executor, row: store.ApplicationRow, actor: Actor, items: SupplementItem[], noteZh: string, noteEn: string, meta: { ip: string | null; requestId: string | null; orgId?: string | null }): Promise<store.ApplicationRow> {
    const errors: FieldError[] = [];
    if (items.length === 0) errors.push({ field: 'items', code: 'required', message: 'list every missing material or wrong field at once', messageZh: '须一次性列明所有需补正的材料或内容' });
    items.forEach((item, i) => errors.push(...bilingualRequired({ [`items/${i}/zh`]: item.zh, [`items/${i}/en`]: item.en })));
    if (errors.length) throw new ValidationError(errors);
    if ((await store.listEvents(trx, row.id)).some((e) => e.type === 'supplement_request')) {
      throw new ConflictError('supplements_asked_once', 'Supplements were asked for once already; the law wants everything missing listed at once. Accept the application or do not accept it, with the reason.', '已经通知过一次补正；法律要求一次性告知需补正的全部内容。请作出受理或不予受理的决定并说明理由。');
    }
    if (row.acceptance_due && chinaDateOf(clock.now()) > row.acceptance_due) {
      throw new ConflictError('acceptance_overdue', 'The 5 working days for asking supplements have passed: the application counts as accepted from its receipt.', '要求补正的 5 个工作日期限已过，该申请自收到之日起即为受理。');
    }
    const supplement = { items, noteZh, noteEn, requestedAt: clock.now().toISOString(), requestedBy: actor.displayName };
    const next = await save(trx, row, { status: 'supplement_requested', supplement, acceptance: { decision: 'supplement', by: actor.displayName, at: supplement.requestedAt } });
    await record(deps, trx, row, staffActor(actor), 'supplement_request', { items: items.length }, meta);
    return next;
  }

  async function reviewStep(actor: Actor, taskId: string, version: number, output: { opinion: 'agree' | 'disagree'; comment: string; decision?: 'approve' | 'deny' }, meta: { ip: string | null; requestId: string | null }): Promise<store.ApplicationRow> {
    if (output.opinion === 'disagree' && output.comment.trim().length < 2) throw new ValidationError([{ field: 'comment', code: 'required', message: 'say why you disagree: it becomes the reason the applicant reads', messageZh: '请说明不同意的理由，该理由将告知申请人' }]);
    const who = staffActor(actor);
    const m = { ...meta, orgId: actor.orgId };
    const pre = await prepare((await tasks.assignable(actor, taskId)).application_id);
    const result = await db.transaction().execute(async (trx) => {
      const task = await tasks.workable(actor, taskId, version, trx);
      const row = await locked(trx, task.application_id);
      if (row.status !== 'in_review') throw new ConflictError('not_in_review', 'The application is not under review.', '该申请不在审查阶段。');
      if ((row.clock as ApprovalClock | null)?.suspensions.some((s) => s.to === null)) throw new ConflictError('clock_suspended', 'The application is suspended (hearing, testing or expert review); resume it before deciding.', '该申请处于暂停计时状态（听证、检测或专家评审），请先恢复计时再办理。');
      await tasks.close(trx, actor, task, output);
      await record(deps, trx, row, who, 'review_step', { step: task.ref, opinion: output.opinion }, m);
      if (task.reply_to) {
        // A joint department's step: its outcome goes back to the lead through the exchange.
        await deps.timers.schedule(trx, JOINT_OUTCOME_QUEUE, { taskId: task.id }, { runAt: clock.now(), key: task.id });
        return row;
      }
      return advance(trx, pre, row, task, { ...output, by: actor.userId }, who, m);
    });
    if (result.status === 'approved' || result.status === 'denied') await tell(result, result.status);
    return result;
  }

  /** Applies a change to the statutory clock, moves the due date of the open steps, and tells the applicant. */
  async function changeClock(actor: Actor, id: string, version: number, type: string, change: (clock: ApprovalClock, today: CivilDate) => ApprovalClock | { code: string; message: string; messageZh: string }, detail: Record<string, unknown>, meta: { ip: string | null; requestId: string | null }): Promise<store.ApplicationRow> {
    const calendar = await deps.calendar();
    const result = await db.transaction().execute(async (trx) => {
      const row = await locked(trx, id);
      if (row.org_id !== actor.orgId) throw notFound(id);
      if (row.version !== version) throw staleApplication();
      if (row.status !== 'in_review' || !row.clock) throw new ConflictError('not_in_review', 'Only an application under review has a running decision period.', '仅审查中的申请有办理期限。');
      const next = change(row.clock as ApprovalClock, chinaDateOf(clock.now()));
      if (isClockError(next as ApprovalClock)) throw clockError('clock', next as { code: string; message: string; messageZh: string });
      const view = viewClock(calendar, next as ApprovalClock, clock.now());
      const saved = await save(trx, row, { clock: next, due_date: view.dueDate });
      await store.setOpenTasks(trx, id, { due_date: view.dueDate });
      if (view.dueAt) await deps.timers.schedule(trx, DECISION_QUEUE, { applicationId: id }, { runAt: view.dueAt, key: `${id}:${view.dueDate}` });
      await record(deps, trx, row, staffActor(actor), type, { ...detail, dueDate: view.dueDate }, { ...meta, orgId: actor.orgId });
      return saved;
    });
    await tell(result, type);
    return result;
  }

  function requireDuty(actor: Actor, duties: string[], duty: string, what: { en: string; zh: string }): void {
    if (!hasRole(actor, 'officer', 'org_admin') || !duties.includes(duty)) throw new ForbiddenError(`${what.en} needs the approving officer's duty in the organization.`, `${what.zh}须由本机关的审批负责人决定。`, 'duty_required');
  }

  return {
    /** Completes an acceptance step with its decision. */
    accept: acceptanceStep,
    /** Completes a review step with the officer's opinion. */
    review: reviewStep,

    /** The timer's work: a submitted application whose acceptance is overdue counts as accepted (art. 32). Idempotent. */
    async deemAccepted(id: string): Promise<boolean> {
      const pre = await prepare(id);
      const result = await db.transaction().execute(async (trx) => {
        const row = await locked(trx, id);
        if (row.status !== 'submitted' || !row.acceptance_due || chinaDateOf(clock.now()) <= row.acceptance_due) return undefined;
        return acceptInside(trx, pre, row, SYSTEM, true, { ip: null, requestId: null });
      });
      if (result) await tell(result, 'deemed_accepted');
      return result !== undefined;
    },

    /** The timer's work when a decision falls due: it goes into the history (the inbox shows it red). */
    async decisionDue(id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await locked(trx, id);
        if (row.status !== 'in_review' || !row.due_date || chinaDateOf(clock.now()) < row.due_date) return;
        await record(deps, trx, row, SYSTEM, 'decision_overdue', { dueDate: row.due_date });
      });
    },

    /** A joint department's outcome of its step, reported through the exchange (joint.ts): the process moves on. */
    async jointOutcome(applicationId: string, ref: string, output: { opinion: 'agree' | 'disagree'; comment: string; by: string }, from: { id: string; name: string }): Promise<void> {
      const pre = await prepare(applicationId);
      const fromOrgId = from.id;
      // The history names the department (its officer is theirs to know).
      const who: EventActor = { kind: 'staff', id: null, name: from.name };
      const result = await db.transaction().execute(async (trx) => {
        const row = await locked(trx, applicationId);
        if (row.status !== 'in_review') throw new ConflictError('not_in_review', 'The application is not under review.', '该申请不在审查阶段。');
        await record(deps, trx, row, who, 'joint_step', { step: ref, opinion: output.opinion, org: fromOrgId }, { ip: null, requestId: null, orgId: fromOrgId });
        return advance(trx, pre, row, { ref, kind: 'review' }, output, who, { ip: null, requestId: null, orgId: fromOrgId });
      });
      if (result.status === 'approved' || result.status === 'denied') await tell(result, result.status);
    },

    /** The one extension (10 working days, 15 for joint handling), decided by an approving officer. */
    async extend(actor: Actor, duties: string[], id: string, input: { version: number; reasonZh: string; reasonEn: string }, meta: { ip: string | null; requestId: string | null }) {
      requireDuty(actor, duties, 'approver', { en: 'Extending the decision period', zh: '延长办理期限' });
      const errors = bilingualRequired({ reasonZh: input.reasonZh, reasonEn: input.reasonEn });
      if (errors.length) throw new ValidationError(errors);
      return changeClock(actor, id, input.version, 'extend', (c) => extend(c), { reasonZh: input.reasonZh, reasonEn: input.reasonEn }, meta);
    },

    async suspend(actor: Actor, duties: string[], id: string, input: { version: number; reason: SuspensionReason; noteZh: string; noteEn: string }, meta: { ip: string | null; requestId: string | null }) {
      requireDuty(actor, duties, 'approver', { en: 'Suspending the clock', zh: '暂停计时' });
      return changeClock(actor, id, input.version, 'suspend', (c, today) => suspend(c, today, input.reason), { reason: input.reason, noteZh: input.noteZh, noteEn: input.noteEn }, meta);
    },

    async resume(actor: Actor, duties: string[], id: string, input: { version: number }, meta: { ip: string | null; requestId: string | null }) {
      requireDuty(actor, duties, 'approver', { en: 'Resuming the clock', zh: '恢复计时' });
      // The day it resumes is the last that does not count; the clock runs from the next.
      return changeClock(actor, id, input.version, 'resume', (c, today) => resume(c, today), {}, meta);
    },

    endOfDay: endOfChinaDay,
  };
}

export type Decisions = ReturnType<typeof createDecisions>;
