// A CSV reader for imports: RFC 4180 (quoted fields, doubled quotes, line breaks inside
// quotes, CRLF or LF), UTF-8 with or without a byte-order mark. Files saved by Excel or WPS
// on a Chinese system are often GB18030; decoding them as UTF-8 would store mojibake, so
// invalid UTF-8 is refused and, when the bytes read as GB18030, the error says so.
import type { FieldError } from '../../../platform/errors.ts';

export type CsvRecord = { /** 1-based record number, the header being record 1 (a spreadsheet's row). */ row: number; fields: string[] };

export class CsvError extends Error {
  readonly problem: FieldError;
  constructor(problem: FieldError) {
    super(problem.message);
    this.problem = problem;
  }
}

/** The bytes as text, or CsvError when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, field = 'file'): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CsvError(notUtf8(field, bytes));
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Where the first invalid UTF-8 sequence starts, for the message. */
function firstInvalidOffset(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection (a prefix may end mid-character: allow 3 bytes slack).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function looksLikeGb18030(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function notUtf8(field: string, bytes: Uint8Array): FieldError {
  const offset = firstInvalidOffset(bytes);
  const line = bytes.subarray(0, offset).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  if (looksLikeGb18030(bytes)) {
    return {
      field,
      code: 'encoding_gb18030',
      message: `The file is not UTF-8 (invalid bytes at line ${line}); it reads as GB18030/GBK, as Excel and WPS save CSV on Chinese systems. Save it as "CSV UTF-8" and import again.`,
      messageZh: `文件不是 UTF-8 编码（第 ${line} 行有无效字节），看起来是 GB18030/GBK 编码（中文系统下 Excel、WPS 默认保存的 CSV）。请另存为“CSV UTF-8”后重新导入。`,
    };
  }
  return {
    field,
    code: 'encoding_not_utf8',
    message: `The file is not UTF-8 text (invalid bytes at line ${line}). Save it as UTF-8 CSV and import again.`,
    messageZh: `文件不是 UTF-8 文本（第 ${line} 行有无效字节）。请保存为 UTF-8 编码的 CSV 后重新导入。`,
  };
}

/**
 * Text that arrived already decoded (a JSON string) may carry U+FFFD where a client replaced
 * bytes it could not decode: the original was not UTF-8, and the values are lost.
 */
export function assertNoReplacementCharacter(text: string, field: string): void {
  const at = text.indexOf('\ufffd');
  if (at < 0) return;
  const line = text.slice(0, at).split('\n').length;
  throw new CsvError({
    field,
    code: 'encoding_not_utf8',
    message: `The content has U+FFFD replacement characters (line ${line}): it was not UTF-8 before it was sent (GB18030/GBK, perhaps). Save the file as "CSV UTF-8", or send its bytes as contentBase64.`,
    messageZh: `内容含替换字符 U+FFFD（第 ${line} 行），说明原文件不是 UTF-8 编码（可能是 GB18030/GBK）。请另存为“CSV UTF-8”，或以 contentBase64 发送文件原始字节。`,
  });
}

/** Parses RFC 4180 text into records; blank lines are skipped. Throws CsvError on a broken quote. */
export function readCsv(text: string, field = 'file'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let current = '';
  let quoted = false;
  let afterQuote = false;
  let row = 1;
  let recordRow = 1;
  let i = 0;
  const endField = () => {
    fields.push(current);
    current = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ row: recordRow, fields });
    fields = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          current += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n') row++;
        current += c;
      }
      i++;
      continue;
    }
    if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      row++;
      recordRow = row;
    } else if (c === '"' && current === '' && !afterQuote) quoted = true;
    else if (afterQuote) {
      throw new CsvError({ field, code: 'csv_quote', message: `Row ${recordRow}: text after a closing quote; a quote inside a quoted field is written twice ("")`, messageZh: `第 ${recordRow} 行：右引号后还有文字；引号字段内的引号应写成两个（""）` });
    } else current += c;
    i++;
  }
  if (quoted) throw new CsvError({ field, code: 'csv_quote', message: `Row ${recordRow}: a quoted field is never closed`, messageZh: `第 ${recordRow} 行：引号字段没有结束引号` });
  if (current !== '' || fields.length > 0) endRecord();
  return records;
}
