// Writing records out in the formats imports read, streamed: CSV (UTF-8 with a BOM so Excel
// and WPS open it as UTF-8, RFC 4180, the definition's field names as the header), JSON Lines
// (one record per line, as stored), and XLSX (one worksheet, every cell text so ID numbers
// keep their digits). What is written reads back into the same records.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RegistryDefinition } from '../engine/definition.ts';
import type { RecordData } from '../engine/validate.ts';
import { csvField } from '../generate/output.ts';
import { closeStream, writeText } from './files.ts';
import type { ImportFormat } from './read.ts';

/** A value as one cell: lists joined with ';' (how imports split them), the rest as text. */
function cellOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

export const CONTENT_TYPES: Record<ImportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Writes every batch of records to `out` in `format`, ends it, and resolves with the count. */
export async function writeRecordsAs(format: ImportFormat, definition: RegistryDefinition, batches: AsyncIterable<RecordData[]>, out: Writable): Promise<number> {
  const fields = definition.fields.map((f) => f.name);
  let count = 0;
  if (format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet(definition.name);
    sheet.addRow(fields).commit();
    for await (const batch of batches) {
      for (const data of batch) sheet.addRow(fields.map((f) => cellOf(data[f]) ?? null)).commit();
      count += batch.length;
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }
  if (format === 'csv') await writeText(out, '\ufeff' + fields.join(',') + '\r\n');
  for await (const batch of batches) {
    let chunk = '';
    if (format === 'csv') for (const data of batch) chunk += fields.map((f) => csvField(cellOf(data[f]))).join(',') + '\r\n';
    // The definition's field order, not the database's (jsonb orders keys by length).
    else for (const data of batch) chunk += JSON.stringify(Object.fromEntries(fields.filter((f) => data[f] !== undefined).map((f) => [f, data[f]]))) + '\n';
    count += batch.length;
    await writeText(out, chunk);
  }
  await closeStream(out);
  return count;
}
