// A registry's fields as people read and type them: labels and code names in the UI language,
// values for display, form text to and from record values, and the server's field problems
// keyed by field. Everything here follows the definition the server sends, so a new registry
// needs no code.
import type { Lang } from '../../../i18n/index.tsx';
import type { FieldInfo, RecordData, RegistryDetail } from './api.ts';

export const fieldLabel = (field: Pick<FieldInfo, 'labelZh' | 'labelEn'>, lang: Lang) => (lang === 'en' ? field.labelEn || field.labelZh : field.labelZh || field.labelEn);
export const registryTitle = (r: { titleZh: string; titleEn: string }, lang: Lang) => (lang === 'en' ? r.titleEn || r.titleZh : r.titleZh || r.titleEn);
export const registryDescription = (r: { descriptionZh: string; descriptionEn: string }, lang: Lang) => (lang === 'en' ? r.descriptionEn || r.descriptionZh : r.descriptionZh || r.descriptionEn);

/** Every field's label by name, for error summaries and the reads log. */
export function labelsOf(definition: RegistryDetail, lang: Lang): Record<string, string> {
  return Object.fromEntries(definition.fields.map((f) => [f.name, fieldLabel(f, lang)]));
}

/**
 * A code field with no code list holds an administrative division code (GB/T 2260): the
 * engine's only list-less codes are divisions, checked against the division table.
 */
export const isDivisionField = (field: FieldInfo) => field.type === 'code' && !field.codes;

/** A code's name in the UI language, or undefined when the list does not have it. */
export function codeName(field: FieldInfo, code: string, lang: Lang): string | undefined {
  const entry = field.codes?.find((c) => c.code === code);
  return entry ? (lang === 'en' ? entry.en : entry.zh) : undefined;
}

/** A value as text for a table or a description list; code values by their names. */
export function displayValue(field: FieldInfo, value: unknown, lang: Lang, yesNo: [string, string]): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.map(String).join(lang === 'en' ? '; ' : '；');
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  const text = String(value);
  if (field.type === 'code' && field.codes) {
    const name = codeName(field, text, lang);
    // Official codes (1, 20, CNY) are worth seeing beside their names; word codes (living) are not.
    return name ? (/^[0-9A-Z]+$/.test(text) ? `${name} (${text})` : name) : text;
  }
  return text;
}

/** The handful of fields a results table shows beside the key. */
const MAIN_FIELDS: Record<string, string[]> = {
  population: ['name', 'sex', 'birthDate', 'hukouDivision', 'status'],
  'legal-entities': ['name', 'entityType', 'legalRepName', 'divisionCode', 'status'],
};

export function mainFields(definition: RegistryDetail): FieldInfo[] {
  const byName = new Map(definition.fields.map((f) => [f.name, f]));
  const chosen = (MAIN_FIELDS[definition.name] ?? []).map((n) => byName.get(n)).filter((f): f is FieldInfo => f !== undefined);
  if (chosen.length > 0) return chosen;
  return definition.fields.filter((f) => f.name !== definition.keyField && f.required && f.type !== 'text').slice(0, 4);
}

/** Fields a search can look a value up in: the indexed ones (the key first). */
export function searchableFields(definition: RegistryDetail): FieldInfo[] {
  const indexed = definition.fields.filter((f) => f.indexed);
  return [...indexed.filter((f) => f.name === definition.keyField), ...indexed.filter((f) => f.name !== definition.keyField)];
}

export type FormValues = Record<string, string>;

/** A record's values as form text: lists joined with semicolons, booleans as true/false. */
export function toFormValues(definition: RegistryDetail, data: RecordData | undefined): FormValues {
  const out: FormValues = {};
  for (const field of definition.fields) {
    const value = data?.[field.name];
    out[field.name] = value === undefined || value === null ? '' : Array.isArray(value) ? value.map(String).join('; ') : String(value);
  }
  return out;
}

/** Form text as record data: empty fields left out, lists split at commas or semicolons. */
export function fromFormValues(fields: FieldInfo[], values: FormValues): RecordData {
  const data: RecordData = {};
  for (const field of fields) {
    const text = (values[field.name] ?? '').trim();
    if (text === '') continue;
    if (field.type === 'string-list') {
      const items = text
        .split(/[,;，；、]/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length > 0) data[field.name] = items;
    } else if (field.type === 'boolean') data[field.name] = text === 'true';
    else data[field.name] = text;
  }
  return data;
}

// The server's field problems are shared with the geospatial and macroeconomic pages.
export { problemField, problemMessage, problemsByField } from '../problems.ts';

/** Escapes text for the API's regular-expression search, so free text matches as typed. */
export const literalPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
