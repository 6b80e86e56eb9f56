// HTTP for the directory: validate → authorize → service → present.
import { operatorFromRequest } from '../../platform/actor.ts';
import { requestContext, type App } from '../../http/server.ts';
import { STAFF_ERRORS } from '../../http/schemas.ts';
import { Type } from 'typebox';
import * as policy from './policy.ts';
import {
  Division,
  DivisionQuery,
  IdParams,
  Organization,
  OrganizationCreate,
  OrganizationPage,
  OrganizationQuery,
  OrganizationUpdate,
  Subsystem,
  SubsystemCreate,
  SubsystemUpdate,
  TreeQuery,
  TreeResponse,
  VersionBody,
} from './schema.ts';
import type { DirectoryService } from './service.ts';

const tags = ['directory'];

export function registerDirectoryRoutes(app: App, directory: DirectoryService): void {
  app.get('/api/organizations', {
    schema: { tags, summary: 'Search organizations by Chinese or English name, credit code, division code or identifier', querystring: OrganizationQuery, response: { 200: OrganizationPage, ...STAFF_ERRORS } },
    handler: async (request) => directory.search(request.query),
  });

  app.get('/api/organizations/tree', {
    schema: { tags, summary: 'The organization tree', querystring: TreeQuery, response: { 200: TreeResponse, ...STAFF_ERRORS } },
    handler: async (request) => ({ roots: await directory.tree(request.query.status === 'all') }),
  });

  app.get('/api/organizations/:id', {
    schema: { tags, summary: 'One organization', params: IdParams, response: { 200: Organization, ...STAFF_ERRORS } },
    handler: async (request) => directory.getOrganization(request.params.id),
  });

  app.post('/api/organizations', {
    schema: { tags, summary: 'Create an organization', body: OrganizationCreate, response: { 201: Organization, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      const created = await directory.create(operatorFromRequest(requestContext(request)), request.body);
      return reply.code(201).send(created);
    },
  });

  app.patch('/api/organizations/:id', {
    schema: { tags, summary: 'Edit an organization (optimistic concurrency on version)', params: IdParams, body: OrganizationUpdate, response: { 200: Organization, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return directory.update(operatorFromRequest(requestContext(request)), request.params.id, request.body);
    },
  });

  app.post('/api/organizations/:id/deactivate', {
    schema: { tags, summary: 'Deactivate an organization (never deleted)', params: IdParams, body: VersionBody, response: { 200: Organization, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return directory.setStatus(operatorFromRequest(requestContext(request)), request.params.id, request.body.version, 'inactive');
    },
  });

  app.post('/api/organizations/:id/reactivate', {
    schema: { tags, summary: 'Reactivate an organization', params: IdParams, body: VersionBody, response: { 200: Organization, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return directory.setStatus(operatorFromRequest(requestContext(request)), request.params.id, request.body.version, 'active');
    },
  });

  app.get('/api/organizations/:id/subsystems', {
    schema: { tags, summary: "An organization's business systems (subsystems)", params: IdParams, response: { 200: Type.Object({ items: Type.Array(Subsystem) }), ...STAFF_ERRORS } },
    handler: async (request) => ({ items: await directory.listSubsystems(request.params.id) }),
  });

  app.post('/api/organizations/:id/subsystems', {
    schema: { tags, summary: 'Register a business system', params: IdParams, body: SubsystemCreate, response: { 201: Subsystem, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return reply.code(201).send(await directory.createSubsystem(operatorFromRequest(requestContext(request)), request.params.id, request.body));
    },
  });

  app.patch('/api/subsystems/:id', {
    schema: { tags, summary: 'Edit a business system', params: IdParams, body: SubsystemUpdate, response: { 200: Subsystem, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return directory.updateSubsystem(operatorFromRequest(requestContext(request)), request.params.id, request.body);
    },
  });

  app.post('/api/subsystems/:id/deactivate', {
    schema: { tags, summary: 'Deactivate a business system', params: IdParams, body: VersionBody, response: { 200: Subsystem, ...STAFF_ERRORS } },
    handler: async (request) => {
      policy.assertMayManageDirectory(requestContext(request).actor);
      return directory.deactivateSubsystem(operatorFromRequest(requestContext(request)), request.params.id, request.body.version);
    },
  });

  app.get('/api/divisions', {
    schema: { tags, summary: 'Look up GB/T 2260 division codes by code prefix or name', querystring: DivisionQuery, response: { 200: Type.Object({ items: Type.Array(Division) }), ...STAFF_ERRORS } },
    handler: async (request) => ({ items: directory.searchDivisions(request.query.q) }),
  });
}
