// HTTP for the service catalog under /api/services (staff): read by any signed-in member of
// staff; written by the implementing organization's administrator or the platform admin
// (policy.ts, checked in the service). Steps: authenticate (the staff hook), validate (schema),
// authorize and act (service), present.
import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import * as s from './schema.ts';
import type { ServiceCatalog } from './service.ts';

const tags = ['services'];

export function registerServiceCatalogRoutes(app: App, catalog: ServiceCatalog): void {
  const op = (request: Parameters<typeof requestContext>[0]) => operatorFromRequest(requestContext(request));

  app.get('/api/services', {
    schema: { tags, summary: 'The service catalog: every service, drafts included, by organization and status', querystring: s.ListQuery, response: { 200: s.ServiceList, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return { items: await catalog.list(request.query) };
    },
  });
  app.get('/api/services/:code', {
    schema: { tags, summary: "A service's guide by its item code", params: s.CodeParams, response: { 200: s.ServiceView, ...STAFF_ERRORS } },
    handler: async (request) => {
      requestContext(request);
      return catalog.get(request.params.code, { publishedOnly: false });
    },
  });
  app.post('/api/services', {
    schema: { tags, summary: "Add a service to the catalog as a draft (the organization's administrator, or the platform admin)", body: s.ServiceBody, response: { 201: s.ServiceView, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await catalog.create(op(request), request.body)),
  });
  app.put('/api/services/:code', {
    schema: { tags, summary: "Change a draft's guide (the version read must be the latest)", params: s.CodeParams, body: s.ServiceUpdate, response: { 200: s.ServiceView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.update(op(request), request.params.code, request.body),
  });
  app.post('/api/services/:code/publish', {
    schema: { tags, summary: 'Publish a draft on the portal, checked as a whole', params: s.CodeParams, body: s.VersionBody, response: { 200: s.ServiceView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.setStatus(op(request), request.params.code, request.body.version, 'published'),
  });
  app.post('/api/services/:code/withdraw', {
    schema: { tags, summary: 'Take a published service off the portal, back to a draft', params: s.CodeParams, body: s.VersionBody, response: { 200: s.ServiceView, ...STAFF_ERRORS } },
    handler: async (request) => catalog.setStatus(op(request), request.params.code, request.body.version, 'withdrawn'),
  });
}
