// Registry HTTP: services, access rights and global groups under /api/exchange.
import { Type } from 'typebox';
import { NoContent, STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import type { MessageLog } from './message-log.ts';
import { seesWholeLog } from './policy.ts';
import type { Registry } from './registry.ts';
import { AccessRight, AccessRightCreate, Group, GroupCreate, GroupMember, IdParams, LogPage, LogQuery, RightParams, Service, ServiceCreate, ServiceQuery, ServiceUpdate } from './schema.ts';

const tags = ['exchange'];

export function registerRegistryRoutes(app: App, registry: Registry, log: MessageLog, orgIdentifier: (orgId: string) => Promise<string>): void {
  app.get('/api/exchange/log', {
    schema: { tags, summary: "Search this node's message log: your organization's calls, or all for the platform admin and the auditor", querystring: LogQuery, response: { 200: LogPage, ...STAFF_ERRORS } },
    handler: async (request) => {
      const { actor } = requestContext(request);
      const query = request.query;
      return log.search({ ...query, orgPrefix: seesWholeLog(actor) ? undefined : await orgIdentifier(actor.orgId), limit: query.limit ?? 50, offset: query.offset ?? 0 });
    },
  });

  app.get('/api/exchange/services', {
    schema: { tags, summary: 'Services of the instance, optionally of one organization or subsystem', querystring: ServiceQuery, response: { 200: Type.Array(Service), ...STAFF_ERRORS } },
    handler: async (request) => registry.listServices(request.query),
  });

  app.post('/api/exchange/services', {
    schema: { tags, summary: "Register a service of one of your organization's subsystems", body: ServiceCreate, response: { 201: Service, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await registry.createService(requestContext(request), request.body)),
  });

  app.post('/api/exchange/rooms', {
    schema: { tags, summary: 'Make one of your subsystems a pub/sub room (GovStack IM Pub/Sub): its services api, pub and pull, answered by its node', body: Type.Object({ subsystemId: Type.String({ pattern: UUID_PATTERN }) }, { additionalProperties: false }), response: { 201: Type.Array(Service), ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await registry.enableRoom(requestContext(request), request.body.subsystemId)),
  });

  app.get('/api/exchange/services/:id', {
    schema: { tags, summary: 'One service', params: IdParams, response: { 200: Service, ...STAFF_ERRORS } },
    handler: async (request) => registry.getService(request.params.id),
  });

  app.patch('/api/exchange/services/:id', {
    schema: { tags, summary: 'Change a service: backend URL, OpenAPI, limits, status', params: IdParams, body: ServiceUpdate, response: { 200: Service, ...STAFF_ERRORS } },
    handler: async (request) => registry.updateService(requestContext(request), request.params.id, request.body),
  });

  app.get('/api/exchange/services/:id/openapi', {
    schema: { tags, summary: "The service's OpenAPI document as uploaded", params: IdParams, response: { 200: Type.String(), ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const document = await registry.openApi(request.params.id);
      if (document === undefined) throw new NotFoundError('OpenAPI document of service', request.params.id, '服务的 OpenAPI 文档');
      return reply.type(document.trimStart().startsWith('{') ? 'application/json' : 'application/yaml').send(document);
    },
  });

  app.get('/api/exchange/services/:id/rights', {
    schema: { tags, summary: 'Live access rights on a service', params: IdParams, response: { 200: Type.Array(AccessRight), ...STAFF_ERRORS } },
    handler: async (request) => registry.listRights(requestContext(request), request.params.id),
  });

  app.post('/api/exchange/services/:id/rights', {
    schema: { tags, summary: 'Grant a subsystem or a group access, to every method and path or only some', params: IdParams, body: AccessRightCreate, response: { 201: AccessRight, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await registry.grant(requestContext(request), request.params.id, request.body)),
  });

  app.delete('/api/exchange/services/:id/rights/:rightId', {
    schema: { tags, summary: 'Revoke an access right', params: RightParams, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await registry.revoke(requestContext(request), request.params.id, request.params.rightId);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/exchange/groups', {
    schema: { tags, summary: 'Global groups and their members', response: { 200: Type.Array(Group), ...STAFF_ERRORS } },
    handler: async () => registry.listGroups(),
  });

  app.post('/api/exchange/groups', {
    schema: { tags, summary: 'Create a global group (platform admin)', body: GroupCreate, response: { 201: Group, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await registry.createGroup(requestContext(request), request.body)),
  });

  app.post('/api/exchange/groups/:id/members', {
    schema: { tags, summary: 'Add a subsystem to a group', params: IdParams, body: GroupMember, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await registry.setGroupMember(requestContext(request), request.params.id, request.body.client, true);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/exchange/groups/:id/members/remove', {
    schema: { tags, summary: 'Remove a subsystem from a group', params: IdParams, body: GroupMember, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await registry.setGroupMember(requestContext(request), request.params.id, request.body.client, false);
      return reply.code(204).send(null);
    },
  });
}
