// Which registries this node keeps, their definitions and owners. The four base registries
// are installed with an owner each (the demo seed, or `egov registries install`); the
// platform admin may hand one to another organization. Record registries also get an
// expression index per indexed field, so lookups by any of them are index scans.
import { sql } from 'kysely';
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import type { Operator } from '../../platform/actor.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { RegistryDefinition } from './engine/definition.ts';
import * as policy from './policy.ts';

export type RegistryRow = { name: string; version: string; definition: RegistryDefinition; owner_org_id: string; created_at: Date; updated_at: Date };
export type RegistryInfo = { name: string; kind: RegistryDefinition['kind']; version: string; titleZh: string; titleEn: string; descriptionZh: string; descriptionEn: string; ownerOrgId: string; updatedAt: string };

export const presentRegistry = (row: RegistryRow): RegistryInfo => ({
  name: row.name,
  kind: row.definition.kind,
  version: row.version,
  titleZh: row.definition.titleZh,
  titleEn: row.definition.titleEn,
  descriptionZh: row.definition.descriptionZh,
  descriptionEn: row.definition.descriptionEn,
  ownerOrgId: row.owner_org_id,
  updatedAt: row.updated_at.toISOString(),
});

export async function findRegistryRow(db: Executor, name: string): Promise<RegistryRow | undefined> {
  return (await db.selectFrom('registries.registries').selectAll().where('name', '=', name).executeTakeFirst()) as RegistryRow | undefined;
}

/** Index names are built from definition names, which are checked to be [a-z0-9-] first. */
export const indexName = (registry: string, field: string) => `records_${registry.replace(/-/g, '_')}_${field.replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}_idx`;

async function ensureIndexes(db: Executor, definition: RegistryDefinition): Promise<void> {
  for (const field of definition.fields.filter((f) => f.indexed && f.name !== definition.keyField)) {
    await sql`create index if not exists ${sql.id(indexName(definition.name, field.name))} on registries.records ((data->>${sql.lit(field.name)})) where registry = ${sql.lit(definition.name)}`.execute(db);
  }
}

/** Change-feed topic: a registry was installed, redefined, handed over or removed. */
export const CATALOG_TOPIC = 'registries.catalog';

export function createRegistryCatalog(deps: { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed }) {
  const { db } = deps;
  // Every read of a record needs its registry's row (the owner, for authorization; the
  // definition, to project): from memory, since it changes about never. A change anywhere is
  // announced on the change feed, here at once and on other replicas at commit; a load that
  // was in flight when a change came in is not kept (the generation moved on).
  const cached = new Map<string, RegistryRow>();
  let generation = 0;
  const forget = () => {
    generation += 1;
    cached.clear();
  };
  deps.changes.subscribe(CATALOG_TOPIC, forget);
  /** Inside a transaction that changes registries.registries: other replicas forget at commit. */
  const announceChange = (trx: Executor) => deps.changes.notify(trx, CATALOG_TOPIC);
  /** After such a transaction committed: this process forgets at once. */
  const changed = () => deps.changes.local(CATALOG_TOPIC);
  return {
    announceChange,
    changed,

    async list(): Promise<RegistryInfo[]> {
      return ((await db.selectFrom('registries.registries').selectAll().orderBy('created_at').orderBy('name').execute()) as RegistryRow[]).map(presentRegistry);
    },

    /** The registry, or NotFoundError naming it. */
    async get(name: string): Promise<RegistryRow> {
      const known = cached.get(name);
      if (known) return known;
      const loadedIn = generation;
      const row = await findRegistryRow(db, name);
      if (!row) throw new NotFoundError('registry', name, '登记库');
      // Shared by every request: frozen, so no caller changes what the next one reads.
      Object.freeze(row);
      if (loadedIn === generation) cached.set(name, row);
      return row;
    },

    /** Installs a registry (or its new definition) with its owner; the owner stays if it is installed already. */
    async install(op: Operator, definition: RegistryDefinition, ownerOrgId: string): Promise<RegistryInfo> {
      const now = deps.clock.now();
      const row = await db.transaction().execute(async (trx) => {
        const existing = await findRegistryRow(trx, definition.name);
        const values = { name: definition.name, version: definition.version, definition: JSON.stringify(definition), owner_org_id: existing?.owner_org_id ?? ownerOrgId, created_at: existing?.created_at ?? now, updated_at: now };
        if (existing) await trx.updateTable('registries.registries').set({ version: values.version, definition: values.definition, updated_at: now }).where('name', '=', definition.name).execute();
        else await trx.insertInto('registries.registries').values(values).execute();
        await ensureIndexes(trx, definition);
        await announceChange(trx);
        await deps.audit.record(trx, { actor: op.auditAs, action: 'registries.registry.install', subjectType: 'registry', subjectId: definition.name, outcome: 'success', detail: { version: definition.version, ownerOrgId: values.owner_org_id }, ip: op.ip, requestId: op.requestId });
        return { ...values, definition };
      });
      changed();
      return presentRegistry(row as RegistryRow);
    },

    async assignOwner(op: Operator, name: string, ownerOrgId: string): Promise<RegistryInfo> {
      if (op.actor) policy.assertMayAssignOwner(op.actor);
      const row = await this.get(name);
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('registries.registries').set({ owner_org_id: ownerOrgId, updated_at: now }).where('name', '=', name).execute();
        await announceChange(trx);
        await deps.audit.record(trx, { actor: op.auditAs, action: 'registries.registry.owner', subjectType: 'registry', subjectId: name, outcome: 'success', detail: { from: row.owner_org_id, to: ownerOrgId }, ip: op.ip, requestId: op.requestId });
      });
      changed();
      return presentRegistry({ ...row, owner_org_id: ownerOrgId, updated_at: now });
    },
  };
}

export type RegistryCatalog = ReturnType<typeof createRegistryCatalog>;
