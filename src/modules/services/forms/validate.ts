// Checks what an applicant submits against the service's e-form: every problem names its field
// and says, in Chinese and English, what is wrong and what to do. The rules are the form's
// (model.ts), the same ones json-schema.ts publishes, plus what a JSON Schema cannot say: the
// GB 11643 and GB 32100 check characters, real calendar dates, dates relative to today, and
// locked prefilled values left as the registry gave them. The application service refuses a
// submission with any problem, writing nothing.
import { checkCreditCode } from '../../../platform/codes/credit-code.ts';
import { parseIdNumber } from '../../../platform/codes/id-number.ts';
import { chinaDateOf } from '../../../platform/workdays.ts';
import { hasOptions, isRealDate, isTextType, maxLengthOf, type FormDefinition, type FormField } from './model.ts';

export type FormDataProblem = { field: string; zh: string; en: string };
export type FormData = Record<string, unknown>;
export type CheckOptions = {
  /** Today in China, YYYY-MM-DD, for "today" date limits; the system clock's when not given. */
  today?: string;
  /** The registries' values of the prefilled fields; a locked field must keep its value. */
  prefilled?: Record<string, unknown>;
};

/** An 11-digit mainland mobile number, or a landline with its area code (0571-87654321). */
export const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
export const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const ID_WHY = {
  format: { zh: '应为 17 位数字加 1 位校验码（数字或 X）', en: 'it must be 17 digits and a check character (a digit or X)' },
  birth_date: { zh: '其中的出生日期不存在', en: 'the birth date in it does not exist' },
  check_character: { zh: '校验码不符，请逐位核对', en: 'its check character does not match: check each digit' },
};

const label = (f: FormField) => ({ zh: f.labelZh.trim(), en: f.labelEn.trim() });

/** One field's problem, or undefined: `value` is present (not undefined). */
function fieldProblem(f: FormField, value: unknown, today: string): { zh: string; en: string } | undefined {
  const l = label(f);
  const text = (): { zh: string; en: string } | undefined => {
    if (typeof value !== 'string') return { zh: `“${l.zh}”应填写文字`, en: `${l.en} must be text` };
    const length = [...value].length;
    const max = maxLengthOf(f);
    if (length > max) return { zh: `“${l.zh}”最多 ${max} 个字符，现有 ${length} 个，请删减`, en: `${l.en} takes at most ${max} characters; it has ${length}: shorten it` };
    if (f.required && value.trim() === '') return { zh: `请填写“${l.zh}”`, en: `Fill in ${l.en}` };
    if (f.minLength !== undefined && length < f.minLength) return { zh: `“${l.zh}”至少 ${f.minLength} 个字符`, en: `${l.en} needs at least ${f.minLength} characters` };
    return undefined;
  };
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'address': {
      const wrong = text();
      if (wrong) return wrong;
      if (f.pattern !== undefined && !new RegExp(`^(?:${f.pattern})$`, 'u').test(value as string)) {
        return { zh: `“${l.zh}”格式不对：${f.hintZh ?? '请按提示填写'}`, en: `${l.en} is not in the right format: ${f.hintEn ?? 'follow the hint'}` };
      }
      return undefined;
    }
    case 'phone':
      return text() ?? (PHONE.test(value as string) ? undefined : { zh: `“${l.zh}”不是电话号码：请填写 11 位手机号码，或带区号的固定电话（如 0571-87654321）`, en: `${l.en} is not a phone number: give an 11-digit mobile number, or a landline with its area code (such as 0571-87654321)` });
    case 'email':
      return text() ?? (EMAIL.test(value as string) ? undefined : { zh: `“${l.zh}”不是电子邮箱地址，应形如 name@example.cn`, en: `${l.en} is not an email address; it looks like name@example.cn` });
    case 'id-number': {
      if (typeof value !== 'string') return { zh: `“${l.zh}”应填写 18 位公民身份号码`, en: `${l.en} must be an 18-character citizen ID number` };
      const parsed = parseIdNumber(value);
      return 'problem' in parsed ? { zh: `“${l.zh}”不是有效的公民身份号码：${ID_WHY[parsed.problem].zh}`, en: `${l.en} is not a valid citizen ID number: ${ID_WHY[parsed.problem].en}` } : undefined;
    }
    case 'credit-code': {
      if (typeof value !== 'string') return { zh: `“${l.zh}”应填写 18 位统一社会信用代码`, en: `${l.en} must be an 18-character unified social credit code` };
      const why = checkCreditCode(value.toUpperCase());
      if (why === 'format') return { zh: `“${l.zh}”不是统一社会信用代码：应为 18 位数字或大写字母（不含 I、O、S、V、Z），见营业执照`, en: `${l.en} is not a unified social credit code: 18 digits and capital letters (no I, O, S, V or Z), as on the business licence` };
      if (why) return { zh: `“${l.zh}”校验码不符，请对照营业执照逐位核对`, en: `${l.en} has a wrong check character: compare it with the business licence character by character` };
      return undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { zh: `“${l.zh}”应填写数字`, en: `${l.en} must be a number` };
      if (f.min !== undefined && value < f.min) return { zh: `“${l.zh}”不能小于 ${f.min}`, en: `${l.en} must be ${f.min} or more` };
      if (f.max !== undefined && value > f.max) return { zh: `“${l.zh}”不能大于 ${f.max}`, en: `${l.en} must be ${f.max} or less` };
      return undefined;
    }
    case 'date': {
      if (typeof value !== 'string' || !isRealDate(value)) return { zh: `“${l.zh}”应为日期，格式 YYYY-MM-DD（如 2026-03-01）`, en: `${l.en} must be a date, YYYY-MM-DD (such as 2026-03-01)` };
      const min = f.minDate === 'today' ? today : f.minDate;
      const max = f.maxDate === 'today' ? today : f.maxDate;
      if (min !== undefined && value < min) return f.minDate === 'today' ? { zh: `“${l.zh}”不能早于今天`, en: `${l.en} cannot be before today` } : { zh: `“${l.zh}”不能早于 ${min}`, en: `${l.en} cannot be before ${min}` };
      if (max !== undefined && value > max) return f.maxDate === 'today' ? { zh: `“${l.zh}”不能晚于今天`, en: `${l.en} cannot be later than today` } : { zh: `“${l.zh}”不能晚于 ${max}`, en: `${l.en} cannot be later than ${max}` };
      return undefined;
    }
    case 'select':
    case 'radio':
      return typeof value === 'string' && f.options?.some((o) => o.value === value) ? undefined : { zh: `“${l.zh}”请从给出的选项中选择一项`, en: `${l.en}: choose one of the options given` };
    case 'checkbox': {
      if (!hasOptions(f)) {
        if (typeof value !== 'boolean') return { zh: `“${l.zh}”只能勾选或不勾选`, en: `${l.en} is ticked or not: true or false` };
        return f.required && !value ? { zh: `请勾选“${l.zh}”`, en: `Tick ${l.en}` } : undefined;
      }
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !f.options!.some((o) => o.value === v)) || new Set(value).size !== value.length) {
        return { zh: `“${l.zh}”只能勾选给出的选项，每项一次`, en: `${l.en}: tick only the options given, each once` };
      }
      const min = Math.max(f.min ?? 0, f.required ? 1 : 0);
      if (value.length < min) return { zh: `“${l.zh}”请至少勾选 ${min} 项`, en: `${l.en}: tick at least ${min}` };
      if (f.max !== undefined && value.length > f.max) return { zh: `“${l.zh}”最多勾选 ${f.max} 项`, en: `${l.en}: tick at most ${f.max}` };
      return undefined;
    }
  }
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The data's problems, in the form's order; empty when it may be submitted. */
export function validateFormData(form: FormDefinition, data: unknown, options: CheckOptions = {}): FormDataProblem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [{ field: '', zh: '申请表数据应为“字段代码: 值”形式的对象', en: 'The form data must be an object of field keys and values' }];
  const today = options.today ?? chinaDateOf(new Date());
  const problems: FormDataProblem[] = [];
  const known = new Set(form.fields.map((f) => f.key));
  for (const f of form.fields) {
    const value = Object.hasOwn(data, f.key) ? (data as FormData)[f.key] : undefined;
    if (value === undefined || value === null) {
      if (f.required) problems.push({ field: f.key, ...(f.type === 'checkbox' && !hasOptions(f) ? { zh: `请勾选“${f.labelZh.trim()}”`, en: `Tick ${f.labelEn.trim()}` } : ['select', 'radio', 'checkbox'].includes(f.type) ? { zh: `请选择“${f.labelZh.trim()}”`, en: `Choose ${f.labelEn.trim()}` } : { zh: `请填写“${f.labelZh.trim()}”`, en: `Fill in ${f.labelEn.trim()}` }) });
      continue;
    }
    const wrong = fieldProblem(f, value, today);
    if (wrong) problems.push({ field: f.key, ...wrong });
    else if (f.locked && options.prefilled && Object.hasOwn(options.prefilled, f.key) && !sameValue(options.prefilled[f.key], value)) {
      problems.push({ field: f.key, zh: `“${f.labelZh.trim()}”来自政府登记信息，不能修改；如登记有误，请先向登记机关申请更正`, en: `${f.labelEn.trim()} comes from the government's register and cannot be changed here; if the register is wrong, ask its keeper to correct it first` });
    }
  }
  for (const key of Object.keys(data)) {
    if (!known.has(key)) problems.push({ field: key, zh: `“${key}”不是本申请表的字段，请删除`, en: `"${key}" is not a field of this form: remove it` });
  }
  return problems;
}

/**
 * The data as the platform keeps it: text trimmed, ID numbers and credit codes upper-cased.
 * Only for data without problems.
 */
export function normalizeFormData(form: FormDefinition, data: FormData): FormData {
  const out: FormData = {};
  for (const f of form.fields) {
    if (!Object.hasOwn(data, f.key) || data[f.key] === undefined || data[f.key] === null) continue;
    const value = data[f.key];
    out[f.key] = typeof value === 'string' && (f.type === 'id-number' || f.type === 'credit-code') ? value.trim().toUpperCase() : typeof value === 'string' && isTextType(f.type) ? value.trim() : value;
  }
  return out;
}

/**
 * A posted HTML form's values (all text) in the form's JSON types: numbers as numbers, a single
 * checkbox as true or false, a checkbox list as a list; empty text as absent. A value that is not
 * a number stays text, so validateFormData names it.
 */
export function coerceFormInput(form: FormDefinition, posted: Record<string, string | string[] | undefined>): FormData {
  const out: FormData = {};
  for (const f of form.fields) {
    const raw = posted[f.key];
    if (f.type === 'checkbox') {
      if (hasOptions(f)) out[f.key] = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter((v) => v !== '');
      else out[f.key] = raw !== undefined && raw !== '' && raw !== 'false';
      continue;
    }
    const text = Array.isArray(raw) ? raw[0] : raw;
    if (text === undefined || text.trim() === '') continue;
    out[f.key] = f.type === 'number' && /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return out;
}
