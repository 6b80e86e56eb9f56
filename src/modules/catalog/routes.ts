import { STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { operatorFromRequest } from '../../platform/actor.ts';
import * as s from './schema.ts';
import type { CatalogService } from './service.ts';

const tags = ['catalog'];

export function registerCatalogRoutes(app: App, deps: { catalog: CatalogService; syncBase: (op: ReturnType<typeof operatorFromRequest>) => Promise<{ registry: string; code: string; changed: boolean }[]> }): void {
  const { catalog } = deps;
  const op = (request: Parameters<typeof requestContext>[0]) => operatorFromRequest(requestContext(request));
  const actor = (request: Parameters<typeof requestContext>[0]) => requestContext(request).actor;

  app.get('/api/catalog/settings', {
    schema: { tags, summary: 'Which organization reviews the catalog, and the answer period of conditional requests in working days', response: { 200: s.SettingsView, ...STAFF_ERRORS } },
    handler: async (request) => {
      actor(request);
      return catalog.settings();
    },
  });
  app.put('/api/catalog/settings', {
    schema: { tags, summary: 'Name the reviewing organization (the data bureau) and the answer period (platform admin)', body: s.SettingsBody, response: { 200: s.SettingsView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.configure(op(request), request.body),
  });
  app.get('/api/catalog/entries', {
    schema: { tags, summary: "The catalog's views (base, theme, department): published entries; `mine` lists your department's in every state; the reviewer lists `status=submitted`", querystring: s.ListQuery, response: { 200: s.EntryPage, ...STAFF_ERRORS } },
    handler: async (request) => {
      const q = request.query;
      return catalog.list(actor(request), { view: q.view, item: q.item, theme: q.theme, providerOrgId: q.provider, status: q.status, mine: q.mine, page: q.page ?? 1, pageSize: q.pageSize ?? 20 });
    },
  });
  app.post('/api/catalog/entries', {
    schema: { tags, summary: "Draft an entry of a resource your department provides; its resource code is assigned now. The similar entries are looked up again and recorded; other departments' highly similar ones must be confirmed (`similarAcknowledged`, their ids in `similarSeen`) or the draft is refused (409)", body: s.CreateBody, response: { 201: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const { metadata, ...similar } = request.body;
      return reply.code(201).send(await catalog.create(op(request), metadata, similar));
    },
  });
  app.get('/api/catalog/entries/:id', {
    schema: { tags, summary: 'One entry (its working copy for its provider and the reviewer, its published version for others)', params: s.EntryParams, response: { 200: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.get(actor(request), request.params.id),
  });
  app.get('/api/catalog/entries/:id/history', {
    schema: { tags, summary: 'Published versions, and the review trail for the provider and the reviewer', params: s.EntryParams, response: { 200: s.HistoryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.history(actor(request), request.params.id),
  });
  app.put('/api/catalog/entries/:id', {
    schema: { tags, summary: 'Revise an entry (`version` is the one you read; a published entry stays published until the revision is approved)', params: s.EntryParams, body: s.UpdateBody, response: { 200: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.update(op(request), request.params.id, request.body.version, request.body.metadata),
  });
  app.post('/api/catalog/entries/:id/submit', {
    schema: { tags, summary: 'Submit a draft for review by the data bureau', params: s.EntryParams, body: s.StepBody, response: { 200: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.submit(op(request), request.params.id, request.body.version, request.body.comment),
  });
  app.post('/api/catalog/entries/:id/approve', {
    schema: { tags, summary: 'Approve a submitted entry: it is published as a new version (data bureau)', params: s.EntryParams, body: s.StepBody, response: { 200: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.decide(op(request), request.params.id, request.body.version, 'approve', request.body.comment),
  });
  app.post('/api/catalog/entries/:id/reject', {
    schema: { tags, summary: 'Send a submitted entry back with the reason (data bureau)', params: s.EntryParams, body: s.StepBody, response: { 200: s.EntryView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.decide(op(request), request.params.id, request.body.version, 'reject', request.body.comment),
  });
  app.post('/api/catalog/base-entries/sync', {
    schema: { tags, summary: "Derive the base registries' entries again from their schemas and owners (platform admin)", response: { 200: s.SyncView, ...STAFF_ERRORS } },
    handler: async (request) => deps.syncBase(op(request)),
  });
}
