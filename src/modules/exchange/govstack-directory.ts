// The GovStack Information Mediator directory API (shared/specs/govstack/
// information-mediator-directory.yaml), served under /govstack/im/: listClients,
// listMethods, allowedMethods and getOpenAPI, answered from the directory and the exchange
// registry. Like X-Road's metaservices, callers are client systems authenticated to their
// node (an API token, or a signed-in user).
import { Type } from 'typebox';
import type { App } from '../../http/server.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { IdentifierError, parseClientId, formatClientId } from './identifiers.ts';
import { pathMatches, type Registry } from './registry.ts';
import type { ServiceRow } from './store.ts';

type Member = { id: string; identifier: string; nameZh: string; nameEn: string; status: string };
type Subsystem = { identifier: string; orgId: string; code: string; nameEn: string; status: string };

export type DirectorySource = {
  members(): Promise<Member[]>;
  subsystems(): Promise<Subsystem[]>;
  findSubsystem(identifier: string): Promise<Subsystem | undefined>;
};

const tags = ['govstack-im'];
const Endpoint = Type.Object({ method: Type.String(), path: Type.String() });
const ServiceDetails = Type.Object({
  objectType: Type.Literal('SERVICE'),
  serviceType: Type.String(),
  instanceId: Type.String(),
  memberClass: Type.String(),
  memberCode: Type.String(),
  applicationCode: Type.String(),
  serviceCode: Type.String(),
  serviceVersion: Type.Optional(Type.String()),
  endpointList: Type.Object({ member: Type.Array(Endpoint) }),
});
const ProviderParams = Type.Object({ instanceId: Type.String(), memberClass: Type.String(), memberCode: Type.String(), applicationCode: Type.String() });
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** The operations an OpenAPI document (JSON) declares; a document we cannot read gives one catch-all endpoint. */
export function endpointsOf(openapi: string | null): { type: 'OPENAPI' | 'REST'; endpoints: { method: string; path: string }[] } {
  if (openapi) {
    try {
      const doc = JSON.parse(openapi) as { paths?: Record<string, Record<string, unknown>>; info?: { version?: string } };
      const endpoints = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item ?? {}).filter((m) => HTTP_METHODS.has(m)).map((m) => ({ method: m.toUpperCase(), path })));
      return { type: 'OPENAPI', endpoints };
    } catch {
      // YAML or malformed JSON: described, but not listed endpoint by endpoint.
    }
  }
  return { type: 'REST', endpoints: [{ method: '*', path: '**' }] };
}

function parts(identifier: string) {
  const [instanceId, memberClass, memberCode, applicationCode, serviceCode] = identifier.split('/');
  return { instanceId, memberClass, memberCode, applicationCode, serviceCode };
}

function describe(service: ServiceRow, endpoints?: { method: string; path: string }[]) {
  const declared = endpointsOf(service.openapi);
  return { objectType: 'SERVICE' as const, serviceType: declared.type, ...parts(service.identifier), serviceCode: service.code, endpointList: { member: endpoints ?? declared.endpoints } };
}

export function registerGovStackDirectoryRoutes(app: App, deps: { registry: Registry; source: DirectorySource; instance: string }): void {
  const { registry, source } = deps;

  async function providerServices(params: { instanceId: string; memberClass: string; memberCode: string; applicationCode: string }, serviceId?: string) {
    const identifier = [params.instanceId, params.memberClass, params.memberCode, params.applicationCode].join('/');
    if (!(await source.findSubsystem(identifier))) throw new NotFoundError('application', identifier, '应用（子系统）');
    const services = (await registry.listServiceRows({ subsystemIdentifier: identifier })).filter((s) => s.status === 'active');
    return serviceId ? services.filter((s) => s.code === serviceId || s.identifier === serviceId) : services;
  }

  app.get('/govstack/im/listClients', {
    config: { auth: 'staff' },
    schema: {
      tags,
      summary: 'Members and applications (subsystems) of the instance',
      querystring: Type.Object({ instanceId: Type.Optional(Type.String({ maxLength: 64 })) }),
      response: { 200: Type.Object({ member: Type.Array(Type.Object({ name: Type.String(), id: Type.Object({ objectType: Type.String(), instanceId: Type.String(), memberClass: Type.String(), memberCode: Type.String(), applicationCode: Type.Optional(Type.String()) }) })) }) },
    },
    handler: async (request) => {
      // Federated instances come later; this node answers for its own instance only.
      if (request.query.instanceId && request.query.instanceId !== deps.instance) return { member: [] };
      const [members, subsystems] = await Promise.all([source.members(), source.subsystems()]);
      const byId = new Map(members.map((m) => [m.id, m]));
      return {
        member: [
          ...members.filter((m) => m.status === 'active').map((m) => ({ name: m.nameZh, id: { objectType: 'MEMBER', ...parts(m.identifier), applicationCode: undefined } })),
          ...subsystems.filter((s) => s.status === 'active').map((s) => ({ name: `${byId.get(s.orgId)?.nameZh ?? ''} ${s.code}`.trim(), id: { objectType: 'APPLICATION', ...parts(s.identifier) } })),
        ],
      };
    },
  });

  app.get('/govstack/im/r1/:instanceId/:memberClass/:memberCode/:applicationCode/listMethods', {
    config: { auth: 'staff' },
    schema: { tags, summary: "An application's REST services and their endpoints", params: ProviderParams, querystring: Type.Object({ serviceId: Type.Optional(Type.String({ maxLength: 600 })) }), response: { 200: Type.Object({ member: Type.Array(ServiceDetails) }) } },
    handler: async (request) => ({ member: (await providerServices(request.params, request.query.serviceId)).map((s) => describe(s)) }),
  });

  app.get('/govstack/im/r1/:instanceId/:memberClass/:memberCode/:applicationCode/allowedMethods', {
    config: { auth: 'staff' },
    schema: { tags, summary: 'The services and endpoints of an application that the calling client (X-GovStack-Client) may call', params: ProviderParams, querystring: Type.Object({ serviceId: Type.Optional(Type.String({ maxLength: 600 })) }), response: { 200: Type.Object({ member: Type.Array(ServiceDetails) }) } },
    handler: async (request) => {
      const header = request.headers['x-govstack-client'] ?? request.headers['x-road-client'] ?? request.headers['information-mediator-client'];
      if (typeof header !== 'string') throw new ValidationError([{ field: 'X-GovStack-Client', code: 'required', message: 'is required: the calling application INSTANCE/CLASS/MEMBER/APPLICATION', messageZh: '必须提供调用方应用标识 INSTANCE/CLASS/MEMBER/APPLICATION' }]);
      let client: string;
      try {
        client = formatClientId(parseClientId(header));
      } catch (err) {
        if (err instanceof IdentifierError) throw new ValidationError([{ field: 'X-GovStack-Client', code: 'identifier', message: err.message }]);
        throw err;
      }
      const allowed = [];
      for (const service of await providerServices(request.params, request.query.serviceId)) {
        const rights = await registry.rightsOf(service, client);
        if (rights.length === 0) continue;
        const declared = endpointsOf(service.openapi).endpoints;
        const endpoints = declared.filter((e) => rights.some((r) => (r.method === null || e.method === '*' || r.method === e.method) && (r.path_pattern === null || e.path === '**' || pathMatches(r.path_pattern, e.path))));
        allowed.push(describe(service, endpoints));
      }
      return { member: allowed };
    },
  });

  app.get('/govstack/im/r1/:instanceId/:memberClass/:memberCode/:applicationCode/getOpenAPI', {
    config: { auth: 'staff' },
    schema: { tags, summary: "A service's OpenAPI description", params: ProviderParams, querystring: Type.Object({ serviceCode: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: Type.String() } },
    handler: async (request, reply) => {
      const service = (await providerServices(request.params)).find((s) => s.code === request.query.serviceCode);
      if (!service) throw new NotFoundError('service', request.query.serviceCode, '服务');
      if (!service.openapi) throw new NotFoundError('OpenAPI description of service', request.query.serviceCode, '服务的 OpenAPI 描述');
      return reply.type(service.openapi.trimStart().startsWith('{') ? 'application/json' : 'text/yaml').send(service.openapi);
    },
  });
}
