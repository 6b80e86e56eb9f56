// Bulk imports and exports of a record registry (src/modules/registries/imports/routes.ts).
// The file goes up as the raw request body, through XMLHttpRequest for its upload progress;
// the import then runs on the server in the background and is polled for its progress.
import { api, ApiError, type FieldProblem } from '../../../api.ts';

export type ImportFormat = 'csv' | 'jsonl' | 'xlsx';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['csv', 'jsonl', 'xlsx'];
export type ImportMode = 'atomic' | 'resumable';
export type OnExisting = 'refuse' | 'update';
export type ReportEntry = { row: number; field: string; code: string; message: string; messageZh: string };

export type ImportView = {
  id: string;
  registry: string;
  format: ImportFormat;
  mode: ImportMode;
  onExisting: OnExisting;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  phase: 'validating' | 'writing' | 'finished';
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  reason: string;
  totalRows: number | null;
  processedRows: number;
  committedRows: number;
  createdRows: number;
  updatedRows: number;
  unchangedRows: number;
  errorCount: number;
  progress: number;
  report: ReportEntry[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
};

export type DryRunView = { dryRun: true; registry: string; format: ImportFormat; fileName: string; totalRows: number; validRows: number; errorCount: number; report: ReportEntry[] };

const base = (name: string) => `/api/registries/${encodeURIComponent(name)}`;

const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The format a file name says, or undefined (the server then refuses it, naming the field). */
export function formatOfName(fileName: string): ImportFormat | undefined {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'csv' ? 'csv' : ext === 'jsonl' || ext === 'ndjson' ? 'jsonl' : ext === 'xlsx' ? 'xlsx' : undefined;
}

export const exportUrl = (name: string, format: ImportFormat) => `${base(name)}/export?format=${format}`;

export const importsApi = {
  list: (name: string) => api.get<ImportView[]>(`${base(name)}/imports`, { limit: 20 }),
  get: (name: string, id: string) => api.get<ImportView>(`${base(name)}/imports/${encodeURIComponent(id)}`),
};

export type UploadOptions = { reason: string; mode: ImportMode; existing: OnExisting; dryRun: boolean };
type Auth = { csrfToken: string; lang: string };

function problemOf(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as Partial<{ code: string; detail: string; title: string; errors: FieldProblem[] }>;
    return new ApiError(xhr.status, body.code ?? 'http_error', body.detail ?? body.title ?? xhr.statusText, Array.isArray(body.errors) ? body.errors : []);
  } catch {
    return new ApiError(xhr.status, xhr.status === 0 ? 'network_error' : 'http_error', xhr.statusText || String(xhr.status));
  }
}

/** Sends `file` to `path`; `onUpload` gets the share sent so far (0–1). */
function send<T>(path: string, file: File, auth: Auth, onUpload: (share: number) => void): Promise<T> {
  const format = formatOfName(file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', auth.lang);
    xhr.setRequestHeader('X-CSRF-Token', auth.csrfToken);
    xhr.setRequestHeader('Content-Type', format ? CONTENT_TYPES[format] : file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(JSON.parse(xhr.responseText) as T) : reject(problemOf(xhr)));
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'network error'));
    xhr.send(file);
  });
}

/** Starts an import in the background (202 with the import to poll), or checks the file only (the report). */
export function startImport(name: string, file: File, options: UploadOptions, auth: Auth, onUpload: (share: number) => void): Promise<ImportView | DryRunView> {
  const query = new URLSearchParams({ reason: options.reason, mode: options.mode, existing: options.existing, fileName: file.name, background: 'true' });
  if (options.dryRun) query.set('dryRun', 'true');
  return send(`${base(name)}/imports?${query}`, file, auth, onUpload);
}

/** Goes on with an interrupted import: the same file again. */
export function resumeImport(name: string, id: string, file: File, auth: Auth, onUpload: (share: number) => void): Promise<ImportView> {
  return send(`${base(name)}/imports/${encodeURIComponent(id)}/resume?${new URLSearchParams({ fileName: file.name })}`, file, auth, onUpload);
}
