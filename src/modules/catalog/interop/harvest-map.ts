// How a harvested dataset becomes an entry's metadata. The defaults read what CKAN and DCAT
// say (title and description by language, tags or keywords, licence, frequency, formats,
// egov's own extras such as data_items); a mapping given with the harvest overrides them:
// `fields` takes an entry field from another source field, `defaults` fills what the source
// does not say, `themes` and `updateCycles` translate the source's words. What the
// defaults had to make up is said in the dataset's warnings. The rules of an entry are the
// catalog's own (model.ts): this only proposes the metadata.
import type { FieldError } from '../../../platform/errors.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { THEME_ITEMS } from '../classification.ts';
import { FORMAT_CLASSES, ITEM_TYPES, SHARING_METHODS, SHARING_TYPES, UPDATE_CYCLES, type FormatClass, type UpdateCycle } from '../model.ts';
import type { SourceDataset, Texts } from './harvest-read.ts';
import { cycleOf } from './vocabularies.ts';

export const MAPPED_FIELDS = ['nameZh', 'nameEn', 'abstractZh', 'abstractEn', 'keywords', 'licence', 'updateCycle', 'formatType'] as const;
type MappedField = (typeof MAPPED_FIELDS)[number];

export type HarvestMapping = {
  fields: Partial<Record<MappedField, string>>;
  defaults: {
    updateCycle?: UpdateCycle;
    licence?: string;
    open?: boolean;
    sharingType?: (typeof SHARING_TYPES)[number];
    sharingCondition?: string;
    sharingBasis?: string;
    sharingMethods?: (typeof SHARING_METHODS)[number][];
    formatClass?: FormatClass;
    formatType?: string;
    themes?: string[];
    keywords?: string[];
  };
  themes: Record<string, string>;
  updateCycles: Record<string, UpdateCycle>;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Problem = (field: string, message: string, messageZh: string) => void;

function checkFields(fields: unknown, mapping: HarvestMapping, problem: Problem) {
  if (!isObject(fields)) return problem('fields', 'must map entry fields to source fields', '应为条目字段到来源字段的映射');
  for (const [k, v] of Object.entries(fields)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(k)) problem(`fields.${k}`, `is not a field a harvest maps (${MAPPED_FIELDS.join(', ')})`, `不是可映射的字段（${MAPPED_FIELDS.join('、')}）`);
    else if (typeof v !== 'string' || v.trim() === '' || v.length > 200) problem(`fields.${k}`, 'must name a source field, e.g. "extras.title_zh" (CKAN) or "dct:title@zh" (DCAT)', '应为来源字段名，如 "extras.title_zh"（CKAN）或 "dct:title@zh"（DCAT）');
    else mapping.fields[k as MappedField] = v.trim();
  }
}

function checkDefaults(d: unknown, problem: Problem): HarvestMapping['defaults'] {
  if (!isObject(d)) {
    problem('defaults', 'must be an object', '应为对象');
    return {};
  }
  const oneOf = <T extends string>(key: string, list: readonly T[]): T | undefined => {
    if (d[key] === undefined) return undefined;
    if (typeof d[key] === 'string' && (list as readonly string[]).includes(d[key] as string)) return d[key] as T;
    problem(`defaults.${key}`, `must be one of ${list.join(', ')}`, `应为 ${list.join('、')} 之一`);
    return undefined;
  };
  const textOf = (key: string, max: number): string | undefined => {
    if (d[key] === undefined) return undefined;
    if (typeof d[key] === 'string' && (d[key] as string).length <= max) return (d[key] as string).trim();
    problem(`defaults.${key}`, `must be text of at most ${max} characters`, `应为不超过 ${max} 个字符的文本`);
    return undefined;
  };
  const listOf = <T extends string>(key: string, check: (v: unknown) => boolean): T[] | undefined => {
    if (d[key] === undefined) return undefined;
    if (Array.isArray(d[key]) && (d[key] as unknown[]).every(check)) return d[key] as T[];
    problem(`defaults.${key}`, 'is not a list of allowed values', '不是允许值的列表');
    return undefined;
  };
  if (d.open !== undefined && typeof d.open !== 'boolean') problem('defaults.open', 'must be true or false', '应为 true 或 false');
  for (const key of Object.keys(d)) if (!DEFAULT_KEYS.includes(key)) problem(`defaults.${key}`, `is not a default a harvest takes (${DEFAULT_KEYS.join(', ')})`, `不是可设置的默认值（${DEFAULT_KEYS.join('、')}）`);
  return {
    updateCycle: oneOf('updateCycle', UPDATE_CYCLES),
    licence: textOf('licence', 200),
    open: typeof d.open === 'boolean' ? d.open : undefined,
    sharingType: oneOf('sharingType', SHARING_TYPES),
    sharingCondition: textOf('sharingCondition', 2000),
    sharingBasis: textOf('sharingBasis', 2000),
    sharingMethods: listOf('sharingMethods', (v) => (SHARING_METHODS as readonly unknown[]).includes(v)),
    formatClass: oneOf('formatClass', FORMAT_CLASSES),
    formatType: textOf('formatType', 60),
    themes: listOf('themes', (v) => typeof v === 'string' && THEME_ITEMS[v] !== undefined),
    keywords: listOf('keywords', (v) => typeof v === 'string' && v.length <= 40),
  };
}

const DEFAULT_KEYS = ['updateCycle', 'licence', 'open', 'sharingType', 'sharingCondition', 'sharingBasis', 'sharingMethods', 'formatClass', 'formatType', 'themes', 'keywords'];

/** Checks the mapping a harvest is given; its problems are named `mapping.…`. */
export function checkMapping(input: unknown): HarvestMapping {
  const errors: FieldError[] = [];
  const problem: Problem = (field, message, messageZh) => errors.push({ field: `mapping.${field}`, code: 'mapping', message, messageZh });
  const mapping: HarvestMapping = { fields: {}, defaults: {}, themes: {}, updateCycles: {} };
  if (input === undefined || input === null) return mapping;
  if (!isObject(input)) throw new ValidationError([{ field: 'mapping', code: 'type', message: 'must be an object with fields, defaults, themes and updateCycles', messageZh: '应为包含 fields、defaults、themes、updateCycles 的对象' }]);
  for (const key of Object.keys(input)) if (!['fields', 'defaults', 'themes', 'updateCycles'].includes(key)) problem(key, 'is not a part of a mapping (fields, defaults, themes, updateCycles)', '不是映射的组成部分（fields、defaults、themes、updateCycles）');
  checkFields(input.fields ?? {}, mapping, problem);
  mapping.defaults = checkDefaults(input.defaults ?? {}, problem);
  for (const [part, check, message, messageZh] of [
    ['themes', (v: unknown) => typeof v === 'string' && THEME_ITEMS[v] !== undefined, 'must map source themes to national themes 01–12', '应将来源主题映射为国家主题分类 01–12'],
    ['updateCycles', (v: unknown) => (UPDATE_CYCLES as readonly unknown[]).includes(v), `must map source frequencies to ${UPDATE_CYCLES.join(', ')}`, `应将来源更新频率映射为 ${UPDATE_CYCLES.join('、')}`],
  ] as const) {
    const value = input[part] ?? {};
    if (!isObject(value)) problem(part, message, messageZh);
    else
      for (const [k, v] of Object.entries(value)) {
        if (check(v)) (mapping[part] as Record<string, string>)[k] = v as string;
        else problem(`${part}.${k}`, message, messageZh);
      }
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return mapping;
}

/** A source field by the mapping's name: a dot path into a CKAN package (extras by key), or a DCAT property (`dct:title@zh`). */
export function sourceValue(raw: Record<string, unknown>, path: string): string | string[] | undefined {
  if (path in raw) return normalise(raw[path]);
  let value: unknown = raw;
  for (const part of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return normalise(value);
}

function normalise(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : isObject(v) && typeof v.name === 'string' ? v.name : JSON.stringify(v)));
  return undefined;
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const latin = (s: string | undefined) => (s && /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}\p{S}]+$/u.test(s) ? s : undefined);
const pickZh = (t: Texts) => t.zh ?? t.plain ?? t.en;
const pickEn = (t: Texts) => t.en ?? latin(t.plain);

/** The format class a format name suggests. */
function formatClassOf(format: string): FormatClass {
  const f = format.toUpperCase();
  if (['CSV', 'XLS', 'XLSX', 'ODS', 'TSV'].includes(f)) return 'spreadsheet';
  if (['JSON', 'XML', 'RDF', 'TTL', 'JSON-LD', 'JSONLD', 'GEOJSON'].includes(f)) return 'self-describing';
  if (['API', 'WMS', 'WFS', 'SPARQL', 'REST', 'ESRI REST'].includes(f)) return 'api';
  if (['PNG', 'JPG', 'JPEG', 'TIFF', 'GEOTIFF'].includes(f)) return 'image';
  return 'file';
}

function dataItemsOf(value: unknown): { name: string; nameEn: string; field: string; type: string; description: string }[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const items = value.filter(isObject).map((d) => ({
    name: String(d.name ?? '').trim(),
    nameEn: String(d.nameEn ?? d.name_en ?? '').trim(),
    // The field name in a serving API of the source's means nothing here unless it is a valid one.
    field: /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(String(d.field ?? '')) ? String(d.field) : '',
    type: (ITEM_TYPES as readonly string[]).includes(String(d.type)) ? String(d.type) : 'other',
    description: String(d.description ?? '').trim(),
  }));
  return items.every((i) => i.name !== '') ? items : undefined;
}

type Field = (name: MappedField) => string | string[] | undefined;

function keywordsOf(ds: SourceDataset, field: Field, mapping: HarvestMapping, warnings: string[]): string[] {
  const source = field('keywords');
  const all = [...(source === undefined ? ds.keywords : Array.isArray(source) ? source : source.split(/[,，;；]/)), ...(mapping.defaults.keywords ?? [])];
  const keywords = [...new Set(all.map((k) => k.trim()).filter((k) => k !== ''))];
  const tooLong = keywords.filter((k) => [...k].length > 40);
  if (tooLong.length > 0) warnings.push(`keywords longer than 40 characters left out: ${tooLong.join(', ')}`);
  const kept = keywords.filter((k) => [...k].length <= 40);
  if (kept.length > 30) warnings.push(`only the first 30 of ${kept.length} keywords kept`);
  return kept.slice(0, 30);
}

function updateCycleOf(ds: SourceDataset, field: Field, mapping: HarvestMapping, warnings: string[]): UpdateCycle {
  const frequency = first(field('updateCycle')) ?? ds.frequency;
  const cycle = frequency ? (mapping.updateCycles[frequency] ?? cycleOf(frequency)) : undefined;
  if (cycle) return cycle;
  const fallback = mapping.defaults.updateCycle ?? 'irregular';
  warnings.push(frequency ? `frequency "${frequency}" not understood: update cycle set to ${fallback}` : `no frequency stated: update cycle set to ${fallback}`);
  return fallback;
}

function formatOf(ds: SourceDataset, field: Field, mapping: HarvestMapping, warnings: string[]): { class: FormatClass; type: string } {
  const type = (first(field('formatType')) || ds.formats.join(', ') || mapping.defaults.formatType || '').slice(0, 60);
  if (!type) warnings.push('no format stated: format type set to "unspecified"');
  return { class: mapping.defaults.formatClass ?? formatClassOf(ds.formats[0] ?? ''), type: type || 'unspecified' };
}

function openness(ds: SourceDataset, field: Field, mapping: HarvestMapping, warnings: string[]): { licence: string; open: boolean } {
  const licence = (first(field('licence')) ?? ds.licence) || mapping.defaults.licence || '';
  const open = mapping.defaults.open ?? (licence !== '' && ds.licenceOpen !== false);
  if (open && licence === '') {
    warnings.push('open by the mapping, but no licence stated: harvested as not open');
    return { licence, open: false };
  }
  return { licence, open };
}

function themesOf(ds: SourceDataset, mapping: HarvestMapping): string[] {
  const themes = new Set(mapping.defaults.themes ?? []);
  for (const t of ds.themes) {
    // egov's own CKAN groups are theme-01 … theme-12.
    const mapped = mapping.themes[t] ?? /^theme-(\d{2})$/.exec(t)?.[1];
    if (mapped && THEME_ITEMS[mapped]) themes.add(mapped);
  }
  return [...themes].sort();
}

/** The metadata proposed for a source dataset, and what had to be made up. */
export function mapDataset(ds: SourceDataset, mapping: HarvestMapping): { input: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const field: Field = (name) => (mapping.fields[name] ? sourceValue(ds.raw, mapping.fields[name]!) : undefined);
  const d = mapping.defaults;
  const nameZh = first(field('nameZh')) ?? pickZh(ds.title) ?? '';
  let abstractZh = first(field('abstractZh')) ?? pickZh(ds.description) ?? '';
  if (abstractZh === '' && nameZh !== '') {
    abstractZh = nameZh;
    warnings.push('no description stated: the title stands in for the abstract; write one before submitting');
  }
  let dataItems = dataItemsOf(ds.dataItems);
  if (!dataItems) {
    dataItems = [{ name: '数据内容', nameEn: 'Data', field: '', type: 'other', description: 'The source states no fields: list the data items before submitting the entry.' }];
    warnings.push('the source states no data items: a placeholder item was written; list the real fields before submitting');
  }
  const sharingType = d.sharingType ?? 'unconditional';
  const methods = d.sharingMethods ?? (ds.formats.some((f) => formatClassOf(f) === 'api') ? ['api'] : ['bulk']);
  const { licence, open } = openness(ds, field, mapping, warnings);
  const input = {
    classification: { class: '3', item: '07', subItem: '000', detail: '' },
    nameZh,
    nameEn: first(field('nameEn')) ?? pickEn(ds.title) ?? '',
    abstractZh,
    abstractEn: first(field('abstractEn')) ?? pickEn(ds.description) ?? '',
    format: formatOf(ds, field, mapping, warnings),
    dataItems,
    sharing: { type: sharingType, condition: d.sharingCondition ?? '', basis: d.sharingBasis ?? '', methods: sharingType === 'none' ? [] : methods },
    open: { open, condition: '' },
    updateCycle: updateCycleOf(ds, field, mapping, warnings),
    themes: themesOf(ds, mapping),
    keywords: keywordsOf(ds, field, mapping, warnings),
    relatedCodes: [],
    exchangeService: '',
    licence,
  };
  return { input, warnings };
}
