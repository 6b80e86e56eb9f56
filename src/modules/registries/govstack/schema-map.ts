// A registry's definition in the GovStack database API's schema format, and back. The
// format is JSON-Schema-like: one property per field with its JSON type, a description,
// `primaryKey` on the key field and a numeric `id`. The JSON Schema keywords we write
// (maxLength, pattern, minimum, enum, …) are for the reader; what egov checks is in each
// property's `x-egov` (labels in both languages, sensitivity, the named validators, mask),
// so a schema read from /database/{id} and posted to /database/modify gives back the same
// definition. A schema without `x-egov` is read from the JSON Schema keywords alone. Nested
// objects and triggers are not taken: a record is flat and egov computes nothing from data.
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { CODE_LISTS } from '../definitions/code-lists.ts';
import { FIELD_TYPES, SENSITIVITIES, type FieldDefinition, type FieldType, type MaskKind, type RecordRuleName, type RegistryDefinition, type ValidatorRef } from '../engine/definition.ts';

export const REGISTRY_NAME = /^[a-z][a-z0-9-]{1,62}$/;
/** As field-level access rights name fields (the exchange's FIELD_NAME_PATTERN). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_FIELDS = 200;
const MASKS: readonly MaskKind[] = ['id-number', 'credit-code', 'name', 'phone', 'address', 'all'];
const RULES: readonly RecordRuleName[] = ['id-number-agrees', 'credit-code-type-agrees', 'credit-code-division-agrees', 'status-dates-agree'];
const SUBJECTS = ['person', 'entity', 'none'] as const;

type Json = Record<string, unknown>;
export type Lang = 'zh' | 'en';

// ---- definition → schema ----------------------------------------------------------------

const JSON_TYPE: Record<FieldType, Json> = {
  string: { type: 'string' },
  text: { type: 'string' },
  code: { type: 'string' },
  integer: { type: 'integer' },
  decimal: { type: 'string', format: 'decimal' },
  date: { type: 'string', format: 'date' },
  boolean: { type: 'boolean' },
  'string-list': { type: 'array', items: { type: 'string' } },
};

/** The JSON Schema keywords a validator amounts to, for readers of the schema. */
function keywordsOf(validators: readonly ValidatorRef[]): Json {
  const out: Json = {};
  for (const v of validators) {
    if (v.name === 'length') Object.assign(out, { maxLength: v.max }, v.min ? { minLength: v.min } : {});
    if (v.name === 'pattern') out.pattern = v.pattern;
    if (v.name === 'range') Object.assign(out, v.min !== undefined ? { minimum: v.min } : {}, v.max !== undefined ? { maximum: v.max } : {});
    if (v.name === 'code-list' && CODE_LISTS[v.list]) out.enum = Object.keys(CODE_LISTS[v.list]);
  }
  return out;
}

export function fieldToProperty(field: FieldDefinition, index: number, keyField: string, lang: Lang): Json {
  const isKey = field.name === keyField;
  const extension: Json = { type: field.type, labelZh: field.labelZh, labelEn: field.labelEn, sensitivity: field.sensitivity };
  // The name first: jsonb keeps keys in its own order.
  if (field.validators?.length) extension.validators = field.validators.map(({ name, ...args }) => ({ name, ...args }));
  if (field.mask) extension.mask = field.mask;
  if (field.alwaysPresent) extension.alwaysPresent = true;
  if (field.indexed) extension.indexed = true;
  return {
    ...JSON_TYPE[field.type],
    description: lang === 'zh' ? field.labelZh : field.labelEn,
    ...(isKey ? { primaryKey: true, readOnly: true } : {}),
    id: index + 1,
    ...keywordsOf(field.validators ?? []),
    'x-egov': extension,
  };
}

export type SchemaMeta = { filename: string | null; creationDate: string | null };

/** The DatabaseSchema of a registry, with only `fields` (those the reader may see). */
export function definitionToSchema(definition: RegistryDefinition, fields: readonly FieldDefinition[], meta: SchemaMeta, lang: Lang): Json {
  const properties: Json = {};
  fields.forEach((f) => (properties[f.name] = fieldToProperty(f, definition.fields.indexOf(f), definition.keyField, lang)));
  return {
    type: 'object',
    description: lang === 'zh' ? definition.descriptionZh : definition.descriptionEn,
    ...(meta.filename !== null ? { filename: meta.filename } : {}),
    ...(meta.creationDate !== null ? { creationDate: meta.creationDate } : {}),
    properties,
    required: fields.filter((f) => f.required || f.name === definition.keyField).map((f) => f.name),
    'x-egov': {
      titleZh: definition.titleZh,
      titleEn: definition.titleEn,
      descriptionZh: definition.descriptionZh,
      descriptionEn: definition.descriptionEn,
      subject: definition.subject,
      ...(definition.rules?.length ? { rules: definition.rules } : {}),
    },
  };
}

// ---- schema → definition ----------------------------------------------------------------

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const PROPERTY_KEYS = new Set(['type', 'format', 'items', 'description', 'title', 'primaryKey', 'readOnly', 'id', 'example', 'examples', 'maxLength', 'minLength', 'pattern', 'minimum', 'maximum', 'enum', 'triggers', 'x-egov', '$comment']);
const FIELD_EXTENSION_KEYS = new Set(['type', 'labelZh', 'labelEn', 'sensitivity', 'validators', 'mask', 'alwaysPresent', 'indexed']);
const SCHEMA_KEYS = new Set(['type', 'description', 'properties', 'required', 'incrementIndex', 'filename', 'creationDate', 'title', 'x-egov', '$schema', '$comment']);
const SCHEMA_EXTENSION_KEYS = new Set(['titleZh', 'titleEn', 'descriptionZh', 'descriptionEn', 'subject', 'rules']);

class Problems {
  readonly list: FieldError[] = [];
  add(field: string, code: string, message: string, messageZh: string) {
    this.list.push({ field, code, message, messageZh });
  }
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a pattern from a client is safe to run on every write: no backreferences and no
 * quantified group holding a quantifier or an alternation, the shapes that make a regular
 * expression take exponential time ((a+)+, (a|a)*). Patterns people write for codes pass.
 */
export function isSafePattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
  } catch {
    return false;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return false;
  const groups: { risky: boolean }[] = [];
  let top = { risky: false };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // A class is one character: skip to its closing bracket.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      groups.push(top);
      top = { risky: false };
    } else if (c === ')') {
      const inner = top;
      top = groups.pop() ?? { risky: false };
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{' || next === '?';
      if (quantified && inner.risky) return false;
      if (inner.risky || quantified) top.risky = true;
    } else if (c === '*' || c === '+' || c === '{' || c === '|') {
      top.risky = true;
    }
  }
  return true;
}

function checkValidator(v: unknown, at: string, type: FieldType, p: Problems): ValidatorRef | undefined {
  const wrong = (message: string, messageZh: string) => (p.add(at, 'validator', message, messageZh), undefined);
  if (!isObject(v) || typeof v.name !== 'string') return wrong('must be a validator: {"name": …}', '应为校验规则：{"name": …}');
  const keys = (...allowed: string[]) => Object.keys(v).every((k) => k === 'name' || allowed.includes(k));
  const numeric = type === 'integer' || type === 'decimal';
  const textual = type === 'string' || type === 'text' || type === 'code' || type === 'string-list';
  switch (v.name) {
    case 'id-number':
    case 'credit-code':
    case 'division-code':
    case 'person-exists':
      if (!keys()) return wrong(`${v.name} takes no arguments`, `${v.name} 不带参数`);
      if (!textual) return wrong(`${v.name} applies to text fields`, `${v.name} 仅适用于文本字段`);
      return { name: v.name };
    case 'past-date':
      if (!keys()) return wrong('past-date takes no arguments', 'past-date 不带参数');
      if (type !== 'date') return wrong('past-date applies to date fields', 'past-date 仅适用于日期字段');
      return { name: 'past-date' };
    case 'code-list':
      if (!keys('list') || typeof v.list !== 'string' || !Object.hasOwn(CODE_LISTS, v.list)) return wrong(`code-list must name one of the platform's code lists: ${Object.keys(CODE_LISTS).join(', ')}`, `code-list 须为平台代码表之一：${Object.keys(CODE_LISTS).join('、')}`);
      return { name: 'code-list', list: v.list };
    case 'pattern': {
      const hint = (h: unknown) => typeof h === 'string' && h.length > 0 && h.length <= 200;
      if (!keys('pattern', 'hintEn', 'hintZh') || typeof v.pattern !== 'string' || v.pattern.length === 0 || v.pattern.length > 200 || !isSafePattern(v.pattern)) {
        return wrong('pattern must be a regular expression of at most 200 characters, without backreferences or a repeated group that itself repeats or alternates', 'pattern 须为不超过 200 个字符的正则表达式，不含反向引用，也不含本身带重复或分支的重复分组');
      }
      if ((v.hintEn !== undefined && !hint(v.hintEn)) || (v.hintZh !== undefined && !hint(v.hintZh))) return wrong('hintEn and hintZh must be texts of 1 to 200 characters', 'hintEn、hintZh 须为 1 至 200 个字符的文本');
      if (!textual) return wrong('pattern applies to text fields', 'pattern 仅适用于文本字段');
      const hintEn = (v.hintEn as string | undefined) ?? `must match ${v.pattern}`;
      return { name: 'pattern', pattern: v.pattern, hintEn, hintZh: (v.hintZh as string | undefined) ?? `应符合 ${v.pattern}` };
    }
    case 'length': {
      const max = v.max;
      const min = v.min ?? 0;
      if (!keys('max', 'min') || !Number.isSafeInteger(max) || !Number.isSafeInteger(min) || (max as number) < 1 || (max as number) > 100_000 || (min as number) < 0 || (min as number) > (max as number)) return wrong('length takes max (1 to 100000) and optionally min (0 to max)', 'length 须有 max（1 至 100000），可选 min（0 至 max）');
      if (!textual) return wrong('length applies to text fields', 'length 仅适用于文本字段');
      return v.min === undefined ? { name: 'length', max: max as number } : { name: 'length', max: max as number, min: min as number };
    }
    case 'range': {
      const finite = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isFinite(n));
      if (!keys('min', 'max') || !finite(v.min) || !finite(v.max) || (v.min === undefined && v.max === undefined) || (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max)) return wrong('range takes min and/or max, numbers with min ≤ max', 'range 须有 min 和/或 max，且 min ≤ max');
      if (!numeric) return wrong('range applies to number fields', 'range 仅适用于数值字段');
      return { name: 'range', ...(v.min !== undefined ? { min: v.min as number } : {}), ...(v.max !== undefined ? { max: v.max as number } : {}) };
    }
    default:
      return wrong(`names no validator egov has (id-number, credit-code, division-code, past-date, code-list, pattern, length, range, person-exists)`, '不是平台提供的校验规则（id-number、credit-code、division-code、past-date、code-list、pattern、length、range、person-exists）');
  }
}

/** The field type a property's JSON type (and format, items) stands for. */
function typeOf(prop: Json, at: string, p: Problems): FieldType | undefined {
  const { type, format } = prop;
  if (type === 'object' || prop.properties !== undefined) {
    p.add(`${at}.type`, 'nested_object', 'is an object: records are flat; give each value a field of its own (childFirstName, childBirthDate, …)', '是嵌套对象：记录是扁平的，请将每个值设为单独的字段（如 childFirstName、childBirthDate）');
    return undefined;
  }
  if (type === 'string') {
    if (format === undefined) return 'string';
    if (format === 'date') return 'date';
    if (format === 'decimal') return 'decimal';
    p.add(`${at}.format`, 'format', 'must be date or decimal (or left out)', '须为 date 或 decimal（或不填）');
    return undefined;
  }
  if (format !== undefined) {
    p.add(`${at}.format`, 'format', 'is only for string properties (date, decimal)', '仅用于字符串类型（date、decimal）');
    return undefined;
  }
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'decimal';
  if (type === 'boolean') return 'boolean';
  if (type === 'array') {
    if (isObject(prop.items) && prop.items.type === 'string' && Object.keys(prop.items).length === 1) return 'string-list';
    p.add(`${at}.items`, 'items', 'an array property is a list of texts: items must be {"type": "string"}', '数组类型只能是文本列表：items 须为 {"type": "string"}');
    return undefined;
  }
  p.add(`${at}.type`, 'type', 'must be string, integer, number, boolean or array', '须为 string、integer、number、boolean 或 array');
  return undefined;
}

/** Which JSON types each field type may be written as. */
const TYPE_AGREES: Record<FieldType, FieldType[]> = {
  string: ['string'],
  text: ['string'],
  code: ['string'],
  integer: ['integer'],
  decimal: ['decimal'],
  date: ['date'],
  boolean: ['boolean'],
  'string-list': ['string-list'],
};

function validatorsFromKeywords(prop: Json, at: string, type: FieldType, p: Problems): ValidatorRef[] {
  const refs: unknown[] = [];
  if (prop.maxLength !== undefined || prop.minLength !== undefined) refs.push({ name: 'length', max: prop.maxLength ?? 100_000, ...(prop.minLength !== undefined ? { min: prop.minLength } : {}) });
  if (prop.pattern !== undefined) refs.push({ name: 'pattern', pattern: prop.pattern });
  if (prop.minimum !== undefined || prop.maximum !== undefined) refs.push({ name: 'range', ...(prop.minimum !== undefined ? { min: prop.minimum } : {}), ...(prop.maximum !== undefined ? { max: prop.maximum } : {}) });
  if (prop.enum !== undefined) {
    const values = prop.enum;
    if (!Array.isArray(values) || values.length === 0 || values.length > 500 || values.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 100)) {
      p.add(`${at}.enum`, 'enum', 'must be a list of 1 to 500 texts', '须为 1 至 500 个文本的列表');
    } else {
      const list = values as string[];
      refs.push({ name: 'pattern', pattern: `^(?:${list.map(escapeRegex).join('|')})$`, hintEn: `must be one of: ${list.join(', ')}`.slice(0, 200), hintZh: `应为以下之一：${list.join('、')}`.slice(0, 200) });
    }
  }
  return refs.map((ref) => checkValidator(ref, at, type, p)).filter((r): r is ValidatorRef => r !== undefined);
}

function readField(name: string, prop: unknown, at: string, p: Problems): (FieldDefinition & { primaryKey: boolean; order: number | undefined }) | undefined {
  if (!FIELD_NAME.test(name)) p.add(at, 'field_name', 'is not a field name: a letter, then up to 63 letters, digits or underscores', '不是有效的字段名：以字母开头，其后至多 63 个字母、数字或下划线');
  if (!isObject(prop)) {
    p.add(at, 'property', 'must be an object describing the field', '应为描述字段的对象');
    return undefined;
  }
  const before = p.list.length;
  for (const key of Object.keys(prop)) if (!PROPERTY_KEYS.has(key)) p.add(`${at}.${key}`, 'unknown_keyword', 'is not a keyword egov reads; leave it out rather than have it ignored', '不是平台识别的关键字；请删除，以免被忽略');
  if (prop.triggers !== undefined && !(Array.isArray(prop.triggers) && prop.triggers.length === 0)) p.add(`${at}.triggers`, 'unsupported', 'are not supported: egov computes no value from a schema; the record carries every value', '不受支持：平台不按模式计算字段值，记录须给出每个值');
  const x = prop['x-egov'];
  if (x !== undefined && !isObject(x)) p.add(`${at}.x-egov`, 'type', 'must be an object', '应为对象');
  const ext: Json = isObject(x) ? x : {};
  for (const key of Object.keys(ext)) if (!FIELD_EXTENSION_KEYS.has(key)) p.add(`${at}.x-egov.${key}`, 'unknown_keyword', 'is not a key of x-egov', '不是 x-egov 的键');
  const jsonType = typeOf(prop, at, p);
  let type = jsonType;
  if (ext.type !== undefined) {
    if (typeof ext.type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(ext.type)) p.add(`${at}.x-egov.type`, 'type', `must be one of ${FIELD_TYPES.join(', ')}`, `须为 ${FIELD_TYPES.join('、')} 之一`);
    else if (jsonType && !TYPE_AGREES[ext.type as FieldType].includes(jsonType) && !(ext.type === 'decimal' && jsonType === 'string')) p.add(`${at}.x-egov.type`, 'type_mismatch', `disagrees with the JSON type (${String(prop.type)}${prop.format ? `, ${String(prop.format)}` : ''})`, `与 JSON 类型（${String(prop.type)}）不符`);
    else type = ext.type as FieldType;
  }
  const text = (value: unknown, field: string, max: number): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
      p.add(field, 'text', `must be a text of 1 to ${max} characters`, `须为 1 至 ${max} 个字符的文本`);
      return undefined;
    }
    return value.trim();
  };
  const labelEn = text(ext.labelEn, `${at}.x-egov.labelEn`, 200) ?? text(prop.description, `${at}.description`, 200) ?? text(prop.title, `${at}.title`, 200) ?? name;
  const labelZh = text(ext.labelZh, `${at}.x-egov.labelZh`, 200) ?? labelEn;
  if (ext.sensitivity !== undefined && !(SENSITIVITIES as readonly unknown[]).includes(ext.sensitivity)) p.add(`${at}.x-egov.sensitivity`, 'sensitivity', `must be one of ${SENSITIVITIES.join(', ')}`, `须为 ${SENSITIVITIES.join('、')} 之一`);
  if (ext.mask !== undefined && !MASKS.includes(ext.mask as MaskKind)) p.add(`${at}.x-egov.mask`, 'mask', `must be one of ${MASKS.join(', ')}`, `须为 ${MASKS.join('、')} 之一`);
  for (const flag of ['alwaysPresent', 'indexed'] as const) if (ext[flag] !== undefined && typeof ext[flag] !== 'boolean') p.add(`${at}.x-egov.${flag}`, 'type', 'must be true or false', '应为 true 或 false');
  for (const flag of ['primaryKey', 'readOnly'] as const) if (prop[flag] !== undefined && typeof prop[flag] !== 'boolean') p.add(`${at}.${flag}`, 'type', 'must be true or false', '应为 true 或 false');
  if (prop.id !== undefined && (!Number.isSafeInteger(prop.id) || (prop.id as number) < 0)) p.add(`${at}.id`, 'type', 'must be a whole number', '应为整数');
  if (!type) return undefined;
  let validators: ValidatorRef[] = [];
  if (ext.validators !== undefined) {
    if (!Array.isArray(ext.validators) || ext.validators.length > 10) p.add(`${at}.x-egov.validators`, 'type', 'must be a list of at most 10 validators', '须为至多 10 条校验规则的列表');
    else validators = ext.validators.map((v, i) => checkValidator(v, `${at}.x-egov.validators.${i}`, type, p)).filter((r): r is ValidatorRef => r !== undefined);
  } else {
    validators = validatorsFromKeywords(prop, at, type, p);
  }
  if (p.list.length > before) return undefined;
  const field: FieldDefinition = { name, type, labelZh, labelEn, sensitivity: (ext.sensitivity as FieldDefinition['sensitivity'] | undefined) ?? 'internal' };
  if (validators.length > 0) field.validators = validators;
  if (ext.alwaysPresent === true) field.alwaysPresent = true;
  if (ext.mask !== undefined) field.mask = ext.mask as MaskKind;
  if (ext.indexed === true) field.indexed = true;
  return { ...field, primaryKey: prop.primaryKey === true, order: prop.id as number | undefined };
}

export type ModifyInput = { code: unknown; catalogName?: unknown; groupName?: unknown; schema: unknown };

/**
 * The RegistryDefinition (kind records) a database/modify body describes, or the problems
 * with it, each naming its place in the body (schema.properties.birthDate.type).
 */
export function schemaToDefinition(body: ModifyInput, version: string): { definition?: RegistryDefinition; errors: FieldError[] } {
  const p = new Problems();
  const name = typeof body.code === 'string' ? body.code.trim().toLowerCase() : '';
  if (!REGISTRY_NAME.test(name)) p.add('code', 'registry_name', 'must be the database code: a letter, then 1 to 62 letters, digits or hyphens (it becomes the lower-case registry name)', '须为数据库代码：以字母开头，其后 1 至 62 个字母、数字或连字符（转为小写后作登记库名称）');
  const schema = body.schema;
  if (!isObject(schema)) {
    p.add('schema', 'required', 'is required: the DatabaseSchema with properties, description, filename and creationDate', '必填：包含 properties、description、filename、creationDate 的数据库模式');
    return { errors: p.list };
  }
  for (const key of Object.keys(schema)) if (!SCHEMA_KEYS.has(key)) p.add(`schema.${key}`, 'unknown_keyword', 'is not a keyword of the database schema', '不是数据库模式的关键字');
  if (schema.type !== undefined && schema.type !== 'object') p.add('schema.type', 'type', 'must be object', '须为 object');
  for (const key of ['description', 'filename', 'creationDate'] as const) {
    const value = schema[key];
    if (typeof value !== 'string' || value.trim() === '' || value.length > 2000) p.add(`schema.${key}`, 'required', 'is required: a text of 1 to 2000 characters', '必填：1 至 2000 个字符的文本');
  }
  const x = schema['x-egov'];
  const ext: Json = isObject(x) ? x : {};
  if (x !== undefined && !isObject(x)) p.add('schema.x-egov', 'type', 'must be an object', '应为对象');
  for (const key of Object.keys(ext)) if (!SCHEMA_EXTENSION_KEYS.has(key)) p.add(`schema.x-egov.${key}`, 'unknown_keyword', 'is not a key of x-egov', '不是 x-egov 的键');
  for (const key of ['titleZh', 'titleEn', 'descriptionZh', 'descriptionEn'] as const) if (ext[key] !== undefined && (typeof ext[key] !== 'string' || ext[key].trim() === '' || ext[key].length > 2000)) p.add(`schema.x-egov.${key}`, 'text', 'must be a text of 1 to 2000 characters', '须为 1 至 2000 个字符的文本');
  if (ext.subject !== undefined && !SUBJECTS.includes(ext.subject as (typeof SUBJECTS)[number])) p.add('schema.x-egov.subject', 'subject', 'must be person, entity or none: whose records these are, for the reads log', '须为 person、entity 或 none：记录所属主体，用于查阅记录');
  const rules = ext.rules;
  if (rules !== undefined && (!Array.isArray(rules) || rules.some((r) => !RULES.includes(r as RecordRuleName)) || new Set(rules).size !== rules.length)) p.add('schema.x-egov.rules', 'rules', `must be a list of distinct rules: ${RULES.join(', ')}`, `须为不重复的规则列表：${RULES.join('、')}`);
  for (const [key, label] of [['catalogName', 'catalog'], ['groupName', 'group']] as const) {
    const value = body[key];
    if (value !== undefined && (typeof value !== 'string' || value.length > 200)) p.add(key, 'text', `must be the ${label} name, at most 200 characters`, '须为不超过 200 个字符的名称');
  }

  const properties = schema.properties;
  if (!isObject(properties) || Object.keys(properties).length === 0 || Object.keys(properties).length > MAX_FIELDS) {
    p.add('schema.properties', 'required', `must describe 1 to ${MAX_FIELDS} fields`, `须描述 1 至 ${MAX_FIELDS} 个字段`);
    return { errors: p.list };
  }
  const read = Object.entries(properties).map(([fieldName, prop]) => readField(fieldName, prop, `schema.properties.${fieldName}`, p));
  const required = schema.required;
  if (required !== undefined && (!Array.isArray(required) || required.some((r) => typeof r !== 'string' || !Object.hasOwn(properties, r)))) p.add('schema.required', 'required', 'must list fields of the schema', '须列出模式中的字段');
  const keys = read.filter((f) => f?.primaryKey);
  if (read.every((f) => f !== undefined) && keys.length !== 1) p.add('schema.properties', 'primary_key', `must mark exactly one field "primaryKey": true (it identifies a record); ${keys.length} are marked`, `须恰有一个字段标注 "primaryKey": true（记录标识），现有 ${keys.length} 个`);
  const key = keys[0];
  if (key && key.type !== 'string' && key.type !== 'code' && key.type !== 'integer') p.add(`schema.properties.${key.name}.type`, 'primary_key_type', 'must be a text or a whole number: it identifies the record', '须为文本或整数：它是记录标识');
  if (p.list.length > 0 || !key) return { errors: p.list };

  const requiredSet = new Set([...((required as string[] | undefined) ?? []), key.name]);
  // Fields in the order their ids give, when every field has one; otherwise as written.
  const ordered = read.every((f) => f!.order !== undefined) ? [...read].sort((a, b) => a!.order! - b!.order!) : read;
  const fields: FieldDefinition[] = ordered.map((f) => {
    const { primaryKey: _primaryKey, order: _order, ...field } = f!;
    return { ...field, ...(requiredSet.has(field.name) ? { required: true } : {}) };
  });
  const titleEn = (ext.titleEn as string | undefined) ?? (typeof body.catalogName === 'string' && body.catalogName.trim() !== '' ? body.catalogName.trim() : name);
  const descriptionEn = (ext.descriptionEn as string | undefined) ?? (schema.description as string).trim();
  const definition: RegistryDefinition = {
    name,
    kind: 'records',
    version,
    titleZh: (ext.titleZh as string | undefined) ?? titleEn,
    titleEn,
    descriptionZh: (ext.descriptionZh as string | undefined) ?? descriptionEn,
    descriptionEn,
    keyField: key.name,
    subject: (ext.subject as RegistryDefinition['subject'] | undefined) ?? 'none',
    fields,
    ...(Array.isArray(rules) && rules.length > 0 ? { rules: rules as RecordRuleName[] } : {}),
  };
  return { definition, errors: [] };
}

/** Whether two definitions differ in anything but their version. */
export function sameDefinition(a: RegistryDefinition, b: RegistryDefinition): boolean {
  // jsonb keeps keys in its own order: compare canonically.
  const strip = (d: RegistryDefinition) => canonicalJson({ ...d, version: '' });
  return strip(a) === strip(b);
}

/** The next minor version: 1.0 → 1.1, 2 → 2.1. */
export function nextVersion(version: string): string {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version);
  return m ? `${m[1]}.${Number(m[2] ?? 0) + 1}` : '1.0';
}
