// HTTP for registering relying parties: /api/identity/oidc-clients.
import { Type } from 'typebox';
import { NoContent, STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { ClientIdParams, ClientQuery, OidcClient, OidcClientCreate, OidcClientUpdate, OidcClientWithSecret } from './client-schema.ts';
import type { ClientService } from './client-service.ts';

const tags = ['identity'];
const BASE = '/api/identity/oidc-clients';

export function registerClientRoutes(app: App, clients: ClientService): void {
  app.get(BASE, {
    schema: { tags, summary: 'Sign-in clients (relying parties) you manage', querystring: ClientQuery, response: { 200: Type.Object({ items: Type.Array(OidcClient) }), ...STAFF_ERRORS } },
    handler: async (request) => ({ items: await clients.list(requestContext(request), request.query.orgId) }),
  });

  app.get(`${BASE}/:clientId`, {
    schema: { tags, summary: 'One sign-in client', params: ClientIdParams, response: { 200: OidcClient, ...STAFF_ERRORS } },
    handler: async (request) => clients.get(requestContext(request), request.params.clientId),
  });

  app.post(BASE, {
    schema: { tags, summary: 'Register a business system as a sign-in client; a client_secret_basic secret is shown this once', body: OidcClientCreate, response: { 201: OidcClientWithSecret, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await clients.create(requestContext(request), request.body)),
  });

  app.patch(`${BASE}/:clientId`, {
    schema: { tags, summary: 'Change redirect URIs, scopes, JWKS or the ID token algorithm', params: ClientIdParams, body: OidcClientUpdate, response: { 200: OidcClient, ...STAFF_ERRORS } },
    handler: async (request) => clients.update(requestContext(request), request.params.clientId, request.body),
  });

  app.post(`${BASE}/:clientId/secret`, {
    schema: { tags, summary: 'Rotate the client secret; the new one is shown this once and the old one stops working', params: ClientIdParams, response: { 200: OidcClientWithSecret, ...STAFF_ERRORS } },
    handler: async (request) => clients.rotateSecret(requestContext(request), request.params.clientId),
  });

  app.delete(`${BASE}/:clientId`, {
    schema: { tags, summary: 'Remove a sign-in client and every token issued to it', params: ClientIdParams, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await clients.remove(requestContext(request), request.params.clientId);
      return reply.code(204).send(null);
    },
  });
}
