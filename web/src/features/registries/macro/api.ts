// The macroeconomic database's API as the workbench uses it (src/modules/registries/macro/
// routes.ts); types come from the server module. Reads are open to every member of staff;
// the writes are the owner organization's officers' and administrators'. An indicator's
// change carries the version read (409 when someone changed it since); an observation's new
// value is a new revision with its reason; an import is all rows or none.
import { api, request } from '../../../api.ts';
import type { Coverage, CrossSectionAnswer, ImportResult, Indicator, Observation, Revision, SeriesAnswer } from '../../../../../src/modules/registries/macro/index.ts';

export type { Coverage, CrossSectionAnswer, ImportResult, Indicator, Observation, Revision, SeriesAnswer };
export const BASE = '/api/registries/macroeconomic';

export type IndicatorFields = Omit<Indicator, 'code' | 'version' | 'createdAt' | 'updatedAt'>;
export type ObservationKey = { indicator: string; region: string; period: string };
export type ObservationInput = ObservationKey & { value: string; status: string; reason: string };
export type ImportFormat = 'sdmx-csv' | 'csv';

export const macroApi = {
  indicators: () => api.get<Indicator[]>(`${BASE}/indicators`),
  coverage: (code: string) => api.get<Coverage>(`${BASE}/indicators/${encodeURIComponent(code)}/coverage`),
  createIndicator: (body: IndicatorFields & { code: string }) => api.post<Indicator>(`${BASE}/indicators`, body),
  updateIndicator: (code: string, body: IndicatorFields & { version: number }) => request<Indicator>('PUT', `${BASE}/indicators/${encodeURIComponent(code)}`, { body }),
  deleteIndicator: (code: string, version: number) => api.del(`${BASE}/indicators/${encodeURIComponent(code)}?${new URLSearchParams({ version: String(version) })}`),
  setObservation: (body: ObservationInput) => request<{ observation: Observation; changed: boolean }>('PUT', `${BASE}/observations`, { body }),
  revisions: (key: ObservationKey) => api.get<Revision[]>(`${BASE}/observations/revisions`, key),
};

/** Current observations as CSV (the import's own format), all of them or one indicator's. */
export const exportUrl = (indicator?: string) => `${BASE}/export${indicator ? `?${new URLSearchParams({ indicator })}` : ''}`;

/**
 * Sends a CSV file as it is (text/csv), so the server reads its bytes and says when they are
 * not UTF-8; the reason and options go in the query.
 */
export function importFile(file: File, options: { format?: ImportFormat; reason: string; dryRun: boolean }): Promise<ImportResult> {
  return api.upload<ImportResult>(`${BASE}/imports`, file, 'text/csv', { reason: options.reason, format: options.format, dryRun: options.dryRun || undefined });
}
