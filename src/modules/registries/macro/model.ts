// The vocabulary of the macroeconomic database: frequencies and the period forms that go
// with them, aggregation rules, and the checks every write path (form, upsert, import)
// shares, so a value refused by one is refused the same way by the others.
import type { FieldError } from '../../../platform/errors.ts';

export const FREQUENCIES = ['A', 'Q', 'M'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * How children add up to their parent: `sum` for stocks and flows (GDP, population),
 * `mean` for an unweighted average of the children (an index), `none` where no roll-up
 * means anything (a rate needs its own numerator and denominator).
 */
export const AGGREGATIONS = ['sum', 'mean', 'none'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const INDICATOR_CODE_PATTERN = '^[A-Z][A-Z0-9_.]{0,39}$';
export const PERIOD_PATTERN = '^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$';
export const DIVISION_PATTERN = '^\\d{6}$';
/** SDMX observation status codes (CL_OBS_STATUS): A normal, P provisional, E estimated, F forecast, B break, … */
export const STATUS_PATTERN = '^[A-Z]{1,2}$';

const PERIOD_FORMS: Record<Frequency, { re: RegExp; example: string; en: string; zh: string }> = {
  A: { re: /^\d{4}$/, example: '2024', en: 'a year, like 2024', zh: '年份，如 2024' },
  Q: { re: /^\d{4}-Q[1-4]$/, example: '2024-Q3', en: 'a quarter, like 2024-Q3', zh: '季度，如 2024-Q3' },
  M: { re: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2024-07', en: 'a month, like 2024-07', zh: '月份，如 2024-07' },
};

/** The frequency a period is written in, or undefined when it is none of them. */
export function frequencyOfPeriod(period: string): Frequency | undefined {
  return FREQUENCIES.find((f) => PERIOD_FORMS[f].re.test(period));
}

/** SDMX writes some periods its own way (2024-A1, 2024-M07, 2024Q3); these are the same periods. */
export function normalizePeriod(raw: string): string {
  const p = raw.trim();
  let m = /^(\d{4})-?A1?$/.exec(p);
  if (m) return m[1];
  m = /^(\d{4})-?Q([1-4])$/.exec(p);
  if (m) return `${m[1]}-Q${m[2]}`;
  m = /^(\d{4})-?M(\d{2})$/.exec(p);
  if (m) return `${m[1]}-${m[2]}`;
  return p;
}

/** Why `period` is not a period of `frequency`, or undefined when it is. */
export function periodProblem(field: string, period: string, frequency: Frequency): FieldError | undefined {
  const form = PERIOD_FORMS[frequency];
  if (form.re.test(period)) return undefined;
  const actual = frequencyOfPeriod(period);
  return actual
    ? {
        field,
        code: 'period_frequency',
        message: `"${period}" is not a period of this indicator, which is ${frequency === 'A' ? 'annual' : frequency === 'Q' ? 'quarterly' : 'monthly'}: write ${form.en}`,
        messageZh: `“${period}”与该指标的频度不符，应为${form.zh}`,
      }
    : { field, code: 'period_format', message: `"${period}" is not a period: write ${form.en}`, messageZh: `“${period}”不是有效的时期，应为${form.zh}` };
}

/** Largest magnitude a value may have: beyond this it is a typing slip, not a statistic. */
const MAX_ABS = 1e15;

/** The value as the database stores it, or a FieldError saying what is wrong with the text. */
export function parseValue(field: string, raw: string): { value: string } | { error: FieldError } {
  const text = raw.trim();
  if (text === '') return { error: { field, code: 'value_missing', message: 'is empty: give a number', messageZh: '为空，请填写数值' } };
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    return { error: { field, code: 'value_not_number', message: `"${text}" has thousands separators: write it without commas`, messageZh: `“${text}”含千位分隔符，请去掉逗号` } };
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    return { error: { field, code: 'value_not_number', message: `"${text.slice(0, 40)}" is not a number`, messageZh: `“${text.slice(0, 40)}”不是数值` } };
  }
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) >= MAX_ABS) {
    return { error: { field, code: 'value_out_of_range', message: `"${text.slice(0, 40)}" is too large (at most 15 digits before the point)`, messageZh: `“${text.slice(0, 40)}”数值过大（整数部分至多 15 位）` } };
  }
  return { value: String(n) };
}

export function divisionProblem(field: string, code: string, exists: (code: string) => boolean): FieldError | undefined {
  if (!/^\d{6}$/.test(code)) return { field, code: 'division_format', message: `"${code.slice(0, 40)}" is not a six-digit division code (GB/T 2260)`, messageZh: `“${code.slice(0, 40)}”不是六位行政区划代码（GB/T 2260）` };
  if (!exists(code)) return { field, code: 'division_unknown', message: `${code} is not a known division code: check it against GB/T 2260 or the local additions`, messageZh: `${code} 不是已知的行政区划代码，请对照 GB/T 2260 或本地补充代码核对` };
  return undefined;
}

export function statusProblem(field: string, status: string): FieldError | undefined {
  if (new RegExp(STATUS_PATTERN).test(status)) return undefined;
  return { field, code: 'status_format', message: `"${status.slice(0, 40)}" is not an SDMX observation status (one or two capital letters: A, P, E, F…)`, messageZh: `“${status.slice(0, 40)}”不是 SDMX 观测状态代码（一至两个大写字母：A、P、E、F 等）` };
}
