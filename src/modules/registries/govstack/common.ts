// What the operations of both GovStack APIs share: finding the registry a path names,
// asking the caller's access, and the Reader and Writer the record engine is given.
import type { Operator } from '../../../platform/actor.ts';
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../../platform/errors.ts';
import { findRegistryRow, type RegistryRow } from '../catalog.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import type { Reader, Writer } from '../engine/records.ts';
import type { DrContext } from './dr.ts';

/** The record registry `name`, if this caller may reach it (through the exchange: its service's only). */
export async function recordRegistry(ctx: DrContext, name: string): Promise<RegistryRow> {
  const row = ctx.caller.only === undefined || ctx.caller.only === name ? await findRegistryRow(ctx.deps.db, name) : undefined;
  if (!row || row.definition.kind !== 'records') throw new NotFoundError('record registry', name, '登记库');
  return row;
}

/** The registry at `version`; an old or unknown version names the current one. */
export async function versionedRegistry(ctx: DrContext, name: string, version: string): Promise<RegistryRow> {
  const row = await recordRegistry(ctx, name);
  if (row.version !== version) throw notFound('no_such_version', `The ${name} registry has no version ${version}; its schema is at version ${row.version}.`, `登记库 ${name} 没有 ${version} 版，当前模式为 ${row.version} 版。`);
  return row;
}

/** The fields the caller's access right grants for this call, or the refusal. */
export async function granted(ctx: DrContext, registry: RegistryRow): Promise<readonly string[] | null> {
  const access = await ctx.caller.access(registry, ctx.req.method, ctx.req.path);
  if (!access.ok) throw access.error;
  return access.granted;
}

export function readerOf(ctx: DrContext, grantedFields: readonly string[] | null): Reader {
  const { caller } = ctx;
  return {
    channel: caller.channel,
    consumer: caller.client,
    consumerOrgId: caller.orgId,
    readerName: caller.userId ?? caller.actor?.username ?? caller.client,
    purpose: caller.purpose,
    xRoadId: caller.xRoadId,
    granted: grantedFields,
  };
}

/**
 * The writer of a change through this API. The access right decided already, so no staff
 * policy applies (actor null); the audit and the version's provenance name the client system
 * (and the member of staff, when one called directly).
 */
export function writerOf(ctx: DrContext): Writer {
  const { caller } = ctx;
  const op: Operator = { actor: null, auditAs: { id: caller.actor?.userId ?? null, name: caller.actor?.username ?? caller.client, orgId: caller.orgId }, ip: caller.ip, requestId: caller.requestId };
  return { op, source: `${caller.channel}:${caller.client}` };
}

/** Why a record changes: X-Road-Issue when the caller gives one. */
export const reasonOf = (ctx: DrContext, operation: string) => ctx.caller.purpose ?? `GovStack Digital Registries API: ${operation} by ${ctx.caller.client}`.slice(0, 500);

/** A JSON object at `at`, or a ValidationError naming it. */
export function objectAt(value: unknown, at: string, required: boolean): Record<string, unknown> | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError([{ field: at, code: 'required', message: 'is required: an object', messageZh: '必填：对象' }]);
  return value as Record<string, unknown>;
}

/** `{<part>: {content: {...}}}` of a body: the content, or a ValidationError naming what is missing. */
export function contentOf(body: unknown, part: 'write' | 'query', required: boolean): Record<string, unknown> | undefined {
  const envelope = objectAt(body, 'body', true)!;
  const wrapper = objectAt(envelope[part], part, required);
  if (!wrapper) return undefined;
  return objectAt(wrapper.content, `${part}.content`, true);
}

/** Refuses fields the registry does not have or the right does not grant, naming each. */
export function assertFieldsReadable(definition: RegistryDefinition, fields: Iterable<string>, grantedFields: readonly string[] | null): void {
  const known = new Set(definition.fields.map((f) => f.name));
  const errors: FieldError[] = [];
  for (const field of fields) {
    if (!known.has(field)) errors.push({ field, code: 'unknown_field', message: `is not a field of the ${definition.name} registry`, messageZh: `不是登记库 ${definition.name} 的字段` });
    else if (grantedFields !== null && !grantedFields.includes(field)) errors.push({ field, code: 'field_not_granted', message: 'is not among the fields your access right grants', messageZh: '不在您的访问授权字段之内' });
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

/** A 404 in words of its own (NotFoundError's are "No <what> <id>"). */
export function notFound(code: string, message: string, messageZh: string): NotFoundError {
  return Object.assign(new NotFoundError('', '', ''), { code, message, messageZh });
}

export function forbidden(message: string, messageZh: string, code = 'forbidden'): ForbiddenError {
  return new ForbiddenError(message, messageZh, code);
}
