// SQL of record imports: the import row (progress, report, where to resume), the bulk write
// of a batch of records with their versions in one statement, and pages of records for export.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { RecordData } from '../engine/validate.ts';
import type { ReportEntry } from '../files/report.ts';

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

/**
 * Writes a batch of records and a version of each in one statement. `items` is a JSON array
 * of {"k": key, "d": data}, built by the caller from already serialised records. A new key
 * gets version 1; a deleted record comes back as its next version. A live record is left as
 * it is unless `update` (then it gets a new version when its data differs). Returns the keys
 * written with their new versions: a key missing from the answer was not written.
 */
export async function writeBatch(db: Executor, items: string, p: BatchProvenance): Promise<{ key: string; version: number }[]> {
  const live = p.update ? sql`r.deleted_at is not null or r.data is distinct from excluded.data` : sql`r.deleted_at is not null`;
  const result = await sql<{ key: string; version: number }>`
    with input as (
      select k as key, d as data from jsonb_to_recordset(${items}::jsonb) as x(k text, d jsonb)
    ), written as (
      insert into registries.records as r (registry, key, version, data, created_at, updated_at, deleted_at)
      select ${p.registry}, key, 1, data, ${p.at}, ${p.at}, null from input
      on conflict (registry, key) do update set version = r.version + 1, data = excluded.data, updated_at = excluded.updated_at, deleted_at = null
        where ${live}
      returning r.key, r.version, r.data
    )
    insert into registries.record_versions (registry, key, version, data, operation, source, actor_id, actor_name, reason, event, changed_at, import_id)
    select ${p.registry}, key, version, data, 'import', ${p.source}, ${p.actorId}, ${p.actorName}, ${p.reason}, null, ${p.at}, ${p.importId} from written
    returning key, version`.execute(db);
  return result.rows;
}

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
