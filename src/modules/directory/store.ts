// SQL for the directory's tables. No rules here: the service decides, the store reads and writes.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import { escapeLike } from '../../platform/sql.ts';
import type { OrgLevel, OrgType } from './schema.ts';

export type OrganizationRow = {
  id: string;
  parent_id: string | null;
  path: string;
  identifier: string;
  name_zh: string;
  name_en: string;
  credit_code: string;
  division_code: string;
  type: OrgType;
  level: OrgLevel;
  status: 'active' | 'inactive';
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type SubsystemRow = {
  id: string;
  org_id: string;
  code: string;
  identifier: string;
  name_zh: string;
  name_en: string;
  description: string;
  status: 'active' | 'inactive';
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type LocalDivisionRow = { code: string; name: string; level: 'province' | 'city' | 'county'; parent: string | null };

export async function findOrganization(db: Executor, id: string, forUpdate = false): Promise<OrganizationRow | undefined> {
  let q = db.selectFrom('directory.organizations').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<OrganizationRow | undefined>;
}

export async function findOrganizationByCreditCode(db: Executor, creditCode: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('directory.organizations').selectAll().where('credit_code', '=', creditCode).executeTakeFirst() as Promise<OrganizationRow | undefined>;
}

export async function listAllOrganizations(db: Executor, includeInactive: boolean): Promise<OrganizationRow[]> {
  let q = db.selectFrom('directory.organizations').selectAll();
  if (!includeInactive) q = q.where('status', '=', 'active');
  return q.orderBy('name_zh').execute() as Promise<OrganizationRow[]>;
}

export async function countActiveChildren(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom('directory.organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertOrganization(db: Executor, row: OrganizationRow): Promise<void> {
  await db.insertInto('directory.organizations').values(row).execute();
}

export async function updateOrganization(db: Executor, id: string, changes: Partial<OrganizationRow>): Promise<void> {
  await db.updateTable('directory.organizations').set(changes).where('id', '=', id).execute();
}

/** Moves a subtree: every descendant's path gets the new prefix. */
export async function rewriteSubtreePaths(db: Executor, oldPrefix: string, newPrefix: string): Promise<void> {
  await db
    .updateTable('directory.organizations')
    .set({ path: sql`${newPrefix} || substr(path, ${oldPrefix.length + 1})` })
    .where('path', 'like', `${escapeLike(oldPrefix)}%`)
    .execute();
}

export async function listSubsystems(db: Executor, orgId: string): Promise<SubsystemRow[]> {
  return db.selectFrom('directory.subsystems').selectAll().where('org_id', '=', orgId).orderBy('code').execute() as Promise<SubsystemRow[]>;
}

export async function findSubsystem(db: Executor, id: string, forUpdate = false): Promise<SubsystemRow | undefined> {
  let q = db.selectFrom('directory.subsystems').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<SubsystemRow | undefined>;
}

export async function listAllSubsystems(db: Executor): Promise<SubsystemRow[]> {
  return db.selectFrom('directory.subsystems').selectAll().orderBy('identifier').execute() as Promise<SubsystemRow[]>;
}

export async function findSubsystemByIdentifier(db: Executor, identifier: string): Promise<SubsystemRow | undefined> {
  return db.selectFrom('directory.subsystems').selectAll().where('identifier', '=', identifier).executeTakeFirst() as Promise<SubsystemRow | undefined>;
}

export async function findSubsystemByCode(db: Executor, orgId: string, code: string): Promise<SubsystemRow | undefined> {
  return db.selectFrom('directory.subsystems').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst() as Promise<SubsystemRow | undefined>;
}

export async function insertSubsystem(db: Executor, row: SubsystemRow): Promise<void> {
  await db.insertInto('directory.subsystems').values(row).execute();
}

export async function updateSubsystem(db: Executor, id: string, changes: Partial<SubsystemRow>): Promise<void> {
  await db.updateTable('directory.subsystems').set(changes).where('id', '=', id).execute();
}

/** Identifiers embed the credit code, so a changed code renames the organization's subsystems too. */
export async function renameSubsystemIdentifiers(db: Executor, orgId: string, orgIdentifier: string): Promise<void> {
  await db
    .updateTable('directory.subsystems')
    .set({ identifier: sql`${orgIdentifier} || '/' || code` })
    .where('org_id', '=', orgId)
    .execute();
}

export async function listLocalDivisions(db: Executor): Promise<LocalDivisionRow[]> {
  return db.selectFrom('directory.local_divisions').selectAll().orderBy('code').execute() as Promise<LocalDivisionRow[]>;
}

export async function upsertLocalDivision(db: Executor, row: LocalDivisionRow): Promise<void> {
  await db
    .insertInto('directory.local_divisions')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet({ name: row.name, level: row.level, parent: row.parent }))
    .execute();
}
