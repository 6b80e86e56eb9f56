// The GovStack database API (digital-registries-database-1.3.0): /databases lists the record
// registries the caller may reach, /database/{id} gives one with its schema (only the fields
// the caller's right grants), /database/modify defines a new record registry or changes one,
// and DELETE /database/{id} removes a registry that never held a record. Only a platform
// administrator or the owner organization (its administrators, or its client systems)
// defines or removes a schema; the base registries' schemas come with the platform and are
// neither changed nor removed here.
import { hasRole } from '../../../platform/actor.ts';
import { ConflictError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import { findRegistryRow, indexName, type RegistryRow } from '../catalog.ts';
import { BASE_REGISTRIES } from '../definitions/index.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import { visibleFields } from '../engine/project.ts';
import { COUNT_CAP, countRecords, queryRecords } from '../engine/store.ts';
import { checkRecord } from '../engine/validate.ts';
import { forbidden, notFound } from './common.ts';
import { ModifyBody, checkBody } from './schema.ts';
import { json, type Access, type DrCaller, type DrContext, type DrResponse } from './dr.ts';
import { definitionToSchema, nextVersion, sameDefinition, schemaToDefinition } from './schema-map.ts';
import { everUsed, findDatabase, listDatabases, numberRegistries, removeRegistry, saveMeta, type DatabaseRow } from './store.ts';

const BASE_NAMES = new Set(BASE_REGISTRIES.map((d) => d.name));
const VERSION = /^\d{1,4}(\.\d{1,4}){0,2}$/;

/** Whether the caller may define or remove the schema of a registry owned by `ownerOrgId`. */
export function mayDefine(caller: DrCaller, ownerOrgId: string): boolean {
  if (caller.actor) return hasRole(caller.actor, 'platform_admin') || (hasRole(caller.actor, 'org_admin') && caller.actor.orgId === ownerOrgId);
  return caller.orgId === ownerOrgId;
}

function mayCreate(caller: DrCaller): boolean {
  if (caller.actor) return hasRole(caller.actor, 'platform_admin', 'org_admin');
  return caller.orgId !== null;
}

const notDefiner = () => forbidden("Only a platform administrator or the registry's owner organization (its administrators or client systems) defines or removes its schema.", '仅平台管理员或登记库所属单位（其管理员或客户端系统）可以定义或删除登记库模式。', 'not_owner');

const baseRegistry = (name: string) =>
  new ConflictError('base_registry', `The ${name} registry is a base registry: its schema comes with the platform and changes only with a new egov release, never through this API.`, `${name} 是基础库：其模式随平台发布，只能随平台新版本变更，不能通过本接口修改或删除。`);

/** The operations of a registry's API, as genericServices lists them, with a path to ask rights for. */
function operations(row: RegistryRow, id: number): [string, string, string][] {
  const data = `/data/${encodeURIComponent(row.name)}/${encodeURIComponent(row.version)}`;
  return [
    ['data-list', 'GET', data],
    ['data-create', 'POST', `${data}/create`],
    ['data-exists', 'POST', `${data}/exists`],
    ['data-read', 'POST', `${data}/read`],
    ['data-update', 'PUT', `${data}/update`],
    ['data-update-entries', 'PUT', `${data}/updateEntries`],
    ['data-update-or-create', 'POST', `${data}/updateOrCreate`],
    ['data-delete', 'DELETE', `${data}/%7BID%7D/delete`],
    ['data-read-value', 'GET', `${data}/%7Buuid%7D/readValue/%7Bfield%7D.json`],
    ['my-personal-data-usage', 'GET', '/data/myPersonalDataUsage'],
    ['database-read', 'GET', `/database/${id}`],
  ];
}

/** What the caller may see of a registry's schema: its right's fields, or all for its definer; undefined: nothing. */
async function schemaGrant(ctx: DrContext, row: RegistryRow): Promise<Access> {
  if (mayDefine(ctx.caller, row.owner_org_id)) return { ok: true, granted: null };
  return ctx.caller.access(row, ctx.req.method, ctx.req.path);
}

async function databaseInfo(ctx: DrContext, row: RegistryRow, db: DatabaseRow, grant: readonly string[] | null) {
  const { definition } = row;
  const fields = visibleFields(definition, grant);
  const owner = await ctx.deps.findOrganization(row.owner_org_id);
  const zh = ctx.lang === 'zh';
  const definer = mayDefine(ctx.caller, row.owner_org_id);
  const genericServices = [];
  for (const [i, [name, method, path]] of operations(row, db.id).entries()) genericServices.push({ serviceId: i + 1, name, isVisible: (await ctx.caller.access(row, method, path)).ok });
  genericServices.push({ serviceId: genericServices.length + 1, name: 'database-modify', isVisible: definer }, { serviceId: genericServices.length + 2, name: 'database-delete', isVisible: definer && !BASE_NAMES.has(row.name) });
  return {
    id: db.id,
    version: row.version,
    name: row.name,
    description: zh ? `${definition.titleZh}：${definition.descriptionZh}` : `${definition.titleEn}: ${definition.descriptionEn}`,
    ...(owner ? { institution: zh ? owner.nameZh : owner.nameEn } : {}),
    schema: definitionToSchema(definition, fields, { filename: db.filename, creationDate: db.creation_date }, ctx.lang),
    schemaTags: fields.filter((f) => f.indexed || f.name === definition.keyField).map((f) => ({ name: 'indexed', path: `/${f.name}`, isFulltext: false })),
    schemaFlags: fields.flatMap((f) => [
      ...(f.name === definition.keyField ? [{ name: 'primaryKey', path: `/${f.name}` }] : []),
      ...(f.required || f.name === definition.keyField ? [{ name: 'mandatory', path: `/${f.name}` }] : []),
      ...(f.sensitivity === 'personal' || f.sensitivity === 'sensitive' ? [{ name: f.sensitivity, path: `/${f.name}` }] : []),
      ...(grant !== null && !grant.includes(f.name) ? [{ name: 'masked', path: `/${f.name}` }] : []),
    ]),
    fieldsUniques: [[definition.keyField]],
    isDraft: false,
    isDisabled: false,
    isArchived: false,
    modifiedAt: (db.modified_at && db.modified_at > row.updated_at ? db.modified_at : row.updated_at).toISOString(),
    ...(db.modified_by_name ? { byUserName: db.modified_by_name } : {}),
    genericServices,
    hasLogo: false,
  };
}

async function databases(ctx: DrContext): Promise<DrResponse> {
  await numberRegistries(ctx.deps.db);
  const list = [];
  for (const db of await listDatabases(ctx.deps.db)) {
    if (ctx.caller.only !== undefined && db.name !== ctx.caller.only) continue;
    const row = await findRegistryRow(ctx.deps.db, db.name);
    if (!row || row.definition.kind !== 'records') continue;
    const grant = await schemaGrant(ctx, row);
    if (grant.ok) list.push(await databaseInfo(ctx, row, db, grant.granted));
  }
  return json(200, { id: 1, name: ctx.lang === 'zh' ? '登记库' : 'Registries', code: ctx.deps.instance, databases: list, groupId: 1, order: 1 });
}

/** The registry /database/{id} names, if this caller may reach it at all. */
async function databaseById(ctx: DrContext, raw: string): Promise<{ row: RegistryRow; db: DatabaseRow }> {
  if (!/^\d{1,9}$/.test(raw)) throw invalidField('id', 'type', 'must be the database number /databases lists', '须为 /databases 列出的数据库编号');
  await numberRegistries(ctx.deps.db);
  const db = await findDatabase(ctx.deps.db, { id: Number(raw) });
  const row = db && (ctx.caller.only === undefined || ctx.caller.only === db.name) ? await findRegistryRow(ctx.deps.db, db.name) : undefined;
  if (!db || !row || row.definition.kind !== 'records') throw notFound('not_found', `No database ${raw}; /databases lists those you may reach.`, `没有编号为 ${raw} 的数据库；/databases 列出您可访问的数据库。`);
  return { row, db };
}

async function getDatabase(ctx: DrContext, raw: string): Promise<DrResponse> {
  const { row, db } = await databaseById(ctx, raw);
  const grant = await schemaGrant(ctx, row);
  if (!grant.ok) throw grant.error;
  return json(200, await databaseInfo(ctx, row, db, grant.granted));
}

async function deleteDatabase(ctx: DrContext, raw: string): Promise<DrResponse> {
  const { row } = await databaseById(ctx, raw);
  if (BASE_NAMES.has(row.name)) throw baseRegistry(row.name);
  if (!mayDefine(ctx.caller, row.owner_org_id)) throw notDefiner();
  const { deps, caller } = ctx;
  if (await everUsed(deps.db, row.name)) {
    const live = await countRecords(deps.db, row.name);
    throw new ConflictError('registry_in_use', `The ${row.name} registry has held records (${live} live now); their history is kept, so its schema stays.`, `登记库 ${row.name} 曾保存记录（现有 ${live} 条）；记录历史须保留，因此不能删除其模式。`);
  }
  const indexes = row.definition.fields.filter((f) => f.indexed && f.name !== row.definition.keyField).map((f) => indexName(row.name, f.name));
  const inUse = () => new ConflictError('registry_in_use', `Something of the platform still refers to the ${row.name} registry; its schema stays.`, `平台中仍有数据引用登记库 ${row.name}，不能删除其模式。`);
  await deps.db
    .transaction()
    .execute(async (trx) => {
      if (!(await removeRegistry(trx, row.name, indexes))) throw notFound('not_found', `No database ${raw}.`, `没有编号为 ${raw} 的数据库。`);
      await deps.catalog.announceChange(trx);
      await deps.audit.record(trx, { actor: { id: caller.actor?.userId ?? null, name: caller.actor?.username ?? caller.client, orgId: caller.orgId }, action: 'registries.registry.delete', subjectType: 'registry', subjectId: row.name, outcome: 'success', detail: { version: row.version, channel: caller.channel, client: caller.client }, ip: caller.ip, requestId: caller.requestId });
    })
    .catch((err: { code?: string }) => {
      // A table added later that refers to registries (a foreign key) keeps it as well.
      throw err?.code === '23503' ? inUse() : err;
    });
  deps.catalog.changed();
  return json(200, 'Success');
}

/** Refuses a new definition that the registry's records would not pass, naming the first problems. */
async function assertRecordsFit(ctx: DrContext, existing: RegistryRow, definition: RegistryDefinition): Promise<void> {
  const { db, clock } = ctx.deps;
  if (definition.keyField !== existing.definition.keyField && (await everUsed(db, existing.name))) {
    throw new ConflictError('key_field_change', `The ${existing.name} registry has records keyed by ${existing.definition.keyField}; the key field cannot become ${definition.keyField}.`, `登记库 ${existing.name} 的记录以 ${existing.definition.keyField} 为主键，不能改为 ${definition.keyField}。`);
  }
  if ((await countRecords(db, existing.name)) >= COUNT_CAP) throw new ConflictError('too_many_records', `The ${existing.name} registry has too many records to check against a new schema here; change it with an egov release.`, `登记库 ${existing.name} 记录过多，无法在此按新模式逐条校验。`);
  const context = { divisionExists: ctx.deps.divisionExists, today: clock.now().toISOString().slice(0, 10) };
  const problems: FieldError[] = [];
  for (let offset = 0; problems.length < 10; offset += 500) {
    const { rows } = await queryRecords(db, existing.name, { where: {}, limit: 500, offset, withCount: false });
    for (const record of rows) for (const e of checkRecord(definition, record.data, context).errors.slice(0, 3)) problems.push({ ...e, field: `${record.key}.${e.field}` });
    if (rows.length < 500) break;
  }
  if (problems.length > 0) {
    throw new ConflictError('records_disagree', `Records of the ${existing.name} registry would not pass the new schema (first problems listed as <record>.<field>); change the records first or keep the schema compatible.`, `登记库 ${existing.name} 的现有记录不符合新模式（下列为前几处问题，格式为 记录.字段）；请先修改记录，或保持模式兼容。`, problems.slice(0, 10));
  }
}

async function modify(ctx: DrContext): Promise<DrResponse> {
  const { deps, caller } = ctx;
  checkBody(ModifyBody, ctx.req.body);
  const body = ctx.req.body as Record<string, unknown>;
  if (body.version !== undefined && (typeof body.version !== 'string' || !VERSION.test(body.version))) throw invalidField('version', 'version', 'must be a version number such as 1.0 or 2.1', '须为版本号，如 1.0、2.1');
  const draft = schemaToDefinition({ code: body.code, catalogName: body.catalogName, groupName: body.groupName, schema: body.schema }, '0');
  const name = typeof body.code === 'string' ? body.code.trim().toLowerCase() : '';
  // Who may, before the schema's problems are told.
  if (caller.only !== undefined && name !== caller.only) throw forbidden(`This service serves the ${caller.only} registry only.`, `本服务仅提供登记库 ${caller.only}。`, 'wrong_service');
  const existing = name === '' ? undefined : await findRegistryRow(deps.db, name);
  if (existing) {
    if (existing.definition.kind !== 'records' || BASE_NAMES.has(existing.name)) throw baseRegistry(existing.name);
    if (!mayDefine(caller, existing.owner_org_id)) throw notDefiner();
  } else if (caller.channel === 'exchange') {
    // A service of the exchange serves a registry that exists; a new one is defined directly.
    throw forbidden(`There is no ${name} registry yet: define it at /govstack/dr/database/modify on its owner's node, then publish it as a service.`, `登记库 ${name} 尚不存在：请先在所属单位节点的 /govstack/dr/database/modify 定义，再发布为服务。`, 'define_directly');
  } else if (!mayCreate(caller)) {
    throw notDefiner();
  }
  if (!draft.definition) throw new ValidationError(draft.errors);
  const version = (body.version as string | undefined) ?? (existing ? (sameDefinition(existing.definition, draft.definition) ? existing.version : nextVersion(existing.version)) : '1.0');
  const definition = { ...draft.definition, version };
  if (existing && !sameDefinition(existing.definition, definition)) await assertRecordsFit(ctx, existing, definition);
  const ownerOrgId = existing?.owner_org_id ?? caller.orgId;
  if (!ownerOrgId) throw notDefiner();
  const by = caller.actor?.username ?? caller.client;
  await deps.catalog.install({ actor: null, auditAs: { id: caller.actor?.userId ?? null, name: by, orgId: caller.orgId }, ip: caller.ip, requestId: caller.requestId }, definition, ownerOrgId);
  // The registry is installed first: this is only what the client said beside the schema.
  await numberRegistries(deps.db);
  const schema = body.schema as Record<string, unknown>;
  const meta = { groupName: (body.groupName as string | undefined) ?? null, catalogName: (body.catalogName as string | undefined) ?? null, filename: String(schema.filename), creationDate: String(schema.creationDate), modifiedByName: by, modifiedAt: deps.clock.now() };
  await saveMeta(deps.db, name, meta);
  return json(200, definitionToSchema(definition, definition.fields, meta, ctx.lang));
}

/** /databases and /database/…: the operation the path and method name, or undefined. */
export async function handleDatabaseApi(ctx: DrContext): Promise<DrResponse | undefined> {
  const [a, b] = ctx.segments;
  const n = ctx.segments.length;
  const method = ctx.req.method;
  if (n === 1 && a === 'databases' && method === 'GET') return databases(ctx);
  if (n === 2 && a === 'database' && b === 'modify') return method === 'POST' ? modify(ctx) : undefined;
  if (n === 2 && a === 'database' && method === 'GET') return getDatabase(ctx, b);
  if (n === 2 && a === 'database' && method === 'DELETE') return deleteDatabase(ctx, b);
  return undefined;
}
