// SQL of the record engine: the current records, their versions with provenance, and the
// log of reads. Every change writes the record and its version in the caller's transaction.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { RecordData } from './validate.ts';

export type RecordRow = { registry: string; key: string; version: number; data: RecordData; created_at: Date; updated_at: Date; deleted_at: Date | null };

export type VersionRow = {
  registry: string;
  key: string;
  version: number;
  data: RecordData | null;
  operation: 'create' | 'update' | 'event' | 'delete' | 'import';
  source: string;
  actor_id: string | null;
  actor_name: string;
  reason: string;
  event: Record<string, unknown> | null;
  changed_at: Date;
  import_id: string | null;
};

/** Who made a change and why: each version's provenance. */
export type Provenance = { source: string; actorId: string | null; actorName: string; reason: string; at: Date; importId?: string | null };

export async function findRecord(db: Executor, registry: string, key: string, forUpdate = false): Promise<RecordRow | undefined> {
  let query = db.selectFrom('registries.records').selectAll().where('registry', '=', registry).where('key', '=', key);
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as RecordRow | undefined;
}

/** The version current at `at`, if the record existed then (a deletion's version has no data). */
export async function findVersionAt(db: Executor, registry: string, key: string, at: Date): Promise<VersionRow | undefined> {
  return (await db
    .selectFrom('registries.record_versions')
    .selectAll()
    .where('registry', '=', registry)
    .where('key', '=', key)
    .where('changed_at', '<=', at)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()) as VersionRow | undefined;
}

export async function listVersions(db: Executor, registry: string, key: string): Promise<VersionRow[]> {
  return (await db.selectFrom('registries.record_versions').selectAll().where('registry', '=', registry).where('key', '=', key).orderBy('version', 'desc').execute()) as VersionRow[];
}

/** Which of `keys` are live records of `registry`. */
export async function existingKeys(db: Executor, registry: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('registries.records').select('key').where('registry', '=', registry).where('key', 'in', keys).where('deleted_at', 'is', null).execute();
  return new Set(rows.map((r) => r.key as string));
}

export type Change = {
  registry: string;
  key: string;
  /** The new version number: 1 for a record that never existed. */
  version: number;
  data: RecordData | null;
  operation: VersionRow['operation'];
  event?: Record<string, unknown> | null;
};

/**
 * Writes a change: the record's new state (insert, update or deletion mark) and its version
 * row. `expected` is the version the writer read; the update matches it or writes nothing,
 * so a stale writer learns of it (returns false) instead of overwriting.
 */
export async function writeChange(trx: Executor, change: Change, provenance: Provenance, expected: number | null): Promise<boolean> {
  const at = provenance.at;
  if (expected === null) {
    // A new record, or a new life for a deleted one (its history goes on).
    const result = await sql`
      insert into registries.records (registry, key, version, data, created_at, updated_at, deleted_at)
      values (${change.registry}, ${change.key}, ${change.version}, ${JSON.stringify(change.data)}::jsonb, ${at}, ${at}, null)
      on conflict (registry, key) do update set version = excluded.version, data = excluded.data, updated_at = excluded.updated_at, deleted_at = null
        where registries.records.deleted_at is not null and registries.records.version = ${change.version - 1}`.execute(trx);
    if (Number(result.numAffectedRows ?? 0) !== 1) return false;
  } else {
    const deleting = change.data === null;
    const result = await trx
      .updateTable('registries.records')
      .set(deleting ? { version: change.version, updated_at: at, deleted_at: at } : { version: change.version, data: JSON.stringify(change.data), updated_at: at })
      .where('registry', '=', change.registry)
      .where('key', '=', change.key)
      .where('version', '=', expected)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
  }
  await trx
    .insertInto('registries.record_versions')
    .values({
      registry: change.registry,
      key: change.key,
      version: change.version,
      data: change.data === null ? null : JSON.stringify(change.data),
      operation: change.operation,
      source: provenance.source,
      actor_id: provenance.actorId,
      actor_name: provenance.actorName,
      reason: provenance.reason,
      event: change.event ? JSON.stringify(change.event) : null,
      changed_at: at,
      import_id: provenance.importId ?? null,
    })
    .execute();
  return true;
}

/** Counts stop here: a count equal to it means "this many or more". */
export const COUNT_CAP = 100_000;

export async function countRecords(db: Executor, registry: string): Promise<number> {
  const inner = db.selectFrom('registries.records').select(sql`1`.as('one')).where('registry', '=', registry).where('deleted_at', 'is', null).limit(COUNT_CAP);
  return Number((await db.selectFrom(inner.as('capped')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

export type QuerySpec = {
  /** Equality on fields (indexed ones use their expression index). */
  where: Record<string, string>;
  /** A case-insensitive regular expression, over one field or the whole record's text. */
  search?: { pattern: string; field?: string };
  orderBy?: string;
  descending?: boolean;
  limit: number;
  offset: number;
  withCount: boolean;
};

export async function queryRecords(db: Executor, registry: string, spec: QuerySpec): Promise<{ rows: RecordRow[]; count: number | null }> {
  let query = db.selectFrom('registries.records').where('registry', '=', registry).where('deleted_at', 'is', null);
  for (const [field, value] of Object.entries(spec.where)) query = query.where(sql<string>`data->>${sql.lit(field)}`, '=', value);
  if (spec.search) {
    const target = spec.search.field ? sql<string>`data->>${sql.lit(spec.search.field)}` : sql<string>`data::text`;
    query = query.where(target, '~*', spec.search.pattern);
  }
  const order = spec.orderBy ? sql`data->>${sql.lit(spec.orderBy)}` : sql`key`;
  const rows = (await query
    .selectAll()
    .orderBy(order, spec.descending ? 'desc' : 'asc')
    .orderBy('key', spec.descending ? 'desc' : 'asc')
    .limit(spec.limit)
    .offset(spec.offset)
    .execute()) as RecordRow[];
  // Counting a whole registry of millions is seconds of work for a number nobody reads
  // exactly; past COUNT_CAP the count says "at least".
  const count = spec.withCount ? Number((await db.selectFrom(query.select(sql`1`.as('one')).limit(COUNT_CAP).as('capped')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) : null;
  return { rows, count };
}

export type ReadEntry = {
  registry: string;
  subjectKey: string;
  consumer: string;
  consumerOrgId: string | null;
  readerName: string;
  purpose: string | null;
  fields: string[];
  channel: 'workbench' | 'exchange' | 'govstack' | 'cli';
  xRoadId: string | null;
  at: Date;
};

export type ReadEntryWithId = ReadEntry & { id: string };

export async function logReads(db: Executor, entries: ReadEntryWithId[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('registries.reads')
    .values(
      entries.map((e) => ({
        id: e.id,
        registry: e.registry,
        subject_key: e.subjectKey,
        consumer: e.consumer,
        consumer_org_id: e.consumerOrgId,
        reader_name: e.readerName,
        purpose: e.purpose,
        fields: JSON.stringify(e.fields),
        channel: e.channel,
        x_road_id: e.xRoadId,
        read_at: e.at,
      })),
    )
    .execute();
}

export type ReadRow = { id: string; registry: string; subject_key: string; consumer: string; consumer_org_id: string | null; reader_name: string; purpose: string | null; fields: string[]; channel: ReadEntry['channel']; x_road_id: string | null; read_at: Date };

/** Reads of one subject's records, newest first; `registry` narrows to one registry. */
export async function readsOf(db: Executor, subjectKey: string, options: { registry?: string; limit: number; before?: Date }): Promise<ReadRow[]> {
  let query = db.selectFrom('registries.reads').selectAll().where('subject_key', '=', subjectKey);
  if (options.registry) query = query.where('registry', '=', options.registry);
  if (options.before) query = query.where('read_at', '<', options.before);
  return (await query.orderBy('read_at', 'desc').orderBy('id').limit(options.limit).execute()) as ReadRow[];
}
