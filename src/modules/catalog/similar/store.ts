// SQL of the similarity checks: the entries a draft is compared with, and the checks' record.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { EntryStatus } from '../store.ts';

export type Candidate = {
  id: string;
  code: string;
  provider_org_id: string;
  status: EntryStatus;
  name_zh: string;
  name_en: string;
  data_items: { name?: string; nameEn?: string; field?: string }[] | null;
};

/** Rows read per query by the full scan (find.ts's reference): the catalog is compared page by page, never loaded whole. */
export const CANDIDATE_PAGE = 2000;

/**
 * One page of what a drafter of `orgId` may be compared with, in id order after `afterId`:
 * every entry's published version, and the department's own entries as they are now (drafts,
 * submissions, rejections and revisions in progress). Only the names and the items' names
 * and fields leave the database.
 */
export async function candidates(db: Executor, orgId: string, exceptId: string | null, afterId: string | null): Promise<Candidate[]> {
  const { rows } = await sql<Candidate>`
    select id, code, provider_org_id,
           case when provider_org_id = ${orgId} then status else 'published' end as status,
           m->>'nameZh' as name_zh, coalesce(m->>'nameEn', '') as name_en,
           (select jsonb_agg(jsonb_build_object('name', i->>'name', 'nameEn', i->>'nameEn', 'field', i->>'field'))
              from jsonb_array_elements(case when jsonb_typeof(m->'dataItems') = 'array' then m->'dataItems' else '[]'::jsonb end) i) as data_items
      from (select id, code, provider_org_id, status,
                   case when provider_org_id = ${orgId} then metadata else published_metadata end as m
              from catalog.entries
             where (published_version > 0 or provider_org_id = ${orgId})
               and (${exceptId}::uuid is null or id <> ${exceptId}::uuid)
               and (${afterId}::uuid is null or id > ${afterId}::uuid)
             order by id
             limit ${CANDIDATE_PAGE}) e
     order by id`.execute(db);
  return rows;
}

/** A published entry as the in-memory index takes it (published-index.ts). */
export type PublishedRow = Candidate & { published_version: number };

// The names and the items' names and fields of `m`, as candidates() reads them.
const COMPARED = sql`m->>'nameZh' as name_zh, coalesce(m->>'nameEn', '') as name_en,
  (select jsonb_agg(jsonb_build_object('name', i->>'name', 'nameEn', i->>'nameEn', 'field', i->>'field'))
     from jsonb_array_elements(case when jsonb_typeof(m->'dataItems') = 'array' then m->'dataItems' else '[]'::jsonb end) i) as data_items`;

/** Rows read per query when loading the index. */
export const LOAD_PAGE = 5000;

/** One page, in id order after `afterId`, of every published entry's published version. */
export async function publishedPage(db: Executor, afterId: string | null): Promise<PublishedRow[]> {
  const { rows } = await sql<PublishedRow>`
    select id, code, provider_org_id, 'published' as status, published_version, ${COMPARED}
      from (select id, code, provider_org_id, published_version, published_metadata as m
              from catalog.entries
             where published_version > 0 and (${afterId}::uuid is null or id > ${afterId}::uuid)
             order by id
             limit ${LOAD_PAGE}) e
     order by id`.execute(db);
  return rows;
}

/**
 * One page, in id order after `afterId`, of the entries published since the search index's
 * generation `after` (search/store.ts: publishing writes search_docs and bumps the generation
 * in its transaction), with their published versions now.
 */
export async function publishedSincePage(db: Executor, after: number, afterId: string | null): Promise<PublishedRow[]> {
  const { rows } = await sql<PublishedRow>`
    select id, code, provider_org_id, 'published' as status, published_version, ${COMPARED}
      from (select e.id, e.code, e.provider_org_id, e.published_version, e.published_metadata as m
              from catalog.search_docs d join catalog.entries e on e.id = d.entry_id
             where d.generation > ${after} and e.published_version > 0 and (${afterId}::uuid is null or e.id > ${afterId}::uuid)
             order by e.id
             limit ${LOAD_PAGE}) e
     order by id`.execute(db);
  return rows;
}

/** The published versions of `ids` (the few entries listed after the index chose them). */
export async function publishedByIds(db: Executor, ids: string[]): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<Candidate>`
    select id, code, provider_org_id, 'published' as status, ${COMPARED}
      from (select id, code, provider_org_id, published_metadata as m from catalog.entries where id = any(${ids}::uuid[]) and published_version > 0) e`.execute(db);
  return rows;
}

/**
 * The department's own entries that are not as published (drafts, submissions, rejections,
 * revisions in progress), as they are now: the index holds published versions only, and an
 * entry whose status is published has the same working and published metadata. The statuses
 * are named (not `<> 'published'`) so that the status index finds the few such entries.
 */
export async function ownUnpublished(db: Executor, orgId: string, exceptId: string | null): Promise<Candidate[]> {
  const { rows } = await sql<Candidate>`
    select id, code, provider_org_id, status, ${COMPARED}
      from (select id, code, provider_org_id, status, metadata as m
              from catalog.entries
             where status in ('draft', 'submitted', 'rejected') and provider_org_id = ${orgId}
               and (${exceptId}::uuid is null or id <> ${exceptId}::uuid)) e`.execute(db);
  return rows;
}

export type ShownEntry = {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  providerOrgId: string;
  status: EntryStatus;
  score: number;
  nameScore: number;
  itemScore: number;
  matchedItems: { draft: string; existing: string }[];
  /** Highly similar and of another department: the drafter had to confirm it. */
  high: boolean;
};

export type CheckRow = {
  id: string;
  entry_id: string;
  checked_at: Date;
  actor_id: string | null;
  actor_name: string;
  actor_org_id: string | null;
  shown: ShownEntry[];
  seen: string[];
  acknowledged: boolean;
  note: string;
  threshold: number;
};

export async function insertCheck(trx: Executor, row: CheckRow): Promise<void> {
  await trx
    .insertInto('catalog.similar_checks')
    .values({ ...row, shown: JSON.stringify(row.shown), seen: JSON.stringify(row.seen) })
    .execute();
}

export async function listChecks(db: Executor, entryId: string): Promise<CheckRow[]> {
  const rows = await db.selectFrom('catalog.similar_checks').selectAll().where('entry_id', '=', entryId).orderBy('checked_at', 'desc').execute();
  return rows.map((r) => ({ ...r, threshold: Number(r.threshold) })) as CheckRow[];
}
