// The one way the web app talks to the server: same-origin cookies, JSON in and out, the
// session's CSRF token on every write, and problem+json turned into ApiError.

// The API's types come from the server modules that define them. `import type` only: these
// imports are erased, so no server code reaches the browser bundle.
import type { AuditEventView } from '../../src/modules/audit/index.ts';
import type { Organization, OrganizationPage, OrgLevel, OrgType, Subsystem, TreeNode } from '../../src/modules/directory/index.ts';
import type { CreatedToken, SessionInfo, Token, User } from '../../src/modules/identity/index.ts';
import type { CertificateRequestView, CertificateView, VerificationResult } from '../../src/modules/trust/index.ts';
import type { AccessRight, LogSummary, NodeStatus, NodeView, Registration as NodeRegistration, Service as ExchangeService } from '../../src/modules/exchange/index.ts';
import type { Role } from '../../src/platform/actor.ts';

export type { CertificateRequestView, CertificateView, VerificationResult };
export type { AccessRight, ExchangeService, NodeRegistration, NodeStatus, NodeView };
export type ExchangeLogPage = { items: LogSummary[]; total: number };
export type { TrafficSnapshot, TrafficStats } from '../../src/modules/exchange/index.ts';
export type { AuditEventView, CreatedToken, Organization, OrganizationPage, OrgLevel, OrgType, Role, SessionInfo, Subsystem, Token, TreeNode, User };
export type Session = SessionInfo;
export type SessionUser = SessionInfo['user'];
export type Status = Organization['status'];
export type AuditEvent = AuditEventView;

/**
 * The web's own copy of a server list (the server's arrays are runtime values and stay out of
 * the bundle). Checked both ways: an entry the server does not know, or a member of T that is
 * missing here, is a type error.
 */
function allOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : `missing ${Exclude<T, L[number]>}`)): readonly T[] => list;
}

export const ROLES = allOf<Role>()(['platform_admin', 'org_admin', 'officer', 'security_admin', 'audit_admin']);
export const ORG_TYPES = allOf<OrgType>()(['government', 'organ', 'institution', 'social_org', 'enterprise', 'other']);
export const ORG_LEVELS = allOf<OrgLevel>()(['central', 'province', 'city', 'county']);

// Not exported by the server modules (yet), so still declared here.
export type Division = { code: string; name: string; level: 'province' | 'city' | 'county' };
export type VerifyResult = { ok: boolean; rows: number; firstBadSeq?: number; reason?: string };
export type Page<T> = { items: T[]; total: number };
export type CredentialKind = 'token' | 'certificate' | 'address';
export type ClientCredential = { id: string; subsystem: string; kind: CredentialKind; value: string; label: string; createdByName: string; createdAt: string };
export type Classification = ExchangeService['classification'];
export type CrossingRule = { id: string; fromZone: NodeView['zone']; toZone: NodeView['zone']; servicePattern: string; classifications: Classification[]; createdByName: string; createdAt: string };

export type FieldProblem = { field: string; code: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  constructor(status: number, code: string, detail: string, errors: FieldProblem[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }
}

const state: { csrfToken: string | undefined; lang: string; onUnauthorized: (() => void) | undefined } = {
  csrfToken: undefined,
  lang: 'zh-CN',
  onUnauthorized: undefined,
};

export function setCsrfToken(token: string | undefined): void {
  state.csrfToken = token;
}
export function setApiLanguage(lang: string): void {
  state.lang = lang;
}
/** Called when the server says the session is gone (401) on any request but signing in. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  state.onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds "?a=1&b=2" from the set values; empty strings are left out. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toApiError(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<{ code: string; detail: string; title: string; errors: FieldProblem[] }>;
      return new ApiError(
        response.status,
        body.code ?? 'http_error',
        body.detail ?? body.title ?? response.statusText,
        Array.isArray(body.errors) ? body.errors : [],
      );
    } catch {
      // Fall through to the generic error.
    }
  }
  return new ApiError(response.status, 'http_error', response.statusText || String(response.status));
}

/** `file` is sent as it is (its bytes, with its media type) instead of a JSON body: an upload the server reads byte for byte. */
type Options = { query?: Query; body?: unknown; file?: { body: Blob; type: string }; handleUnauthorized?: boolean };

export async function request<T>(method: string, path: string, options: Options = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': state.lang };
  if (options.file) headers['Content-Type'] = options.file.type;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ? options.file.body : options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && options.handleUnauthorized !== false) state.onUnauthorized?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T,>(path: string, query?: Query, options?: Omit<Options, 'query' | 'body'>) => request<T>('GET', path, { ...options, query }),
  post: <T,>(path: string, body?: unknown, options?: Omit<Options, 'body'>) => request<T>('POST', path, { ...options, body }),
  patch: <T,>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T = void,>(path: string) => request<T>('DELETE', path),
  upload: <T,>(path: string, file: Blob, type: string, query?: Query) => request<T>('POST', path, { query, file: { body: file, type } }),
};

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'internal_error', error instanceof Error ? error.message : String(error));
}
