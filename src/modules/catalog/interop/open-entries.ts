// What the public interfaces (the CKAN API, the DCAT-AP export) may show: the published
// version of every entry that is open to the public. An entry being revised keeps showing
// its published version; drafts, submissions and entries never published are not there.
// SQL only, over the catalog's own tables (read, never written).
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';
import type { EntryMetadata } from '../model.ts';

export type OpenEntry = {
  id: string;
  code: string;
  /** The CKAN name: the resource code made URL-safe (307001/000001 → 307001-000001). */
  name: string;
  providerOrgId: string;
  metadata: EntryMetadata;
  publishedVersion: number;
  /** When the entry was first published (CKAN's metadata_created, DCAT's issued). */
  issued: Date;
  /** When its current published version was (metadata_modified, modified). */
  modified: Date;
  sourceRegistry: string | null;
};

/** The CKAN name of a resource code, and back. */
export const nameOfCode = (code: string): string => code.replace('/', '-');
export const codeOfName = (name: string): string | undefined => (/^(\d{6,12})-(\d{1,12})$/.exec(name) ? name.replace('-', '/') : undefined);

type Row = { id: string; code: string; provider_org_id: string; published_version: number; metadata: EntryMetadata; published_at: Date | string; first_published: Date | string | null; source_registry: string | null; data_item_count: number | string };

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

function present(row: Row, withItems: boolean): OpenEntry {
  const modified = date(row.published_at);
  const metadata = withItems ? row.metadata : { ...row.metadata, dataItems: [] };
  return {
    id: row.id,
    code: row.code,
    name: nameOfCode(row.code),
    providerOrgId: row.provider_org_id,
    metadata,
    publishedVersion: row.published_version,
    issued: row.first_published ? date(row.first_published) : modified,
    modified,
    sourceRegistry: row.source_registry,
  };
}

function openEntries(db: Executor, withItems: boolean) {
  // Listing thousands of entries does not need their (up to 500) data items each.
  const metadata = withItems ? sql`e.published_metadata` : sql`e.published_metadata - 'dataItems'`;
  return db
    .selectFrom('catalog.entries as e')
    .select([
      'e.id',
      'e.code',
      'e.provider_org_id',
      'e.published_version',
      sql<EntryMetadata>`${metadata}`.as('metadata'),
      'e.published_at',
      'e.source_registry',
      sql<number>`jsonb_array_length(e.published_metadata->'dataItems')`.as('data_item_count'),
      sql<Date | null>`(select min(v.published_at) from catalog.entry_versions v where v.entry_id = e.id)`.as('first_published'),
    ])
    .where('e.published_version', '>', 0)
    .where(sql<boolean>`e.published_metadata is not null and (e.published_metadata->'open'->>'open') = 'true'`);
}

/** Every open published entry, by code; without data items unless asked (their count is kept in `dataItemCount`). */
export async function listOpenEntries(db: Executor, options: { withItems?: boolean } = {}): Promise<(OpenEntry & { dataItemCount: number })[]> {
  const rows = (await openEntries(db, options.withItems === true).orderBy('e.code').execute()) as Row[];
  return rows.map((r) => ({ ...present(r, options.withItems === true), dataItemCount: Number(r.data_item_count) }));
}

/** One open published entry by its id, resource code or CKAN name; undefined when there is none or it is not open. */
export async function findOpenEntry(db: Executor, idOrName: string): Promise<OpenEntry | undefined> {
  const key = idOrName.trim();
  let query = openEntries(db, true);
  if (new RegExp(UUID_PATTERN).test(key)) query = query.where('e.id', '=', key);
  else {
    const code = key.includes('/') ? key : codeOfName(key);
    if (!code) return undefined;
    query = query.where('e.code', '=', code);
  }
  const row = (await query.executeTakeFirst()) as Row | undefined;
  return row ? present(row, true) : undefined;
}

/** Open published entries by id, with their data items, in the order asked. */
export async function openEntriesByIds(db: Executor, ids: string[]): Promise<OpenEntry[]> {
  if (ids.length === 0) return [];
  const rows = (await openEntries(db, true).where('e.id', 'in', ids).execute()) as Row[];
  const byId = new Map(rows.map((r) => [r.id, present(r, true)]));
  return ids.map((id) => byId.get(id)).filter((e): e is OpenEntry => e !== undefined);
}
