// Steps every part of the application service shares: writing an application's history with
// its audit row, opening the acceptance step with its statutory timer, and the errors people
// see. Each runs inside the caller's transaction, and reads nothing outside it: on the embedded
// database a read through another connection would wait for the transaction that waits for it,
// so what they need (the calendar, the service) is read before the transaction opens.
import type { AuditActor } from '../../../platform/audit.ts';
import { ConflictError, NotFoundError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { endOfChinaDay, type WorkCalendar } from '../../../platform/workdays.ts';
import type { Executor } from '../../../platform/db.ts';
import { acceptanceDue } from '../deadlines/approval-clock.ts';
import type { EventActor } from './model.ts';
import type { ApplicationsDeps } from './ports.ts';
import * as store from './store.ts';

export const ACCEPTANCE_QUEUE = 'services.acceptance-due';

export const notFound = (id: string) => new NotFoundError('application', id, '申请');
export const staleApplication = () =>
  new ConflictError('version_conflict', 'The application changed since you opened it (someone acted on it). Reload it and try again.', '该申请在您打开后已有变化（已有人办理），请刷新后重试。');
export const staleTask = () => new ConflictError('version_conflict', 'The task changed since you opened it (claimed, forwarded or done by someone else). Reload your inbox.', '该任务在您打开后已有变化（已被他人认领、转办或办结），请刷新待办列表。');

export function auditActorOf(actor: EventActor, orgId: string | null = null): AuditActor {
  return actor.kind === 'citizen' ? { id: actor.id, name: `citizen:${actor.id}`, orgId: null } : { id: actor.id, name: actor.name, orgId };
}

/** One line of the application's history plus its audit row, in the same transaction. */
export async function record(
  deps: Pick<ApplicationsDeps, 'audit' | 'clock'>,
  trx: Executor,
  app: { id: string; number: string; service_code: string },
  actor: EventActor,
  type: string,
  detail: Record<string, unknown> = {},
  meta: { ip: string | null; requestId: string | null; orgId?: string | null } = { ip: null, requestId: null },
): Promise<void> {
  const at = deps.clock.now();
  await store.insertEvent(trx, { id: newId(), application_id: app.id, at, actor, type, detail });
  await deps.audit.record(trx, {
    actor: auditActorOf(actor, meta.orgId ?? null),
    action: `services.application.${type}`,
    subjectType: 'application',
    subjectId: app.id,
    outcome: 'success',
    detail: { number: app.number, service: app.service_code, ...detail },
    ip: meta.ip,
    requestId: meta.requestId,
  });
}

/**
 * Puts an application before the acceptance officers: due in 5 working days from `at` (art. 32;
 * after supplements, from their receipt), with a timer that accepts it when nobody decided.
 */
export async function openAcceptance(deps: Pick<ApplicationsDeps, 'timers' | 'clock'>, trx: Executor, calendar: WorkCalendar, app: store.ApplicationRow, at: Date, round: number): Promise<{ acceptance_due: string }> {
  const due = acceptanceDue(calendar, at);
  await store.insertTask(trx, {
    id: newId(),
    application_id: app.id,
    ref: `acceptance:${round}`,
    org_id: app.org_id,
    duty: 'acceptor',
    kind: 'acceptance',
    name_zh: round === 1 ? '受理审查' : '补正后受理审查',
    name_en: round === 1 ? 'Acceptance' : 'Acceptance after supplements',
    status: 'open',
    assignee_id: null,
    assignee_name: null,
    due_date: due,
    service_code: app.service_code,
    application_number: app.number,
    applicant_name: app.applicant_name,
    outcome: null,
    reply_to: null,
    version: 1,
    created_at: deps.clock.now(),
    claimed_at: null,
    done_at: null,
  });
  await deps.timers.schedule(trx, ACCEPTANCE_QUEUE, { applicationId: app.id }, { runAt: endOfChinaDay(due), key: `${app.id}:${round}` });
  return { acceptance_due: due };
}
