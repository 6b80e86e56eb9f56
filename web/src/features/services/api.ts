// The service catalog's routes as the pages call them, with the server's own types (type-only
// imports, erased from the bundle), and the words for its kinds, statuses and portal events.
import type { ServiceView } from '../../../../src/modules/services/index.ts';
import { api, request } from '../../api.ts';
import type { MessageKey } from '../../i18n/index.tsx';

export type { ServiceView };
export type ServiceKind = ServiceView['kind'];
export type ServiceStatus = ServiceView['status'];
/** What a guide says: everything the organization writes, without its code and organization. */
export type ServiceContent = Omit<ServiceView, 'id' | 'code' | 'orgId' | 'version' | 'status' | 'orgNameZh' | 'orgNameEn' | 'createdAt' | 'updatedAt' | 'publishedAt'>;
export type ServiceBody = ServiceContent & { code: string; orgId: string };

const path = (code: string) => `/api/services/${encodeURIComponent(code)}`;

export const servicesApi = {
  list: (status: string) => api.get<{ items: ServiceView[] }>('/api/services', { status }),
  get: (code: string) => api.get<ServiceView>(path(code)),
  create: (body: ServiceBody) => api.post<ServiceView>('/api/services', body),
  update: (code: string, version: number, content: ServiceContent) => request<ServiceView>('PUT', path(code), { body: { version, ...content } }),
  publish: (code: string, version: number) => api.post<ServiceView>(`${path(code)}/publish`, { version }),
  withdraw: (code: string, version: number) => api.post<ServiceView>(`${path(code)}/withdraw`, { version }),
};

/** The workbench's pages of a service (the portal has /services/{code}, so the workbench does not use /services). */
export const workbenchPath = (code?: string, suffix = '') => (code === undefined ? '/service-catalog' : `/service-catalog/${encodeURIComponent(code)}${suffix}`);
/** The guide on the public portal (server-rendered: a full page load, not the workbench's router). */
export const portalPath = (code: string) => `/services/${encodeURIComponent(code)}`;

// Typed by the server's unions: a kind or status missing here is a type error.
export const KIND_LABELS: Record<ServiceKind, MessageKey> = {
  licence: 'services.kind.licence',
  confirmation: 'services.kind.confirmation',
  payment: 'services.kind.payment',
  public_service: 'services.kind.public_service',
};
export const STATUS_LABELS: Record<ServiceStatus, MessageKey> = { draft: 'services.status.draft', published: 'services.status.published', withdrawn: 'services.status.withdrawn' };
export const STATUS_TONE: Record<ServiceStatus, string> = { draft: 'badge-inactive', published: 'badge-success', withdrawn: 'badge-inactive' };

/** The portal's life events (citizens) and business events (enterprises), as src/modules/portal/events.ts lists them. */
export const EVENT_LABELS: Record<string, MessageKey> = {
  birth: 'services.event.birth',
  education: 'services.event.education',
  employment: 'services.event.employment',
  residence: 'services.event.residence',
  marriage: 'services.event.marriage',
  retirement: 'services.event.retirement',
  starting: 'services.event.starting',
  construction: 'services.event.construction',
  operating: 'services.event.operating',
  hiring: 'services.event.hiring',
  closing: 'services.event.closing',
};

/** Fen as yuan with two decimals: 1250 → "12.50". */
export const yuanOf = (fen: number) => (fen / 100).toFixed(2);
