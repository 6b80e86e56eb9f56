// SQL for the exchange registry: services, groups and access rights.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import { escapeLike } from '../../platform/sql.ts';

export type ServiceRow = {
  id: string;
  subsystem_id: string;
  org_id: string;
  identifier: string;
  code: string;
  backend_url: string;
  openapi: string | null;
  timeout_ms: number;
  max_body_bytes: number;
  classification: 'public' | 'internal' | 'personal' | 'sensitive';
  status: 'active' | 'inactive';
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type AccessRightRow = {
  id: string;
  service_id: string;
  client_kind: 'subsystem' | 'group';
  client: string;
  method: string | null;
  path_pattern: string | null;
  /** The granted fields of the answer (jsonb array); null: the whole answer. */
  fields: string[] | null;
  granted_by_name: string;
  granted_at: Date;
  revoked_by_name: string | null;
  revoked_at: Date | null;
};

export type GroupRow = { id: string; code: string; description: string; created_at: Date };

const asService = (row: Record<string, unknown> | undefined) => row && ({ ...row, max_body_bytes: Number(row.max_body_bytes) } as ServiceRow);

export async function insertService(db: Executor, row: ServiceRow): Promise<void> {
  await db.insertInto('exchange.services').values(row).execute();
}

export async function findService(db: Executor, id: string, forUpdate = false): Promise<ServiceRow | undefined> {
  let query = db.selectFrom('exchange.services').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return asService(await query.executeTakeFirst());
}

export async function findServiceByIdentifier(db: Executor, identifier: string): Promise<ServiceRow | undefined> {
  return asService(await db.selectFrom('exchange.services').selectAll().where('identifier', '=', identifier).executeTakeFirst());
}

export async function listServices(db: Executor, filter: { orgId?: string; subsystemId?: string }): Promise<ServiceRow[]> {
  let query = db.selectFrom('exchange.services').selectAll();
  if (filter.orgId) query = query.where('org_id', '=', filter.orgId);
  if (filter.subsystemId) query = query.where('subsystem_id', '=', filter.subsystemId);
  return (await query.orderBy('identifier').execute()).map((r) => asService(r)!);
}

export async function listServicesOfSubsystem(db: Executor, subsystemIdentifier: string): Promise<ServiceRow[]> {
  return (await db.selectFrom('exchange.services').selectAll().where('identifier', 'like', `${escapeLike(subsystemIdentifier)}/%`).orderBy('code').execute()).map((r) => asService(r)!);
}

export async function updateService(db: Executor, id: string, changes: Partial<ServiceRow>): Promise<void> {
  await db.updateTable('exchange.services').set(changes).where('id', '=', id).execute();
}

export async function insertRight(db: Executor, row: AccessRightRow): Promise<void> {
  // jsonb takes JSON text: the driver would send a JavaScript array as a PostgreSQL array.
  await db.insertInto('exchange.access_rights').values({ ...row, fields: row.fields === null ? null : JSON.stringify(row.fields) }).execute();
}

export async function findRight(db: Executor, id: string): Promise<AccessRightRow | undefined> {
  return db.selectFrom('exchange.access_rights').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AccessRightRow | undefined>;
}

export async function listLiveRights(db: Executor, serviceId: string): Promise<AccessRightRow[]> {
  return db.selectFrom('exchange.access_rights').selectAll().where('service_id', '=', serviceId).where('revoked_at', 'is', null).orderBy('granted_at').execute() as Promise<AccessRightRow[]>;
}

export async function findLiveRight(db: Executor, right: Pick<AccessRightRow, 'service_id' | 'client_kind' | 'client' | 'method' | 'path_pattern'>): Promise<AccessRightRow | undefined> {
  return db
    .selectFrom('exchange.access_rights')
    .selectAll()
    .where('service_id', '=', right.service_id)
    .where('client_kind', '=', right.client_kind)
    .where('client', '=', right.client)
    .where(sql<boolean>`coalesce(method, '') = ${right.method ?? ''}`)
    .where(sql<boolean>`coalesce(path_pattern, '') = ${right.path_pattern ?? ''}`)
    .where('revoked_at', 'is', null)
    .executeTakeFirst() as Promise<AccessRightRow | undefined>;
}

export async function revokeRight(db: Executor, id: string, by: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('exchange.access_rights').set({ revoked_at: at, revoked_by_name: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The live rights on a service that could apply to `client`: its own, or a group's it belongs to. */
export async function rightsFor(db: Executor, serviceId: string, client: string): Promise<AccessRightRow[]> {
  return db
    .selectFrom('exchange.access_rights as r')
    .selectAll('r')
    .where('r.service_id', '=', serviceId)
    .where('r.revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.client_kind', '=', 'subsystem'), eb('r.client', '=', client)]),
        eb.and([
          eb('r.client_kind', '=', 'group'),
          eb.exists(eb.selectFrom('exchange.groups as g').innerJoin('exchange.group_members as m', 'm.group_id', 'g.id').select('g.id').whereRef('g.code', '=', 'r.client').where('m.client', '=', client)),
        ]),
      ]),
    )
    .execute() as Promise<AccessRightRow[]>;
}

export async function insertGroup(db: Executor, row: GroupRow): Promise<void> {
  await db.insertInto('exchange.groups').values(row).execute();
}

export async function findGroupByCode(db: Executor, code: string): Promise<GroupRow | undefined> {
  return db.selectFrom('exchange.groups').selectAll().where('code', '=', code).executeTakeFirst() as Promise<GroupRow | undefined>;
}

export async function findGroup(db: Executor, id: string): Promise<GroupRow | undefined> {
  return db.selectFrom('exchange.groups').selectAll().where('id', '=', id).executeTakeFirst() as Promise<GroupRow | undefined>;
}

export async function listGroups(db: Executor): Promise<(GroupRow & { members: string[] })[]> {
  const [groups, members] = await Promise.all([
    db.selectFrom('exchange.groups').selectAll().orderBy('code').execute() as Promise<GroupRow[]>,
    db.selectFrom('exchange.group_members').select(['group_id', 'client']).orderBy('client').execute(),
  ]);
  return groups.map((g) => ({ ...g, members: members.filter((m) => m.group_id === g.id).map((m) => m.client) }));
}

export async function addGroupMember(db: Executor, groupId: string, client: string, at: Date): Promise<boolean> {
  const result = await db.insertInto('exchange.group_members').values({ group_id: groupId, client, added_at: at }).onConflict((oc) => oc.columns(['group_id', 'client']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function removeGroupMember(db: Executor, groupId: string, client: string): Promise<boolean> {
  const result = await db.deleteFrom('exchange.group_members').where('group_id', '=', groupId).where('client', '=', client).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function listAllLiveRights(db: Executor): Promise<(AccessRightRow & { service_identifier: string })[]> {
  return db
    .selectFrom('exchange.access_rights as r')
    .innerJoin('exchange.services as s', 's.id', 'r.service_id')
    .selectAll('r')
    .select('s.identifier as service_identifier')
    .where('r.revoked_at', 'is', null)
    .orderBy('s.identifier')
    .orderBy('r.granted_at')
    .execute() as Promise<(AccessRightRow & { service_identifier: string })[]>;
}
