// The builder's state: the form as editable rows (numbers as typed text, the prefill as one
// "source.field" choice), read from a saved form and turned back into a definition. Only the
// properties a field's type uses are sent, so changing a field's type leaves nothing stale.
// Numbers the inputs cannot mean are refused here as field problems, as the server would name them.
import { ApiError, type FieldProblem } from '../../api.ts';
import type { Translate } from '../../i18n/index.tsx';
import { problemField } from '../registries/problems.ts';
import { CHOICE_TYPES, TEXT_TYPES, type FormDefinition, type FormField, type FormFieldType } from './form-api.ts';

let nextKey = 0;
const rowKey = () => ++nextKey;

export type OptionRow = { rowKey: number; value: string; labelZh: string; labelEn: string };
export type SectionRow = { rowKey: number; key: string; labelZh: string; labelEn: string; hintZh: string; hintEn: string };
export type FieldRow = {
  rowKey: number;
  key: string;
  type: FormFieldType;
  labelZh: string;
  labelEn: string;
  hintZh: string;
  hintEn: string;
  required: boolean;
  section: string;
  options: OptionRow[];
  minLength: string;
  maxLength: string;
  min: string;
  max: string;
  minDate: string;
  maxDate: string;
  pattern: string;
  /** "person.name", or "" when not prefilled. */
  prefill: string;
  locked: boolean;
};
export type BuilderValues = { sections: SectionRow[]; fields: FieldRow[] };

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export const newOption = (o?: { value: string; labelZh: string; labelEn: string }): OptionRow => ({ rowKey: rowKey(), value: o?.value ?? '', labelZh: o?.labelZh ?? '', labelEn: o?.labelEn ?? '' });
export const newSection = (s?: FormDefinition['sections'][number]): SectionRow => ({ rowKey: rowKey(), key: s?.key ?? '', labelZh: s?.labelZh ?? '', labelEn: s?.labelEn ?? '', hintZh: s?.hintZh ?? '', hintEn: s?.hintEn ?? '' });
export function newField(f?: FormField): FieldRow {
  return {
    rowKey: rowKey(),
    key: f?.key ?? '',
    type: f?.type ?? 'text',
    labelZh: f?.labelZh ?? '',
    labelEn: f?.labelEn ?? '',
    hintZh: f?.hintZh ?? '',
    hintEn: f?.hintEn ?? '',
    required: f?.required ?? true,
    section: f?.section ?? '',
    options: (f?.options ?? []).map(newOption),
    minLength: text(f?.minLength),
    maxLength: text(f?.maxLength),
    min: text(f?.min),
    max: text(f?.max),
    minDate: f?.minDate ?? '',
    maxDate: f?.maxDate ?? '',
    pattern: f?.pattern ?? '',
    prefill: f?.prefill ? `${f.prefill.source}.${f.prefill.field}` : '',
    locked: f?.locked ?? false,
  };
}

export const valuesOf = (form: FormDefinition): BuilderValues => ({ sections: form.sections.map(newSection), fields: form.fields.map(newField) });

const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;
const COUNT = /^\d{1,5}$/;
type Parse = (raw: string, name: string) => number | undefined;

function fieldOf(row: FieldRow, parse: { number: Parse; count: Parse }, index: number): FormField {
  const at = (name: string) => `fields.${index}.${name}`;
  const isText = TEXT_TYPES.includes(row.type);
  const counted = row.type === 'checkbox' && row.options.length > 0;
  const [source, field] = row.prefill.split('.');
  const out: FormField = { key: row.key.trim(), type: row.type, labelZh: row.labelZh, labelEn: row.labelEn, required: row.required };
  if (row.hintZh.trim()) out.hintZh = row.hintZh;
  if (row.hintEn.trim()) out.hintEn = row.hintEn;
  if (row.section) out.section = row.section;
  if (CHOICE_TYPES.includes(row.type) && row.options.length > 0) out.options = row.options.map(({ value, labelZh, labelEn }) => ({ value: value.trim(), labelZh, labelEn }));
  if (isText) {
    const min = parse.count(row.minLength, at('minLength'));
    const max = parse.count(row.maxLength, at('maxLength'));
    if (min !== undefined) out.minLength = min;
    if (max !== undefined) out.maxLength = max;
  }
  if (row.type === 'number' || counted) {
    const p = row.type === 'number' ? parse.number : parse.count;
    const min = p(row.min, at('min'));
    const max = p(row.max, at('max'));
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
  }
  if (row.type === 'date') {
    if (row.minDate.trim()) out.minDate = row.minDate.trim();
    if (row.maxDate.trim()) out.maxDate = row.maxDate.trim();
  }
  if ((row.type === 'text' || row.type === 'textarea') && row.pattern) out.pattern = row.pattern;
  if (source && field) {
    out.prefill = { source: source as 'person' | 'enterprise', field };
    if (row.locked) out.locked = true;
  }
  return out;
}

/** The definition as far as the values can be read (the preview: nothing refused). */
export function formOf(v: BuilderValues): FormDefinition {
  const lenient: Parse = (raw) => (NUMBER.test(raw.trim()) ? Number(raw.trim()) : undefined);
  return {
    sections: v.sections.map((s) => ({ key: s.key.trim(), labelZh: s.labelZh, labelEn: s.labelEn, ...(s.hintZh.trim() ? { hintZh: s.hintZh } : {}), ...(s.hintEn.trim() ? { hintEn: s.hintEn } : {}) })),
    fields: v.fields.map((f, i) => fieldOf(f, { number: lenient, count: lenient }, i)),
  };
}

/** What is sent; numbers that are not numbers are refused as field problems first. */
export function bodyOf(v: BuilderValues, t: Translate): FormDefinition {
  const problems: FieldProblem[] = [];
  const strict =
    (pattern: RegExp, message: string): Parse =>
    (raw, name) => {
      if (raw.trim() === '') return undefined;
      if (!pattern.test(raw.trim())) {
        problems.push({ field: name, code: 'number', message });
        return undefined;
      }
      return Number(raw.trim());
    };
  const parse = { number: strict(NUMBER, t('serviceForms.numberInvalid')), count: strict(COUNT, t('serviceForms.countInvalid')) };
  const form = { ...formOf(v), fields: v.fields.map((f, i) => fieldOf(f, parse, i)) };
  if (problems.length) throw new ApiError(400, 'validation_failed', t('error.validation_failed'), problems);
  return form;
}

/** A problem's field in the builder's terms: "fields/1/key" and "body.fields.1.key" are both "fields.1.key". */
export const normalField = (problem: FieldProblem) => problemField(problem).replaceAll('/', '.');

/**
 * The input a problem is written beside: a section's or option's own problem (both names
 * missing) beside its Chinese title, a prefill's beside the prefill choice, a list's beside the list.
 */
export function inputOf(field: string): string {
  if (/^sections\.\d+$/.test(field)) return `${field}.labelZh`;
  if (/^fields\.\d+\.options\.\d+$/.test(field)) return `${field}.labelZh`;
  if (/^fields\.\d+\.prefill(\..*)?$/.test(field)) return field.replace(/\.prefill.*$/, '.prefill');
  if (/^fields\.\d+\.options\.\d+\.\w+$/.test(field)) return field;
  if (/^fields\.\d+$/.test(field)) return `${field}.key`;
  return field;
}
