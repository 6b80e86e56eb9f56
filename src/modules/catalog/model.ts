// An entry's core metadata, after the national guide: what a department states about an
// information resource, and the rules that keep it honest. Sharing is the rule: a
// conditional resource states its conditions and a resource that is not shared states its
// legal basis. Every problem is named by its field, in both languages, before anything is
// written.
import type { FieldError } from '../../platform/errors.ts';
import { checkClassification, parseResourceCode, type Classification } from './classification.ts';

export const FORMAT_CLASSES = ['file', 'spreadsheet', 'database', 'image', 'streaming', 'self-describing', 'api'] as const;
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const SHARING_METHODS = ['api', 'bulk', 'media'] as const;
export const UPDATE_CYCLES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'half-yearly', 'yearly', 'irregular'] as const;
export const ITEM_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean', 'binary', 'geometry', 'other'] as const;

export type FormatClass = (typeof FORMAT_CLASSES)[number];
export type SharingType = (typeof SHARING_TYPES)[number];
export type SharingMethod = (typeof SHARING_METHODS)[number];
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];
export type ItemType = (typeof ITEM_TYPES)[number];

/**
 * One data item. `field` is its name in the serving API's answers (what an access right's
 * field list names): a share request granting fewer items grants only those fields.
 */
export type DataItem = { name: string; nameEn: string; field: string; type: ItemType; description: string };

/** What a department states about a resource (the code and dates are the catalog's). */
export type EntryMetadata = {
  classification: Classification;
  nameZh: string;
  nameEn: string;
  abstractZh: string;
  abstractEn: string;
  format: { class: FormatClass; type: string };
  dataItems: DataItem[];
  sharing: { type: SharingType; condition: string; basis: string; methods: SharingMethod[] };
  open: { open: boolean; condition: string };
  updateCycle: UpdateCycle;
  /** Theme items (class 2) the entry is also listed under, for the theme view. */
  themes: string[];
  keywords: string[];
  relatedCodes: string[];
  /** The exchange service that serves the data (INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE), if any. */
  exchangeService: string;
  /** For open entries: the licence the data is published under. */
  licence: string;
};

export const MAX_DATA_ITEMS = 500;

const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

/** A trimmed string within bounds, or a problem pushed for `field`. */
function text(errors: FieldError[], field: string, value: unknown, options: { required?: boolean; max: number }): string {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    errors.push({ field, code: 'type', message: 'must be text', messageZh: '应为文本' });
    return '';
  }
  const trimmed = (value ?? '').trim();
  if (options.required && trimmed === '') errors.push({ field, code: 'required', message: 'is required', messageZh: '必填' });
  else if ([...trimmed].length > options.max) errors.push({ field, code: 'length', message: `must be at most ${options.max} characters`, messageZh: `不超过 ${options.max} 个字符` });
  return trimmed;
}

function list(errors: FieldError[], field: string, value: unknown, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push({ field, code: 'type', message: 'must be a list', messageZh: '应为列表' });
    return [];
  }
  if (value.length > max) errors.push({ field, code: 'length', message: `may hold at most ${max} entries`, messageZh: `最多 ${max} 项` });
  return value.slice(0, max);
}

/** As the exchange's access rights name fields. */
const FIELD_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const SERVICE_PATTERN = /^[A-Za-z0-9-]+\/[A-Z]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/;

/**
 * Checks and normalises what a department submitted. Returns the metadata, or the problems
 * by field (`dataItems[2].type`, `sharing.basis`).
 */
export function checkMetadata(input: Record<string, unknown>): { metadata: EntryMetadata; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const c = (input.classification ?? {}) as Partial<Classification>;
  const classProblem = checkClassification({ ...c, detail: c.detail ?? '' });
  if (classProblem) errors.push({ field: `classification.${classProblem.code === 'sub_item' ? 'subItem' : classProblem.code}`, code: classProblem.code, message: classProblem.message, messageZh: classProblem.messageZh });
  const format = (input.format ?? {}) as Record<string, unknown>;
  if (!oneOf(FORMAT_CLASSES, format.class)) errors.push({ field: 'format.class', code: 'enum', message: `must be one of ${FORMAT_CLASSES.join(', ')}`, messageZh: `应为 ${FORMAT_CLASSES.join('、')} 之一` });
  const sharing = (input.sharing ?? {}) as Record<string, unknown>;
  const open = (input.open ?? {}) as Record<string, unknown>;
  const metadata: EntryMetadata = {
    classification: { class: c.class as Classification['class'], item: String(c.item ?? ''), subItem: String(c.subItem ?? ''), detail: String(c.detail ?? '') },
    nameZh: text(errors, 'nameZh', input.nameZh, { required: true, max: 200 }),
    nameEn: text(errors, 'nameEn', input.nameEn, { max: 300 }),
    abstractZh: text(errors, 'abstractZh', input.abstractZh, { required: true, max: 4000 }),
    abstractEn: text(errors, 'abstractEn', input.abstractEn, { max: 6000 }),
    format: { class: format.class as FormatClass, type: text(errors, 'format.type', format.type, { required: true, max: 60 }) },
    dataItems: list(errors, 'dataItems', input.dataItems, MAX_DATA_ITEMS).map((raw, i) => {
      const item = (raw ?? {}) as Record<string, unknown>;
      if (!oneOf(ITEM_TYPES, item.type)) errors.push({ field: `dataItems[${i}].type`, code: 'enum', message: `must be one of ${ITEM_TYPES.join(', ')}`, messageZh: `应为 ${ITEM_TYPES.join('、')} 之一` });
      return {
        name: text(errors, `dataItems[${i}].name`, item.name, { required: true, max: 100 }),
        nameEn: text(errors, `dataItems[${i}].nameEn`, item.nameEn, { max: 150 }),
        field: text(errors, `dataItems[${i}].field`, item.field, { max: 64 }),
        type: item.type as ItemType,
        description: text(errors, `dataItems[${i}].description`, item.description, { max: 1000 }),
      };
    }),
    sharing: {
      type: sharing.type as SharingType,
      condition: text(errors, 'sharing.condition', sharing.condition, { max: 2000 }),
      basis: text(errors, 'sharing.basis', sharing.basis, { max: 2000 }),
      methods: list(errors, 'sharing.methods', sharing.methods, SHARING_METHODS.length) as SharingMethod[],
    },
    open: { open: open.open === true, condition: text(errors, 'open.condition', open.condition, { max: 2000 }) },
    updateCycle: input.updateCycle as UpdateCycle,
    themes: list(errors, 'themes', input.themes, 12).map((t) => String(t)),
    keywords: list(errors, 'keywords', input.keywords, 30).map((k, i) => text(errors, `keywords[${i}]`, k, { required: true, max: 40 })),
    relatedCodes: list(errors, 'relatedCodes', input.relatedCodes, 50).map((r) => String(r).trim()),
    exchangeService: text(errors, 'exchangeService', input.exchangeService, { max: 500 }),
    licence: text(errors, 'licence', input.licence, { max: 200 }),
  };
  if (metadata.dataItems.length === 0 && !errors.some((e) => e.field === 'dataItems')) errors.push({ field: 'dataItems', code: 'required', message: 'must list at least one data item (name and type)', messageZh: '至少列出一个信息项（名称与数据类型）' });
  metadata.dataItems.forEach((item, i) => {
    if (item.field !== '' && !FIELD_PATTERN.test(item.field)) errors.push({ field: `dataItems[${i}].field`, code: 'pattern', message: 'must be a field name of the API: a letter, then letters, digits or _', messageZh: '应为接口中的字段名：字母开头，由字母、数字或下划线组成' });
  });
  const names = new Set<string>();
  metadata.dataItems.forEach((item, i) => {
    if (item.name !== '' && names.has(item.name)) errors.push({ field: `dataItems[${i}].name`, code: 'duplicate', message: `${item.name} is listed twice`, messageZh: `信息项“${item.name}”重复` });
    names.add(item.name);
  });
  if (!oneOf(SHARING_TYPES, metadata.sharing.type)) errors.push({ field: 'sharing.type', code: 'enum', message: 'must be unconditional, conditional or none', messageZh: '应为 unconditional（无条件共享）、conditional（有条件共享）或 none（不予共享）' });
  if (metadata.sharing.type === 'conditional' && metadata.sharing.condition === '')
    errors.push({ field: 'sharing.condition', code: 'required', message: 'is required for a conditional resource: state on what conditions it is shared', messageZh: '有条件共享的资源须说明共享条件' });
  if (metadata.sharing.type === 'none' && metadata.sharing.basis === '')
    errors.push({ field: 'sharing.basis', code: 'required', message: 'is required for a resource that is not shared: name the law or regulation that forbids sharing it', messageZh: '不予共享的资源须写明法律、行政法规或政策依据' });
  metadata.sharing.methods.forEach((m, i) => {
    if (!oneOf(SHARING_METHODS, m)) errors.push({ field: `sharing.methods[${i}]`, code: 'enum', message: `must be one of ${SHARING_METHODS.join(', ')}`, messageZh: `应为 ${SHARING_METHODS.join('、')} 之一` });
  });
  if (metadata.sharing.type !== 'none' && metadata.sharing.methods.length === 0) errors.push({ field: 'sharing.methods', code: 'required', message: 'must name how it is shared (api, bulk or media)', messageZh: '须说明共享方式（接口、批量或介质）' });
  if (!oneOf(UPDATE_CYCLES, metadata.updateCycle)) errors.push({ field: 'updateCycle', code: 'enum', message: `must be one of ${UPDATE_CYCLES.join(', ')}`, messageZh: `应为 ${UPDATE_CYCLES.join('、')} 之一` });
  metadata.themes.forEach((t, i) => {
    if (checkClassification({ class: '2', item: t, subItem: '000', detail: '' })) errors.push({ field: `themes[${i}]`, code: 'enum', message: `${t} is not a theme (01–12)`, messageZh: `${t} 不是主题分类（01–12）` });
  });
  metadata.relatedCodes.forEach((r, i) => {
    const parsed = parseResourceCode(r);
    if ('code' in parsed) errors.push({ field: `relatedCodes[${i}]`, code: 'resource_code', message: parsed.message, messageZh: parsed.messageZh });
  });
  if (metadata.exchangeService !== '' && !SERVICE_PATTERN.test(metadata.exchangeService)) errors.push({ field: 'exchangeService', code: 'format', message: 'must be an exchange service identifier INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE', messageZh: '应为数据交换服务标识 INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE' });
  if (metadata.open.open && metadata.sharing.type === 'none') errors.push({ field: 'open.open', code: 'contradiction', message: 'a resource that is not shared between departments cannot be open to the public', messageZh: '不予共享的资源不能向社会开放' });
  if (metadata.open.open && metadata.licence === '') errors.push({ field: 'licence', code: 'required', message: 'is required for an open resource: name the licence (e.g. CC-BY-4.0)', messageZh: '开放资源须注明许可协议（如 CC-BY-4.0）' });
  return { metadata, errors };
}
