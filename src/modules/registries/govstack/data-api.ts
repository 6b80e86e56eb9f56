// The GovStack registry data API (digital-registries-data-1.3.0) over the record engine:
// list, create, exists, read, update, updateEntries, updateOrCreate, delete and readValue of
// /data/{registryName}/{versionNumber}. A record's `content` is its data under the registry's
// own field names. Reads go through Records with the caller's Reader, so each record shown is
// logged for its subject with the fields shown; fields the right does not grant are left out
// (the key masked), and may not be searched, filtered, ordered or matched on (the key may be
// matched on: it addresses a record, as {ID} in a path does). Writes are
// checked by the engine field by field and written with their provenance, or not at all.
// Optimistic concurrency: read, create, update and updateOrCreate answer with ETag: "<version>";
// update, updateOrCreate and delete take If-Match and answer 412 when the record moved on.
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, invalidField } from '../../../platform/errors.ts';
import type { RegistryRow } from '../catalog.ts';
import { projectRecord } from '../engine/project.ts';
import { MAX_PAGE_SIZE, type QueryInput } from '../engine/records.ts';
import { queryRecords } from '../engine/store.ts';
import { normaliseKey } from '../engine/validate.ts';
import { assertFieldsReadable, contentOf, forbidden, granted, reasonOf, readerOf, versionedRegistry, writerOf } from './common.ts';
import { QueryBody, UpdateBody, UpdateEntriesBody, WriteBody, checkBody } from './schema.ts';
import { NoRecordFound, PreconditionFailed, json, type DrContext, type DrResponse } from './dr.ts';

/** updateEntries changes at most this many records in one call (one transaction). */
export const MAX_ENTRIES = 1000;
const DEFAULT_PAGE_SIZE = 10;

type Grant = readonly string[] | null;

/** The grant, plus the key field as an identifier the caller gives (never a value it is shown). */
const withKey = (registry: RegistryRow, grant: Grant): Grant => (grant === null ? null : [...grant, registry.definition.keyField]);

/**
 * Equality conditions from a query's content, values as the database holds them as text.
 * The key field may always be matched on, as the path's {ID} addresses a record: the caller
 * gives the key, so matching tells it no more than whether that record exists. Any other
 * field must be granted, or the answer would tell what the right does not.
 */
function whereOf(registry: RegistryRow, content: Record<string, unknown>, grant: Grant): Record<string, string> {
  const definition = registry.definition;
  assertFieldsReadable(definition, Object.keys(content), withKey(registry, grant));
  const where: Record<string, string> = {};
  for (const [field, value] of Object.entries(content)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalidField(field, 'single_value', 'must be one value (text, number or true/false) to match records on', '须为用于匹配记录的单个值（文本、数字或 true/false）');
    const text = String(value).trim();
    const upper = definition.fields.find((f) => f.name === field)?.validators?.some((v) => v.name === 'id-number' || v.name === 'credit-code');
    where[field] = field === definition.keyField ? normaliseKey(definition, text) : upper ? text.toUpperCase() : text;
  }
  if (Object.keys(where).length === 0) throw invalidField('query.content', 'required', 'must name at least one field to match records on', '须至少给出一个用于匹配记录的字段');
  return where;
}

/** Keys of the records a query's content matches, without reading them (nothing is shown). */
async function matchingKeys(executor: Executor, registry: RegistryRow, content: Record<string, unknown>, grant: Grant, limit: number): Promise<string[]> {
  const { rows } = await queryRecords(executor, registry.name, { where: whereOf(registry, content, grant), limit, offset: 0, withCount: false });
  return rows.map((r) => r.key);
}

/** The one record a query (or, without one, the key field of the write) names. */
async function oneKey(executor: Executor, registry: RegistryRow, query: Record<string, unknown> | undefined, write: Record<string, unknown>, grant: Grant): Promise<string | undefined> {
  const definition = registry.definition;
  if (query) {
    const keys = await matchingKeys(executor, registry, query, grant, 2);
    if (keys.length > 1) throw new ConflictError('ambiguous_query', 'The query matches more than one record; give fields that identify one (the key field does), or use updateEntries.', '查询条件匹配到多条记录；请给出能唯一确定记录的字段（如主键），或使用 updateEntries。');
    return keys[0];
  }
  const key = write[definition.keyField];
  if (typeof key !== 'string' && typeof key !== 'number') throw invalidField('query', 'required', `is required unless write.content has the key field ${definition.keyField}`, `必填，除非 write.content 中给出主键字段 ${definition.keyField}`);
  return normaliseKey(definition, String(key));
}

function ifMatchOf(ctx: DrContext): number | undefined {
  const header = ctx.req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m || Number(m[1]) < 1) throw invalidField('If-Match', 'etag', 'must be the ETag of the record you read, e.g. "3"', '须为所读记录的 ETag，例如 "3"');
  return Number(m[1]);
}

function staleAgainst(expected: number, actual: number | undefined): PreconditionFailed {
  return new PreconditionFailed(
    'stale_version',
    actual === undefined ? 'The record was deleted since you read it.' : `The record changed since you read version ${expected}; it is now at version ${actual}. Read it again and reapply your change.`,
    actual === undefined ? '记录在您读取之后已被删除。' : `记录在您读取第 ${expected} 版之后已被修改，当前为第 ${actual} 版。请重新读取后再修改。`,
  );
}

/** The record as the caller may see it, read (and logged) now, with its version as ETag. */
async function answerRecord(ctx: DrContext, registry: RegistryRow, key: string, grant: Grant): Promise<DrResponse> {
  const view = await ctx.deps.records.get(registry.name, key, readerOf(ctx, grant));
  return json(200, { content: view.data }, { etag: `"${view.version}"` });
}

async function list(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  const { params } = ctx;
  const where: Record<string, string> = {};
  for (const name of new Set(params.keys())) {
    if (params.getAll(name).length > 1) throw invalidField(name, 'repeated', 'is given more than once', '重复给出');
    if (name.startsWith('query.') && name.length > 'query.'.length) where[name.slice('query.'.length)] = params.get(name)!;
    else if (!['search', 'filter', 'ordering', 'page', 'pageSize'].includes(name)) throw invalidField(name, 'unknown_parameter', 'is not a parameter of this operation (search, filter, ordering, page, pageSize, query.<field>)', '不是本操作的参数（search、filter、ordering、page、pageSize、query.<字段>）');
  }
  const number = (name: string, fallback: number) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,9}$/.test(raw)) throw invalidField(name, 'type', 'must be a whole number', '应为整数');
    return Number(raw);
  };
  const page = number('page', 1);
  const pageSize = number('pageSize', DEFAULT_PAGE_SIZE);
  const search = params.get('search') || undefined;
  const filter = params.get('filter') || undefined;
  if (filter && !search) throw invalidField('filter', 'search_required', 'names the field search looks in: give search too', '指定 search 检索的字段，须同时给出 search');
  const ordering = params.get('ordering') || undefined;
  let orderBy: string | undefined;
  let descending = false;
  if (ordering === 'descending') descending = true;
  else if (ordering !== undefined && ordering !== 'ascending') {
    descending = ordering.startsWith('-');
    orderBy = ordering.replace(/^[-+]/, '');
  }
  const input: QueryInput = { where, search: search ? { pattern: search, field: filter } : undefined, orderBy, descending, page, pageSize };
  if (pageSize > MAX_PAGE_SIZE) throw invalidField('pageSize', 'range', `must be 1 to ${MAX_PAGE_SIZE}`, `应为 1 至 ${MAX_PAGE_SIZE}`);
  // The engine refuses unknown and ungranted fields in conditions, search and ordering.
  const result = await ctx.deps.records.query(registry.name, input, readerOf(ctx, grant));
  const count = result.count ?? result.results.length;
  const uri = (to: number) => {
    const next = new URLSearchParams(ctx.req.query);
    next.set('page', String(to));
    return `${ctx.caller.origin}${ctx.caller.prefix}${ctx.req.path}?${next.toString()}`;
  };
  return json(200, { count, next: page * pageSize < count ? uri(page + 1) : null, previous: page > 1 ? uri(Math.min(page - 1, Math.max(1, Math.ceil(count / pageSize)))) : null, results: result.results.map((r) => r.data) });
}

async function create(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(WriteBody, ctx.req.body);
  const write = contentOf(ctx.req.body, 'write', true)!;
  assertFieldsReadable(registry.definition, Object.keys(write), withKey(registry, grant));
  const view = await ctx.deps.records.create(writerOf(ctx), registry.name, write, reasonOf(ctx, 'create'));
  // The writer's own data back, as its right shows it: not a read of anything new.
  return json(200, { content: projectRecord(registry.definition, view.data, grant).record }, { etag: `"${view.version}"` });
}

async function exists(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(QueryBody, ctx.req.body);
  const query = contentOf(ctx.req.body, 'query', true)!;
  const where = whereOf(registry, query, grant);
  // Logged as a read of the fields matched on: what the answer tells about the record.
  const result = await ctx.deps.records.query(registry.name, { where, page: 1, pageSize: 1, withCount: false }, readerOf(ctx, Object.keys(where)));
  const found = result.results.length > 0;
  const message = found ? (ctx.lang === 'zh' ? '已找到匹配的记录' : 'Object found from database') : ctx.lang === 'zh' ? '没有匹配的记录' : 'No object matches the query';
  return json(200, { answer: { status: found, message } });
}

async function read(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(QueryBody, ctx.req.body);
  const query = contentOf(ctx.req.body, 'query', true)!;
  const key = await oneKey(ctx.deps.db, registry, query, {}, grant);
  if (key === undefined) throw new NoRecordFound();
  return answerRecord(ctx, registry, key, grant);
}

/** Changes one record in the caller's transaction; If-Match, when given, must be its version. */
async function patchIn(ctx: DrContext, trx: Executor, registry: RegistryRow, key: string, patch: Record<string, unknown>, ifMatch: number | undefined, operation: string): Promise<boolean> {
  const { records } = ctx.deps;
  const current = await records.currentIn(trx, registry, key);
  if (!current) return false;
  if (ifMatch !== undefined && current.version !== ifMatch) throw staleAgainst(ifMatch, current.version);
  await records.updateIn(trx, writerOf(ctx), registry, key, { expected: current.version, patch, reason: reasonOf(ctx, operation) });
  return true;
}

async function update(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(UpdateBody, ctx.req.body);
  const write = contentOf(ctx.req.body, 'write', true)!;
  const query = contentOf(ctx.req.body, 'query', false);
  assertFieldsReadable(registry.definition, Object.keys(write), withKey(registry, grant));
  const ifMatch = ifMatchOf(ctx);
  const key = await ctx.deps.records.inTransaction(writerOf(ctx), registry.name, async (trx, row) => {
    const found = await oneKey(trx, row, query, write, grant);
    if (found === undefined || !(await patchIn(ctx, trx, row, found, write, ifMatch, 'update'))) throw new NoRecordFound();
    return found;
  });
  return answerRecord(ctx, registry, key, grant);
}

async function updateEntries(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(UpdateEntriesBody, ctx.req.body);
  const write = contentOf(ctx.req.body, 'write', true)!;
  // Without a query this would change every record of the registry: the query is required here.
  const query = contentOf(ctx.req.body, 'query', true)!;
  assertFieldsReadable(registry.definition, Object.keys(write), withKey(registry, grant));
  if (Object.hasOwn(write, registry.definition.keyField)) throw invalidField(registry.definition.keyField, 'key_immutable', 'cannot change: it identifies each record', '不可修改：它是记录的标识');
  if (ctx.req.headers['if-match'] !== undefined) throw invalidField('If-Match', 'single_record', 'applies to one record: use update', '仅适用于单条记录：请使用 update');
  const count = await ctx.deps.records.inTransaction(writerOf(ctx), registry.name, async (trx, row) => {
    const keys = await matchingKeys(trx, row, query, grant, MAX_ENTRIES + 1);
    if (keys.length > MAX_ENTRIES) throw invalidField('query', 'too_many_matches', `matches more than ${MAX_ENTRIES} records; narrow it and update them in parts`, `匹配超过 ${MAX_ENTRIES} 条记录；请缩小范围分批更新`);
    let changed = 0;
    for (const key of keys) if (await patchIn(ctx, trx, row, key, write, undefined, 'updateEntries')) changed++;
    return changed;
  });
  return json(200, { count });
}

async function updateOrCreate(ctx: DrContext, registry: RegistryRow, grant: Grant): Promise<DrResponse> {
  checkBody(UpdateBody, ctx.req.body);
  const write = contentOf(ctx.req.body, 'write', true)!;
  const query = contentOf(ctx.req.body, 'query', false);
  assertFieldsReadable(registry.definition, Object.keys(write), withKey(registry, grant));
  const ifMatch = ifMatchOf(ctx);
  const { records } = ctx.deps;
  const key = await records.inTransaction(writerOf(ctx), registry.name, async (trx, row) => {
    const found = await oneKey(trx, row, query, write, grant);
    if (found !== undefined && (await patchIn(ctx, trx, row, found, write, ifMatch, 'updateOrCreate'))) return found;
    if (ifMatch !== undefined) throw staleAgainst(ifMatch, undefined);
    // A new record from what the query matched on and the data written.
    const created = await records.createIn(trx, writerOf(ctx), row, { ...query, ...write }, { reason: reasonOf(ctx, 'updateOrCreate') });
    return created.key;
  });
  return answerRecord(ctx, registry, key, grant);
}

async function remove(ctx: DrContext, registry: RegistryRow, grant: Grant, id: string): Promise<DrResponse> {
  // A deletion takes every field away, those the right does not grant too.
  if (grant !== null) throw forbidden('Your access right grants only some fields of the record; deleting it takes them all. Ask the owner for a right to the whole record.', '您的访问授权仅含部分字段，删除将移除全部字段。请向登记库所属单位申请完整记录的授权。', 'field_not_granted');
  const key = normaliseKey(registry.definition, id);
  const ifMatch = ifMatchOf(ctx);
  const { records } = ctx.deps;
  const writer = writerOf(ctx);
  for (let attempt = 0; ; attempt++) {
    const current = await records.inTransaction(writer, registry.name, (trx, row) => records.currentIn(trx, row, key));
    if (!current) throw new NoRecordFound();
    if (ifMatch !== undefined && ifMatch !== current.version) throw staleAgainst(ifMatch, current.version);
    try {
      await records.remove(writer, registry.name, key, current.version, reasonOf(ctx, 'delete'));
      return { status: 204, headers: {}, body: undefined };
    } catch (err) {
      // Changed between the two steps: without If-Match the caller asked to delete whatever is there.
      if (!(err instanceof ConflictError && err.code === 'stale_version') || attempt >= 2) throw err;
    }
  }
}

async function readValue(ctx: DrContext, registry: RegistryRow, grant: Grant, id: string, fileName: string): Promise<DrResponse> {
  const dot = fileName.lastIndexOf('.');
  const field = dot > 0 ? fileName.slice(0, dot) : fileName;
  const ext = dot > 0 ? fileName.slice(dot + 1) : '';
  if (ext !== 'json' && ext !== 'txt') throw invalidField('ext', 'format', 'must be json ({"value": …}) or txt (the value as text)', '须为 json（{"value": …}）或 txt（文本形式的值）');
  const definition = registry.definition;
  const known = definition.fields.find((f) => f.name === field);
  if (!known) throw invalidField('field', 'unknown_field', `${field.slice(0, 64)} is not a field of the ${definition.name} registry`, `${field.slice(0, 64)} 不是登记库 ${definition.name} 的字段`);
  const allowed = grant === null || grant.includes(field);
  if (!allowed && !known.alwaysPresent) throw forbidden(`The field ${field} is not among the fields your access right grants.`, `字段 ${field} 不在您的访问授权字段之内。`, 'field_not_granted');
  // Read (and logged) as a read of this one field; an always-present key comes masked.
  const view = await ctx.deps.records.get(registry.name, id, readerOf(ctx, allowed ? [field] : []));
  const value = view.data[field];
  if (value === undefined) throw Object.assign(new NoRecordFound(), { message: `Record ${view.key} has no value for ${field}.`, messageZh: `记录 ${view.key} 的 ${field} 没有值。`, code: 'no_value' });
  if (ext === 'txt') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', etag: `"${view.version}"` }, body: Array.isArray(value) ? value.join('\n') : String(value) };
  return json(200, { value }, { etag: `"${view.version}"` });
}

const OPERATIONS: Record<string, { method: string; run: (ctx: DrContext, registry: RegistryRow, grant: Grant) => Promise<DrResponse> }> = {
  create: { method: 'POST', run: create },
  exists: { method: 'POST', run: exists },
  read: { method: 'POST', run: read },
  update: { method: 'PUT', run: update },
  updateEntries: { method: 'PUT', run: updateEntries },
  updateOrCreate: { method: 'POST', run: updateOrCreate },
};

/** /data/{registryName}/{versionNumber}[/…]: the operation the path and method name, or undefined. */
export async function handleDataApi(ctx: DrContext): Promise<DrResponse | undefined> {
  const [, name, version, a, b, c] = ctx.segments;
  const n = ctx.segments.length;
  const method = ctx.req.method;
  let run: ((registry: RegistryRow, grant: Grant) => Promise<DrResponse>) | undefined;
  if (n === 3 && method === 'GET') run = (registry, grant) => list(ctx, registry, grant);
  else if (n === 4 && Object.hasOwn(OPERATIONS, a) && OPERATIONS[a].method === method) run = (registry, grant) => OPERATIONS[a].run(ctx, registry, grant);
  else if (n === 5 && b === 'delete' && method === 'DELETE') run = (registry, grant) => remove(ctx, registry, grant, a);
  else if (n === 6 && (b === 'readValue' || b === 'read-value') && method === 'GET') run = (registry, grant) => readValue(ctx, registry, grant, a, c);
  if (!run) return undefined;
  const registry = await versionedRegistry(ctx, name, version);
  return run(registry, await granted(ctx, registry));
}
