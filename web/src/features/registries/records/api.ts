// The record registries' staff API as the workbench uses it (src/modules/registries/engine/
// routes.ts). The shapes are the server's response schemas, written out here because the
// server exports them as TypeBox values, which must stay out of the bundle.
import { api, request } from '../../../api.ts';

export type RegistryKind = 'records' | 'geospatial' | 'macroeconomic';

export type RegistrySummary = {
  name: string;
  kind: RegistryKind;
  version: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  ownerOrgId: string;
  updatedAt: string;
};

export type FieldType = 'string' | 'text' | 'integer' | 'decimal' | 'date' | 'boolean' | 'code' | 'string-list';
export type Code = { code: string; zh: string; en: string };
export type FieldInfo = {
  name: string;
  type: FieldType;
  labelZh: string;
  labelEn: string;
  required: boolean;
  sensitivity: 'public' | 'internal' | 'personal' | 'sensitive';
  indexed: boolean;
  alwaysPresent: boolean;
  codeList?: string;
  codes?: Code[];
};

export type RegistryDetail = RegistrySummary & { keyField: string; subject: 'person' | 'entity' | 'none'; fields: FieldInfo[]; recordCount: number };

export type RecordData = Record<string, unknown>;
export type RecordView = { registry: string; key: string; version: number; data: RecordData; masked: string[]; createdAt: string; updatedAt: string };
export type RecordPage = { count: number | null; page: number; pageSize: number; results: RecordView[] };

export type VersionView = {
  version: number;
  operation: 'create' | 'update' | 'delete' | 'event' | string;
  data: RecordData | null;
  source: string;
  actorName: string;
  reason: string;
  event: Record<string, unknown> | null;
  changedAt: string;
  importId: string | null;
};

export type ReadView = { id: string; registry: string; consumer: string; readerName: string; purpose: string | null; fields: string[]; channel: string; xRoadId: string | null; readAt: string };

export type LifeEventType = 'birth' | 'death' | 'move' | 'marriage' | 'divorce';
export const LIFE_EVENTS: readonly LifeEventType[] = ['birth', 'death', 'move', 'marriage', 'divorce'];

const base = (name: string) => `/api/registries/${encodeURIComponent(name)}`;
const recordPath = (name: string, key: string) => `${base(name)}/records/${encodeURIComponent(key)}`;

export type RecordSearch = { field: string; value: string; search: string; purpose: string; page: number; pageSize: number };

export const registriesApi = {
  list: () => api.get<RegistrySummary[]>('/api/registries'),
  definition: (name: string) => api.get<RegistryDetail>(base(name)),
  query: (name: string, q: RecordSearch) =>
    api.get<RecordPage>(`${base(name)}/records`, {
      ...(q.field && q.value.trim() ? { [`where.${q.field}`]: q.value.trim() } : {}),
      search: q.search.trim(),
      purpose: q.purpose.trim(),
      page: q.page,
      pageSize: q.pageSize,
    }),
  get: (name: string, key: string, options: { asOf?: string; purpose?: string } = {}) => api.get<RecordView>(recordPath(name, key), { asOf: options.asOf, purpose: options.purpose }),
  history: (name: string, key: string) => api.get<VersionView[]>(`${recordPath(name, key)}/history`),
  reads: (name: string, key: string) => api.get<ReadView[]>(`${recordPath(name, key)}/reads`, { limit: 100 }),
  create: (name: string, data: RecordData, reason: string) => api.post<RecordView>(`${base(name)}/records`, { data, reason }),
  replace: (name: string, key: string, version: number, data: RecordData, reason: string) => request<RecordView>('PUT', recordPath(name, key), { body: { version, data, reason } }),
  remove: (name: string, key: string, version: number, reason: string) => api.del(`${recordPath(name, key)}?${new URLSearchParams({ version: String(version), reason })}`),
  lifeEvent: (body: Record<string, unknown>) => api.post<RecordView[]>('/api/registries/population/events', body),
};

/** Where a registry's page is: record registries here, the two others have pages of their own. */
export function registryPath(summary: Pick<RegistrySummary, 'name' | 'kind'>): string {
  if (summary.kind === 'geospatial') return '/registries/geospatial';
  if (summary.kind === 'macroeconomic') return '/registries/macroeconomic';
  return `/registries/${encodeURIComponent(summary.name)}`;
}

export const recordPagePath = (name: string, key: string) => `/registries/${encodeURIComponent(name)}/${encodeURIComponent(key)}`;
