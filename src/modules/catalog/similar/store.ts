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

/** Rows read per query: the catalog is compared page by page, never loaded whole. */
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
