// The open data site's calls: the public list, a dataset and its rows (no sign-in), and the
// workbench's releases of an entry (list, publish a CSV file).
import { api, queryString } from '../../api.ts';
import type { ReleaseView } from '../../../../src/modules/catalog/index.ts';
import type { OpenDataService } from '../../../../src/modules/catalog/open-data/index.ts';

export type { ReleaseView };
export type DatasetList = Awaited<ReturnType<OpenDataService['list']>>;
export type DatasetItem = DatasetList['items'][number];
export type Dataset = Awaited<ReturnType<OpenDataService['dataset']>>;
export type RowsPage = Awaited<ReturnType<OpenDataService['rows']>>;
export type OpenFacet = 'provider' | 'format' | 'cycle';
export type DatasetQuery = { q: string; page: number; pageSize: number; facets: Partial<Record<OpenFacet, string[]>> };

function listPath(query: DatasetQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  params.set('page', String(query.page));
  params.set('pageSize', String(query.pageSize));
  for (const [name, values] of Object.entries(query.facets)) for (const value of values ?? []) params.append(name, value);
  return `/open/api/datasets?${params.toString()}`;
}

export const datasetPath = (id: string) => `/open/datasets/${encodeURIComponent(id)}`;
export const downloadPath = (id: string, format: 'csv' | 'json', release?: number) => `${datasetPath(id)}/download.${format}${queryString({ release })}`;

export const openDataApi = {
  datasets: (query: DatasetQuery) => api.get<DatasetList>(listPath(query)),
  dataset: (id: string) => api.get<Dataset>(`/open/api/datasets/${encodeURIComponent(id)}`),
  rows: (id: string, offset: number, limit: number) => api.get<RowsPage>(`/open/api/datasets/${encodeURIComponent(id)}/rows`, { offset, limit }),
  releases: (entryId: string) => api.get<ReleaseView[]>(`/api/catalog/entries/${encodeURIComponent(entryId)}/releases`),
  publish: (entryId: string, file: File, note: string) => api.upload<ReleaseView>(`/api/catalog/entries/${encodeURIComponent(entryId)}/releases`, file, 'text/csv', { note }),
};
