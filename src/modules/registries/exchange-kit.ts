// What the geospatial and macroeconomic registries' exchange backends (egov:geospatial,
// egov:macroeconomic) share: reading the call the exchange hands a built-in backend (its
// path, query and JSON body, each checked and named when wrong), answering in JSON or in
// problem+json in the caller's language through the one mapper of domain errors, and
// refusing to serve any member but the registry's owner.
import type { FastifyRequest } from 'fastify';
import { toProblem } from '../../http/problem.ts';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors.ts';
import type { RegistryCatalog } from './catalog.ts';
import { notFound } from './govstack/common.ts';
import type { BuiltinAnswer, BuiltinCall } from './govstack/index.ts';

export type { BuiltinAnswer, BuiltinCall } from './govstack/index.ts';

/** How a backend finds the registry owner's member identifier (the directory's organizations). */
export type FindOrganization = (id: string) => Promise<{ identifier: string } | undefined>;

export type ExchangeBackendDeps = { catalog: RegistryCatalog; findOrganization: FindOrganization };

/** The fields a call was granted: null for the whole answer, else a set to ask. */
export type Grant = { whole: true } | { whole: false; has: (field: string) => boolean; fields: readonly string[] };

export const grantOf = (fields: string[] | null): Grant => {
  if (fields === null) return { whole: true };
  const set = new Set(fields);
  return { whole: false, has: (f) => set.has(f), fields };
};

/** Whether the grant covers a field: the whole answer covers them all. */
export const grants = (grant: Grant, field: string): boolean => grant.whole || grant.has(field);

/** A field the call's access right does not grant, named in the problem (403, not a guess). */
export class FieldNotGrantedError extends ForbiddenError {
  constructor(field: string, parameter: string, message: string, messageZh: string) {
    super(message, messageZh, 'field_not_granted');
    (this as { errors: FieldError[] | undefined }).errors = [{ field: parameter, code: 'field_not_granted', message: `needs the field ${field}, which your access right does not grant`, messageZh: `需要字段 ${field}，您的访问授权未包含该字段` }];
  }
}

/**
 * A query or an operation that needs a field the grant does not cover is refused (403) before
 * anything is looked up, naming the parameter that needs it.
 */
export function requireField(grant: Grant, field: string, parameter: string, message: string, messageZh: string): void {
  if (!grants(grant, field)) throw new FieldNotGrantedError(field, parameter, message, messageZh);
}

/** A write, or any method an operation does not take: 405 (the message says which it takes). */
export class MethodNotAllowedError extends DomainError {
  constructor(method: string, path: string, message: string, messageZh: string) {
    super('method_not_allowed', `${method} ${path}: ${message}`, `${method} ${path}：${messageZh}`);
  }
}

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * A registry's check of a call's method. `allowed` is the method an operation takes (GET
 * unless told), null for the workbench's writes (an import, an observation), which no call
 * through the exchange makes. A refused write is told that the registry is not written this
 * way (`notWritten`); any other method is told which one the operation takes, unless
 * `namesAllowed` is false, when every refusal gets `notWritten`.
 */
export function methodCheck(notWritten: { en: string; zh: string }, namesAllowed = true) {
  return (call: BuiltinCall, allowed: 'GET' | 'POST' | null = 'GET'): void => {
    const method = call.method.toUpperCase();
    if (method === allowed) return;
    const write = !namesAllowed || allowed === null || (allowed === 'GET' && WRITES.includes(method));
    throw new MethodNotAllowedError(call.method, call.path, write ? notWritten.en : `this operation takes ${allowed}.`, write ? notWritten.zh : `本操作仅支持 ${allowed}。`);
  };
}

const memberOf = (decoded: string) => decoded.split('/').slice(0, 3).join('/');
const decodeId = (identifier: string) => identifier.split('/').map(decodeURIComponent).join('/');
const zh = (call: BuiltinCall) => (call.headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase().startsWith('zh') === true;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): BuiltinAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

function problemAnswer(err: DomainError, call: BuiltinCall): BuiltinAnswer {
  // The one mapper of domain errors reads only the headers and the URL of a request.
  const problem = toProblem(err, { headers: call.headers, url: `/r1/${call.service}${call.path}` } as unknown as FastifyRequest);
  const headers: Record<string, string> = { 'content-language': zh(call) ? 'zh-CN' : 'en' };
  if (err instanceof MethodNotAllowedError) Object.assign(problem, { status: 405, title: zh(call) ? '不允许的方法' : 'Method not allowed' });
  const answer = json(problem.status, problem, headers);
  answer.headers['content-type'] = 'application/problem+json; charset=utf-8';
  return answer;
}

/** The path's segments, percent-decoded; a malformed encoding or a NUL character is a 400. */
export function segmentsOf(path: string): string[] {
  let segments: string[];
  try {
    segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    throw new ValidationError([{ field: 'path', code: 'bad_path', message: 'has a malformed percent-encoding', messageZh: '百分号编码有误' }]);
  }
  if (segments.some((s) => s.includes('\u0000'))) throw new ValidationError([{ field: 'path', code: 'nul_character', message: 'may not contain the NUL character (\\u0000)', messageZh: '不能包含 NUL 字符（\\u0000）' }]);
  return segments;
}

/** A path segment the operation names (a layer, a key, an indicator code), at most `max` characters. */
export function segment(value: string, field: string, max: number): string {
  if (value.length > max) throw new ValidationError([{ field, code: 'maxLength', message: `must be at most ${max} characters`, messageZh: `至多 ${max} 个字符` }]);
  return value;
}

type ParamSpec =
  | { type: 'number'; required?: boolean; min: number; max: number }
  | { type: 'integer'; required?: boolean; min: number; max: number }
  | { type: 'text'; required?: boolean; max: number; pattern?: RegExp; patternEn?: string; patternZh?: string };
type ParamValue<S extends ParamSpec> = S extends { type: 'text' } ? string : number;
export type ParamsOf<T extends Record<string, ParamSpec>> = { [K in keyof T]: T[K] extends { required: true } ? ParamValue<T[K]> : ParamValue<T[K]> | undefined };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The query string read against what an operation takes: every problem at once, each naming
 * its parameter; unknown, repeated or NUL-bearing parameters are refused rather than ignored.
 */
export function readQuery<T extends Record<string, ParamSpec>>(query: string, spec: T): ParamsOf<T> {
  const params = new URLSearchParams(query);
  const problems: FieldError[] = [];
  const out: Record<string, string | number | undefined> = {};
  const seen = new Set<string>();
  for (const [name, raw] of params) {
    const shown = name.replaceAll('\u0000', '\\u0000').slice(0, 40);
    if (!(name in spec)) {
      problems.push({ field: shown, code: 'unknown_parameter', message: `is not a parameter of this operation; it takes ${Object.keys(spec).join(', ') || 'none'}`, messageZh: `不是本操作的参数；可用参数为 ${Object.keys(spec).join('、') || '（无）'}` });
      continue;
    }
    if (seen.has(name)) {
      problems.push({ field: name, code: 'repeated', message: 'is given more than once', messageZh: '重复给出' });
      continue;
    }
    seen.add(name);
    if (raw.includes('\u0000')) {
      problems.push({ field: name, code: 'nul_character', message: 'may not contain the NUL character (\\u0000)', messageZh: '不能包含 NUL 字符（\\u0000）' });
      continue;
    }
    const s = spec[name];
    if (s.type === 'text') {
      if (raw.length === 0 || raw.length > s.max) problems.push({ field: name, code: 'length', message: `must be 1 to ${s.max} characters`, messageZh: `须为 1 至 ${s.max} 个字符` });
      else if (s.pattern && !s.pattern.test(raw)) problems.push({ field: name, code: 'pattern', message: `"${raw.slice(0, 40)}" is not ${s.patternEn ?? 'valid'}`, messageZh: `“${raw.slice(0, 40)}”不是${s.patternZh ?? '有效值'}` });
      else out[name] = raw;
      continue;
    }
    const n = NUMBER.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n) || (s.type === 'integer' && !Number.isInteger(n))) {
      problems.push({ field: name, code: 'type', message: `"${raw.slice(0, 40)}" is not ${s.type === 'integer' ? 'a whole number' : 'a number'}`, messageZh: `“${raw.slice(0, 40)}”不是${s.type === 'integer' ? '整数' : '数值'}` });
    } else if (n < s.min || n > s.max) {
      problems.push({ field: name, code: 'range', message: `must be from ${s.min} to ${s.max}`, messageZh: `须在 ${s.min} 至 ${s.max} 之间` });
    } else out[name] = n;
  }
  for (const [name, s] of Object.entries(spec)) {
    if (s.required && !seen.has(name)) problems.push({ field: name, code: 'required', message: 'is required', messageZh: '必填' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return out as ParamsOf<T>;
}

/** A JSON object body with only the members named; a 400 naming what is wrong otherwise. */
export function readBody(body: Buffer, members: string[]): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationError([{ field: 'body', code: 'json', message: 'is not JSON: send a JSON object with Content-Type application/json', messageZh: '不是 JSON：请发送 JSON 对象（Content-Type: application/json）' }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError([{ field: 'body', code: 'type', message: 'must be a JSON object', messageZh: '须为 JSON 对象' }]);
  const unknown = Object.keys(value).filter((k) => !members.includes(k));
  if (unknown.length > 0) {
    throw new ValidationError(unknown.map((k) => ({ field: k.replaceAll('\u0000', '\\u0000').slice(0, 40), code: 'additionalProperties', message: `is not a member of this operation's body; it takes ${members.join(', ')}`, messageZh: `不是本操作请求体的成员；可用成员为 ${members.join('、')}` })));
  }
  return value as Record<string, unknown>;
}

/** A path that names no operation: 404, listing the operations there are. */
export function unknownOperation(call: BuiltinCall, operations: string): NotFoundError {
  return notFound('unknown_operation', `${call.method} ${call.path || '/'} is not an operation of this service; its operations are ${operations}.`, `${call.method} ${call.path || '/'} 不是本服务的操作；可用操作为 ${operations}。`);
}

/** The call's query must be empty (an operation without parameters). */
export const noQuery = (query: string) => readQuery(query, {});

/**
 * The owner guard of a backend: any member may register a service of its own with this
 * backend, so a call is served only when the service's member owns `registry` here.
 */
export function createOwnerGuard(deps: ExchangeBackendDeps, registry: string, titleEn: string, titleZh: string) {
  return async (call: BuiltinCall): Promise<void> => {
    const service = decodeId(call.service);
    let ownerId: string | undefined;
    try {
      ownerId = (await deps.catalog.get(registry)).owner_org_id;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    const owner = ownerId ? await deps.findOrganization(ownerId) : undefined;
    if (owner?.identifier !== memberOf(service)) {
      throw notFound('not_found', `The service ${service} serves no ${titleEn}: only the member of the registry's owner organization publishes it.`, `服务 ${service} 不提供${titleZh}：仅由该登记库所属单位的成员发布。`);
    }
  };
}

/** Runs an operation; domain errors become problem+json in the caller's language, anything else is the exchange's 5xx. */
export async function answer(call: BuiltinCall, run: () => Promise<BuiltinAnswer>): Promise<BuiltinAnswer> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) return problemAnswer(err, call);
    throw err;
  }
}

/** The registry a backend serves: its code in the catalog and its title in both languages, for the owner guard. */
export type BackendRegistry = { registry: string; titleEn: string; titleZh: string };

/**
 * A registry's built-in backend: the exchange has checked the call's access right and passes
 * the granted fields; the call is served only for the registry's owner, and `operate`'s domain
 * errors are answered as problem+json.
 */
export function createRegistryBackend(deps: ExchangeBackendDeps, registry: BackendRegistry, operate: (call: BuiltinCall, grant: Grant) => Promise<BuiltinAnswer>) {
  const guard = createOwnerGuard(deps, registry.registry, registry.titleEn, registry.titleZh);
  return (call: BuiltinCall): Promise<BuiltinAnswer> =>
    answer(call, async () => {
      await guard(call);
      return operate(call, grantOf(call.grantedFields));
    });
}
