// Checks a record against its registry's definition: field types, the reusable validators
// each field names, then the rules that relate fields to each other. The result is a
// normalised record (ID numbers upper-cased, decimals as strings, empty values dropped) or
// the list of problems, each naming its field, in both languages. References to other
// records ("person-exists") need the database, so they are returned for the caller to look
// up in one batch (an import checks thousands of rows at a time).
import { checkCreditCode } from '../../../platform/codes/credit-code.ts';
import { parseIdNumber } from '../../../platform/codes/id-number.ts';
import { invalidField, type FieldError } from '../../../platform/errors.ts';
import { CODE_LISTS } from '../definitions/code-lists.ts';
import type { FieldDefinition, RecordRuleName, RegistryDefinition, ValidatorRef } from './definition.ts';

export type RecordData = Record<string, unknown>;

export type ValidationContext = {
  divisionExists: (code: string) => boolean;
  /** Today, `YYYY-MM-DD`, for past-date checks. */
  today: string;
};

/** A value that must name an existing record of the registry (a parent, a legal representative). */
export type Reference = { field: string; registry: string; key: string };

export type CheckResult = { data: RecordData; errors: FieldError[]; references: Reference[] };

const problem = (field: string, code: string, message: string, messageZh: string): FieldError => ({ field, code, message, messageZh });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d{1,18}(\.\d{1,6})?$/;

function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The value in its stored shape, or a problem with its type. Empty strings count as absent. */
function coerce(field: FieldDefinition, raw: unknown): { value?: unknown; error?: FieldError } {
  const wrong = (en: string, zh: string) => ({ error: problem(field.name, 'type', en, zh) });
  switch (field.type) {
    case 'string':
    case 'text':
    case 'code': {
      if (typeof raw === 'number' && field.type === 'code') raw = String(raw);
      if (typeof raw !== 'string') return wrong('must be text', '应为文本');
      const value = field.type === 'text' ? raw.trim() : raw.trim().replace(/\s+/g, ' ');
      return { value: value === '' ? undefined : value };
    }
    case 'integer': {
      const n = typeof raw === 'string' && /^-?\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return wrong('must be a whole number', '应为整数');
      return { value: n };
    }
    case 'decimal': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
      if (text === undefined || !DECIMAL.test(text)) return wrong('must be a decimal number (at most 18 digits before the point and 6 after)', '应为十进制数（整数部分至多 18 位，小数至多 6 位）');
      return { value: text };
    }
    case 'date': {
      if (typeof raw !== 'string' || !isRealDate(raw.trim())) return wrong('must be a date, YYYY-MM-DD', '应为日期，格式 YYYY-MM-DD');
      return { value: raw.trim() };
    }
    case 'boolean': {
      if (raw === 'true' || raw === 'false') raw = raw === 'true';
      if (typeof raw !== 'boolean') return wrong('must be true or false', '应为 true 或 false');
      return { value: raw };
    }
    case 'string-list': {
      // CSV cells carry lists separated by semicolons.
      const list = typeof raw === 'string' ? raw.split(/[;；]/) : raw;
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) return wrong('must be a list of texts', '应为文本列表');
      const items = (list as string[]).map((item) => item.trim()).filter((item) => item !== '');
      return { value: items.length === 0 ? undefined : items };
    }
  }
}

/** Applies one named validator; returns the (possibly normalised) value or a problem. */
function applyValidator(field: FieldDefinition, ref: ValidatorRef, value: unknown, ctx: ValidationContext, references: Reference[]): { value: unknown; error?: FieldError } {
  const name = field.name;
  const texts = Array.isArray(value) ? (value as string[]) : [value];
  switch (ref.name) {
    case 'id-number': {
      const parsed = parseIdNumber(String(value));
      if ('problem' in parsed) {
        const why = { format: ['must be 17 digits and a check character (digit or X)', '应为 17 位数字加 1 位校验码（数字或 X）'], birth_date: ['holds a birth date that does not exist', '所含出生日期不存在'], check_character: ['has a wrong check character', '校验码错误'] }[parsed.problem];
        return { value, error: problem(name, `id_number_${parsed.problem}`, `is not a valid citizen ID number: it ${why[0]}`, `不是有效的公民身份号码：${why[1]}`) };
      }
      return { value: parsed.normalized };
    }
    case 'credit-code': {
      const code = String(value).toUpperCase();
      const why = checkCreditCode(code);
      if (why) return { value, error: problem(name, `credit_code_${why}`, why === 'format' ? 'is not a unified social credit code: 18 characters of digits and capital letters (no I, O, S, V, Z)' : 'is not a valid unified social credit code: wrong check character', why === 'format' ? '不是统一社会信用代码：应为 18 位数字或大写字母（不含 I、O、S、V、Z）' : '不是有效的统一社会信用代码：校验码错误') };
      return { value: code };
    }
    case 'division-code':
      if (!/^\d{6}$/.test(String(value)) || !ctx.divisionExists(String(value))) return { value, error: problem(name, 'unknown_division', `names no known administrative division (${String(value).slice(0, 20)})`, `不是已知的行政区划代码（${String(value).slice(0, 20)}）`) };
      return { value };
    case 'past-date':
      if (String(value) > ctx.today) return { value, error: problem(name, 'future_date', 'is in the future', '晚于今天') };
      return { value };
    case 'code-list': {
      const list = CODE_LISTS[ref.list];
      if (!list || !Object.hasOwn(list, String(value))) return { value, error: problem(name, 'not_in_code_list', `is not a code of the ${ref.list} list`, `不在代码表 ${ref.list} 中`) };
      return { value };
    }
    case 'pattern':
      if (texts.some((t) => !new RegExp(ref.pattern).test(String(t)))) return { value, error: problem(name, 'pattern', ref.hintEn, ref.hintZh) };
      return { value };
    case 'length': {
      const bad = texts.find((t) => [...String(t)].length > ref.max || [...String(t)].length < (ref.min ?? 0));
      if (bad !== undefined) return { value, error: problem(name, 'length', `must be ${ref.min ?? 0} to ${ref.max} characters`, `长度应为 ${ref.min ?? 0} 至 ${ref.max} 个字符`) };
      return { value };
    }
    case 'range': {
      const n = Number(value);
      if ((ref.min !== undefined && n < ref.min) || (ref.max !== undefined && n > ref.max)) return { value, error: problem(name, 'range', `must be between ${ref.min ?? '−∞'} and ${ref.max ?? '∞'}`, `应在 ${ref.min ?? '−∞'} 至 ${ref.max ?? '∞'} 之间`) };
      return { value };
    }
    case 'person-exists':
      // Population is the registry persons live in; the caller checks these in one query.
      references.push({ field: name, registry: 'population', key: String(value) });
      return { value };
  }
}

/** The ID number's sex digit to the GB/T 2261.1 code. */
const SEX_CODE = { male: '1', female: '2' } as const;

/** What each record rule checks; a rule whose fields are absent has nothing to say. */
const RULES: Record<RecordRuleName, (data: RecordData, definition: RegistryDefinition) => FieldError[]> = {
  'id-number-agrees': (data) => {
    const parsed = typeof data.idNumber === 'string' ? parseIdNumber(data.idNumber) : undefined;
    if (!parsed || 'problem' in parsed) return [];
    const errors: FieldError[] = [];
    if (data.birthDate !== undefined && data.birthDate !== parsed.birthDate) errors.push(problem('birthDate', 'disagrees_with_id_number', `disagrees with the ID number, which gives ${parsed.birthDate}`, `与公民身份号码不符（号码中为 ${parsed.birthDate}）`));
    if (data.sex !== undefined && data.sex !== SEX_CODE[parsed.sex]) errors.push(problem('sex', 'disagrees_with_id_number', `disagrees with the ID number, which gives ${SEX_CODE[parsed.sex]} (${parsed.sex})`, `与公民身份号码不符（号码中为${parsed.sex === 'male' ? '男' : '女'}）`));
    return errors;
  },
  'status-dates-agree': (data) => {
    const errors: FieldError[] = [];
    if (data.status === 'deceased' && data.deathDate === undefined) errors.push(problem('deathDate', 'required_when_deceased', 'is required when the status is deceased', '人员状态为死亡时必填'));
    if (data.status !== 'deceased' && data.deathDate !== undefined) errors.push(problem('deathDate', 'only_when_deceased', 'is given only when the status is deceased', '仅在人员状态为死亡时填写'));
    if (typeof data.deathDate === 'string' && typeof data.birthDate === 'string' && data.deathDate < data.birthDate) errors.push(problem('deathDate', 'before_birth', 'is before the date of birth', '早于出生日期'));
    for (const link of ['fatherId', 'motherId', 'spouseId']) if (data[link] !== undefined && data[link] === data.idNumber) errors.push(problem(link, 'self_reference', 'names the person themself', '不能是本人'));
    if (data.spouseId !== undefined && data.maritalStatus !== '20') errors.push(problem('spouseId', 'only_when_married', 'is given only when the marital status is married (20)', '仅在婚姻状况为已婚（20）时填写'));
    return errors;
  },
  'credit-code-type-agrees': (data) => {
    if (typeof data.creditCode !== 'string' || typeof data.entityType !== 'string') return [];
    const prefix = data.creditCode.slice(0, 2);
    return prefix === data.entityType ? [] : [problem('entityType', 'disagrees_with_credit_code', `disagrees with the credit code, whose type is ${prefix}`, `与统一社会信用代码不符（代码中的类型为 ${prefix}）`)];
  },
  'credit-code-division-agrees': (data) => {
    if (typeof data.creditCode !== 'string' || typeof data.divisionCode !== 'string') return [];
    const embedded = data.creditCode.slice(2, 8);
    return embedded === data.divisionCode ? [] : [problem('divisionCode', 'disagrees_with_credit_code', `disagrees with the credit code, which names division ${embedded}`, `与统一社会信用代码不符（代码中的行政区划为 ${embedded}）`)];
  },
};

/**
 * Checks `input` as a whole record of `definition`. Unknown fields are refused rather than
 * dropped, so a misspelt column never loses data silently.
 */
export function checkRecord(definition: RegistryDefinition, input: RecordData, ctx: ValidationContext): CheckResult {
  const errors: FieldError[] = [];
  const references: Reference[] = [];
  const data: RecordData = {};
  const known = new Set(definition.fields.map((f) => f.name));
  for (const name of Object.keys(input)) if (!known.has(name)) errors.push(problem(name, 'unknown_field', `is not a field of the ${definition.name} registry`, `不是登记库 ${definition.name} 的字段`));
  for (const field of definition.fields) {
    const raw = input[field.name];
    if (raw === undefined || raw === null) {
      if (field.required) errors.push(problem(field.name, 'required', 'is required', '必填'));
      continue;
    }
    const coerced = coerce(field, raw);
    if (coerced.error) {
      errors.push(coerced.error);
      continue;
    }
    if (coerced.value === undefined) {
      if (field.required) errors.push(problem(field.name, 'required', 'is required', '必填'));
      continue;
    }
    let value = coerced.value;
    let failed = false;
    for (const ref of field.validators ?? []) {
      const checked = applyValidator(field, ref, value, ctx, references);
      if (checked.error) {
        errors.push(checked.error);
        failed = true;
        break;
      }
      value = checked.value as NonNullable<unknown>;
    }
    if (!failed) data[field.name] = value;
  }
  // Rules compare fields that passed their own checks; a broken field is reported once.
  for (const rule of definition.rules ?? []) errors.push(...RULES[rule](data, definition).filter((e) => !errors.some((f) => f.field === e.field)));
  return { data, errors, references };
}

/** The record's key, normalised as its key field's validators normalise it (X upper-cased). */
export function normaliseKey(definition: RegistryDefinition, key: string): string {
  // PostgreSQL text cannot hold NUL: refused naming the key field, before any SQL sees it.
  if (key.includes('\u0000')) throw invalidField(definition.keyField, 'nul_character', 'may not contain the NUL character (\\u0000)', '不能包含 NUL 字符（\\u0000）');
  const field = definition.fields.find((f) => f.name === definition.keyField);
  const upper = field?.validators?.some((v) => v.name === 'id-number' || v.name === 'credit-code');
  return upper ? key.trim().toUpperCase() : key.trim();
}
