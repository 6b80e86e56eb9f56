// HTTP for nodes and client credentials. A joining node talks to the central node's public
// registration endpoints (it has no certificate yet); the operator decides under /api. Client
// credentials are managed by the subsystem's organization admin (or the platform admin).
import { Type } from 'typebox';
import { NoContent, ProblemSchema, STAFF_ERRORS } from '../../http/schemas.ts';
import { requestContext, type App } from '../../http/server.ts';
import { operatorFromRequest } from '../../platform/actor.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import { CREDENTIAL_KINDS, canonicalSubsystem, type ClientAuth } from './client-auth.ts';
import { Decision, NodeView, Registration, RegistrationParams, RegistrationQuery, RegistrationStatus, RegistrationSubmit, Rejection, ZONES } from './node-schema.ts';
import type { CrossingRules } from './crossing.ts';
import { CLASSIFICATIONS } from './schema.ts';
import type { Nodes } from './nodes.ts';
import * as policy from './policy.ts';
import { StringEnum } from '../../http/schemas.ts';

const tags = ['exchange'];
/** Registrations are rare; a flood of them is not a node joining. */
const REGISTRATIONS_PER_MINUTE = 10;

const ZoneEnum = StringEnum(ZONES);
const CrossingRuleView = Type.Object({ id: Type.String(), fromZone: ZoneEnum, toZone: ZoneEnum, servicePattern: Type.String(), classifications: Type.Array(StringEnum(CLASSIFICATIONS)), createdByName: Type.String(), createdAt: Type.String() });
const CrossingRuleCreate = Type.Object(
  {
    fromZone: ZoneEnum,
    toZone: ZoneEnum,
    servicePattern: Type.String({ minLength: 1, maxLength: 1024, pattern: '^[^\\s]+$', description: 'a service identifier, a prefix ending in *, or *' }),
    classifications: Type.Array(StringEnum(CLASSIFICATIONS), { minItems: 1, maxItems: 4 }),
  },
  { additionalProperties: false },
);

const ClientCredential = Type.Object({ id: Type.String(), subsystem: Type.String(), kind: StringEnum(CREDENTIAL_KINDS), value: Type.String(), label: Type.String(), createdByName: Type.String(), createdAt: Type.String() });
const ClientCredentialCreate = Type.Object(
  {
    subsystem: Type.String({ minLength: 3, maxLength: 1024, description: 'INSTANCE/CLASS/MEMBER/SUBSYSTEM' }),
    kind: StringEnum(CREDENTIAL_KINDS, 'token: generated and shown once; certificate: PEM; address: an IP address or CIDR block'),
    value: Type.Optional(Type.String({ maxLength: 16_384 })),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export function registerNodeRoutes(app: App, deps: { nodes: Nodes | undefined; crossing: CrossingRules | undefined; clientAuth: ClientAuth; orgIdentifier: (orgId: string) => Promise<string>; anchor: (centralUrl: string) => Promise<unknown> }): void {
  const { nodes, clientAuth, crossing } = deps;
  if (crossing) {
    app.get('/api/exchange/crossing-rules', {
      schema: { tags, summary: 'The crossing policy between network zones: what may cross the ferry, by service and classification', response: { 200: Type.Array(CrossingRuleView), ...STAFF_ERRORS } },
      handler: async (request) => {
        policy.assertMayReadStatus(requestContext(request).actor);
        return crossing.list();
      },
    });
    app.post('/api/exchange/crossing-rules', {
      schema: { tags, summary: 'Let calls cross from one zone to another (platform admin)', body: CrossingRuleCreate, response: { 201: CrossingRuleView, ...STAFF_ERRORS } },
      handler: async (request, reply) => reply.code(201).send(await crossing.add(operatorFromRequest(requestContext(request)), request.body)),
    });
    app.delete('/api/exchange/crossing-rules/:id', {
      schema: { tags, summary: 'Revoke a crossing rule (platform admin)', params: Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) }), response: { 204: NoContent, ...STAFF_ERRORS } },
      handler: async (request, reply) => {
        await crossing.revoke(operatorFromRequest(requestContext(request)), request.params.id);
        return reply.code(204).send(null);
      },
    });
  }
  if (nodes) {
    app.get('/api/exchange/anchor', {
      schema: { tags, summary: 'The anchor file a new node is installed with (platform admin): the instance, this URL, and the configuration certificate and root to trust', response: { 200: Type.Unsafe({ type: 'object', additionalProperties: true }), ...STAFF_ERRORS } },
      handler: async (request, reply) => {
        policy.assertMayDecideNodes(requestContext(request).actor);
        // The address the operator reached us at is the one a node on the same network will.
        const centralUrl = `${request.protocol}://${request.host}`;
        return reply.header('content-disposition', 'attachment; filename="anchor.json"').send(await deps.anchor(centralUrl));
      },
    });
    app.post('/exchange/v1/nodes/registrations', {
      config: { auth: 'public', rateLimit: { max: REGISTRATIONS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: { tags, summary: 'A new node asks to join the instance (signed with each of its keys); the central operator decides', security: [], body: RegistrationSubmit, response: { 201: RegistrationStatus, 400: ProblemSchema, 409: ProblemSchema } },
      handler: async (request, reply) => reply.code(201).send(await nodes.submit(request.body, request.ip)),
    });
    app.get('/exchange/v1/nodes/registrations/:id', {
      config: { auth: 'public' },
      schema: { tags, summary: "A registration's decision; once approved, the node's certificates", security: [], params: RegistrationParams, response: { 200: RegistrationStatus, 404: ProblemSchema } },
      handler: async (request) => nodes.status(request.params.id),
    });
    app.get('/api/exchange/nodes', {
      schema: { tags, summary: "The instance's nodes: address, zone, members hosted, authentication certificate", response: { 200: Type.Array(NodeView), ...STAFF_ERRORS } },
      handler: async (request) => nodes.listNodes(requestContext(request)),
    });
    app.get('/api/exchange/nodes/registrations', {
      schema: { tags, summary: 'Node registrations, newest first', querystring: RegistrationQuery, response: { 200: Type.Array(Registration), ...STAFF_ERRORS } },
      handler: async (request) => nodes.listRegistrations(requestContext(request), request.query),
    });
    app.post('/api/exchange/nodes/registrations/:id/approve', {
      schema: { tags, summary: "Approve a node (platform admin): certifies its keys and adds it to the global configuration", params: RegistrationParams, body: Decision, response: { 200: Registration, ...STAFF_ERRORS } },
      handler: async (request) => nodes.approve(operatorFromRequest(requestContext(request)), request.params.id, request.body.version, request.body.note),
    });
    app.post('/api/exchange/nodes/registrations/:id/reject', {
      schema: { tags, summary: 'Reject a node registration with the reason (platform admin)', params: RegistrationParams, body: Rejection, response: { 200: Registration, ...STAFF_ERRORS } },
      handler: async (request) => nodes.reject(operatorFromRequest(requestContext(request)), request.params.id, request.body.version, request.body.note),
    });
  }

  /** Only the subsystem's organization admin (or the platform admin) manages how its clients sign in. */
  const assertMayManage = async (request: Parameters<typeof requestContext>[0], subsystem: string) => {
    const ctx = requestContext(request);
    const member = decodeURIComponent(subsystem).split('/').slice(0, 3).join('/');
    policy.assertMayManageClientsOf(ctx.actor, member === (await deps.orgIdentifier(ctx.actor.orgId)));
    return ctx;
  };

  app.get('/api/exchange/clients', {
    schema: { tags, summary: "Client credentials of your organization's subsystems (all, for the platform admin)", response: { 200: Type.Array(ClientCredential), ...STAFF_ERRORS } },
    handler: async (request) => {
      const ctx = requestContext(request);
      return clientAuth.list({ subsystemPrefix: policy.seesAllClients(ctx.actor) ? undefined : await deps.orgIdentifier(ctx.actor.orgId) });
    },
  });
  app.post('/api/exchange/clients', {
    schema: { tags, summary: 'Add a way for a client system to authenticate as a subsystem: an API token (shown once), a certificate or a source address', body: ClientCredentialCreate, response: { 201: Type.Object({ credential: ClientCredential, token: Type.Optional(Type.String()) }), ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const ctx = await assertMayManage(request, canonicalSubsystem(request.body.subsystem));
      return reply.code(201).send(await clientAuth.add(operatorFromRequest(ctx), request.body));
    },
  });
  app.delete('/api/exchange/clients/:id', {
    schema: { tags, summary: 'Revoke a client credential', params: Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) }), response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      const credential = await clientAuth.find(request.params.id);
      const ctx = await assertMayManage(request, credential?.subsystem ?? '');
      await clientAuth.revoke(operatorFromRequest(ctx), request.params.id);
      return reply.code(204).send(null);
    },
  });
}
