// The GovStack Digital Registries building block's APIs (data and database, 1.3.0) over the
// record engine, reachable two ways that answer alike through one handler (dr.ts):
//  - directly, under /govstack/dr/, by client systems authenticated to this node as the
//    exchange authenticates them (API token, client certificate or source address of the
//    subsystem in Information-Mediator-Client / X-Road-Client, or a member of staff of its
//    organization), with the access rights of the registry's exchange service;
//  - through the exchange, as the service itself: its backend is egov:registries, the
//    exchange checks the right, signs and logs the call and passes the granted fields in.
// Which service a registry is: the owner organization publishes record registry NAME as the
// exchange service OWNER-MEMBER/SUBSYSTEM/NAME with backend egov:registries (by convention in
// a subsystem coded `registries`: CN/GOV/11330000…/registries/population). Rights on that
// service, with their field lists, decide what a client gets by either way; paths are the
// API's own (/data/population/1.0/read, /database/3, /data/myPersonalDataUsage). A service
// serves only its member's registry of that name, whoever registered it.
import type { FastifyRequest } from 'fastify';
import type { App } from '../../../http/server.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { ForbiddenError, UnauthenticatedError, invalidField, type DomainError } from '../../../platform/errors.ts';
import type { RegistryCatalog, RegistryRow } from '../catalog.ts';
import type { Records } from '../engine/records.ts';
import { forbidden, notFound } from './common.ts';
import { createDrHandler, json, type Access, type DrCaller, type DrResponse } from './dr.ts';
import { registerDrRoutes } from './routes.ts';

/** The built-in backend's name: services of registries have the backend egov:registries. */
export const REGISTRIES_BACKEND = 'registries';
/** The subsystem code a registry's service is looked for first. */
export const REGISTRIES_SUBSYSTEM = 'registries';

type Organization = { id: string; identifier: string; nameZh: string; nameEn: string };
type ClientCheck = { ok: true } | { ok: false; type: 'Client.Unauthenticated' | 'Client.NotOwner'; message: string };
type Grant = { fields: string[] | null };
/** A call the exchange passes to a built-in backend (the exchange's BackendCall and body). */
export type BuiltinCall = { xRoadId: string; client: string; service: string; method: string; path: string; query: string; headers: Record<string, string>; grantedFields: string[] | null; body: Buffer };
export type BuiltinAnswer = { status: number; headers: Record<string, string>; body: Buffer };

/** What this API asks of the exchange, through its index.ts. */
export type ExchangePort = {
  routing(): Promise<{ conf: { services: { identifier: string; status: string; backendUrl?: string }[] }; access(service: string, client: string, method: string, path: string): Grant | undefined }>;
  authenticateClient(request: FastifyRequest, subsystem: string, member: string): Promise<ClientCheck>;
};

export type DirectoryPort = {
  findOrganization(id: string): Promise<Organization | undefined>;
  listOrganizations(): Promise<Organization[]>;
  findSubsystemByIdentifier(identifier: string): Promise<{ nameZh: string; nameEn: string } | undefined>;
};

export type GovstackDrDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  records: Records;
  catalog: RegistryCatalog;
  instance: string;
  divisionExists: (code: string) => boolean;
  exchange: ExchangePort;
  directory: DirectoryPort;
  /** A subsystem identifier in canonical form, or a ValidationError naming `field` (the exchange's). */
  canonicalSubsystem: (value: string, field: string) => string;
};

const memberOf = (decoded: string) => decoded.split('/').slice(0, 3).join('/');
const decodeId = (identifier: string) => identifier.split('/').map(decodeURIComponent).join('/');

export function createGovstackDr(deps: GovstackDrDeps) {
  const { exchange, directory } = deps;
  const findMember = async (identifier: string) => (await directory.listOrganizations()).find((o) => o.identifier === identifier);
  const handleDr = createDrHandler({
    db: deps.db,
    audit: deps.audit,
    clock: deps.clock,
    records: deps.records,
    catalog: deps.catalog,
    instance: deps.instance,
    divisionExists: deps.divisionExists,
    findOrganization: (id) => directory.findOrganization(id),
    findMember,
    findSubsystem: (identifier) => directory.findSubsystemByIdentifier(identifier),
  });

  /**
   * The exchange service registry `name` is published as: a service of its owner's member
   * with backend egov:registries and the registry's name as its code, in the subsystem
   * `registries` if there is one there.
   */
  async function serviceOf(registry: RegistryRow) {
    const owner = await directory.findOrganization(registry.owner_org_id);
    if (!owner) return { index: await exchange.routing(), service: undefined };
    const index = await exchange.routing();
    const candidates = index.conf.services
      .filter((s) => s.backendUrl === `egov:${REGISTRIES_BACKEND}` && memberOf(s.identifier) === owner.identifier && s.identifier.split('/')[4] === registry.name)
      .sort((a, b) => Number(b.identifier.split('/')[3] === REGISTRIES_SUBSYSTEM) - Number(a.identifier.split('/')[3] === REGISTRIES_SUBSYSTEM) || a.identifier.localeCompare(b.identifier));
    return { index, service: candidates[0] };
  }

  const denied = (client: string, method: string, path: string, service: string): Access => ({
    ok: false,
    error: forbidden(`${client} has no access right to ${method} ${path} on ${service}; the registry's owner grants rights on that service.`, `${client} 对服务 ${service} 的 ${method} ${path} 没有访问授权；授权由登记库所属单位在该服务上授予。`, 'access_denied'),
  });

  /** The direct route's access: the rights on the registry's service, as the exchange would grant them. */
  async function directAccess(registry: RegistryRow, client: string, method: string, path: string): Promise<Access> {
    const { index, service } = await serviceOf(registry);
    if (!service) {
      return {
        ok: false,
        error: forbidden(
          `The ${registry.name} registry is not published through the exchange yet: its owner registers a service ${REGISTRIES_SUBSYSTEM}/${registry.name} with the backend egov:${REGISTRIES_BACKEND} and grants rights on it.`,
          `登记库 ${registry.name} 尚未通过数据交换发布：须由所属单位注册后端为 egov:${REGISTRIES_BACKEND} 的服务 ${REGISTRIES_SUBSYSTEM}/${registry.name}，并在其上授权。`,
          'not_published',
        ),
      };
    }
    if (service.status !== 'active') return { ok: false, error: forbidden(`The service ${service.identifier} is disabled.`, `服务 ${service.identifier} 已停用。`, 'service_disabled') };
    const grant = index.access(service.identifier, client, method, path);
    return grant ? { ok: true, granted: grant.fields } : denied(client, method, path, service.identifier);
  }

  /** Who calls a direct route: the subsystem it names, authenticated as the exchange does. */
  async function callerOf(request: FastifyRequest): Promise<DrCaller> {
    const header = request.headers['information-mediator-client'] ?? request.headers['x-road-client'] ?? request.headers['x-govstack-client'];
    if (typeof header !== 'string' || header.trim() === '') {
      // Anonymous callers learn only that they must authenticate.
      if (!request.actor && !request.headers.authorization) throw new UnauthenticatedError('client_unauthenticated', 'Authenticate as a client system: Information-Mediator-Client (or X-Road-Client) naming your subsystem, with its API token, client certificate or registered address.', '请以客户端系统身份认证：在 Information-Mediator-Client（或 X-Road-Client）中给出子系统标识，并附其 API 令牌、客户端证书或登记的来源地址。');
      throw invalidField('Information-Mediator-Client', 'required', 'is required: the calling subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM', '必填：调用方子系统标识 INSTANCE/CLASS/MEMBER/SUBSYSTEM');
    }
    const client = deps.canonicalSubsystem(header, 'Information-Mediator-Client');
    const member = memberOf(decodeId(client));
    const check = await exchange.authenticateClient(request, client, member);
    if (!check.ok) {
      if (check.type === 'Client.Unauthenticated') throw new UnauthenticatedError('client_unauthenticated', check.message, '请以客户端系统身份认证：API 令牌、客户端证书或登记的来源地址。');
      throw new ForbiddenError(check.message, `您的凭据不属于 ${client}，或该子系统不在本节点。`, 'client_not_owner');
    }
    const org = await findMember(member);
    // A member of staff counts as such only for their own organization's subsystem.
    const actor = request.actor && org && request.actor.orgId === org.id ? request.actor : null;
    if (actor?.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && (!actor.csrfToken || request.headers['x-csrf-token'] !== actor.csrfToken)) {
      throw new ForbiddenError('Missing or wrong X-CSRF-Token header. Reload the page and try again.', '缺少或错误的 X-CSRF-Token 请求头，请刷新页面后重试。', 'csrf_failed');
    }
    const text = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : null);
    return {
      channel: 'govstack',
      client,
      orgId: org?.id ?? null,
      actor,
      userId: text('x-road-userid'),
      purpose: text('x-road-issue'),
      xRoadId: null,
      ip: request.ip,
      requestId: String(request.id),
      origin: `${request.protocol}://${request.host}`,
      prefix: '/govstack/dr',
      access: (registry, method, path) => directAccess(registry, client, method, path),
    };
  }

  /**
   * The built-in backend egov:registries: the exchange checked the caller's right on the
   * service and passes the granted fields; the service serves only its own member's registry.
   */
  async function backend(call: BuiltinCall): Promise<BuiltinAnswer> {
    const service = decodeId(call.service);
    const [, , , , registryName] = service.split('/');
    const member = memberOf(service);
    const answer = (res: DrResponse): BuiltinAnswer => ({ status: res.status, headers: res.headers, body: Buffer.from(res.body ?? '', 'utf8') });
    let body: unknown;
    if (call.body.length > 0) {
      try {
        body = JSON.parse(call.body.toString('utf8'));
      } catch {
        return answer(json(400, { type: 'https://egov.dev/problems/validation_failed', title: 'Invalid request', status: 400, code: 'validation_failed', detail: 'The body is not JSON.', errors: [{ field: 'body', code: 'json', message: 'is not JSON' }] }));
      }
    }
    const org = await findMember(memberOf(decodeId(call.client)));
    const caller: DrCaller = {
      channel: 'exchange',
      client: call.client,
      orgId: org?.id ?? null,
      actor: null,
      userId: call.headers['x-road-userid'] ?? null,
      purpose: call.headers['x-road-issue'] ?? null,
      xRoadId: call.xRoadId,
      ip: null,
      requestId: call.xRoadId,
      origin: '',
      prefix: `/r1/${call.service}`,
      only: registryName,
      async access(registry, method, path) {
        const owner = await directory.findOrganization(registry.owner_org_id);
        if (owner?.identifier !== member) return { ok: false, error: notFound('not_found', `The service ${service} serves no registry: ${registryName} is not its member's.`, `服务 ${service} 不提供登记库：${registryName} 不属于该成员。`) as DomainError };
        if (method === call.method && path === call.path) return { ok: true, granted: call.grantedFields };
        // Another operation of the same service (genericServices): the same rights decide.
        const grant = (await exchange.routing()).access(service, call.client, method, path);
        return grant ? { ok: true, granted: grant.fields } : denied(call.client, method, path, service);
      },
    };
    return answer(await handleDr({ method: call.method, path: call.path, query: call.query, headers: call.headers, body }, caller));
  }

  return {
    handleDr,
    backend,
    registerRoutes: (app: App) => registerDrRoutes(app, { handleDr, callerOf }),
  };
}

export type GovstackDr = ReturnType<typeof createGovstackDr>;
