// An e-form as a JSON Schema (draft 2020-12): what GovStack Registration serves as an e-form's
// `schema`, and what any client can render and check a form with. Titles and descriptions are
// in the reader's language; both languages travel in x-egov-label-zh/-en and x-egov-hint-zh/-en.
// What JSON Schema cannot say is named by egov keywords: x-egov-format for the check
// characters of the ID number (GB 11643) and the credit code (GB 32100), x-egov-prefill and
// x-egov-locked for registry values, x-egov-min-date/max-date for dates relative to today,
// x-egov-section and x-egov-order (sections' fields, then the rest) for layout. validate.ts applies all of them.
import type { Lang } from '../../../platform/language.ts';
import { displayOrder, hasOptions, isTextType, maxLengthOf, type FormDefinition, type FormField } from './model.ts';
import { EMAIL, PHONE } from './validate.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export type JsonSchema = Record<string, unknown>;

const ID_NUMBER = '^[0-9]{17}[0-9Xx]$';
const CREDIT_CODE = '^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}$';

function labels(item: { labelZh: string; labelEn: string; hintZh?: string; hintEn?: string }, lang: Lang): JsonSchema {
  const zh = lang === 'zh-CN';
  return {
    title: zh ? item.labelZh : item.labelEn,
    ...(item.hintZh || item.hintEn ? { description: zh ? item.hintZh : item.hintEn } : {}),
    'x-egov-label-zh': item.labelZh,
    'x-egov-label-en': item.labelEn,
    ...(item.hintZh ? { 'x-egov-hint-zh': item.hintZh } : {}),
    ...(item.hintEn ? { 'x-egov-hint-en': item.hintEn } : {}),
  };
}

const choices = (f: FormField, lang: Lang) => (f.options ?? []).map((o) => ({ const: o.value, title: lang === 'zh-CN' ? o.labelZh : o.labelEn, 'x-egov-label-zh': o.labelZh, 'x-egov-label-en': o.labelEn }));

/** The value's own rules by type. */
function valueSchema(f: FormField, lang: Lang): JsonSchema {
  const text = (extra: JsonSchema = {}): JsonSchema => ({
    type: 'string',
    ...(f.required || f.minLength ? { minLength: Math.max(f.required ? 1 : 0, f.minLength ?? 0) } : {}),
    maxLength: maxLengthOf(f),
    ...extra,
  });
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'address':
      return text(f.pattern !== undefined ? { pattern: `^(?:${f.pattern})$` } : f.required ? { pattern: '\\S' } : {});
    case 'phone':
      return text({ pattern: PHONE.source, 'x-egov-format': 'phone-cn' });
    case 'email':
      return text({ format: 'email', pattern: EMAIL.source });
    case 'id-number':
      return { type: 'string', pattern: ID_NUMBER, 'x-egov-format': 'gb11643-id-number' };
    case 'credit-code':
      return { type: 'string', pattern: CREDIT_CODE, 'x-egov-format': 'gb32100-credit-code' };
    case 'number':
      return { type: 'number', ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) };
    case 'date':
      return {
        type: 'string',
        format: 'date',
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
        ...(f.minDate !== undefined ? { 'x-egov-min-date': f.minDate } : {}),
        ...(f.maxDate !== undefined ? { 'x-egov-max-date': f.maxDate } : {}),
      };
    case 'select':
    case 'radio':
      return { type: 'string', oneOf: choices(f, lang) };
    case 'checkbox':
      if (!hasOptions(f)) return f.required ? { type: 'boolean', const: true } : { type: 'boolean' };
      return {
        type: 'array',
        items: { type: 'string', oneOf: choices(f, lang) },
        uniqueItems: true,
        ...(f.required || f.min ? { minItems: Math.max(f.required ? 1 : 0, f.min ?? 0) } : {}),
        ...(f.max !== undefined ? { maxItems: f.max } : {}),
      };
  }
}

function fieldSchema(f: FormField, lang: Lang): JsonSchema {
  return {
    ...labels(f, lang),
    ...valueSchema(f, lang),
    'x-egov-type': f.type,
    ...(f.section !== undefined ? { 'x-egov-section': f.section } : {}),
    ...(f.prefill ? { 'x-egov-prefill': { source: f.prefill.source, field: f.prefill.field } } : {}),
    ...(f.locked ? { 'x-egov-locked': true, readOnly: true } : {}),
    ...(isTextType(f.type) && f.type === 'textarea' ? { 'x-egov-multiline': true } : {}),
  };
}

/** The form as one JSON Schema object; `id` and `title` name it (the service's e-form). */
export function compileFormSchema(form: FormDefinition, options: { lang: Lang; id?: string; title?: { zh: string; en: string } }): JsonSchema {
  const { lang } = options;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    ...(options.id ? { $id: options.id } : {}),
    ...(options.title ? { title: lang === 'zh-CN' ? options.title.zh : options.title.en, 'x-egov-label-zh': options.title.zh, 'x-egov-label-en': options.title.en } : {}),
    type: 'object',
    properties: Object.fromEntries(form.fields.map((f) => [f.key, fieldSchema(f, lang)])),
    required: form.fields.filter((f) => f.required).map((f) => f.key),
    additionalProperties: false,
    // The order applicants see (model.ts displayOrder): sections first, then fields in none.
    'x-egov-order': displayOrder(form).map((f) => f.key),
    'x-egov-sections': form.sections.map((s) => ({ key: s.key, ...labels(s, lang) })),
  };
}
