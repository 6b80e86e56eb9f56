// SQL of the service catalog.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';

export type ServiceRow = {
  id: string;
  code: string;
  version: number;
  status: 'draft' | 'published' | 'withdrawn';
  kind: string;
  org_id: string;
  joint_org_ids: string[];
  name_zh: string;
  name_en: string;
  summary_zh: string;
  summary_en: string;
  legal_basis: unknown;
  conditions: unknown;
  materials: unknown;
  fees: unknown;
  statutory_days: number;
  promised_days: number;
  visits: number;
  faqs: unknown;
  events: string[];
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
};


// The JSON columns are written as text: both drivers then store exactly what was given.
const json = (row: Partial<ServiceRow>) => ({
  ...row,
  ...(row.legal_basis !== undefined ? { legal_basis: JSON.stringify(row.legal_basis) } : {}),
  ...(row.conditions !== undefined ? { conditions: JSON.stringify(row.conditions) } : {}),
  ...(row.materials !== undefined ? { materials: JSON.stringify(row.materials) } : {}),
  ...(row.fees !== undefined ? { fees: JSON.stringify(row.fees) } : {}),
  ...(row.faqs !== undefined ? { faqs: JSON.stringify(row.faqs) } : {}),
});

export async function insertService(db: Executor, row: ServiceRow): Promise<void> {
  await db.insertInto('services.services').values(json(row)).execute();
}

export async function updateService(db: Executor, id: string, version: number, patch: Partial<ServiceRow>): Promise<boolean> {
  const result = await db.updateTable('services.services').set(json(patch)).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findByCode(db: Executor, code: string): Promise<ServiceRow | undefined> {
  return (await db.selectFrom('services.services').selectAll().where('code', '=', code).executeTakeFirst()) as ServiceRow | undefined;
}

export async function findById(db: Executor, id: string): Promise<ServiceRow | undefined> {
  return (await db.selectFrom('services.services').selectAll().where('id', '=', id).executeTakeFirst()) as ServiceRow | undefined;
}

export async function listServices(db: Executor, filter: { orgId?: string; status?: string }): Promise<ServiceRow[]> {
  let q = db.selectFrom('services.services').selectAll();
  if (filter.orgId) q = q.where('org_id', '=', filter.orgId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return (await q.orderBy('code').execute()) as ServiceRow[];
}

/** Published services whose code, names or summaries contain every word; those of `orgIds` only when given; tagged with `event` when given. */
export async function searchPublished(db: Executor, query: { words: string[]; orgIds?: string[]; event?: string; limit: number }): Promise<{ rows: ServiceRow[]; total: number }> {
  let q = db.selectFrom('services.services').where('status', '=', 'published');
  for (const word of query.words) {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('code', 'ilike', like), eb('name_zh', 'ilike', like), eb('name_en', 'ilike', like), eb('summary_zh', 'ilike', like), eb('summary_en', 'ilike', like)]));
  }
  if (query.orgIds) q = query.orgIds.length > 0 ? q.where('org_id', 'in', query.orgIds) : q.where(sql<boolean>`false`);
  if (query.event) q = q.where(sql<boolean>`${query.event} = any(events)`);
  const [rows, total] = await Promise.all([q.selectAll().orderBy('code').limit(query.limit).execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
  return { rows: rows as ServiceRow[], total: Number(total.n) };
}
