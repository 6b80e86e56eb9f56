// One cell of an open data release, read by the type its data item declares. The published
// files must mean the same thing to every reader, so a value is kept in one canonical form
// (an integer as a JSON number, a date as YYYY-MM-DD, a yes/no as true/false) and a cell
// that is not of its item's type is refused, naming what was expected. An empty cell is a
// missing value (null): open data often has gaps, and a gap is not an error.
import type { ItemType } from '../model.ts';

export type Cell = string | number | boolean | null;
export type CellProblem = { code: string; message: string; messageZh: string };

/** Longer text than this is not a cell of a table but a document: publish it as a file. */
export const MAX_CELL_CHARS = 10_000;

const INTEGER = /^[+-]?\d{1,16}$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const TRUE = new Set(['true', '1', 'yes', 'y', '是', '真']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '假']);

const problem = (code: string, message: string, messageZh: string): CellProblem => ({ code, message, messageZh });

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A decimal keeps what a double holds exactly enough: 15 significant digits. */
function significantDigits(text: string): number {
  const mantissa = text.replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '');
  return mantissa.replace(/0+$/, '').length;
}

/** The cell's canonical value, or what is wrong with it. */
export function readCell(type: ItemType, raw: string): { value: Cell } | { problem: CellProblem } {
  const text = raw.trim();
  if (text === '') return { value: null };
  if ([...raw].length > MAX_CELL_CHARS) return { problem: problem('length', `is longer than ${MAX_CELL_CHARS} characters`, `超过 ${MAX_CELL_CHARS} 个字符`) };
  switch (type) {
    case 'integer': {
      const n = INTEGER.test(text) ? Number(text) : NaN;
      if (Number.isSafeInteger(n)) return { value: n };
      return { problem: problem('integer', `must be a whole number (got "${text.slice(0, 40)}")`, `应为整数（收到“${text.slice(0, 40)}”）`) };
    }
    case 'decimal': {
      if (!DECIMAL.test(text) || !Number.isFinite(Number(text))) return { problem: problem('decimal', `must be a number such as 12.5 (got "${text.slice(0, 40)}")`, `应为数值，如 12.5（收到“${text.slice(0, 40)}”）`) };
      if (significantDigits(text) > 15) return { problem: problem('precision', 'has more than 15 significant digits, which a JSON number does not keep: publish it as a text item', '有效数字超过 15 位，JSON 数值无法精确保存，请将该信息项定为字符型') };
      return { value: Number(text) };
    }
    case 'date': {
      const m = DATE.exec(text);
      if (m && validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { value: text };
      return { problem: problem('date', `must be a date as YYYY-MM-DD, e.g. 2026-03-01 (got "${text.slice(0, 40)}")`, `应为日期，格式 YYYY-MM-DD，如 2026-03-01（收到“${text.slice(0, 40)}”）`) };
    }
    case 'datetime': {
      const m = DATE.exec(text.slice(0, 10));
      if (DATETIME.test(text) && m && validDate(Number(m[1]), Number(m[2]), Number(m[3])) && !Number.isNaN(Date.parse(text.replace(' ', 'T')))) return { value: text.replace(' ', 'T') };
      return { problem: problem('datetime', `must be a date and time as ISO 8601, e.g. 2026-03-01T08:30:00+08:00 (got "${text.slice(0, 40)}")`, `应为 ISO 8601 日期时间，如 2026-03-01T08:30:00+08:00（收到“${text.slice(0, 40)}”）`) };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { value: true };
      if (FALSE.has(lower)) return { value: false };
      return { problem: problem('boolean', `must be true or false (also 是/否, yes/no, 1/0; got "${text.slice(0, 40)}")`, `应为 是/否（也可写 true/false、1/0；收到“${text.slice(0, 40)}”）`) };
    }
    case 'binary': {
      if (text.length % 4 === 0 && BASE64.test(text)) return { value: text };
      return { problem: problem('base64', 'must be Base64 text', '应为 Base64 编码的文本') };
    }
    case 'geometry': {
      if (text.startsWith('{')) {
        try {
          const parsed = JSON.parse(text) as { type?: unknown };
          if (typeof parsed?.type === 'string') return { value: text };
        } catch {
          // reported below
        }
        return { problem: problem('geometry', 'must be a GeoJSON geometry object or WKT text', '应为 GeoJSON 几何对象或 WKT 文本') };
      }
      if (/^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\s*(Z|M|ZM)?\s*(\(|EMPTY)/i.test(text)) return { value: text };
      return { problem: problem('geometry', 'must be a GeoJSON geometry object or WKT text', '应为 GeoJSON 几何对象或 WKT 文本') };
    }
    case 'string':
    case 'other':
      if (raw.includes('\u0000')) return { problem: problem('nul_character', 'may not contain the NUL character (\\u0000)', '不能包含 NUL 字符（\\u0000）') };
      return { value: text };
  }
}

/** A canonical value as a CSV cell's text. */
export function cellText(value: Cell): string {
  if (value === null) return '';
  return String(value);
}
