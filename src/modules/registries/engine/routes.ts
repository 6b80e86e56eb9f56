// The staff API of record registries under /api/registries. The owner organization's staff
// browse, read and change records here; every read is logged for the data subject with the
// purpose given. Other organizations read through the exchange, under field-level rights.
// Authorization is checked in preValidation, before the body is looked at.
import { Type } from 'typebox';
import { NoContent, STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import { parseAsOf } from '../as-of.ts';
import type { RegistryCatalog } from '../catalog.ts';
import * as policy from '../policy.ts';
import { CODE_LISTS } from '../definitions/code-lists.ts';
import type { RegistryDefinition } from './definition.ts';
import { applyLifeEvent, type LifeEventInput } from './life-events.ts';
import { staffReader, type QueryInput, type Records } from './records.ts';
import * as s from './schema.ts';
import { countRecords } from './store.ts';
import type { Db } from '../../../platform/db.ts';

const tags = ['registries'];
type Request = Parameters<typeof requestContext>[0];

/** The definition's fields as a form needs them: labels, code lists with both languages. */
export function describeFields(definition: RegistryDefinition) {
  return definition.fields.map((f) => {
    const list = f.validators?.find((v) => v.name === 'code-list');
    const codeList = list && list.name === 'code-list' ? list.list : undefined;
    return {
      name: f.name,
      type: f.type,
      labelZh: f.labelZh,
      labelEn: f.labelEn,
      required: f.required ?? false,
      sensitivity: f.sensitivity,
      indexed: f.indexed ?? false,
      alwaysPresent: f.alwaysPresent ?? false,
      ...(codeList ? { codeList, codes: Object.entries(CODE_LISTS[codeList] ?? {}).map(([code, [zh, en]]) => ({ code, zh, en })) } : {}),
    };
  });
}

/** `where.<field>=value` query parameters as equality filters. */
function whereOf(query: Record<string, unknown>): Record<string, string> {
  const where: Record<string, string> = {};
  for (const [param, value] of Object.entries(query)) if (param.startsWith('where.') && typeof value === 'string') where[param.slice('where.'.length)] = value;
  return where;
}

export function registerRecordRoutes(app: App, deps: { records: Records; catalog: RegistryCatalog; db: Db }): void {
  const { records, catalog } = deps;
  const op = (request: Request) => operatorFromRequest(requestContext(request));
  const nameOf = (request: Request) => (request.params as { name: string }).name;
  const mayRead = async (request: Request) => {
    await records.assertMayRead(op(request), nameOf(request));
  };
  const mayEdit = async (request: Request) => {
    const registry = await records.recordRegistry(nameOf(request));
    policy.assertMayEditRecords(requestContext(request).actor, registry.owner_org_id);
  };
  const writer = (request: Request) => ({ op: op(request), source: 'workbench' });

  app.get('/api/registries', {
    schema: { tags, summary: 'The registries this node keeps, with their owners', response: { 200: Type.Array(s.RegistrySummary), ...STAFF_ERRORS } },
    handler: async () => catalog.list(),
  });
  app.get('/api/registries/:name', {
    schema: { tags, summary: "A registry's definition: fields with types, sensitivity and code lists, and its record count", params: s.RegistryParams, response: { 200: s.RegistryDetail, ...STAFF_ERRORS } },
    handler: async (request) => {
      const row = await catalog.get(request.params.name);
      const info = (await catalog.list()).find((r) => r.name === row.name)!;
      return { ...info, keyField: row.definition.keyField, subject: row.definition.subject, fields: describeFields(row.definition), recordCount: row.definition.kind === 'records' ? await countRecords(deps.db, row.name) : 0 };
    },
  });
  app.put('/api/registries/:name/owner', {
    preValidation: async (request) => policy.assertMayAssignOwner(requestContext(request).actor),
    schema: { tags, summary: 'Hand a registry to another owner organization (platform administrator)', params: s.RegistryParams, body: s.OwnerBody, response: { 200: s.RegistrySummary, ...STAFF_ERRORS } },
    handler: async (request) => catalog.assignOwner(op(request), request.params.name, request.body.ownerOrgId),
  });

  app.get('/api/registries/:name/records', {
    preValidation: mayRead,
    schema: { tags, summary: 'Search records: where.<field>=value, a regular expression in search (over filter, or the whole record), ordering and pages; each record shown is logged as read', params: s.RegistryParams, querystring: s.RecordQuery, response: { 200: s.RecordPage, ...STAFF_ERRORS } },
    handler: async (request) => {
      const q = request.query;
      const input: QueryInput = {
        where: whereOf(q as Record<string, unknown>),
        search: q.search ? { pattern: q.search, field: q.filter } : undefined,
        orderBy: q.orderBy,
        descending: q.ordering === 'descending',
        page: q.page ?? 1,
        pageSize: q.pageSize ?? 20,
      };
      return records.query(request.params.name, input, staffReader(op(request), q.purpose ?? null));
    },
  });
  app.get('/api/registries/:name/records/:key', {
    preValidation: mayRead,
    schema: { tags, summary: 'One record, now or as of a date; the read is logged for its subject', params: s.RecordParams, querystring: s.ReadQuery, response: { 200: s.RecordView, ...STAFF_ERRORS } },
    handler: async (request) => records.get(request.params.name, request.params.key, staffReader(op(request), request.query.purpose ?? null), { asOf: parseAsOf(request.query.asOf) }),
  });
  app.get('/api/registries/:name/records/:key/history', {
    preValidation: mayRead,
    schema: { tags, summary: "Every version of a record with its provenance (source, who, why, when) and event", params: s.RecordParams, response: { 200: Type.Array(s.Version), ...STAFF_ERRORS } },
    handler: async (request) => records.history(request.params.name, request.params.key),
  });
  app.get('/api/registries/:name/records/:key/reads', {
    preValidation: mayRead,
    schema: { tags, summary: "Who read this record: consumer, purpose, fields and time (to answer the data subject)", params: s.RecordParams, querystring: s.ReadsQuery, response: { 200: Type.Array(s.Read), ...STAFF_ERRORS } },
    handler: async (request) => records.readsOf(request.params.key, { registry: request.params.name, limit: request.query.limit, before: request.query.before ? new Date(request.query.before) : undefined }),
  });

  app.post('/api/registries/:name/records', {
    preValidation: mayEdit,
    schema: { tags, summary: 'Create a record, checked field by field (checksums, code lists, divisions, agreement with the ID number)', params: s.RegistryParams, body: s.CreateBody, response: { 201: s.RecordView, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await records.create(writer(request), request.params.name, request.body.data, request.body.reason)),
  });
  app.put('/api/registries/:name/records/:key', {
    preValidation: mayEdit,
    schema: { tags, summary: "Replace a record's data; `version` is the one you read (409 when it changed since)", params: s.RecordParams, body: s.ReplaceBody, response: { 200: s.RecordView, ...STAFF_ERRORS } },
    handler: async (request) => records.update(writer(request), request.params.name, request.params.key, { expected: request.body.version, data: request.body.data, reason: request.body.reason }),
  });
  app.patch('/api/registries/:name/records/:key', {
    preValidation: mayEdit,
    schema: { tags, summary: 'Change some fields of a record (null clears one); `version` is the one you read', params: s.RecordParams, body: s.PatchBody, response: { 200: s.RecordView, ...STAFF_ERRORS } },
    handler: async (request) => records.update(writer(request), request.params.name, request.params.key, { expected: request.body.version, patch: request.body.patch, reason: request.body.reason }),
  });
  app.delete('/api/registries/:name/records/:key', {
    preValidation: mayEdit,
    schema: { tags, summary: 'Delete a record (its history stays and as-of reads still answer)', params: s.RecordParams, querystring: s.DeleteQuery, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await records.remove(writer(request), request.params.name, request.params.key, request.query.version, request.query.reason);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/registries/population/events', {
    preValidation: async (request) => {
      const registry = await records.recordRegistry('population');
      policy.assertMayEditRecords(requestContext(request).actor, registry.owner_org_id);
    },
    schema: { tags, summary: 'Apply a life event (birth, death, move, marriage, divorce) as new versions of the records it touches', body: s.LifeEventBody, response: { 200: Type.Array(s.RecordView), ...STAFF_ERRORS } },
    handler: async (request) => applyLifeEvent(records, writer(request), request.body as LifeEventInput),
  });
}
