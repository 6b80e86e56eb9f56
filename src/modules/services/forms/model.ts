// An e-form: the fields an applicant fills in to apply for a service, in optional sections.
// Each field has a type (the ID number and the credit code carry their national check
// characters), labels and hints in both languages, limits, and may be prefilled from the base
// registries ("once only"), locked when the applicant must not change the registry's value.
// formProblems checks a definition as a whole before it is saved; validate.ts checks what an
// applicant submits and json-schema.ts publishes the same rules as a JSON Schema.
import type { FieldError } from '../../../platform/errors.ts';
import { findPrefillField, PREFILL_SOURCES, type PrefillSource } from './prefill.ts';

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'id-number', 'credit-code', 'phone', 'email', 'address'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FIELD_KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;
export const SECTION_KEY = FIELD_KEY;
/** A date limit: a calendar date, or "today" (the day the applicant submits). */
export const DATE_LIMIT = /^(today|\d{4}-\d{2}-\d{2})$/;
/** The longest text any field takes: a textarea's default limit too. */
export const MAX_TEXT = 10_000;
/** Limits on a definition, so a form stays something a person can fill in. */
export const FORM_LIMITS = { fields: 100, sections: 20, options: 100, pattern: 200 } as const;

export type FormOption = { value: string; labelZh: string; labelEn: string };
export type Prefill = { source: PrefillSource; field: string };

export type FormField = {
  key: string;
  type: FormFieldType;
  labelZh: string;
  labelEn: string;
  hintZh?: string;
  hintEn?: string;
  required: boolean;
  /** The section the field is shown in (its key); none: after the sections (a declaration, say). */
  section?: string;
  /** select and radio: the choices; checkbox: several choices (without: one box, yes or no). */
  options?: FormOption[];
  /** Text types: characters. */
  minLength?: number;
  maxLength?: number;
  /** number: the value; checkbox with options: how many are chosen. */
  min?: number;
  max?: number;
  /** date: the earliest and latest date, YYYY-MM-DD or "today". */
  minDate?: string;
  maxDate?: string;
  /** text and textarea: a regular expression the whole value matches; the hint says the format. */
  pattern?: string;
  prefill?: Prefill;
  /** A prefilled field the applicant cannot change. */
  locked?: boolean;
};

export type FormSection = { key: string; labelZh: string; labelEn: string; hintZh?: string; hintEn?: string };
export type FormDefinition = { sections: FormSection[]; fields: FormField[] };

/** The order applicants see: each section's fields in the list's order, then those in no section. */
export function displayOrder(form: FormDefinition): FormField[] {
  const known = new Set(form.sections.map((s) => s.key));
  return [...form.sections.flatMap((s) => form.fields.filter((f) => f.section === s.key)), ...form.fields.filter((f) => f.section === undefined || !known.has(f.section))];
}

const TEXT_TYPES: readonly FormFieldType[] = ['text', 'textarea', 'address', 'phone', 'email'];
const CHOICE_TYPES: readonly FormFieldType[] = ['select', 'radio'];
const blank = (s: string | undefined) => s === undefined || s.trim().length === 0;
const isCount = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= MAX_TEXT);

export const isTextType = (type: FormFieldType) => TEXT_TYPES.includes(type);
export const hasOptions = (field: FormField) => CHOICE_TYPES.includes(field.type) || (field.type === 'checkbox' && (field.options?.length ?? 0) > 0);
/** The longest value a text field takes: its own limit, or the type's. */
export const maxLengthOf = (field: FormField) => field.maxLength ?? (field.type === 'textarea' ? MAX_TEXT : field.type === 'address' ? 200 : field.type === 'email' ? 254 : field.type === 'phone' ? 20 : 500);

export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

type Add = (field: string, code: string, en: string, zh: string) => void;

/** What is wrong with a form's definition, each naming its field ("fields/3/options"); empty when it may be saved. */
export function formProblems(form: FormDefinition): FieldError[] {
  const errors: FieldError[] = [];
  const add: Add = (field, code, en, zh) => errors.push({ field, code, message: en, messageZh: zh });
  if (form.fields.length > FORM_LIMITS.fields) add('fields', 'too_many', `has more than ${FORM_LIMITS.fields} fields: split the application or ask less`, `字段超过 ${FORM_LIMITS.fields} 个：请精简申请表`);
  if (form.sections.length > FORM_LIMITS.sections) add('sections', 'too_many', `has more than ${FORM_LIMITS.sections} sections`, `分组超过 ${FORM_LIMITS.sections} 个`);

  const sectionKeys = new Set<string>();
  form.sections.forEach((s, i) => {
    const at = `sections/${i}`;
    if (!SECTION_KEY.test(s.key)) add(`${at}/key`, 'pattern', 'must start with a lower-case letter, then letters, digits or _ (at most 40)', '须以小写字母开头，由字母、数字或下划线组成（最多 40 个字符）');
    else if (sectionKeys.has(s.key)) add(`${at}/key`, 'duplicate', `"${s.key}" is already a section of this form`, `“${s.key}”已是本表的分组`);
    sectionKeys.add(s.key);
    if (blank(s.labelZh) || blank(s.labelEn)) add(at, 'required', 'needs its title in Chinese and English', '须填写中英文标题');
    if (blank(s.hintZh) !== blank(s.hintEn)) add(at, 'hint_language', 'has its note in one language only: write it in both, or in neither', '说明只填了一种语言：请中英文都填写，或都不填');
  });

  const keys = new Set<string>();
  const used = new Set<string>();
  form.fields.forEach((f, i) => {
    const at = `fields/${i}`;
    if (!FIELD_KEY.test(f.key)) add(`${at}/key`, 'pattern', 'must start with a lower-case letter, then letters, digits or _ (at most 40)', '须以小写字母开头，由字母、数字或下划线组成（最多 40 个字符）');
    else if (keys.has(f.key)) add(`${at}/key`, 'duplicate', `"${f.key}" is already a field of this form: each field needs its own key`, `“${f.key}”已是本表的字段：每个字段的代码须不同`);
    keys.add(f.key);
    if (blank(f.labelZh)) add(`${at}/labelZh`, 'required', 'is required: the label the applicant reads in Chinese', '必填：申请人看到的中文标签');
    if (blank(f.labelEn)) add(`${at}/labelEn`, 'required', 'is required: the label the applicant reads in English', '必填：申请人看到的英文标签');
    if (blank(f.hintZh) !== blank(f.hintEn)) add(`${at}/hintZh`, 'hint_language', 'the hint is in one language only: write it in both, or in neither', '提示只填了一种语言：请中英文都填写，或都不填');
    if (f.section !== undefined) {
      if (!sectionKeys.has(f.section)) add(`${at}/section`, 'unknown_section', `names no section of this form ("${f.section}")`, `不是本表的分组（“${f.section}”）`);
      else used.add(f.section);
    }
    fieldLimitProblems(f, at, add);
    prefillProblems(f, at, add);
  });
  form.sections.forEach((s, i) => sectionKeys.has(s.key) && !used.has(s.key) && add(`sections/${i}`, 'empty', 'has no fields: put fields in it or remove it', '没有字段：请放入字段或删除该分组'));
  return errors;
}

function fieldLimitProblems(f: FormField, at: string, add: Add): void {
  const notFor = (name: string) => add(`${at}/${name}`, 'not_applicable', `does not apply to a ${f.type} field: leave it empty`, `不适用于“${f.type}”类型的字段：请留空`);
  // Lengths: text types only.
  if (isTextType(f.type)) {
    if (!isCount(f.minLength)) add(`${at}/minLength`, 'range', `must be a whole number from 0 to ${MAX_TEXT}`, `须为 0 至 ${MAX_TEXT} 的整数`);
    if (!isCount(f.maxLength) || f.maxLength === 0) add(`${at}/maxLength`, 'range', `must be a whole number from 1 to ${MAX_TEXT}`, `须为 1 至 ${MAX_TEXT} 的整数`);
    else if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength) add(`${at}/maxLength`, 'range', 'must be at least the minimum length', '不能小于最小长度');
  } else {
    if (f.minLength !== undefined) notFor('minLength');
    if (f.maxLength !== undefined) notFor('maxLength');
  }
  // Values: numbers, and how many boxes of a checkbox list are ticked.
  const counted = f.type === 'checkbox' && (f.options?.length ?? 0) > 0;
  if (f.type === 'number' || counted) {
    for (const name of ['min', 'max'] as const) {
      const n = f[name];
      if (n !== undefined && (!Number.isFinite(n) || (counted && (!Number.isInteger(n) || n < 0)))) add(`${at}/${name}`, 'range', counted ? 'must be a whole number of choices, 0 or more' : 'must be a number', counted ? '须为不小于 0 的整数（可选项个数）' : '须为数字');
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) add(`${at}/max`, 'range', 'must be at least the minimum', '不能小于最小值');
    if (counted && f.max !== undefined && f.max > (f.options?.length ?? 0)) add(`${at}/max`, 'range', 'is more choices than there are options', '超过了可选项的个数');
  } else {
    if (f.min !== undefined) notFor('min');
    if (f.max !== undefined) notFor('max');
  }
  if (f.type === 'date') {
    for (const name of ['minDate', 'maxDate'] as const) {
      const d = f[name];
      if (d !== undefined && (!DATE_LIMIT.test(d) || (d !== 'today' && !isRealDate(d)))) add(`${at}/${name}`, 'date', 'must be a date, YYYY-MM-DD, or "today"', '须为日期（YYYY-MM-DD）或“today”（提交当天）');
    }
    if (f.minDate && f.maxDate && f.minDate !== 'today' && f.maxDate !== 'today' && f.minDate > f.maxDate) add(`${at}/maxDate`, 'range', 'must not be before the earliest date', '不能早于最早日期');
  } else {
    if (f.minDate !== undefined) notFor('minDate');
    if (f.maxDate !== undefined) notFor('maxDate');
  }
  if (f.pattern !== undefined) {
    if (f.type !== 'text' && f.type !== 'textarea') notFor('pattern');
    else if (f.pattern.length > FORM_LIMITS.pattern) add(`${at}/pattern`, 'too_long', `must be at most ${FORM_LIMITS.pattern} characters`, `不能超过 ${FORM_LIMITS.pattern} 个字符`);
    else {
      try {
        new RegExp(f.pattern, 'u');
        if (blank(f.hintZh) || blank(f.hintEn)) add(`${at}/hintZh`, 'required', 'is required with a pattern: say the format the applicant must follow, in both languages', '设置格式规则时必填：用中英文说明申请人应填写的格式');
      } catch {
        add(`${at}/pattern`, 'pattern_invalid', 'is not a valid regular expression', '不是有效的正则表达式');
      }
    }
  }
  optionProblems(f, at, add);
}

function optionProblems(f: FormField, at: string, add: Add): void {
  const options = f.options ?? [];
  if (CHOICE_TYPES.includes(f.type) && options.length < 2) add(`${at}/options`, 'required', `needs at least two options to choose from`, '须至少有两个选项供选择');
  if (f.type !== 'checkbox' && !CHOICE_TYPES.includes(f.type) && options.length > 0) add(`${at}/options`, 'not_applicable', `does not apply to a ${f.type} field: only select, radio and checkbox have options`, `不适用于“${f.type}”类型的字段：只有下拉、单选和复选有选项`);
  if (options.length > FORM_LIMITS.options) add(`${at}/options`, 'too_many', `has more than ${FORM_LIMITS.options} options`, `选项超过 ${FORM_LIMITS.options} 个`);
  const values = new Set<string>();
  options.forEach((o, j) => {
    if (blank(o.value) || o.value.length > 100) add(`${at}/options/${j}/value`, 'required', 'is required: the value saved for this choice (at most 100 characters)', '必填：该选项保存的值（最多 100 个字符）');
    else if (values.has(o.value)) add(`${at}/options/${j}/value`, 'duplicate', `"${o.value}" is already an option of this field`, `“${o.value}”已是该字段的选项`);
    values.add(o.value);
    if (blank(o.labelZh) || blank(o.labelEn)) add(`${at}/options/${j}`, 'required', 'needs its label in Chinese and English', '须填写中英文选项名称');
  });
}

function prefillProblems(f: FormField, at: string, add: Add): void {
  if (f.locked && !f.prefill) add(`${at}/locked`, 'not_prefilled', 'only a prefilled field is locked: choose the registry field it comes from, or unlock it', '只有预填字段可锁定：请选择其来源的登记字段，或取消锁定');
  if (!f.prefill) return;
  if (!PREFILL_SOURCES.includes(f.prefill.source)) {
    add(`${at}/prefill/source`, 'enum', 'must be person or enterprise', '须为 person（个人）或 enterprise（企业）');
    return;
  }
  const known = findPrefillField(f.prefill.source, f.prefill.field);
  const registry = f.prefill.source === 'person' ? { en: 'population registry', zh: '人口库' } : { en: 'legal entity registry', zh: '法人库' };
  if (!known) add(`${at}/prefill/field`, 'unknown_field', `is not a field the platform can fetch from the ${registry.en} ("${f.prefill.field}")`, `不是平台可从${registry.zh}获取的字段（“${f.prefill.field}”）`);
  else if (!known.types.includes(f.type)) add(`${at}/prefill/field`, 'type_mismatch', `is the registry's "${known.labelEn}", which does not fit a ${f.type} field (it fits ${known.types.join(', ')})`, `登记字段“${known.labelZh}”与“${f.type}”类型不符（适用于 ${known.types.join('、')}）`);
}
