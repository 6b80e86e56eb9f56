// SQL of share requests. Dates travel as YYYY-MM-DD text.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'revoked' | 'expired';

export type RequestRow = {
  id: string;
  entry_id: string;
  entry_code: string;
  entry_version: number;
  provider_org_id: string;
  consumer_org_id: string;
  consumer_subsystem: string;
  items: string[];
  granted_items: string[] | null;
  purpose: string;
  legal_basis: string;
  period_from: string;
  period_to: string;
  status: RequestStatus;
  due_date: string | null;
  due_at: Date | null;
  deadline_confirmed: boolean | null;
  escalated_at: Date | null;
  answered_at: Date | null;
  answered_by: string | null;
  answer_reason: string;
  service_identifier: string;
  right_ids: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: number;
};

const columns = [
  'id', 'entry_id', 'entry_code', 'entry_version', 'provider_org_id', 'consumer_org_id', 'consumer_subsystem', 'items', 'granted_items', 'purpose', 'legal_basis',
  sql<string>`period_from::text`.as('period_from'), sql<string>`period_to::text`.as('period_to'), 'status', sql<string | null>`due_date::text`.as('due_date'),
  'due_at', 'deadline_confirmed', 'escalated_at', 'answered_at', 'answered_by', 'answer_reason', 'service_identifier', 'right_ids', 'created_by', 'created_at', 'updated_at', 'version',
] as const;

const json = (row: Partial<RequestRow>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...row };
  for (const key of ['items', 'granted_items', 'right_ids'] as const) if (row[key] !== undefined) out[key] = row[key] === null ? null : JSON.stringify(row[key]);
  return out;
};

export async function insertRequest(trx: Executor, row: RequestRow): Promise<void> {
  await trx.insertInto('catalog.share_requests').values(json(row)).execute();
}

export async function findRequest(db: Executor, id: string, forUpdate = false): Promise<RequestRow | undefined> {
  let query = db.selectFrom('catalog.share_requests').select(columns).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as RequestRow | undefined;
}

export async function updateRequest(trx: Executor, id: string, expectedVersion: number, set: Partial<RequestRow>): Promise<boolean> {
  const result = await trx.updateTable('catalog.share_requests').set(json(set)).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type RequestFilter = { consumerOrgId?: string; providerOrgId?: string; escalated?: boolean; status?: RequestStatus; limit: number; offset: number };

export async function listRequests(db: Executor, filter: RequestFilter): Promise<{ rows: RequestRow[]; total: number }> {
  let query = db.selectFrom('catalog.share_requests');
  if (filter.consumerOrgId) query = query.where('consumer_org_id', '=', filter.consumerOrgId);
  if (filter.providerOrgId) query = query.where('provider_org_id', '=', filter.providerOrgId);
  if (filter.escalated) query = query.where('escalated_at', 'is not', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, total] = await Promise.all([
    query.select(columns).orderBy('created_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as RequestRow[], total: Number(total.n) };
}

/** Pending requests past their answer time and not yet escalated. */
export async function overdue(db: Executor, now: Date): Promise<{ id: string; version: number }[]> {
  return (await db.selectFrom('catalog.share_requests').select(['id', 'version']).where('status', '=', 'pending').where('escalated_at', 'is', null).where('due_at', '<', now).execute()) as { id: string; version: number }[];
}

/** Approved requests whose period ended before `today` (a China date). */
export async function ended(db: Executor, today: string): Promise<{ id: string; version: number }[]> {
  return (await db.selectFrom('catalog.share_requests').select(['id', 'version']).where('status', '=', 'approved').where('period_to', '<', sql<Date>`${today}::date`).execute()) as { id: string; version: number }[];
}

/** Every request, for the statistics (small per installation: thousands, not millions). */
export async function allForStats(db: Executor): Promise<Pick<RequestRow, 'provider_org_id' | 'consumer_org_id' | 'status' | 'created_at' | 'answered_at' | 'escalated_at'>[]> {
  return (await db.selectFrom('catalog.share_requests').select(['provider_org_id', 'consumer_org_id', 'status', 'created_at', 'answered_at', 'escalated_at']).execute()) as Pick<RequestRow, 'provider_org_id' | 'consumer_org_id' | 'status' | 'created_at' | 'answered_at' | 'escalated_at'>[];
}
