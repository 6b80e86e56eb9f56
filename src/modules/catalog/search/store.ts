// SQL of the search index: one row per published entry (catalog.search_docs) and the index's
// generation (catalog.search_state), which orders its changes so that every process can
// catch up with exactly what changed since it last looked.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { EntryRow } from '../store.ts';
import type { DocWithTerms } from './memory-index.ts';

type DocRow = {
  entry_id: string;
  generation: string | number;
  code: string;
  provider_org_id: string;
  published_version: number;
  published_at: Date;
  class: string;
  item: string;
  sharing: string;
  open: boolean;
  format_class: string;
  update_cycle: string;
  name_zh: string;
  name_en: string;
  abstract_zh: string;
  abstract_en: string;
  name_terms: string;
  item_terms: string;
  abstract_terms: string;
};

/**
 * The next generation, taken under the state row's lock until the transaction ends: writers
 * of the index commit one after another in generation order, so a reader that sees
 * generation G committed has every change up to G (no gap from a slower transaction).
 */
export async function nextGeneration(trx: Executor): Promise<number> {
  const { rows } = await sql<{ generation: string }>`
    insert into catalog.search_state (id, generation) values (1, 1)
    on conflict (id) do update set generation = catalog.search_state.generation + 1
    returning generation`.execute(trx);
  return Number(rows[0]!.generation);
}

export async function currentGeneration(db: Executor): Promise<number> {
  const { rows } = await sql<{ generation: string }>`select generation from catalog.search_state where id = 1`.execute(db);
  return rows.length === 0 ? 0 : Number(rows[0]!.generation);
}

const COLUMNS = ['entry_id', 'generation', 'code', 'provider_org_id', 'published_version', 'published_at', 'class', 'item', 'sharing', 'open', 'format_class', 'update_cycle', 'name_zh', 'name_en', 'abstract_zh', 'abstract_en', 'name_terms', 'item_terms', 'abstract_terms'] as const;

const toRow = (doc: DocWithTerms, generation: number): DocRow => ({
  entry_id: doc.entryId,
  generation,
  code: doc.code,
  provider_org_id: doc.providerId,
  published_version: doc.publishedVersion,
  published_at: doc.publishedAt,
  class: doc.classCode,
  item: doc.item,
  sharing: doc.sharing,
  open: doc.open,
  format_class: doc.format,
  update_cycle: doc.cycle,
  name_zh: doc.nameZh,
  name_en: doc.nameEn,
  abstract_zh: doc.abstractZh,
  abstract_en: doc.abstractEn,
  name_terms: doc.nameTerms,
  item_terms: doc.itemTerms,
  abstract_terms: doc.abstractTerms,
});

const fromRow = (row: DocRow): DocWithTerms => ({
  entryId: row.entry_id,
  code: row.code,
  providerId: row.provider_org_id,
  publishedVersion: row.published_version,
  publishedAt: row.published_at,
  classCode: row.class,
  item: row.item,
  sharing: row.sharing,
  open: row.open,
  format: row.format_class,
  cycle: row.update_cycle,
  nameZh: row.name_zh,
  nameEn: row.name_en,
  abstractZh: row.abstract_zh,
  abstractEn: row.abstract_en,
  nameTerms: row.name_terms,
  itemTerms: row.item_terms,
  abstractTerms: row.abstract_terms,
});

/** Rows per insert statement: 19 parameters each, well under PostgreSQL's 65,535. */
const BATCH = 500;

export async function upsertDocs(trx: Executor, docs: DocWithTerms[], generation: number): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const rows = docs.slice(i, i + BATCH).map((d) => toRow(d, generation));
    await trx
      .insertInto('catalog.search_docs')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('entry_id')
          .doUpdateSet((eb) => Object.fromEntries(COLUMNS.filter((c) => c !== 'entry_id').map((c) => [c, eb.ref(`excluded.${c}`)])))
          // A late repair (unindexedEntries) never overwrites a newer version published meanwhile.
          .where((eb) => eb('catalog.search_docs.published_version', '<=', eb.ref('excluded.published_version'))),
      )
      .execute();
  }
}

/** Rows read per query when loading the index: the whole index is never in memory twice. */
export const LOAD_PAGE = 5000;

/**
 * One page of the documents written after generation `after` (0: all), in entry id order from
 * after `fromId`; with the highest generation read.
 */
export async function loadDocs(db: Executor, after: number, fromId: string | null): Promise<{ docs: DocWithTerms[]; generation: number; lastId: string | null }> {
  let query = db.selectFrom('catalog.search_docs').select([...COLUMNS]).where('generation', '>', after);
  if (fromId !== null) query = query.where('entry_id', '>', fromId);
  const rows = (await query.orderBy('entry_id').limit(LOAD_PAGE).execute()) as DocRow[];
  let generation = 0;
  for (const row of rows) generation = Math.max(generation, Number(row.generation));
  return { docs: rows.map(fromRow), generation, lastId: rows.length === LOAD_PAGE ? rows[rows.length - 1]!.entry_id : null };
}

/** Published entries whose published version is not (or not yet) the one indexed: published before the index existed, or restored without it. */
export async function unindexedEntries(db: Executor, limit: number): Promise<EntryRow[]> {
  const { rows } = await sql<EntryRow>`
    select e.* from catalog.entries e
      left join catalog.search_docs d on d.entry_id = e.id
     where e.published_version > 0 and (d.entry_id is null or d.published_version <> e.published_version)
     order by e.code
     limit ${limit}`.execute(db);
  return rows;
}
