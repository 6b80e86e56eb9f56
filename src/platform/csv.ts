// A CSV reader (imports, open data releases): RFC 4180 (quoted fields, doubled quotes, line breaks inside
// quotes, CRLF or LF), UTF-8 with or without a byte-order mark. Files saved by Excel or WPS
// on a Chinese system are often GB18030; decoding them as UTF-8 would store mojibake, so
// invalid UTF-8 is refused and, when the bytes read as GB18030, the error says so.
//
// Both the decoder and the parser stream: a file of a million rows is read chunk by chunk
// (record imports), and `readCsv` is the same parser fed one string (macroeconomic imports).
import type { FieldError } from './errors.ts';

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
    throw new CsvError(notUtf8(field, bytes, 1));
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A UTF-8 decoder for a file that arrives in chunks: the byte-order mark dropped, a character
 * cut between two chunks joined, and CsvError (naming the line) at the first invalid byte.
 */
export function createUtf8Decoder(field = 'file') {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let first = true;
  let line = 1;
  const strip = (text: string) => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    }
    return text;
  };
  return {
    decode(chunk: Uint8Array): string {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new CsvError(notUtf8(field, chunk, line));
      }
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) line++;
      return strip(text);
    },
    end(): string {
      try {
        return strip(decoder.decode());
      } catch {
        throw new CsvError(notUtf8(field, new Uint8Array([0xff]), line));
      }
    },
  };
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
    // stream: a character cut at the end of a chunk is not a reason to say no.
    new TextDecoder('gb18030', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The problem for bytes that are not UTF-8; `firstLine` is the line the bytes start on. */
function notUtf8(field: string, bytes: Uint8Array, firstLine: number): FieldError {
  const offset = firstInvalidOffset(bytes);
  const line = bytes.subarray(0, offset).reduce((n, b) => (b === 0x0a ? n + 1 : n), firstLine);
  // From the start of that line: a newline is never part of a GB18030 character.
  const lineStart = bytes.lastIndexOf(0x0a, offset) + 1;
  if (looksLikeGb18030(bytes.subarray(lineStart, offset + 64 * 1024))) {
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

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote seen inside a quoted field: the closing one, or the first of a doubled pair. */
const QUOTE_IN_QUOTED = 3;
const SPECIAL = /[,\r\n"]/g;

/**
 * RFC 4180 in chunks: `push` text as it is decoded, `end` once; each complete record goes to
 * `onRecord`. Blank lines are skipped. Throws CsvError on a broken quote. Unquoted text is
 * copied by slices between separators, so a large file is read at memory speed.
 */
export class CsvParser {
  private readonly field: string;
  private readonly onRecord: (record: CsvRecord) => void;
  private fields: string[] = [];
  private current = '';
  private state = FIELD_START;
  /** A CR ended the last chunk: an LF starting the next one belongs to it. */
  private skipLf = false;
  private row = 1;
  private recordRow = 1;

  constructor(onRecord: (record: CsvRecord) => void, field = 'file') {
    this.onRecord = onRecord;
    this.field = field;
  }

  private endField() {
    this.fields.push(this.current);
    this.current = '';
  }

  private endRecord() {
    this.endField();
    const fields = this.fields;
    this.fields = [];
    if (!(fields.length === 1 && fields[0] === '')) this.onRecord({ row: this.recordRow, fields });
  }

  /** After a line break at `at` (CR or LF): the next record starts on the next line. */
  private newLine(text: string, at: number): number {
    this.endRecord();
    let next = at + 1;
    if (text.charCodeAt(at) === 13) {
      if (next < text.length) {
        if (text.charCodeAt(next) === 10) next++;
      } else this.skipLf = true;
    }
    this.row++;
    this.recordRow = this.row;
    this.state = FIELD_START;
    return next;
  }

  private quoteError(message: string, messageZh: string): CsvError {
    return new CsvError({ field: this.field, code: 'csv_quote', message: `Row ${this.recordRow}: ${message}`, messageZh: `第 ${this.recordRow} 行：${messageZh}` });
  }

  push(text: string): void {
    if (text === '') return;
    let i = 0;
    const n = text.length;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    while (i < n) {
      if (this.state === QUOTED) {
        const q = text.indexOf('"', i);
        const end = q === -1 ? n : q;
        if (end > i) {
          const part = text.slice(i, end);
          for (let at = part.indexOf('\n'); at !== -1; at = part.indexOf('\n', at + 1)) this.row++;
          this.current += part;
        }
        if (q === -1) return;
        i = q + 1;
        this.state = QUOTE_IN_QUOTED;
        continue;
      }
      if (this.state === QUOTE_IN_QUOTED) {
        const c = text.charCodeAt(i);
        if (c === 34) {
          this.current += '"';
          this.state = QUOTED;
          i++;
        } else if (c === 44) {
          this.endField();
          this.state = FIELD_START;
          i++;
        } else if (c === 13 || c === 10) i = this.newLine(text, i);
        else throw this.quoteError('text after a closing quote; a quote inside a quoted field is written twice ("")', '右引号后还有文字；引号字段内的引号应写成两个（""）');
        continue;
      }
      SPECIAL.lastIndex = i;
      const match = SPECIAL.exec(text);
      const end = match ? match.index : n;
      if (end > i) {
        this.current += text.slice(i, end);
        this.state = UNQUOTED;
      }
      if (!match) return;
      const c = text.charCodeAt(end);
      if (c === 34) {
        // A quote opens a quoted field only at its start; elsewhere it is text.
        if (this.current === '' && this.state === FIELD_START) this.state = QUOTED;
        else {
          this.current += '"';
          this.state = UNQUOTED;
        }
        i = end + 1;
      } else if (c === 44) {
        this.endField();
        this.state = FIELD_START;
        i = end + 1;
      } else i = this.newLine(text, end);
    }
  }

  end(): void {
    if (this.state === QUOTED) throw this.quoteError('a quoted field is never closed', '引号字段没有结束引号');
    if (this.current !== '' || this.fields.length > 0 || this.state === QUOTE_IN_QUOTED) this.endRecord();
  }
}

/** Parses RFC 4180 text into records; blank lines are skipped. Throws CsvError on a broken quote. */
export function readCsv(text: string, field = 'file'): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvParser((record) => records.push(record), field);
  parser.push(text);
  parser.end();
  return records;
}

/** A CSV field as RFC 4180 writes it: quoted only when it must be, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first: CSV injection)
 * with a leading apostrophe, so opening a downloaded file never executes a cell. For text
 * cells only: a number such as -5 is data and is written as it is.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
