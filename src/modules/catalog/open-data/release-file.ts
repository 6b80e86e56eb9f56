// Reading a provider's CSV file into the rows of an open data release. The columns are the
// entry's data items: a header cell may name an item by its API field, its Chinese name or
// its English name (a department's spreadsheet has the Chinese names; a system's export has
// the fields), in any order, and every item must have its column. Each cell is read by its
// item's type (cells.ts). Every problem goes into one report by row and column, so the file
// is corrected once, not once per problem.
import { CsvError, decodeUtf8, readCsv } from '../../../platform/csv.ts';
import { ImportRejectedError, type ReportEntry } from '../../../platform/import-report.ts';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';
import type { DataItem, ItemType } from '../model.ts';
import { readCell, type Cell } from './cells.ts';

/** A column of a release: the key its values have in JSON and CSV downloads, and its item. */
export type ReleaseColumn = { key: string; name: string; nameEn: string; type: ItemType };

/** How many rows a release may have: the embedded database keeps them all in one transaction. */
export const MAX_RELEASE_ROWS = 200_000;

/** The item's key in downloads and the API: its API field when it has one, else its name. */
export const columnKey = (item: Pick<DataItem, 'field' | 'name'>): string => item.field || item.name;

export function columnsOf(items: DataItem[]): ReleaseColumn[] {
  return items.map((item) => ({ key: columnKey(item), name: item.name, nameEn: item.nameEn, type: item.type }));
}

const norm = (text: string) => text.trim().toLowerCase();

/** Which column of the file holds each item, or a ValidationError naming every header problem. */
function mapHeader(header: string[], items: DataItem[]): number[] {
  const errors: FieldError[] = [];
  const itemOf = new Map<string, number>();
  items.forEach((item, i) => {
    for (const name of [item.field, item.name, item.nameEn]) if (name) itemOf.set(norm(name), i);
  });
  const positions = new Array<number>(items.length).fill(-1);
  const names = items.map((item) => columnKey(item));
  header.forEach((cell, column) => {
    const label = cell.trim();
    const i = itemOf.get(norm(label));
    if (label === '') errors.push({ field: `columns[${column + 1}]`, code: 'empty_column', message: 'the header has a column without a name', messageZh: '表头有未命名的列' });
    else if (i === undefined)
      errors.push({ field: label.slice(0, 64), code: 'unknown_column', message: `is not a data item of this entry; name each column by an item's field, Chinese or English name: ${names.join(', ')}`, messageZh: `不是本目录的信息项；列名应为信息项的字段名、中文名或英文名：${names.join('、')}` });
    else if (positions[i] !== -1) errors.push({ field: label.slice(0, 64), code: 'duplicate_column', message: `names the item ${items[i]!.name} a second time`, messageZh: `重复对应信息项“${items[i]!.name}”` });
    else positions[i] = column;
  });
  items.forEach((item, i) => {
    if (positions[i] === -1) errors.push({ field: columnKey(item), code: 'missing_column', message: `is a data item of this entry (${item.name}), but the file has no column for it; an empty column is fine`, messageZh: `是本目录的信息项（${item.name}），但文件中没有对应的列；该列可以为空` });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return positions;
}

export type ReleaseFile = { columns: ReleaseColumn[]; rows: Cell[][] };

/**
 * The rows of a CSV file (UTF-8) for an entry's data items, in the items' order; throws a
 * ValidationError for the file or its header and an ImportRejectedError with the report of
 * every bad cell.
 */
export function readReleaseFile(bytes: Uint8Array, items: DataItem[]): ReleaseFile {
  let records;
  try {
    records = readCsv(decodeUtf8(bytes, 'file'), 'file');
  } catch (error) {
    if (error instanceof CsvError) throw new ValidationError([error.problem]);
    throw error;
  }
  const header = records.shift();
  if (!header || (header.fields.length === 1 && header.fields[0]!.trim() === '')) throw new ValidationError([{ field: 'file', code: 'empty', message: 'is empty: the first line is the header, naming the data items', messageZh: '文件为空：第一行应为表头，列出信息项' }]);
  const positions = mapHeader(header.fields, items);
  if (records.length > MAX_RELEASE_ROWS) throw new ValidationError([{ field: 'file', code: 'too_many_rows', message: `has ${records.length} rows; a release holds at most ${MAX_RELEASE_ROWS}`, messageZh: `共 ${records.length} 行，单次发布最多 ${MAX_RELEASE_ROWS} 行` }]);
  const report: ReportEntry[] = [];
  const rows: Cell[][] = [];
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      report.push({ row: record.row, field: 'columns', code: 'row_width', message: `has ${record.fields.length} fields where the header has ${header.fields.length}`, messageZh: `有 ${record.fields.length} 个字段，而表头有 ${header.fields.length} 列` });
      continue;
    }
    const row = items.map((item, i) => {
      const read = readCell(item.type, record.fields[positions[i]!]!);
      if ('problem' in read) {
        report.push({ row: record.row, field: columnKey(item), ...read.problem });
        return null;
      }
      return read.value;
    });
    rows.push(row);
  }
  if (report.length > 0) throw new ImportRejectedError(report);
  return { columns: columnsOf(items), rows };
}
