// The macroeconomic database's API as the workbench uses it (src/modules/registries/macro/
// routes.ts); types come from the server module. Reads are open to every member of staff;
// the writes are the owner organization's officers' and administrators'. An indicator's
// change carries the version read (409 when someone changed it since); an observation's new
// value is a new revision with its reason; an import is all rows or none.
import { api, ApiError, request, type FieldProblem } from '../../../api.ts';
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
export async function importFile(file: File, options: { format?: ImportFormat; reason: string; dryRun: boolean }, auth: { csrfToken: string; lang: string }): Promise<ImportResult> {
  const query = new URLSearchParams({ reason: options.reason });
  if (options.format) query.set('format', options.format);
  if (options.dryRun) query.set('dryRun', 'true');
  let response: Response;
  try {
    response = await fetch(`${BASE}/imports?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': auth.lang, 'Content-Type': 'text/csv', 'X-CSRF-Token': auth.csrfToken },
      body: file,
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  const body = (await response.json().catch(() => ({}))) as Partial<{ code: string; detail: string; title: string; errors: FieldProblem[] }> & ImportResult;
  if (!response.ok) throw new ApiError(response.status, body.code ?? 'http_error', body.detail ?? body.title ?? response.statusText, Array.isArray(body.errors) ? body.errors : []);
  return body;
}

/** "row 3: value" → the row and the column of an import report entry. */
export function reportPlace(field: string): { row: number; column: string } | undefined {
  const m = /^row (\d+): (.*)$/.exec(field);
  return m ? { row: Number(m[1]), column: m[2] } : undefined;
}
