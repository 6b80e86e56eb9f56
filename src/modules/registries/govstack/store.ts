// SQL of the GovStack database API: the numbers it gives record registries, what a client
// told it beside the schema, and removing an empty registry's definition.
import { sql } from 'kysely';
import type { Db, Executor } from '../../../platform/db.ts';

export type DatabaseRow = {
  id: number;
  name: string;
  group_name: string | null;
  catalog_name: string | null;
  filename: string | null;
  creation_date: string | null;
  modified_by_name: string | null;
  modified_at: Date | null;
};

export type DatabaseMeta = { groupName: string | null; catalogName: string | null; filename: string | null; creationDate: string | null; modifiedByName: string; modifiedAt: Date };

/**
 * Numbers the record registries that have none yet, in the order they were installed. Two
 * replicas numbering at once may collide on a number: whatever one of them skipped is taken
 * on the next round.
 */
export async function numberRegistries(db: Db): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const result = await sql`
      insert into registries.govstack_databases (id, name)
      select (select coalesce(max(id), 0) from registries.govstack_databases) + row_number() over (order by r.created_at, r.name), r.name
      from registries.registries r
      where r.definition->>'kind' = 'records' and not exists (select 1 from registries.govstack_databases g where g.name = r.name)
      on conflict do nothing`.execute(db);
    if (Number(result.numAffectedRows ?? 0) === 0) return;
  }
}

export async function listDatabases(db: Executor): Promise<DatabaseRow[]> {
  return (await db.selectFrom('registries.govstack_databases').selectAll().orderBy('id').execute()) as DatabaseRow[];
}

export async function findDatabase(db: Executor, by: { id: number } | { name: string }): Promise<DatabaseRow | undefined> {
  const query = db.selectFrom('registries.govstack_databases').selectAll();
  return (await ('id' in by ? query.where('id', '=', by.id) : query.where('name', '=', by.name)).executeTakeFirst()) as DatabaseRow | undefined;
}

export async function saveMeta(db: Executor, name: string, meta: DatabaseMeta): Promise<void> {
  const values = { group_name: meta.groupName, catalog_name: meta.catalogName, filename: meta.filename, creation_date: meta.creationDate, modified_by_name: meta.modifiedByName, modified_at: meta.modifiedAt };
  await db.updateTable('registries.govstack_databases').set(values).where('name', '=', name).execute();
}

/** Whether the registry ever held a record (live or deleted, versions kept) or an import. */
export async function everUsed(db: Executor, name: string): Promise<boolean> {
  const row = await sql<{ used: boolean }>`
    select exists (select 1 from registries.records where registry = ${name})
        or exists (select 1 from registries.record_versions where registry = ${name})
        or exists (select 1 from registries.imports where registry = ${name}) as used`.execute(db);
  return Boolean(row.rows[0]?.used);
}

/** Removes a registry's definition and its field indexes (names as catalog.ts builds them). */
export async function removeRegistry(trx: Executor, name: string, indexNames: string[]): Promise<boolean> {
  for (const index of indexNames) await sql`drop index if exists registries.${sql.id(index)}`.execute(trx);
  const result = await trx.deleteFrom('registries.registries').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
