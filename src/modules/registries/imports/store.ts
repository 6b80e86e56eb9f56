// SQL of record imports: the import row (progress, report, where to resume), the bulk write
// of a batch of records with their versions in one statement, and pages of records for export.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { RecordData } from '../engine/validate.ts';
import type { ReportEntry } from '../../../platform/import-report.ts';

export type ImportStatus = 'running' | 'done' | 'failed' | 'interrupted';
export type ImportPhase = 'validating' | 'writing' | 'finished';

export type ImportRow = {
  id: string;
  registry: string;
  format: 'csv' | 'jsonl' | 'xlsx';
  mode: 'atomic' | 'resumable';
  on_existing: 'refuse' | 'update';
  status: ImportStatus;
  phase: ImportPhase;
  file_name: string;
  file_sha256: string;
  file_bytes: number;
  total_rows: number | null;
  processed_rows: number;
  committed_rows: number;
  created_rows: number;
  updated_rows: number;
  unchanged_rows: number;
  error_count: number;
  report: ReportEntry[];
  reason: string;
  resume_row: number;
  progress: number;
  runner: string | null;
  created_by_id: string | null;
  created_by_name: string;
  created_by_org_id: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
};

const TABLE = 'registries.imports';

export async function insertImport(db: Executor, row: Omit<ImportRow, 'report' | 'finished_at'> & { report?: ReportEntry[] }): Promise<void> {
  await db.insertInto(TABLE).values({ ...row, report: JSON.stringify(row.report ?? []) }).execute();
}

export async function findImport(db: Executor, id: string): Promise<ImportRow | undefined> {
  return (await db.selectFrom(TABLE).selectAll().where('id', '=', id).executeTakeFirst()) as ImportRow | undefined;
}

export async function listImports(db: Executor, registry: string, limit: number): Promise<ImportRow[]> {
  return (await db.selectFrom(TABLE).selectAll().where('registry', '=', registry).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()) as ImportRow[];
}

export type ImportChange = Partial<Omit<ImportRow, 'id' | 'registry' | 'report'>> & { report?: ReportEntry[] };

export async function updateImport(db: Executor, id: string, change: ImportChange): Promise<void> {
  const { report, ...rest } = change;
  await db
    .updateTable(TABLE)
    .set({ ...rest, ...(report ? { report: JSON.stringify(report) } : {}) })
    .where('id', '=', id)
    .execute();
}

/** Takes an interrupted import for this process; false when another one took it first. */
export async function claimImport(db: Executor, id: string, runner: string, at: Date): Promise<boolean> {
  const result = await db.updateTable(TABLE).set({ status: 'running', runner, updated_at: at, finished_at: null }).where('id', '=', id).where('status', '=', 'interrupted').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function runningImports(db: Executor): Promise<Pick<ImportRow, 'id' | 'runner' | 'updated_at'>[]> {
  return (await db.selectFrom(TABLE).select(['id', 'runner', 'updated_at']).where('status', '=', 'running').execute()) as Pick<ImportRow, 'id' | 'runner' | 'updated_at'>[];
}

export async function markInterrupted(db: Executor, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable(TABLE).set({ status: 'interrupted', updated_at: at }).where('id', 'in', ids).where('status', '=', 'running').execute();
}

/** What the registry holds under `keys`: live or deleted, and which import wrote the current version. */
export async function keyStates(db: Executor, registry: string, keys: string[]): Promise<Map<string, { deleted: boolean; importId: string | null }>> {
  if (keys.length === 0) return new Map();
  const result = await sql<{ key: string; deleted: boolean; import_id: string | null }>`
    select r.key, r.deleted_at is not null as deleted, v.import_id
    from registries.records r
    left join registries.record_versions v on v.registry = r.registry and v.key = r.key and v.version = r.version
    where r.registry = ${registry} and r.key = any(${keys}::text[])`.execute(db);
  return new Map(result.rows.map((r) => [r.key, { deleted: r.deleted, importId: r.import_id }]));
}

/** Which of `keys` are live records of `registry`. */
export async function liveKeys(db: Executor, registry: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const result = await sql<{ key: string }>`select key from registries.records where registry = ${registry} and key = any(${keys}::text[]) and deleted_at is null`.execute(db);
  return new Set(result.rows.map((r) => r.key));
}

export type BatchProvenance = { registry: string; source: string; actorId: string | null; actorName: string; reason: string; at: Date; importId: string; update: boolean };

/** A record to write: its key, and `json`, the text {"k": key, "d": data} ready to send. */
export type BatchRow = { key: string; json: string };

const items = (rows: BatchRow[]) => `[${rows.map((r) => r.json).join(',')}]`;

/** Keys of the registry among `keys`, and whether each is a deleted record. */
async function presentKeys(db: Executor, registry: string, keys: string[]): Promise<Map<string, boolean>> {
  if (keys.length === 0) return new Map();
  const result = await sql<{ key: string; deleted: boolean }>`select key, deleted_at is not null as deleted from registries.records where registry = ${registry} and key = any(${keys}::text[])`.execute(db);
  return new Map(result.rows.map((r) => [r.key, r.deleted]));
}

/** New records, version 1 each, in one plain INSERT (no ON CONFLICT: half the cost with the expression indexes). */
async function insertNew(db: Executor, rows: BatchRow[], p: BatchProvenance): Promise<void> {
  await sql`
    with written as (
      insert into registries.records (registry, key, version, data, created_at, updated_at, deleted_at)
      select ${p.registry}, k, 1, d, ${p.at}, ${p.at}, null from jsonb_to_recordset(${items(rows)}::jsonb) as x(k text, d jsonb)
      returning key, data
    )
    insert into registries.record_versions (registry, key, version, data, operation, source, actor_id, actor_name, reason, event, changed_at, import_id)
    select ${p.registry}, key, 1, data, 'import', ${p.source}, ${p.actorId}, ${p.actorName}, ${p.reason}, null, ${p.at}, ${p.importId} from written`.execute(db);
}

/**
 * Records the registry may have: a new key gets version 1; a deleted record comes back as its
 * next version; a live record is left as it is unless `update` (then it gets a new version
 * when its data differs). Returns the keys written with their versions.
 */
async function upsert(db: Executor, rows: BatchRow[], p: BatchProvenance): Promise<{ key: string; version: number }[]> {
  const live = p.update ? sql`r.deleted_at is not null or r.data is distinct from excluded.data` : sql`r.deleted_at is not null`;
  const result = await sql<{ key: string; version: number }>`
    with written as (
      insert into registries.records as r (registry, key, version, data, created_at, updated_at, deleted_at)
      select ${p.registry}, k, 1, d, ${p.at}, ${p.at}, null from jsonb_to_recordset(${items(rows)}::jsonb) as x(k text, d jsonb)
      on conflict (registry, key) do update set version = r.version + 1, data = excluded.data, updated_at = excluded.updated_at, deleted_at = null
        where ${live}
      returning r.key, r.version, r.data
    )
    insert into registries.record_versions (registry, key, version, data, operation, source, actor_id, actor_name, reason, event, changed_at, import_id)
    select ${p.registry}, key, version, data, 'import', ${p.source}, ${p.actorId}, ${p.actorName}, ${p.reason}, null, ${p.at}, ${p.importId} from written
    returning key, version`.execute(db);
  return result.rows;
}

/**
 * Writes a batch of records and a version of each. Keys the registry does not have go in by a
 * plain multi-row INSERT; the others (deleted records, or live ones with `update`) by an
 * upsert. A key missing from the answer was not written: a live record without `update`, or
 * unchanged with it. `upsertAll` sends every row through the upsert: after a unique violation
 * (someone created one of the keys since they were looked up).
 */
export async function writeBatch(db: Executor, rows: BatchRow[], p: BatchProvenance, options: { upsertAll?: boolean } = {}): Promise<{ key: string; version: number }[]> {
  if (rows.length === 0) return [];
  if (options.upsertAll) return upsert(db, rows, p);
  const present = await presentKeys(db, p.registry, rows.map((r) => r.key));
  const fresh = present.size === 0 ? rows : rows.filter((r) => !present.has(r.key));
  const known = present.size === 0 ? [] : rows.filter((r) => present.has(r.key));
  if (fresh.length > 0) await insertNew(db, fresh, p);
  const again = known.length > 0 ? await upsert(db, known, p) : [];
  return [...fresh.map((r) => ({ key: r.key, version: 1 })), ...again];
}

/** Whether `err` is PostgreSQL's unique violation (a key inserted by someone else meanwhile). */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/** Live records in key order after `after`, with `where` as equality on fields. */
export async function recordPage(db: Executor, registry: string, options: { after: string | null; where: Record<string, string>; limit: number }): Promise<{ key: string; data: RecordData }[]> {
  let query = db.selectFrom('registries.records').select(['key', 'data']).where('registry', '=', registry).where('deleted_at', 'is', null);
  for (const [field, value] of Object.entries(options.where)) query = query.where(sql<string>`data->>${sql.lit(field)}`, '=', value);
  if (options.after !== null) query = query.where('key', '>', options.after);
  return (await query.orderBy('key').limit(options.limit).execute()) as { key: string; data: RecordData }[];
}

export async function countLive(db: Executor, registry: string, where: Record<string, string>): Promise<number> {
  let query = db.selectFrom('registries.records').select((eb) => eb.fn.countAll().as('n')).where('registry', '=', registry).where('deleted_at', 'is', null);
  for (const [field, value] of Object.entries(where)) query = query.where(sql<string>`data->>${sql.lit(field)}`, '=', value);
  return Number((await query.executeTakeFirstOrThrow()).n);
}
