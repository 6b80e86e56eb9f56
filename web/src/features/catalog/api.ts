// The catalog routes as the pages call them, with the server's own types (type-only imports,
// erased from the bundle): entries and their review, search, share requests and statistics.
import type { Catalog, CatalogRequests, EntryMetadata, EntryView, Settings } from '../../../../src/modules/catalog/index.ts';
import { api, request, type Query } from '../../api.ts';

export type { EntryMetadata, EntryView, Settings };
export type EntryStatus = EntryView['status'];
export type DataItem = EntryMetadata['dataItems'][number];
export type EntryHistory = Awaited<ReturnType<Catalog['service']['history']>>;
export type EntryPage = { total: number; page: number; pageSize: number; items: EntryView[] };
export type SearchResult = Awaited<ReturnType<Catalog['search']['search']>>;
export type SearchItem = SearchResult['items'][number];
export type FacetName = keyof SearchResult['facets'];
export type ShareRequest = Awaited<ReturnType<CatalogRequests['service']['get']>>;
export type RequestStatus = ShareRequest['status'];
export type RequestPage = { total: number; page: number; pageSize: number; items: ShareRequest[] };
export type RequestBox = 'mine' | 'incoming' | 'escalated';
export type SyncResult = { registry: string; code: string; changed: boolean }[];
export type OrgStatistics = Awaited<ReturnType<CatalogRequests['service']['statistics']>>[number];
export type RequestInput = { entryId: string; items: string[]; purpose: string; legalBasis: string; periodFrom: string; periodTo: string; subsystem: string };
export type SimilarResult = Awaited<ReturnType<Catalog['similar']['preview']>>;
export type SimilarEntry = SimilarResult['items'][number];
export type SimilarCheck = Awaited<ReturnType<Catalog['similar']['checks']>>;
export type SimilarDraft = { nameZh: string; nameEn: string; dataItems: { name: string; nameEn: string; field: string }[] };
/** The check against duplicate construction, sent with a new entry: the similar entries shown, the drafter's confirmation and note. */
export type SimilarAnswer = { similarSeen: string[]; similarAcknowledged: boolean; similarNote: string };

export type EntryListQuery = { view?: 'base' | 'theme' | 'department'; item?: string; theme?: string; provider?: string; status?: EntryStatus; mine?: boolean; page: number; pageSize: number };

/** Facet filters may name several values each; the search route takes them as repeated parameters. */
export type SearchQuery = { q: string; sort: string; page: number; pageSize: number; facets: Partial<Record<FacetName, string[]>> };

function searchPath(query: SearchQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.sort) params.set('sort', query.sort);
  params.set('page', String(query.page));
  params.set('pageSize', String(query.pageSize));
  for (const [name, values] of Object.entries(query.facets)) for (const value of values ?? []) params.append(name, value);
  return `/api/catalog/search?${params.toString()}`;
}

export const catalogApi = {
  settings: () => api.get<Settings>('/api/catalog/settings'),
  configure: (settings: Settings) => request<Settings>('PUT', '/api/catalog/settings', { body: settings }),
  syncBase: () => api.post<SyncResult>('/api/catalog/base-entries/sync'),
  entries: (query: EntryListQuery) => api.get<EntryPage>('/api/catalog/entries', query as Query),
  entry: (id: string) => api.get<EntryView>(`/api/catalog/entries/${encodeURIComponent(id)}`),
  history: (id: string) => api.get<EntryHistory>(`/api/catalog/entries/${encodeURIComponent(id)}/history`),
  create: (metadata: EntryMetadata, similar?: SimilarAnswer) => api.post<EntryView>('/api/catalog/entries', { metadata, ...similar }),
  similar: (draft: SimilarDraft) => api.post<SimilarResult>('/api/catalog/entries/similar', draft),
  similarCheck: (id: string) => api.get<SimilarCheck>(`/api/catalog/entries/${encodeURIComponent(id)}/similar-check`),
  update: (id: string, version: number, metadata: EntryMetadata) => request<EntryView>('PUT', `/api/catalog/entries/${encodeURIComponent(id)}`, { body: { version, metadata } }),
  submit: (id: string, version: number, comment?: string) => api.post<EntryView>(`/api/catalog/entries/${encodeURIComponent(id)}/submit`, { version, ...(comment ? { comment } : {}) }),
  decide: (id: string, decision: 'approve' | 'reject', version: number, comment: string) => api.post<EntryView>(`/api/catalog/entries/${encodeURIComponent(id)}/${decision}`, { version, ...(comment ? { comment } : {}) }),
  search: (query: SearchQuery) => api.get<SearchResult>(searchPath(query)),

  requests: (box: RequestBox, status: string, page: number, pageSize: number) => api.get<RequestPage>('/api/catalog/requests', { box, status, page, pageSize }),
  request: (id: string) => api.get<ShareRequest>(`/api/catalog/requests/${encodeURIComponent(id)}`),
  createRequest: (input: RequestInput) => api.post<ShareRequest>('/api/catalog/requests', input),
  approveRequest: (id: string, version: number, items: string[], reason: string) => api.post<ShareRequest>(`/api/catalog/requests/${encodeURIComponent(id)}/approve`, { version, items, ...(reason ? { reason } : {}) }),
  rejectRequest: (id: string, version: number, reason: string) => api.post<ShareRequest>(`/api/catalog/requests/${encodeURIComponent(id)}/reject`, { version, reason }),
  withdrawRequest: (id: string, version: number) => api.post<ShareRequest>(`/api/catalog/requests/${encodeURIComponent(id)}/withdraw`, { version }),
  revokeRequest: (id: string, version: number, reason: string) => api.post<ShareRequest>(`/api/catalog/requests/${encodeURIComponent(id)}/revoke`, { version, reason }),
  statistics: () => api.get<OrgStatistics[]>('/api/catalog/requests/statistics'),
};
