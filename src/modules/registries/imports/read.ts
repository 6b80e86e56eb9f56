// Reading an import file into rows, streamed: CSV (UTF-8, RFC 4180), JSON Lines and XLSX
// (the first worksheet). A file is read from disk chunk by chunk and handed on in batches, so
// a million rows never sit in memory at once. What cannot be read at all (not UTF-8, a header
// that does not fit the registry, a broken zip) throws a ValidationError naming the file or
// the columns; a row that cannot be read becomes a problem of the report and reading goes on.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { RegistryDefinition } from '../engine/definition.ts';
import type { RecordData } from '../engine/validate.ts';
import { CsvError, CsvParser, createUtf8Decoder, type CsvRecord } from '../../../platform/csv.ts';
import type { ReportEntry } from '../../../platform/import-report.ts';

export const IMPORT_FORMATS = ['csv', 'jsonl', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A row of the file: its number (the header is row 1; a JSON Lines file counts lines) and its fields, or why it could not be read. */
export type SourceRow = { row: number; data: RecordData; problem?: undefined } | { row: number; data?: undefined; problem: ReportEntry };

const CHUNK_BYTES = 1024 * 1024;

/** Which columns a header names, or a ValidationError naming each column that does not fit. */
export function checkHeader(header: string[], definition: RegistryDefinition): string[] {
  const names = header.map((h) => h.trim());
  const known = new Set(definition.fields.map((f) => f.name));
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') errors.push({ field: 'columns', code: 'empty_column', message: 'the header has a column without a name', messageZh: '表头有未命名的列' });
    else if (!known.has(name)) errors.push({ field: name.slice(0, 64), code: 'unknown_column', message: `is not a field of the ${definition.name} registry; the columns are its field names: ${[...known].join(', ')}`, messageZh: `不是登记库 ${definition.name} 的字段；列名应为其字段名：${[...known].join('、')}` });
    else if (seen.has(name)) errors.push({ field: name, code: 'duplicate_column', message: 'appears twice in the header', messageZh: '在表头中出现了两次' });
    seen.add(name);
  }
  for (const field of definition.fields) {
    if (field.required && !seen.has(field.name)) errors.push({ field: field.name, code: 'missing_column', message: `is a required field of the ${definition.name} registry, but the header has no such column`, messageZh: `是登记库 ${definition.name} 的必填字段，但表头缺少此列` });
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return names;
}

function rowOf(columns: string[], cells: string[], row: number): SourceRow {
  if (cells.length !== columns.length) {
    return { row, problem: { row, field: 'columns', code: 'row_width', message: `has ${cells.length} fields where the header has ${columns.length}`, messageZh: `有 ${cells.length} 个字段，而表头有 ${columns.length} 列` } };
  }
  const data: RecordData = {};
  for (let i = 0; i < columns.length; i++) {
    if (cells[i] === '') continue;
    if (cells[i].includes('\u0000')) return { row, problem: nul(row, columns[i]) };
    data[columns[i]] = cells[i];
  }
  return { row, data };
}

/** PostgreSQL text cannot hold NUL: refused naming the field, rather than failing in SQL. */
const nul = (row: number, field: string): ReportEntry => ({ row, field, code: 'nul_character', message: 'may not contain the NUL character (\\u0000)', messageZh: '不能包含 NUL 字符（\\u0000）' });

/** How far reading has gone, for a progress bar. */
export type ReadProgress = { bytes: number };

/** Text chunks of a UTF-8 file; CsvError when the bytes are not UTF-8. */
async function* textChunks(path: string, progress: ReadProgress): AsyncGenerator<string> {
  const decoder = createUtf8Decoder('file');
  for await (const chunk of fs.createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    progress.bytes += (chunk as Buffer).length;
    const text = decoder.decode(chunk as Buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

async function* readCsvRows(path: string, definition: RegistryDefinition, progress: ReadProgress): AsyncGenerator<SourceRow[]> {
  let records: CsvRecord[] = [];
  const parser = new CsvParser((record) => records.push(record), 'file');
  let columns: string[] | undefined;
  const take = (): SourceRow[] => {
    const batch = records;
    records = [];
    if (!columns && batch.length > 0) columns = checkHeader(batch.shift()!.fields, definition);
    return batch.map((r) => rowOf(columns!, r.fields, r.row));
  };
  for await (const text of textChunks(path, progress)) {
    parser.push(text);
    const batch = records.length > 0 ? take() : [];
    if (batch.length > 0) yield batch;
  }
  parser.end();
  const last = take();
  if (!columns) throw emptyFile();
  if (last.length > 0) yield last;
}

const emptyFile = () => new ValidationError([{ field: 'file', code: 'import_empty', message: 'is empty: the first row is the header, with the field names', messageZh: '为空：第一行应为表头（字段名）' }]);

function jsonRow(line: string, row: number): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { row, problem: { row, field: 'line', code: 'json_syntax', message: `is not JSON: ${(err as Error).message.slice(0, 120)}`, messageZh: `不是有效的 JSON：${(err as Error).message.slice(0, 120)}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { row, problem: { row, field: 'line', code: 'json_not_object', message: 'must be one JSON object (field → value) per line', messageZh: '每行应为一个 JSON 对象（字段 → 值）' } };
  if (line.includes('\\u0000')) {
    for (const [field, v] of Object.entries(value)) if (JSON.stringify(v).includes('\\u0000') || field.includes('\u0000')) return { row, problem: nul(row, field.replaceAll('\u0000', '\\u0000')) };
  }
  return { row, data: value as RecordData };
}

async function* readJsonLines(path: string, progress: ReadProgress): AsyncGenerator<SourceRow[]> {
  let rest = '';
  let line = 0;
  let any = false;
  const rows = (text: string, final: boolean): SourceRow[] => {
    const batch: SourceRow[] = [];
    const add = (content: string) => {
      line++;
      const trimmed = content.trim();
      if (trimmed !== '') batch.push(jsonRow(trimmed, line));
    };
    let start = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
      add(text.slice(start, at));
      start = at + 1;
    }
    rest = text.slice(start);
    if (final && rest !== '') {
      add(rest);
      rest = '';
    }
    if (batch.length > 0) any = true;
    return batch;
  };
  for await (const text of textChunks(path, progress)) {
    const batch = rows(rest + text, false);
    if (batch.length > 0) yield batch;
  }
  const last = rows(rest, true);
  if (last.length > 0) yield last;
  if (!any) throw emptyFile();
}

/** A spreadsheet cell as the text a CSV cell would hold. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

async function* readXlsxRows(path: string, definition: RegistryDefinition, progress: ReadProgress): AsyncGenerator<SourceRow[]> {
  const input = fs.createReadStream(path, { highWaterMark: CHUNK_BYTES });
  input.on('data', (chunk) => (progress.bytes += chunk.length));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let columns: string[] | undefined;
  let batch: SourceRow[] = [];
  try {
    // The first worksheet holds the records; others (notes, code lists) are not read.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        // Array.from, not map: a sheet's row is sparse where cells are empty.
        const values = Array.from((row.values as unknown[]).slice(1), cellText);
        if (values.every((v) => v.trim() === '')) continue;
        if (!columns) {
          while (values.length > 0 && values[values.length - 1].trim() === '') values.pop();
          columns = checkHeader(values, definition);
          continue;
        }
        // Trailing empty cells are not stored in a sheet: the row is as wide as the header.
        while (values.length < columns.length) values.push('');
        while (values.length > columns.length && values[values.length - 1] === '') values.pop();
        batch.push(rowOf(columns, values, row.number));
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      break;
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError([{ field: 'file', code: 'xlsx_unreadable', message: `cannot be read as an XLSX workbook (${(err as Error).message.slice(0, 120)}); save it from Excel or WPS as .xlsx`, messageZh: `无法作为 XLSX 工作簿读取（${(err as Error).message.slice(0, 120)}）；请在 Excel 或 WPS 中另存为 .xlsx` }]);
  }
  if (!columns) throw emptyFile();
  if (batch.length > 0) yield batch;
}

/**
 * The rows of `path` in file order, in batches. Throws ValidationError when the file cannot be
 * read at all: not UTF-8 (naming GB18030 when it is that), a header that names unknown
 * columns or lacks required ones, an empty file, a broken workbook.
 */
export async function* readRows(format: ImportFormat, path: string, definition: RegistryDefinition, progress: ReadProgress = { bytes: 0 }): AsyncGenerator<SourceRow[]> {
  try {
    if (format === 'csv') yield* readCsvRows(path, definition, progress);
    else if (format === 'jsonl') yield* readJsonLines(path, progress);
    else yield* readXlsxRows(path, definition, progress);
  } catch (err) {
    if (err instanceof CsvError) throw new ValidationError([err.problem]);
    throw err;
  }
}
