// The exchange registry: services that subsystems offer (backend URL, OpenAPI, limits), the
// instance's global groups, and access rights. `authorize` is what the provider side asks
// before forwarding a call. Every change is one transaction with its audit row.
import type { Audit } from '../../platform/audit.ts';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Executor } from '../../platform/db.ts';
import { operatorFromRequest, type Operator, type RequestContext } from '../../platform/actor.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { IdentifierError, parseClientId, formatClientId } from './identifiers.ts';
import { createLookupCache } from './lookup-cache.ts';
import * as policy from './policy.ts';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, FIELD_NAME_PATTERN, MAX_GRANTED_FIELDS, type AccessRight, type AccessRightCreate, type Group, type Service, type ServiceCreate, type ServiceUpdate } from './schema.ts';
import * as store from './store.ts';

type SubsystemSummary = { id: string; orgId: string; identifier: string; code: string; nameEn: string; status: string };
export type SubsystemLookup = {
  findSubsystem(id: string): Promise<SubsystemSummary | undefined>;
  findSubsystemByIdentifier(identifier: string): Promise<SubsystemSummary | undefined>;
  listAllSubsystems(): Promise<SubsystemSummary[]>;
  listOrganizations(): Promise<{ id: string; identifier: string; nameZh: string; nameEn: string; status: string }[]>;
  findOrganization(id: string): Promise<{ id: string; identifier: string } | undefined>;
};

export type RegistryDeps = { db: Db; audit: Audit; clock: Clock; changes: ChangeFeed; directory: SubsystemLookup };

export const EXCHANGE_TOPIC = 'exchange';

export function presentService(row: store.ServiceRow): Service {
  return {
    id: row.id,
    subsystemId: row.subsystem_id,
    orgId: row.org_id,
    identifier: row.identifier,
    code: row.code,
    backendUrl: row.backend_url,
    hasOpenApi: row.openapi !== null,
    timeoutMs: row.timeout_ms,
    maxBodyBytes: row.max_body_bytes,
    classification: row.classification,
    status: row.status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function presentRight(row: store.AccessRightRow): AccessRight {
  return { id: row.id, serviceId: row.service_id, clientKind: row.client_kind, client: row.client, method: row.method, pathPattern: row.path_pattern, fields: row.fields ?? null, grantedByName: row.granted_by_name, grantedAt: row.granted_at.toISOString() };
}

const FIELD_NAME = new RegExp(FIELD_NAME_PATTERN);

/**
 * A right's field list, checked here as well as by the HTTP schema (callers in process skip
 * the schema): 1 to 200 distinct names; undefined or null grants the whole answer.
 */
export function checkGrantedFields(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const refuse = (code: string, message: string, messageZh: string) => invalidField('fields', code, message, messageZh);
  if (!Array.isArray(value)) throw refuse('type', 'must be a list of field names, or null for the whole answer', '须为字段名列表；留空表示全部字段');
  if (value.length === 0 || value.length > MAX_GRANTED_FIELDS) throw refuse('count', `must name 1 to ${MAX_GRANTED_FIELDS} fields; leave it out for the whole answer`, `须列出 1 至 ${MAX_GRANTED_FIELDS} 个字段；留空表示全部字段`);
  for (const name of value) {
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) throw refuse('field_name', `${JSON.stringify(name)} is not a field name: a letter, then up to 63 letters, digits or underscores`, `${JSON.stringify(name)} 不是有效的字段名：以字母开头，其后至多 63 个字母、数字或下划线`);
  }
  if (new Set(value).size !== value.length) throw refuse('duplicate', 'names a field more than once', '字段名重复');
  return [...value] as string[];
}

/** A built-in backend's address: egov:NAME (pub/sub rooms, the base registries, …). */
export const BUILTIN_BACKEND = /^egov:([a-z][a-z0-9-]{0,63})$/;

/**
 * http(s) only, and no credentials in the URL: they would end up in logs and the UI. Or
 * egov:NAME for a backend built into the platform, when this platform has one by that name.
 */
function checkBackendUrl(value: string, isBuiltin: (name: string) => boolean): string {
  if (value.startsWith('egov:')) {
    const name = BUILTIN_BACKEND.exec(value)?.[1];
    if (!name || !isBuiltin(name)) throw invalidField('backendUrl', 'builtin_unknown', `names no backend built into this platform (egov:NAME, such as egov:pubsub)`, '不是本平台内置的后端（egov:名称，例如 egov:pubsub）');
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidField('backendUrl', 'url', 'is not a URL', '不是有效的网址');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('backendUrl', 'url_scheme', 'must be an http or https URL', '必须是 http 或 https 网址');
  if (url.username || url.password) throw invalidField('backendUrl', 'url_credentials', 'may not carry a user name or password', '不能包含用户名或密码');
  if (url.search || url.hash) throw invalidField('backendUrl', 'url_query', 'may not carry a query or fragment; the caller supplies the query', '不能包含查询参数或片段');
  return url.toString().replace(/\/$/, '');
}

/** Path patterns: * is one segment, ** is any rest (including nothing). */
export function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/').filter(Boolean);
  const have = (path || '/').split('/').filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '**') return true;
    if (i >= have.length) return false;
    if (want[i] !== '*' && want[i] !== have[i]) return false;
  }
  return want.length === have.length;
}

/** `isBuiltin`: whether this platform has a built-in backend by that name (egov:NAME). */
export function createRegistry(deps: RegistryDeps & { isBuiltin?: (name: string) => boolean }) {
  const { db, audit, clock } = deps;
  const isBuiltin = deps.isBuiltin ?? (() => false);

  async function record(trx: Executor, by: RequestContext | Operator, action: string, subjectType: string, subjectId: string, detail: Record<string, unknown>) {
    const op = 'auditAs' in by ? by : operatorFromRequest(by);
    await audit.record(trx, { actor: op.auditAs, action, subjectType, subjectId, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });
    await deps.changes.notify(trx, EXCHANGE_TOPIC);
  }

  /** A registry write: one transaction; then this process's lookup cache forgets what it knew. */
  async function write<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(work);
    } finally {
      deps.changes.local(EXCHANGE_TOPIC);
    }
  }

  // Lookups on the message path, from memory: forgotten on any registry or directory change.
  const services = createLookupCache<store.ServiceRow | undefined>(deps.changes, [EXCHANGE_TOPIC, 'directory']);
  const rights = createLookupCache<store.AccessRightRow[]>(deps.changes, [EXCHANGE_TOPIC, 'directory']);

  async function getServiceRow(id: string): Promise<store.ServiceRow> {
    const row = await store.findService(db, id);
    if (!row) throw new NotFoundError('service', id, '服务');
    return row;
  }
  /** A right checked against the registry and the directory, ready to write; checked outside any transaction. */
  type PreparedGrant = { serviceId: string; input: AccessRightCreate; client: string; fields: string[] | null };

  async function prepareGrant(serviceId: string, input: AccessRightCreate): Promise<PreparedGrant> {
    await getServiceRow(serviceId);
    const fields = checkGrantedFields(input.fields);
    let client: string;
    if (input.clientKind === 'subsystem') {
      client = canonicalClient(input.client);
      if (!(await deps.directory.findSubsystemByIdentifier(decodeURIComponent(client)))) throw invalidField('client', 'not_found', 'is not a registered subsystem', '不是已登记的子系统');
    } else {
      client = input.client;
      if (!(await store.findGroupByCode(db, client))) throw invalidField('client', 'not_found', 'is not a global group', '不是全局分组');
    }
    return { serviceId, input, client, fields };
  }

  async function grantIn(trx: Executor, op: Operator, prepared: PreparedGrant): Promise<AccessRight> {
    const { serviceId, input, client, fields } = prepared;
    const row: store.AccessRightRow = {
      id: newId(),
      service_id: serviceId,
      client_kind: input.clientKind,
      client,
      method: input.method ?? null,
      path_pattern: input.pathPattern ?? null,
      fields,
      granted_by_name: op.actor?.displayName ?? op.auditAs.name,
      granted_at: clock.now(),
      revoked_by_name: null,
      revoked_at: null,
    };
    // One right per client, method and path: another field list replaces it (revoke, grant).
    if (await store.findLiveRight(trx, row)) throw new ConflictError('right_exists', 'That access right is already granted; to grant other fields, revoke it and grant again.', '该访问权限已经授予；如需授予其他字段，请先撤销再重新授予。');
    await store.insertRight(trx, row);
    await record(trx, op, 'exchange.right.grant', 'service', serviceId, { clientKind: row.client_kind, client, method: row.method, pathPattern: row.path_pattern, fields });
    return presentRight(row);
  }

  async function revokeIn(trx: Executor, op: Operator, serviceId: string, rightId: string): Promise<void> {
    const right = await store.findRight(trx, rightId);
    if (!right || right.service_id !== serviceId) throw new NotFoundError('access right', rightId, '访问权限');
    if (!(await store.revokeRight(trx, rightId, op.actor?.displayName ?? op.auditAs.name, clock.now()))) throw new ConflictError('already_revoked', 'The access right was already revoked.', '该访问权限已被撤销。');
    await record(trx, op, 'exchange.right.revoke', 'service', serviceId, { right: rightId, client: right.client, fields: right.fields ?? null });
  }


  /** A subsystem identifier, checked and written canonically (each part percent-encoded). */
  function canonicalClient(value: string): string {
    try {
      const id = parseClientId(value);
      if (id.subsystem === undefined) throw invalidField('client', 'subsystem_required', 'must name a subsystem: INSTANCE/CLASS/MEMBER/SUBSYSTEM', '须为子系统标识：INSTANCE/CLASS/MEMBER/SUBSYSTEM');
      return formatClientId(id);
    } catch (err) {
      if (err instanceof IdentifierError) throw invalidField('client', 'identifier', err.message, `标识符无效：${err.message}`);
      throw err;
    }
  }

  return {
    async createService(ctx: RequestContext, input: ServiceCreate): Promise<Service> {
      const subsystem = await deps.directory.findSubsystem(input.subsystemId);
      if (!subsystem) throw invalidField('subsystemId', 'not_found', 'is not a registered subsystem', '不是已登记的子系统');
      policy.assertMayManageServicesOf(ctx.actor, subsystem.orgId);
      if (subsystem.status !== 'active') throw invalidField('subsystemId', 'inactive', 'is deactivated', '已停用');
      const now = clock.now();
      const row: store.ServiceRow = {
        id: newId(),
        subsystem_id: subsystem.id,
        org_id: subsystem.orgId,
        identifier: `${subsystem.identifier}/${input.code}`,
        code: input.code,
        backend_url: checkBackendUrl(input.backendUrl, isBuiltin),
        openapi: input.openapi ?? null,
        timeout_ms: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        max_body_bytes: input.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        classification: input.classification ?? 'internal',
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await write(async (trx) => {
        if (await store.findServiceByIdentifier(trx, row.identifier)) {
          throw new ConflictError('service_code_taken', `The subsystem already has a service ${input.code}.`, `该子系统已有服务 ${input.code}。`, [{ field: 'code', code: 'taken', message: 'is taken', messageZh: '已被占用' }]);
        }
        await store.insertService(trx, row);
        await record(trx, ctx, 'exchange.service.create', 'service', row.id, { identifier: row.identifier, backendUrl: row.backend_url });
      });
      return presentService(row);
    },

    /**
     * Makes a subsystem a pub/sub room: its services `api`, `pub` and `pull`, answered by the
     * room's node itself (egov:pubsub). Who may publish, subscribe or manage event types is
     * then granted like any access right, per service and path.
     */
    async enableRoom(ctx: RequestContext, subsystemId: string): Promise<Service[]> {
      const subsystem = await deps.directory.findSubsystem(subsystemId);
      if (!subsystem) throw invalidField('subsystemId', 'not_found', 'is not a registered subsystem', '不是已登记的子系统');
      policy.assertMayManageServicesOf(ctx.actor, subsystem.orgId);
      if (subsystem.status !== 'active') throw invalidField('subsystemId', 'inactive', 'is deactivated', '已停用');
      const now = clock.now();
      const rows: store.ServiceRow[] = ['api', 'pub', 'pull'].map((code) => ({
        id: newId(),
        subsystem_id: subsystem.id,
        org_id: subsystem.orgId,
        identifier: `${subsystem.identifier}/${code}`,
        code,
        backend_url: 'egov:pubsub',
        openapi: null,
        timeout_ms: DEFAULT_TIMEOUT_MS,
        max_body_bytes: 1024 * 1024,
        classification: 'internal',
        status: 'active',
        version: 1,
        created_at: now,
        updated_at: now,
      }));
      await write(async (trx) => {
        for (const row of rows) {
          if (await store.findServiceByIdentifier(trx, row.identifier)) throw new ConflictError('service_code_taken', `The subsystem already has a service ${row.code}; a room needs api, pub and pull.`, `该子系统已有服务 ${row.code}；消息室需要 api、pub、pull 三个服务。`);
          await store.insertService(trx, row);
        }
        await record(trx, ctx, 'exchange.room.enable', 'subsystem', subsystem.id, { identifier: subsystem.identifier });
      });
      return rows.map(presentService);
    },

    async updateService(ctx: RequestContext, id: string, input: ServiceUpdate): Promise<Service> {
      const updated = await write(async (trx) => {
        const row = await store.findService(trx, id, true);
        if (!row) throw new NotFoundError('service', id, '服务');
        policy.assertMayManageServicesOf(ctx.actor, row.org_id);
        if (row.version !== input.version) throw new ConflictError('version_conflict', 'The service changed since you loaded it; reload and try again.', '服务已被修改，请刷新后重试。');
        const changes: Partial<store.ServiceRow> = { version: row.version + 1, updated_at: clock.now() };
        if (input.backendUrl !== undefined) changes.backend_url = checkBackendUrl(input.backendUrl, isBuiltin);
        if (input.openapi !== undefined) changes.openapi = input.openapi;
        if (input.timeoutMs !== undefined) changes.timeout_ms = input.timeoutMs;
        if (input.maxBodyBytes !== undefined) changes.max_body_bytes = input.maxBodyBytes;
        if (input.status !== undefined) changes.status = input.status;
        if (input.classification !== undefined) changes.classification = input.classification;
        await store.updateService(trx, id, changes);
        await record(trx, ctx, 'exchange.service.update', 'service', id, { fields: Object.keys(input).filter((k) => k !== 'version') });
        return { ...row, ...changes };
      });
      return presentService(updated);
    },

    async listServices(filter: { orgId?: string; subsystemId?: string }): Promise<Service[]> {
      return (await store.listServices(db, filter)).map(presentService);
    },

    async getService(id: string): Promise<Service> {
      return presentService(await getServiceRow(id));
    },

    async openApi(id: string): Promise<string | undefined> {
      return (await getServiceRow(id)).openapi ?? undefined;
    },

    async listRights(ctx: RequestContext, serviceId: string): Promise<AccessRight[]> {
      const service = await getServiceRow(serviceId);
      policy.assertMayReadRights(ctx.actor, service.org_id);
      return (await store.listLiveRights(db, serviceId)).map(presentRight);
    },

    async grant(ctx: RequestContext, serviceId: string, input: AccessRightCreate): Promise<AccessRight> {
      const service = await getServiceRow(serviceId);
      policy.assertMayManageServicesOf(ctx.actor, service.org_id);
      const prepared = await prepareGrant(serviceId, input);
      return write((trx) => grantIn(trx, operatorFromRequest(ctx), prepared));
    },

    async revoke(ctx: RequestContext, serviceId: string, rightId: string): Promise<void> {
      const service = await getServiceRow(serviceId);
      policy.assertMayManageServicesOf(ctx.actor, service.org_id);
      await write((trx) => revokeIn(trx, operatorFromRequest(ctx), serviceId, rightId));
    },

    /**
     * For another module that has decided a right itself (an approved share request): the
     * same checks (prepareGrant, before its transaction) and audit (grantIn, inside it) as a
     * grant, without the role check, which the caller made. Call `changed()` after commit.
     */
    prepareGrant,
    grantIn,
    revokeIn,
    changed: () => deps.changes.local(EXCHANGE_TOPIC),

    async listGroups(): Promise<Group[]> {
      return (await store.listGroups(db)).map((g) => ({ id: g.id, code: g.code, description: g.description, members: g.members }));
    },

    async createGroup(ctx: RequestContext, input: { code: string; description?: string }): Promise<Group> {
      policy.assertMayManageGroups(ctx.actor);
      const row = { id: newId(), code: input.code, description: input.description ?? '', created_at: clock.now() };
      await write(async (trx) => {
        if (await store.findGroupByCode(trx, row.code)) throw new ConflictError('group_code_taken', `There is already a group ${row.code}.`, `已有分组 ${row.code}。`);
        await store.insertGroup(trx, row);
        await record(trx, ctx, 'exchange.group.create', 'group', row.id, { code: row.code });
      });
      return { id: row.id, code: row.code, description: row.description, members: [] };
    },

    async setGroupMember(ctx: RequestContext, groupId: string, clientInput: string, present: boolean): Promise<void> {
      policy.assertMayManageGroups(ctx.actor);
      const group = await store.findGroup(db, groupId);
      if (!group) throw new NotFoundError('group', groupId, '分组');
      const client = canonicalClient(clientInput);
      if (present && !(await deps.directory.findSubsystemByIdentifier(decodeURIComponent(client)))) throw invalidField('client', 'not_found', 'is not a registered subsystem', '不是已登记的子系统');
      await write(async (trx) => {
        const changed = present ? await store.addGroupMember(trx, groupId, client, clock.now()) : await store.removeGroupMember(trx, groupId, client);
        if (!changed) throw new ConflictError(present ? 'already_member' : 'not_member', present ? 'The subsystem is already in the group.' : 'The subsystem is not in the group.', present ? '该子系统已在分组中。' : '该子系统不在分组中。');
        await record(trx, ctx, present ? 'exchange.group.add' : 'exchange.group.remove', 'group', groupId, { client });
      });
    },

    /**
     * Whether `client` may call the service with `method` on `path`: a live right for the
     * client or one of its groups, whose method and path pattern (when set) match.
     */
    async authorize(service: store.ServiceRow, client: string, method: string, path: string): Promise<boolean> {
      const applicable = await rights.get(`${service.id} ${client}`, () => store.rightsFor(db, service.id, client));
      return applicable.some((r) => (r.method === null || r.method === method) && (r.path_pattern === null || pathMatches(r.path_pattern, path)));
    },

    findServiceByIdentifier: (identifier: string) => services.get(identifier, () => store.findServiceByIdentifier(db, identifier)),

    /** What the global configuration publishes: services (with their backends, which the publisher filters), groups and live rights. */
    async snapshot() {
      const [services, groups, rights] = await Promise.all([store.listServices(db, {}), store.listGroups(db), store.listAllLiveRights(db)]);
      return {
        services: services.map((s) => ({ identifier: s.identifier, status: s.status, classification: s.classification, timeoutMs: s.timeout_ms, maxBodyBytes: s.max_body_bytes, backendUrl: s.backend_url })),
        groups: groups.map((g) => ({ code: g.code, members: g.members })),
        rights: rights.map((r) => ({ service: r.service_identifier, clientKind: r.client_kind, client: r.client, method: r.method, pathPattern: r.path_pattern, fields: r.fields ?? null })),
      };
    },

    /** Services of one subsystem, as rows (the directory API describes them itself). */
    listServiceRows: (filter: { subsystemIdentifier: string }) => store.listServicesOfSubsystem(db, filter.subsystemIdentifier),

    /** The live rights on a service that apply to `client`, directly or through a group. */
    rightsOf: (service: store.ServiceRow, client: string) => store.rightsFor(db, service.id, client),
  };
}

export type Registry = ReturnType<typeof createRegistry>;
