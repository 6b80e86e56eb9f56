// Reads observation files into rows: SDMX-CSV as SDMX tools write it (version 1.0, first
// column DATAFLOW; version 2.0, columns STRUCTURE, STRUCTURE_ID and ACTION), and a plain
// CSV of indicator,region,period,value[,status]. Only the shape is checked here (columns,
// numbers, period forms); whether an indicator, a division or a period fits the registry is
// the service's question.
//
// SDMX-CSV carries every dimension of the data structure as a column. Two of them say what
// this registry keys on: by default INDICATOR holds the indicator code and REF_AREA the
// division code (`mapping` names others, e.g. {indicator: 'SERIES'}). TIME_PERIOD,
// OBS_VALUE and, when present, OBS_STATUS and FREQ are read by their standard names. Files
// exported with labels ("FREQ: Frequency", "A: Annual") are read by their codes. Other
// dimensions and attributes are ignored.
import type { FieldError } from '../../../platform/errors.ts';
import { CsvError, readCsv, type CsvRecord } from '../../../platform/csv.ts';
import type { ReportEntry } from '../../../platform/import-report.ts';
import { normalizePeriod, parseValue, statusProblem } from './model.ts';

export type ImportFormat = 'sdmx-csv' | 'csv';
export const IMPORT_FORMATS = ['sdmx-csv', 'csv'] as const;

export type ParsedRow = { row: number; indicator: string; region: string; period: string; value: string; status: string; frequency?: string };
export type { ReportEntry };
export type Parsed = { format: ImportFormat; rows: ParsedRow[]; report: ReportEntry[]; skipped: number };
export type SdmxMapping = { indicator?: string; region?: string };

export const DEFAULT_MAPPING = { indicator: 'INDICATOR', region: 'REF_AREA' } as const;
export const PLAIN_COLUMNS = ['indicator', 'region', 'period', 'value', 'status'] as const;

/** A file whose header does not fit: nothing of it can be read. */
export class ColumnsError extends CsvError {}

/** "FREQ: Frequency" → "FREQ": SDMX tools can write labels beside codes. */
const codeOf = (text: string) => {
  const at = text.indexOf(': ');
  return (at > 0 ? text.slice(0, at) : text).trim();
};

const missingColumns = (missing: string[], expected: string) =>
  new ColumnsError({
    field: 'columns',
    code: 'columns_missing',
    message: `The header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; expected ${expected}`,
    messageZh: `表头缺少列 ${missing.join('、')}；应为 ${expected}`,
  });

/** Which format the header says: SDMX-CSV starts with DATAFLOW or STRUCTURE. */
export function detectFormat(text: string): ImportFormat {
  const first = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0]?.split(',')[0]?.replace(/"/g, '').trim().toUpperCase();
  return first === 'DATAFLOW' || first === 'STRUCTURE' ? 'sdmx-csv' : 'csv';
}

function checkWidth(record: CsvRecord, width: number, report: ReportEntry[]): boolean {
  if (record.fields.length === width) return true;
  report.push({ row: record.row, field: 'columns', code: 'row_width', message: `has ${record.fields.length} fields where the header has ${width}`, messageZh: `有 ${record.fields.length} 个字段，而表头有 ${width} 列` });
  return false;
}

function readValueAndStatus(record: CsvRecord, raw: { value: string; status: string }, fields: { value: string; status: string }, report: ReportEntry[]) {
  const parsed = parseValue(fields.value, raw.value);
  let ok = true;
  if ('error' in parsed) {
    report.push({ row: record.row, ...withZh(parsed.error) });
    ok = false;
  }
  const status = raw.status.trim() === '' ? 'A' : codeOf(raw.status);
  const bad = statusProblem(fields.status, status);
  if (bad) {
    report.push({ row: record.row, ...withZh(bad) });
    ok = false;
  }
  return ok && 'value' in parsed ? { value: parsed.value, status } : undefined;
}

const withZh = (e: FieldError) => ({ field: e.field, code: e.code, message: e.message, messageZh: e.messageZh ?? e.message });

export function parsePlainCsv(text: string): Parsed {
  const records = readCsv(text);
  if (records.length === 0) throw missingColumns([...PLAIN_COLUMNS.slice(0, 4)], PLAIN_COLUMNS.join(','));
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(PLAIN_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) {
    throw new ColumnsError({
      field: 'columns',
      code: 'columns_unknown',
      message: `Unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}: a plain CSV has indicator,region,period,value and optionally status (an SDMX-CSV file starts with DATAFLOW or STRUCTURE)`,
      messageZh: `未知列 ${unknown.map((u) => `“${u.slice(0, 40)}”`).join('、')}：普通 CSV 的列为 indicator,region,period,value，可选 status（SDMX-CSV 文件以 DATAFLOW 或 STRUCTURE 列开头）`,
    });
  }
  const missing = PLAIN_COLUMNS.slice(0, 4).filter((c) => !header.includes(c));
  if (missing.length > 0) throw missingColumns(missing, PLAIN_COLUMNS.join(','));
  const at = (name: string) => header.indexOf(name);
  const report: ReportEntry[] = [];
  const rows: ParsedRow[] = [];
  for (const record of records.slice(1)) {
    if (!checkWidth(record, header.length, report)) continue;
    const get = (name: string) => (at(name) >= 0 ? record.fields[at(name)] : '');
    const vs = readValueAndStatus(record, { value: get('value'), status: get('status') }, { value: 'value', status: 'status' }, report);
    if (vs) rows.push({ row: record.row, indicator: get('indicator').trim(), region: get('region').trim(), period: normalizePeriod(get('period')), ...vs });
  }
  return { format: 'csv', rows, report, skipped: 0 };
}

export function parseSdmxCsv(text: string, mapping: SdmxMapping = {}): Parsed {
  const records = readCsv(text);
  const indicatorColumn = (mapping.indicator ?? DEFAULT_MAPPING.indicator).toUpperCase();
  const regionColumn = (mapping.region ?? DEFAULT_MAPPING.region).toUpperCase();
  const expected = `DATAFLOW (1.0) or STRUCTURE,STRUCTURE_ID (2.0), ${indicatorColumn}, ${regionColumn}, TIME_PERIOD, OBS_VALUE`;
  if (records.length === 0) throw missingColumns(['DATAFLOW'], expected);
  const header = records[0].fields.map((h) => codeOf(h).toUpperCase());
  const version = header[0] === 'DATAFLOW' ? '1.0' : header[0] === 'STRUCTURE' ? '2.0' : undefined;
  if (!version) {
    throw new ColumnsError({
      field: 'columns',
      code: 'columns_not_sdmx',
      message: `The first column is "${(records[0].fields[0] ?? '').slice(0, 40)}": an SDMX-CSV file starts with DATAFLOW (version 1.0) or STRUCTURE (version 2.0)`,
      messageZh: `第一列为“${(records[0].fields[0] ?? '').slice(0, 40)}”：SDMX-CSV 文件的第一列应为 DATAFLOW（1.0 版）或 STRUCTURE（2.0 版）`,
    });
  }
  const required = [indicatorColumn, regionColumn, 'TIME_PERIOD', 'OBS_VALUE', ...(version === '2.0' ? ['STRUCTURE_ID'] : [])];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) throw missingColumns(missing, expected);
  const at = (name: string) => header.indexOf(name);
  const report: ReportEntry[] = [];
  const rows: ParsedRow[] = [];
  let skipped = 0;
  for (const record of records.slice(1)) {
    if (!checkWidth(record, header.length, report)) continue;
    const get = (name: string) => (at(name) >= 0 ? record.fields[at(name)] : '');
    const action = codeOf(get('ACTION')).toUpperCase();
    if (action === 'D' || action === 'I') {
      report.push({ row: record.row, field: 'ACTION', code: 'action_unsupported', message: `action "${action}" (${action === 'D' ? 'delete' : 'information'}) is not supported: published values are revised, never deleted; use A, R or M`, messageZh: `不支持操作“${action}”（${action === 'D' ? '删除' : '仅供参考'}）：已发布的数值只修订、不删除；请使用 A、R 或 M` });
      continue;
    }
    if (action !== '' && !['A', 'R', 'M'].includes(action)) {
      report.push({ row: record.row, field: 'ACTION', code: 'action_unknown', message: `"${action.slice(0, 10)}" is not an SDMX-CSV action (A, R, M)`, messageZh: `“${action.slice(0, 10)}”不是 SDMX-CSV 操作代码（A、R、M）` });
      continue;
    }
    const rawValue = get('OBS_VALUE').trim();
    const status = codeOf(get('OBS_STATUS'));
    // SDMX writes a missing observation as NaN (or empty) with status M: there is nothing to keep.
    if ((rawValue === '' || rawValue === 'NaN') && status === 'M') {
      skipped++;
      continue;
    }
    const vs = readValueAndStatus(record, { value: rawValue === 'NaN' ? '' : rawValue, status }, { value: 'OBS_VALUE', status: 'OBS_STATUS' }, report);
    if (!vs) continue;
    const frequency = at('FREQ') >= 0 ? codeOf(get('FREQ')) : undefined;
    rows.push({ row: record.row, indicator: codeOf(get(indicatorColumn)), region: codeOf(get(regionColumn)), period: normalizePeriod(get('TIME_PERIOD')), ...vs, ...(frequency ? { frequency } : {}) });
  }
  return { format: 'sdmx-csv', rows, report, skipped };
}

/** The names of the columns the indicator and region were read from, for the report. */
export function columnNames(format: ImportFormat, mapping: SdmxMapping = {}) {
  return format === 'csv'
    ? { indicator: 'indicator', region: 'region', period: 'period', value: 'value', frequency: 'frequency' }
    : { indicator: (mapping.indicator ?? DEFAULT_MAPPING.indicator).toUpperCase(), region: (mapping.region ?? DEFAULT_MAPPING.region).toUpperCase(), period: 'TIME_PERIOD', value: 'OBS_VALUE', frequency: 'FREQ' };
}

export function parseObservations(text: string, format: ImportFormat, mapping?: SdmxMapping): Parsed {
  return format === 'csv' ? parsePlainCsv(text) : parseSdmxCsv(text, mapping);
}
