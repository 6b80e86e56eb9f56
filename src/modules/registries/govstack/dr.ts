// One entry point for the GovStack Digital Registries API: handleDr takes a request (method,
// path after the API's prefix, raw query, headers, parsed body) and the caller, and gives the
// answer. The direct routes under /govstack/dr/ and the exchange's built-in backend
// egov:registries both come here, so a call answers the same whichever way it came.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/actor.ts';
import type { Audit } from '../../../platform/audit.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { DomainError, NotFoundError, invalidField } from '../../../platform/errors.ts';
import { toProblem } from '../../../http/problem.ts';
import type { RegistryCatalog, RegistryRow } from '../catalog.ts';
import type { Records } from '../engine/records.ts';
import { handleDatabaseApi } from './database-api.ts';
import { handleDataApi } from './data-api.ts';
import type { Lang } from './schema-map.ts';
import { handleUsage } from './usage.ts';

export type DrRequest = {
  method: string;
  /** The path after the API's prefix, still percent-encoded: /data/population/1.0/read. */
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, if any. */
  body: unknown;
};

export type DrResponse = { status: number; headers: Record<string, string>; body: string | undefined };

/** What a caller may have of a registry for one operation: the granted fields (null: all), or why not. */
export type Access = { ok: true; granted: readonly string[] | null } | { ok: false; error: DomainError };

/**
 * Who calls, authenticated already. `client` is the calling subsystem (canonical form);
 * `access` answers from the access rights on the registry's exchange service.
 */
export type DrCaller = {
  channel: 'govstack' | 'exchange';
  client: string;
  /** The client's organization. */
  orgId: string | null;
  /** A member of staff calling directly with a session or staff API token. */
  actor: Actor | null;
  /** X-Road-UserId: the person the client system acts for. */
  userId: string | null;
  /** X-Road-Issue: why the caller reads or writes, kept in the reads log and with versions. */
  purpose: string | null;
  xRoadId: string | null;
  ip: string | null;
  requestId: string | null;
  /** How the caller reaches this API: scheme and host (direct) or '' (through the exchange). */
  origin: string;
  /** The path before the API's own: /govstack/dr, or /r1/{service} through the exchange. */
  prefix: string;
  /** Through the exchange, the one registry the called service serves. */
  only?: string;
  access(registry: RegistryRow, method: string, path: string): Promise<Access>;
};

export type Organization = { id: string; identifier: string; nameZh: string; nameEn: string };

export type DrDeps = {
  db: Db;
  audit: Audit;
  clock: Clock;
  records: Records;
  catalog: RegistryCatalog;
  instance: string;
  divisionExists: (code: string) => boolean;
  findOrganization(id: string): Promise<Organization | undefined>;
  /** The organization of a member identifier (INSTANCE/CLASS/CODE). */
  findMember(identifier: string): Promise<Organization | undefined>;
  /** A subsystem's names, for readerApplicationName. */
  findSubsystem(identifier: string): Promise<{ nameZh: string; nameEn: string } | undefined>;
};

export type DrContext = { deps: DrDeps; req: DrRequest; caller: DrCaller; lang: Lang; segments: string[]; params: URLSearchParams };

/** The spec's 404 of read: `{"detail": "no record found"}`, the same words in both languages. */
export class NoRecordFound extends NotFoundError {
  constructor() {
    super('record', '', '记录');
  }
}

/** A stale If-Match: HTTP's 412, where the staff API's version field gets 409. */
export class PreconditionFailed extends DomainError {}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): DrResponse => ({ status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) });

export const langOf = (headers: DrRequest['headers']): Lang => ((headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en');

function problemOf(err: DomainError, ctx: Pick<DrContext, 'req' | 'caller'>): DrResponse {
  // The one mapper of domain errors (src/http/problem.ts) reads only the headers and the URL.
  const problem = toProblem(err, { headers: ctx.req.headers, url: ctx.caller.prefix + ctx.req.path } as unknown as FastifyRequest);
  if (err instanceof NoRecordFound) problem.detail = 'no record found';
  if (err instanceof PreconditionFailed) Object.assign(problem, { status: 412, title: langOf(ctx.req.headers) === 'zh' ? '前提条件不满足' : 'Precondition failed' });
  return { status: problem.status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body: JSON.stringify(problem) };
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** Where in a parsed JSON body a string (or a key) holds a NUL character. */
function nulIn(value: unknown, at: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const here = at ? `${at}.${key}` : key;
    if (key.includes('\u0000')) return here;
    const found = nulIn(item, here);
    if (found) return found;
  }
  return undefined;
}

export function createDrHandler(deps: DrDeps) {
  return async function handleDr(req: DrRequest, caller: DrCaller): Promise<DrResponse> {
    const segments = decodeSegments(req.path);
    const base = { req, caller };
    if (!segments) return problemOf(new DomainError('bad_path', 'The path has a malformed percent-encoding.', '路径的百分号编码有误。'), base);
    const ctx: DrContext = { deps, req, caller, lang: langOf(req.headers), segments, params: new URLSearchParams(req.query) };
    try {
      // Why and for whom, kept with every read and change: a line of text each.
      for (const [name, value, max] of [['X-Road-Issue', caller.purpose, 500], ['X-Road-UserId', caller.userId, 200]] as const) {
        if (value !== null && (value.trim() === '' || value.length > max || value.includes('\u0000'))) throw invalidField(name, 'length', `must be 1 to ${max} characters when given`, `如提供，须为 1 至 ${max} 个字符`);
      }
      // PostgreSQL text cannot hold NUL: refused here, naming where, rather than failing in SQL.
      const nul = segments.some((s) => s.includes('\u0000')) ? 'path' : ([...ctx.params].find(([k, v]) => `${k}${v}`.includes('\u0000'))?.[0] ?? nulIn(req.body, ''));
      if (nul !== undefined) throw invalidField(nul.replaceAll('\u0000', '\\u0000'), 'nul_character', 'may not contain the NUL character (\\u0000)', '不能包含 NUL 字符（\\u0000）');
      const answer = segments[0] === 'data' && segments[1] === 'myPersonalDataUsage' && segments.length === 2 ? await handleUsage(ctx) : segments[0] === 'data' ? await handleDataApi(ctx) : await handleDatabaseApi(ctx);
      return answer ?? problemOf(new NotFoundError('operation', `${req.method} ${req.path}`, '操作'), base);
    } catch (err) {
      if (err instanceof DomainError) return problemOf(err, base);
      throw err;
    }
  };
}

export type HandleDr = ReturnType<typeof createDrHandler>;
