// GovStack's myPersonalDataUsage: who read a person's (or an entity's) records in one
// registry, answered from the engine's reads log. The subject is `userId` (their key in the
// registry: an ID number in population) and the registry `databaseId` (its name, or its
// number in the database API). Usage is itself personal data, so only two callers get it:
//  - a client system with an access right to GET /data/myPersonalDataUsage on the registry's
//    service, for the one person it says it acts for in X-Road-UserId (the citizen portal
//    that signed the person in), and only when userId is that person;
//  - the owner organization's staff (officers, administrators), calling directly, who answer
//    a person's request in person.
// Every answer is audited.
import { hasRole } from '../../../platform/actor.ts';
import { invalidField } from '../../../platform/errors.ts';
import type { RegistryRow } from '../catalog.ts';
import { normaliseKey } from '../engine/validate.ts';
import { forbidden, notFound, recordRegistry } from './common.ts';
import { json, type DrContext, type DrResponse } from './dr.ts';
import { findDatabase } from './store.ts';

/** How many reads one answer lists, newest first. */
export const USAGE_LIMIT = 500;

async function registryOf(ctx: DrContext, databaseId: string): Promise<RegistryRow> {
  const byNumber = /^\d{1,9}$/.test(databaseId) ? await findDatabase(ctx.deps.db, { id: Number(databaseId) }) : undefined;
  return recordRegistry(ctx, byNumber?.name ?? databaseId);
}

const initials = (name: string) => {
  const words = name.split(/[\s._@-]+/).filter(Boolean);
  return /^[\p{L}\s.'-]+$/u.test(name) ? words.map((w) => [...w][0]!.toUpperCase()).join('') : '';
};

export async function handleUsage(ctx: DrContext): Promise<DrResponse | undefined> {
  if (ctx.req.method !== 'GET') return undefined;
  const { params, caller, deps } = ctx;
  for (const name of new Set(params.keys())) {
    if (!['userId', 'databaseId'].includes(name)) throw invalidField(name, 'unknown_parameter', 'is not a parameter of this operation (userId, databaseId)', '不是本操作的参数（userId、databaseId）');
    if (params.getAll(name).length > 1) throw invalidField(name, 'repeated', 'is given more than once', '重复给出');
  }
  const userId = params.get('userId')?.trim() ?? '';
  const databaseId = params.get('databaseId')?.trim() ?? '';
  if (databaseId === '') throw invalidField('databaseId', 'required', 'is required: the registry (its name or database number)', '必填：登记库（名称或数据库编号）');
  if (userId === '' || userId.length > 100) throw invalidField('userId', 'required', "is required: the person's identifier in the registry", '必填：本人在登记库中的标识');
  const registry = await registryOf(ctx, databaseId);
  const definition = registry.definition;
  if (definition.subject === 'none') throw notFound('no_data_subject', `The ${registry.name} registry holds no records about persons or entities, so nobody's data is read in it.`, `登记库 ${registry.name} 不保存关于个人或单位的记录。`);

  // Who may ask, before anything about the subject is looked at.
  const ownerStaff = caller.actor !== null && caller.actor.orgId === registry.owner_org_id && hasRole(caller.actor, 'org_admin', 'officer');
  if (!ownerStaff) {
    const access = await caller.access(registry, ctx.req.method, ctx.req.path);
    if (!access.ok) throw access.error;
  }
  const key = normaliseKey(definition, userId);
  const keyCheck = (await deps.records.check(registry.name, { [definition.keyField]: key })).errors.find((e) => e.field === definition.keyField);
  if (keyCheck) throw invalidField('userId', 'invalid_id', `Invalid ID supplied: it ${keyCheck.message}`, `标识无效：${keyCheck.messageZh ?? keyCheck.message}`);
  if (!ownerStaff) {
    const actingFor = caller.userId === null ? undefined : normaliseKey(definition, caller.userId);
    if (actingFor !== key) {
      throw forbidden(
        'A client system sees the data usage only of the person it acts for: X-Road-UserId must name that person, and userId the same person.',
        '客户端系统只能查看其所代表的本人的数据使用情况：X-Road-UserId 须为本人，且与 userId 一致。',
        'not_the_subject',
      );
    }
  }

  const reads = await deps.records.readsOf(key, { registry: registry.name, limit: USAGE_LIMIT });
  await deps.db.transaction().execute((trx) =>
    deps.audit.record(trx, { actor: { id: caller.actor?.userId ?? null, name: caller.actor?.username ?? caller.client, orgId: caller.orgId }, action: 'registries.usage.read', subjectType: 'registry_record', subjectId: `${registry.name}/${key}`, outcome: 'success', detail: { channel: caller.channel, client: caller.client, reads: reads.length }, ip: caller.ip, requestId: caller.requestId }),
  );
  if (reads.length === 0) throw notFound('no_reads', 'Person requests not found: nobody has read this record through the platform.', '未找到查阅记录：尚无人通过平台查阅该记录。');

  const organizations = new Map<string, Awaited<ReturnType<typeof deps.findOrganization>>>();
  const organization = async (read: (typeof reads)[number]) => {
    // A client system's organization is its member; a member of staff's, the one they work for.
    const member = read.consumer.includes('/') ? decodeURIComponent(read.consumer).split('/').slice(0, 3).join('/') : undefined;
    const cacheKey = member ?? `org:${read.consumerOrgId ?? ''}`;
    if (!organizations.has(cacheKey)) organizations.set(cacheKey, member ? await deps.findMember(member) : read.consumerOrgId ? await deps.findOrganization(read.consumerOrgId) : undefined);
    return organizations.get(cacheKey);
  };
  const answer = [];
  for (const read of reads) {
    const org = await organization(read);
    const subsystem = read.consumer.includes('/') ? await deps.findSubsystem(decodeURIComponent(read.consumer)) : undefined;
    const application = subsystem ? (ctx.lang === 'zh' ? subsystem.nameZh : subsystem.nameEn) : read.channel === 'workbench' ? (ctx.lang === 'zh' ? '工作台' : 'Workbench') : read.consumer;
    answer.push({
      id: read.id,
      readerId: read.readerName,
      ...(initials(read.readerName) ? { readerInitials: initials(read.readerName) } : {}),
      ...(org ? { readerInstitutionId: org.identifier, readerInstitutionName: ctx.lang === 'zh' ? org.nameZh : org.nameEn } : {}),
      readerApplicationName: application,
      searchDateTime: read.readAt,
      refrences: [{ ReferenceID: key }],
      // Beyond the specification: why, and which fields, as the reads log has them.
      purpose: read.purpose,
      fields: read.fields,
    });
  }
  return json(200, answer);
}
