// SQL of open data releases and their rows.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { Cell } from './cells.ts';
import type { ReleaseColumn } from './release-file.ts';

export type ReleaseRow = {
  entry_id: string;
  release: number;
  entry_version: number;
  columns: ReleaseColumn[];
  row_count: number;
  byte_size: number;
  sha256: string;
  note: string;
  published_at: Date;
  published_by: string;
};

const INSERT_BATCH = 1000;

const asRelease = (r: Record<string, unknown>): ReleaseRow => ({
  ...(r as ReleaseRow),
  byte_size: Number(r.byte_size),
  row_count: Number(r.row_count),
  published_at: r.published_at instanceof Date ? r.published_at : new Date(String(r.published_at)),
});

export async function insertRelease(trx: Executor, row: ReleaseRow, rows: Cell[][]): Promise<void> {
  await trx
    .insertInto('catalog.open_releases')
    .values({ ...row, columns: JSON.stringify(row.columns) })
    .execute();
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH).map((cells, i) => ({ entry_id: row.entry_id, release: row.release, row_no: start + i + 1, cells: JSON.stringify(cells) }));
    await trx.insertInto('catalog.open_release_rows').values(batch).execute();
  }
}

export async function lastReleaseNumber(trx: Executor, entryId: string): Promise<number> {
  const row = await trx.selectFrom('catalog.open_releases').select(sql<number>`coalesce(max(release), 0)`.as('n')).where('entry_id', '=', entryId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every release of an entry, newest first. */
export async function listReleases(db: Executor, entryId: string): Promise<ReleaseRow[]> {
  const rows = await db.selectFrom('catalog.open_releases').selectAll().where('entry_id', '=', entryId).orderBy('release', 'desc').execute();
  return rows.map(asRelease);
}

/** A release by number, or the newest one when `release` is undefined. */
export async function findRelease(db: Executor, entryId: string, release?: number): Promise<ReleaseRow | undefined> {
  let query = db.selectFrom('catalog.open_releases').selectAll().where('entry_id', '=', entryId);
  query = release === undefined ? query.orderBy('release', 'desc').limit(1) : query.where('release', '=', release);
  const row = await query.executeTakeFirst();
  return row ? asRelease(row) : undefined;
}

/** The newest release of each of these entries (for lists of datasets). */
export async function latestReleases(db: Executor, entryIds: string[]): Promise<Map<string, ReleaseRow>> {
  if (entryIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog.open_releases as r')
    .selectAll('r')
    .where('r.entry_id', 'in', entryIds)
    .where(({ eb, selectFrom }) => eb('r.release', '=', selectFrom('catalog.open_releases as x').select(sql<number>`max(x.release)`.as('m')).whereRef('x.entry_id', '=', 'r.entry_id')))
    .execute();
  return new Map(rows.map((r) => [String(r.entry_id), asRelease(r)]));
}

/** Equality on a column: its position in the row and the value as JSON text gives it (`->>`). */
export type CellFilter = { position: number; text: string };

function rowsOf(db: Executor, entryId: string, release: number, filters: CellFilter[]) {
  let query = db.selectFrom('catalog.open_release_rows').where('entry_id', '=', entryId).where('release', '=', release);
  for (const f of filters) query = query.where(sql<boolean>`cells->>${sql.lit(f.position)} = ${f.text}`);
  return query;
}

export async function countRows(db: Executor, entryId: string, release: number, filters: CellFilter[]): Promise<number> {
  const row = await rowsOf(db, entryId, release, filters).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function pageRows(db: Executor, entryId: string, release: number, filters: CellFilter[], page: { offset: number; limit: number }): Promise<Cell[][]> {
  const rows = await rowsOf(db, entryId, release, filters).select('cells').orderBy('row_no').offset(page.offset).limit(page.limit).execute();
  return rows.map((r) => (typeof r.cells === 'string' ? JSON.parse(r.cells) : r.cells) as Cell[]);
}

/** All rows of a release in order, a batch at a time (keyset paging), for downloads of any size. */
export async function* streamRows(db: Executor, entryId: string, release: number, batch = 2000): AsyncGenerator<Cell[][]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('catalog.open_release_rows')
      .select(['row_no', 'cells'])
      .where('entry_id', '=', entryId)
      .where('release', '=', release)
      .where('row_no', '>', after)
      .orderBy('row_no')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!.row_no);
    yield rows.map((r) => (typeof r.cells === 'string' ? JSON.parse(r.cells) : r.cells) as Cell[]);
    if (rows.length < batch) return;
  }
}
