import { STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import * as s from './schema.ts';
import type { createShareRequests } from './service.ts';

const tags = ['catalog'];

export function registerRequestRoutes(app: App, requests: ReturnType<typeof createShareRequests<unknown>>): void {
  const op = (request: Parameters<typeof requestContext>[0]) => operatorFromRequest(requestContext(request));
  const actor = (request: Parameters<typeof requestContext>[0]) => requestContext(request).actor;

  app.post('/api/catalog/requests', {
    schema: { tags, summary: 'Ask for a published resource: data items, purpose, legal basis, period and the calling subsystem (unconditional ones are granted at once)', body: s.CreateBody, response: { 201: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await requests.create(op(request), request.body)),
  });
  app.get('/api/catalog/requests', {
    schema: { tags, summary: "Your department's requests (mine), those for its resources (incoming), or the overdue ones (escalated, data bureau)", querystring: s.ListQuery, response: { 200: s.RequestPage, ...STAFF_ERRORS } },
    handler: async (request) => requests.list(actor(request), { box: request.query.box, status: request.query.status, page: request.query.page ?? 1, pageSize: request.query.pageSize ?? 20 }),
  });
  app.get('/api/catalog/requests/statistics', {
    schema: { tags, summary: 'Per organization: requests made and received, approval rate, working days to answer', response: { 200: s.Statistics, ...STAFF_ERRORS } },
    handler: async (request) => {
      actor(request);
      return requests.statistics();
    },
  });
  app.get('/api/catalog/requests/:id', {
    schema: { tags, summary: 'One request (its consumer, its provider and the data bureau)', params: s.RequestParams, response: { 200: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request) => requests.get(actor(request), request.params.id),
  });
  app.post('/api/catalog/requests/:id/approve', {
    schema: { tags, summary: 'Approve, possibly with fewer items: the access rights are written in the exchange (provider; the data bureau once overdue)', params: s.RequestParams, body: s.ApproveBody, response: { 200: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request) => requests.decide(op(request), request.params.id, request.body.version, 'approve', { items: request.body.items, reason: request.body.reason }),
  });
  app.post('/api/catalog/requests/:id/reject', {
    schema: { tags, summary: 'Reject with the reason (provider; the data bureau once overdue)', params: s.RequestParams, body: s.ReasonBody, response: { 200: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request) => requests.decide(op(request), request.params.id, request.body.version, 'reject', { reason: request.body.reason }),
  });
  app.post('/api/catalog/requests/:id/withdraw', {
    schema: { tags, summary: 'Withdraw a pending request (the requesting department)', params: s.RequestParams, body: s.VersionBody, response: { 200: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request) => requests.withdraw(op(request), request.params.id, request.body.version),
  });
  app.post('/api/catalog/requests/:id/revoke', {
    schema: { tags, summary: 'End an approved share before its period: the access rights are revoked (provider or data bureau)', params: s.RequestParams, body: s.ReasonBody, response: { 200: s.RequestView, ...STAFF_ERRORS } },
    handler: async (request) => requests.revoke(op(request), request.params.id, request.body.version, request.body.reason),
  });
}
