// SQL of the catalog's entries, versions, reviews, sequence numbers and settings.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import type { EntryMetadata } from './model.ts';

export type EntryStatus = 'draft' | 'submitted' | 'published' | 'rejected';

export type EntryRow = {
  id: string;
  code: string;
  provider_org_id: string;
  status: EntryStatus;
  metadata: EntryMetadata;
  version: number;
  published_version: number;
  published_metadata: EntryMetadata | null;
  published_at: Date | null;
  source_registry: string | null;
  created_at: Date;
  updated_at: Date;
};

export type SettingsRow = { reviewer_org_id: string | null; answer_working_days: number; updated_at: Date; updated_by: string };

export async function findSettings(db: Executor): Promise<SettingsRow | undefined> {
  return (await db.selectFrom('catalog.settings').select(['reviewer_org_id', 'answer_working_days', 'updated_at', 'updated_by']).where('id', '=', 1).executeTakeFirst()) as SettingsRow | undefined;
}

export async function saveSettings(db: Executor, row: SettingsRow): Promise<void> {
  await db
    .insertInto('catalog.settings')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
    .execute();
}

/** The department's sub-item number, assigning the next free one the first time (under a lock). */
export async function departmentNumber(trx: Executor, orgId: string): Promise<number> {
  const existing = await trx.selectFrom('catalog.department_numbers').select('number').where('org_id', '=', orgId).executeTakeFirst();
  if (existing) return existing.number;
  await sql`lock table catalog.department_numbers in share row exclusive mode`.execute(trx);
  const next = await sql<{ n: number }>`select coalesce(max(number), 0) + 1 as n from catalog.department_numbers`.execute(trx);
  const number = Number(next.rows[0]!.n);
  await trx.insertInto('catalog.department_numbers').values({ org_id: orgId, number }).execute();
  return number;
}

/** The next sequence number under a classification code (row-locked, so concurrent drafts get distinct codes). */
export async function nextSequence(trx: Executor, classification: string): Promise<number> {
  const row = await sql<{ last: number }>`
    insert into catalog.sequences (classification, last) values (${classification}, 1)
    on conflict (classification) do update set last = catalog.sequences.last + 1
    returning last`.execute(trx);
  return Number(row.rows[0]!.last);
}

export async function insertEntry(trx: Executor, row: EntryRow): Promise<void> {
  await trx
    .insertInto('catalog.entries')
    .values({ ...row, metadata: JSON.stringify(row.metadata), published_metadata: row.published_metadata ? JSON.stringify(row.published_metadata) : null })
    .execute();
}

export async function findEntry(db: Executor, by: { id: string } | { code: string } | { sourceRegistry: string }, forUpdate = false): Promise<EntryRow | undefined> {
  let query = db.selectFrom('catalog.entries').selectAll();
  query = 'id' in by ? query.where('id', '=', by.id) : 'code' in by ? query.where('code', '=', by.code) : query.where('source_registry', '=', by.sourceRegistry);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as EntryRow | undefined;
}

/** Writes the working copy and state; false when the row moved on from `expectedVersion`. */
export async function updateEntry(trx: Executor, id: string, expectedVersion: number, set: Partial<Omit<EntryRow, 'id' | 'code' | 'created_at'>>): Promise<boolean> {
  const values: Record<string, unknown> = { ...set };
  if (set.metadata) values.metadata = JSON.stringify(set.metadata);
  if (set.published_metadata) values.published_metadata = JSON.stringify(set.published_metadata);
  const result = await trx.updateTable('catalog.entries').set(values).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVersion(trx: Executor, row: { entry_id: string; version: number; metadata: EntryMetadata; published_at: Date; published_by: string; note: string }): Promise<void> {
  await trx.insertInto('catalog.entry_versions').values({ ...row, metadata: JSON.stringify(row.metadata) }).execute();
}

export type VersionRow = { version: number; metadata: EntryMetadata; published_at: Date; published_by: string; note: string };

export async function listVersions(db: Executor, entryId: string): Promise<VersionRow[]> {
  return (await db.selectFrom('catalog.entry_versions').select(['version', 'metadata', 'published_at', 'published_by', 'note']).where('entry_id', '=', entryId).orderBy('version', 'desc').execute()) as VersionRow[];
}

export type ReviewRow = { id: string; entry_id: string; action: 'submit' | 'approve' | 'reject' | 'sync'; actor_name: string; actor_org_id: string | null; comment: string; at: Date };

export async function insertReview(trx: Executor, row: ReviewRow): Promise<void> {
  await trx.insertInto('catalog.reviews').values(row).execute();
}

export async function listReviews(db: Executor, entryId: string): Promise<ReviewRow[]> {
  return (await db.selectFrom('catalog.reviews').selectAll().where('entry_id', '=', entryId).orderBy('at').execute()) as ReviewRow[];
}

export type EntryFilter = { status?: EntryStatus; providerOrgId?: string; classCode?: string; item?: string; theme?: string; limit: number; offset: number };

/** Entries by the catalog's views: base (class 1), theme (class 2, or listed under a theme), department (class 3). */
export async function listEntries(db: Executor, filter: EntryFilter): Promise<{ rows: EntryRow[]; total: number }> {
  let query = db.selectFrom('catalog.entries');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.providerOrgId) query = query.where('provider_org_id', '=', filter.providerOrgId);
  if (filter.classCode && filter.theme === undefined) query = query.where(sql<string>`metadata->'classification'->>'class'`, '=', filter.classCode);
  if (filter.item) query = query.where(sql<string>`metadata->'classification'->>'item'`, '=', filter.item);
  if (filter.theme !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb.and([eb(sql<string>`metadata->'classification'->>'class'`, '=', '2'), eb(sql<string>`metadata->'classification'->>'item'`, '=', filter.theme!)]),
        eb(sql<boolean>`metadata->'themes' ? ${filter.theme}`, '=', true),
      ]),
    );
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('code').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as EntryRow[], total: Number(total.n) };
}
