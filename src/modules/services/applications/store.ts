// SQL of applications, their history, materials, officers' tasks and duties.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { ApplicationStatus, EventActor } from './model.ts';

export type ApplicationRow = {
  id: string;
  number: string;
  service_id: string;
  service_code: string;
  service_version: number;
  org_id: string;
  handling: 'single' | 'joint';
  applicant_citizen_id: string;
  enterprise_id: string | null;
  enterprise_credit_code: string | null;
  enterprise_name: string | null;
  applicant_name: string;
  applicant_person_name: string;
  applicant_id_number: string;
  status: ApplicationStatus;
  form_data: Record<string, unknown>;
  prefilled: Record<string, unknown>;
  idempotency_key: string | null;
  submitted_at: Date | null;
  acceptance_due: string | null;
  accepted_on: string | null;
  deemed_accepted: boolean;
  acceptance: unknown;
  supplement: unknown;
  clock: unknown;
  due_date: string | null;
  process_key: string | null;
  process_state: unknown;
  decision: 'approve' | 'deny' | null;
  decision_reasons: unknown;
  decided_at: Date | null;
  licence_id: string | null;
  rating: 'good' | 'poor' | null;
  rating_reason: string | null;
  rated_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type TaskRow = {
  id: string;
  application_id: string;
  ref: string;
  org_id: string;
  duty: string;
  kind: string;
  name_zh: string;
  name_en: string;
  status: 'open' | 'claimed' | 'done' | 'cancelled';
  assignee_id: string | null;
  assignee_name: string | null;
  due_date: string | null;
  service_code: string;
  application_number: string;
  applicant_name: string;
  outcome: unknown;
  reply_to: string | null;
  version: number;
  created_at: Date;
  claimed_at: Date | null;
  done_at: Date | null;
};

export type AttachmentRow = { id: string; application_id: string; material_key: string; file_name: string; media_type: string; size: number; sha256: string; content: Buffer; uploaded_at: Date };
export type EventRow = { id: string; application_id: string; at: Date; actor: EventActor; type: string; detail: Record<string, unknown> };

const JSON_COLUMNS = ['form_data', 'prefilled', 'acceptance', 'supplement', 'clock', 'process_state', 'decision_reasons', 'outcome', 'actor', 'detail'] as const;

// JSON columns are written as text so both drivers store exactly what was given; dates (civil
// dates) are text already; PGlite and pg return `date` columns differently, so reads cast them.
function json<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const key of JSON_COLUMNS) if (out[key] !== undefined) out[key] = out[key] === null ? null : JSON.stringify(out[key]);
  return out as T;
}

const applicationColumns = sql`a.*, a.acceptance_due::text as acceptance_due, a.accepted_on::text as accepted_on, a.due_date::text as due_date`;

export async function nextNumber(db: Executor, on: string): Promise<string> {
  const { rows } = await sql<{ n: string }>`select nextval('services.application_numbers')::text as n`.execute(db);
  // 受理编号: the China date of submission and a running number, e.g. 20261203000042.
  return `${on.replaceAll('-', '')}${rows[0].n.padStart(6, '0')}`;
}

export async function insertApplication(db: Executor, row: ApplicationRow): Promise<void> {
  await db.insertInto('services.applications').values(json(row)).execute();
}

/** Changes an application if it is still at `version`; false when someone changed it first. */
export async function updateApplication(db: Executor, id: string, version: number, patch: Partial<ApplicationRow>): Promise<boolean> {
  const result = await db.updateTable('services.applications').set(json({ ...patch, version: version + 1 })).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findApplication(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const lock = options.forUpdate ? sql` for update` : sql``;
  const { rows } = await sql<ApplicationRow>`select ${applicationColumns} from services.applications a where a.id = ${id}${lock}`.execute(db);
  return rows[0];
}

export async function findByIdempotencyKey(db: Executor, citizenId: string, key: string): Promise<ApplicationRow | undefined> {
  const { rows } = await sql<ApplicationRow>`select ${applicationColumns} from services.applications a where a.applicant_citizen_id = ${citizenId} and a.idempotency_key = ${key}`.execute(db);
  return rows[0];
}

/** The applicant's own applications, and those of the enterprises given (they act for them). */
export async function listForApplicant(db: Executor, citizenId: string, enterpriseIds: string[], limit: number): Promise<ApplicationRow[]> {
  const enterprises = enterpriseIds.length ? sql`or a.enterprise_id in (${sql.join(enterpriseIds)})` : sql``;
  const { rows } = await sql<ApplicationRow>`select ${applicationColumns} from services.applications a where (a.applicant_citizen_id = ${citizenId} ${enterprises}) order by a.created_at desc limit ${limit}`.execute(db);
  return rows;
}

/** Submitted applications whose acceptance was not decided in time (they count as accepted). */
export async function overdueAcceptances(db: Executor, today: string, limit: number): Promise<{ id: string }[]> {
  const { rows } = await sql<{ id: string }>`select id from services.applications where status = 'submitted' and acceptance_due < ${today}::date order by acceptance_due limit ${limit}`.execute(db);
  return rows;
}

export async function insertEvent(db: Executor, row: EventRow): Promise<void> {
  await db.insertInto('services.application_events').values(json(row)).execute();
}

export async function listEvents(db: Executor, applicationId: string): Promise<EventRow[]> {
  return (await db.selectFrom('services.application_events').selectAll().where('application_id', '=', applicationId).orderBy('at').orderBy('id').execute()) as EventRow[];
}

export async function insertAttachment(db: Executor, row: AttachmentRow): Promise<void> {
  await db.insertInto('services.attachments').values(row).execute();
}

export async function deleteAttachments(db: Executor, applicationId: string, materialKeys: string[]): Promise<void> {
  if (materialKeys.length === 0) return;
  await db.deleteFrom('services.attachments').where('application_id', '=', applicationId).where('material_key', 'in', materialKeys).execute();
}

export async function listAttachments(db: Executor, applicationId: string): Promise<Omit<AttachmentRow, 'content'>[]> {
  return (await db.selectFrom('services.attachments').select(['id', 'application_id', 'material_key', 'file_name', 'media_type', 'size', 'sha256', 'uploaded_at']).where('application_id', '=', applicationId).orderBy('material_key').orderBy('uploaded_at').execute()) as Omit<AttachmentRow, 'content'>[];
}

export async function findAttachment(db: Executor, applicationId: string, id: string): Promise<AttachmentRow | undefined> {
  return (await db.selectFrom('services.attachments').selectAll().where('application_id', '=', applicationId).where('id', '=', id).executeTakeFirst()) as AttachmentRow | undefined;
}

const taskColumns = sql`t.*, t.due_date::text as due_date`;

export async function insertTask(db: Executor, row: TaskRow): Promise<void> {
  await db.insertInto('services.tasks').values(json(row)).execute();
}

/** Opens a step unless it is open already (a retried delivery); true when this call opened it. */
export async function insertTaskOnce(db: Executor, row: TaskRow): Promise<boolean> {
  const result = await db.insertInto('services.tasks').values(json(row)).onConflict((oc) => oc.columns(['application_id', 'ref']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateTask(db: Executor, id: string, version: number, patch: Partial<TaskRow>): Promise<boolean> {
  const result = await db.updateTable('services.tasks').set(json({ ...patch, version: version + 1 })).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findTask(db: Executor, id: string): Promise<TaskRow | undefined> {
  const { rows } = await sql<TaskRow>`select ${taskColumns} from services.tasks t where t.id = ${id}`.execute(db);
  return rows[0];
}

export async function tasksOf(db: Executor, applicationId: string): Promise<TaskRow[]> {
  const { rows } = await sql<TaskRow>`select ${taskColumns} from services.tasks t where t.application_id = ${applicationId} order by t.created_at, t.id`.execute(db);
  return rows;
}

/** Open tasks of an application (to cancel them when it ends, or move their due date). */
export async function setOpenTasks(db: Executor, applicationId: string, patch: { status?: 'cancelled'; due_date?: string | null }): Promise<void> {
  await db.updateTable('services.tasks').set(patch).where('application_id', '=', applicationId).where('status', 'in', ['open', 'claimed']).execute();
}

export type InboxFilter = { orgId: string; duties: string[]; userId: string; scope: 'mine' | 'pool' | 'all'; limit: number; offset: number };

/**
 * An officer's inbox: open steps of their organization for the duties they hold — the pool
 * (unclaimed), their own claimed ones, or both — soonest due first. Served by tasks_inbox_idx
 * (organization, due date; the duty and status carried in the index) and, for "mine",
 * tasks_claimed_idx (migration 007).
 */
export async function inbox(db: Executor, filter: InboxFilter): Promise<{ rows: TaskRow[]; total: number }> {
  if (filter.duties.length === 0) return { rows: [], total: 0 };
  const scope =
    filter.scope === 'mine' ? sql`t.status = 'claimed' and t.assignee_id = ${filter.userId}` : filter.scope === 'pool' ? sql`t.status = 'open'` : sql`(t.status = 'open' or (t.status = 'claimed' and t.assignee_id = ${filter.userId}))`;
  const where = sql`t.org_id = ${filter.orgId} and t.duty in (${sql.join(filter.duties)}) and t.status in ('open', 'claimed') and ${scope}`;
  const [page, count] = await Promise.all([
    sql<TaskRow>`select ${taskColumns} from services.tasks t where ${where} order by t.due_date nulls last, t.created_at limit ${filter.limit} offset ${filter.offset}`.execute(db),
    sql<{ n: string }>`select count(*)::text as n from (select 1 from services.tasks t where ${where} limit 10000) c`.execute(db),
  ]);
  return { rows: page.rows, total: Number(count.rows[0].n) };
}

export async function dutiesOf(db: Executor, staffId: string, orgId: string): Promise<string[]> {
  const rows = await db.selectFrom('services.duties').select('duty').where('staff_id', '=', staffId).where('org_id', '=', orgId).orderBy('duty').execute();
  return rows.map((r) => r.duty as string);
}

export async function staffWithDuty(db: Executor, orgId: string, duty: string): Promise<string[]> {
  const rows = await db.selectFrom('services.duties').select('staff_id').where('org_id', '=', orgId).where('duty', '=', duty).execute();
  return rows.map((r) => r.staff_id as string);
}

export async function setDuties(db: Executor, staffId: string, orgId: string, duties: string[], at: Date): Promise<void> {
  await db.deleteFrom('services.duties').where('staff_id', '=', staffId).execute();
  if (duties.length) await db.insertInto('services.duties').values(duties.map((duty) => ({ staff_id: staffId, org_id: orgId, duty, granted_at: at }))).execute();
}

/** Applications among `ids` on which `staffId` has already given a countersignature (one each: the process wants different signers). */
export async function countersignedBy(db: Executor, staffId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('services.tasks').select('application_id').where('kind', '=', 'countersign').where('status', '=', 'done').where('assignee_id', '=', staffId).where('application_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.application_id as string));
}
