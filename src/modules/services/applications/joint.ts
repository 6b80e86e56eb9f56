// Joint handling across departments through the exchange. When a service's review process
// waits on a joint department's step (the EIA's land-use review by natural resources), the lead
// department's approval system sends the step to the joint department's `joint-review` service
// over the exchange; that department's node opens the task in its own officers' inbox. When its
// officer completes it, the outcome goes back over the exchange to the lead's `joint-review`
// service, which advances the process. Both directions are calls of one organization's system
// to another's service: authorized by an access right, signed, logged as evidence, retried by
// the jobs system until delivered — even on one node, where the call goes in process.
//
// The built-in backend egov:joint-review (a department registers a service of its `approval`
// subsystem with it):
//   POST /steps     a lead department opens a step for the service's organization
//   POST /outcomes  a joint department reports a step's outcome to the service's organization
import type { Db } from '../../../platform/db.ts';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import type { ServiceCatalog } from '../catalog/service.ts';
import type { Decisions } from './decisions.ts';
import type { Jobs } from '../../../platform/jobs.ts';
import { JOINT_OUTCOME_QUEUE, JOINT_STEP_QUEUE, type JointStep } from './joint-queues.ts';
import * as store from './store.ts';

export const JOINT_BACKEND = 'joint-review';

/** An organization's approval system and its joint-review service on the exchange. */
export type JointEndpoint = { subsystem: string; service: string };

export type JointDeps = {
  db: Db;
  catalog: ServiceCatalog;
  decisions: Decisions;
  exchange: {
    call(client: string, request: { method: 'POST'; service: string; path: string; body: unknown }): Promise<{ status: number; error: string | undefined; xRoadId: string | undefined; body: string }>;
  };
  /** The organization's joint-review service (and the subsystem it calls from), if it has one. */
  endpointOf(orgId: string): Promise<JointEndpoint | undefined>;
  /** The organization a member identifier (INSTANCE/CLASS/CODE) names. */
  organizationOfMember(member: string): Promise<{ id: string; nameZh: string } | undefined>;
  now(): Date;
};

type Call = { client: string; service: string; method: string; path: string; body: Buffer; headers: Record<string, string> };
type Answer = { status: number; headers: Record<string, string>; body: Buffer };

const memberOf = (identifier: string) => identifier.split('/').slice(0, 3).join('/');
const answer = (status: number, body: unknown): Answer => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(body)) });

function problemAnswer(err: unknown): Answer {
  if (err instanceof DomainError) {
    const status = err instanceof ValidationError ? 400 : err instanceof ForbiddenError ? 403 : err instanceof NotFoundError ? 404 : 409;
    return answer(status, { code: err.code, detail: err.message, detailZh: err.messageZh ?? err.message });
  }
  throw err;
}

const undelivered = (what: string, res: { status: number; error: string | undefined; body: string }) =>
  new Error(`${what} was not delivered (${res.error ?? `status ${res.status}`}: ${res.body.slice(0, 200)}); the jobs system retries it.`);

export function createJoint(deps: JointDeps) {
  const { db } = deps;

  async function endpoint(orgId: string, role: string): Promise<JointEndpoint> {
    const found = await deps.endpointOf(orgId);
    if (!found) throw new Error(`The ${role} organization ${orgId} has no joint-review service on the exchange (an 'approval' subsystem's service with backend egov:${JOINT_BACKEND}).`);
    return found;
  }

  /** The lead's side: sends a waiting joint step to the joint department (a job's work; idempotent at the receiver). */
  async function deliverStep(step: JointStep): Promise<void> {
    const app = await store.findApplication(db, step.applicationId);
    if (!app || app.status !== 'in_review') return;
    const [lead, joint] = await Promise.all([endpoint(app.org_id, 'lead'), endpoint(step.orgId, 'joint')]);
    const res = await deps.exchange.call(lead.subsystem, {
      method: 'POST',
      service: joint.service,
      path: '/steps',
      body: { applicationId: app.id, ref: step.ref, nameZh: step.nameZh, nameEn: step.nameEn, duty: step.duty, kind: step.kind, dueDate: app.due_date, serviceCode: app.service_code, applicationNumber: app.number, applicantName: app.applicant_name, replyTo: lead.service },
    });
    if (res.status !== 201 && res.status !== 200) throw undelivered(`The joint step ${step.ref} of ${app.number}`, res);
  }

  /** The joint department's side: sends a completed step's outcome back to the lead (a job's work). */
  async function deliverOutcome(taskId: string): Promise<void> {
    const task = await store.findTask(db, taskId);
    if (!task || !task.reply_to || task.status !== 'done') return;
    const joint = await endpoint(task.org_id, 'joint');
    const outcome = task.outcome as { opinion: 'agree' | 'disagree'; comment: string; by?: string };
    const res = await deps.exchange.call(joint.subsystem, { method: 'POST', service: task.reply_to, path: '/outcomes', body: { applicationId: task.application_id, ref: task.ref, opinion: outcome.opinion, comment: outcome.comment, by: task.assignee_id ?? task.assignee_name ?? '' } });
    // Already taken (a retry after the lead advanced): delivered.
    if (res.status === 200 || (res.status === 409 && /not_waiting|process_task_not_waiting|not_in_review/.test(res.body))) return;
    throw undelivered(`The outcome of ${task.application_number}'s step ${task.ref}`, res);
  }

  /** POST /steps: opens the step for this service's organization, when the caller is the application's lead and this organization one of its joint ones. */
  async function openStep(call: Call): Promise<Answer> {
    const own = await deps.organizationOfMember(memberOf(call.service));
    const caller = await deps.organizationOfMember(memberOf(call.client));
    const body = JSON.parse(call.body.toString('utf8') || '{}') as Record<string, string | null>;
    const app = typeof body.applicationId === 'string' ? await store.findApplication(db, body.applicationId) : undefined;
    if (!own || !caller || !app) throw new NotFoundError('application', String(body.applicationId ?? ''), '申请');
    const service = await deps.catalog.findPublished(app.service_code);
    if (app.org_id !== caller.id || !service?.jointOrgIds.includes(own.id)) throw new ForbiddenError('Only the lead department of a jointly handled application sends its steps, to a joint department.', '仅联合办理事项的牵头部门可以向联办部门发送办理环节。');
    if (typeof body.replyTo !== 'string' || memberOf(body.replyTo) !== memberOf(call.client)) throw new ValidationError([{ field: 'replyTo', code: 'not_callers', message: "must be a service of the caller's own member", messageZh: '须为调用方本单位的服务' }]);
    for (const key of ['ref', 'nameZh', 'nameEn', 'duty', 'kind'] as const) if (typeof body[key] !== 'string' || !body[key]) throw new ValidationError([{ field: key, code: 'required', message: 'is required', messageZh: '必填' }]);
    const opened = await store.insertTaskOnce(db, {
      id: newId(),
      application_id: app.id,
      ref: body.ref!,
      org_id: own.id,
      duty: body.duty!,
      kind: body.kind!,
      name_zh: body.nameZh!,
      name_en: body.nameEn!,
      status: 'open',
      assignee_id: null,
      assignee_name: null,
      due_date: app.due_date,
      service_code: app.service_code,
      application_number: app.number,
      applicant_name: app.applicant_name,
      outcome: null,
      reply_to: body.replyTo,
      version: 1,
      created_at: deps.now(),
      claimed_at: null,
      done_at: null,
    });
    return answer(opened ? 201 : 200, { opened });
  }

  /** POST /outcomes: a joint department's outcome of its step, for an application this service's organization leads. */
  async function takeOutcome(call: Call): Promise<Answer> {
    const own = await deps.organizationOfMember(memberOf(call.service));
    const caller = await deps.organizationOfMember(memberOf(call.client));
    const body = JSON.parse(call.body.toString('utf8') || '{}') as { applicationId?: string; ref?: string; opinion?: string; comment?: string; by?: string };
    const app = typeof body.applicationId === 'string' ? await store.findApplication(db, body.applicationId) : undefined;
    if (!own || !caller || !app || app.org_id !== own.id) throw new NotFoundError('application', String(body.applicationId ?? ''), '申请');
    const service = await deps.catalog.findPublished(app.service_code);
    if (!service?.jointOrgIds.includes(caller.id)) throw new ForbiddenError('Only a joint department of the application reports a step outcome.', '仅该申请的联办部门可以报送办理结果。');
    if (typeof body.ref !== 'string' || (body.opinion !== 'agree' && body.opinion !== 'disagree')) throw new ValidationError([{ field: 'opinion', code: 'required', message: 'needs ref and opinion agree or disagree', messageZh: '须提供环节和同意或不同意的意见' }]);
    await deps.decisions.jointOutcome(app.id, body.ref, { opinion: body.opinion, comment: body.comment ?? '', by: `${caller.id}:${body.by ?? ''}` }, { id: caller.id, name: caller.nameZh });
    return answer(200, { taken: true });
  }

  return {
    deliverStep,
    deliverOutcome,
    /** The built-in backend egov:joint-review. */
    async backend(call: Call): Promise<Answer> {
      try {
        if (call.method === 'POST' && call.path === '/steps') return await openStep(call);
        if (call.method === 'POST' && call.path === '/outcomes') return await takeOutcome(call);
        return answer(404, { code: 'not_found', detail: 'Operations: POST /steps, POST /outcomes.', detailZh: '可用操作：POST /steps、POST /outcomes。' });
      } catch (err) {
        if (err instanceof SyntaxError) return answer(400, { code: 'bad_json', detail: 'The body is not JSON.', detailZh: '请求体不是 JSON。' });
        return problemAnswer(err);
      }
    },
    /** Registers the delivery jobs' workers. */
    async work(jobs: Jobs): Promise<void> {
      await jobs.work<JointStep>(JOINT_STEP_QUEUE, (job) => deliverStep(job.payload), { pollingIntervalSeconds: 1, retryDelaySeconds: 5 });
      await jobs.work<{ taskId: string }>(JOINT_OUTCOME_QUEUE, (job) => deliverOutcome(job.payload.taskId), { pollingIntervalSeconds: 1, retryDelaySeconds: 5 });
    },
  };
}

export type Joint = ReturnType<typeof createJoint>;
