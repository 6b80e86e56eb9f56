// What an e-form may prefill from the base registries ("once only": the applicant confirms a
// value the government already holds instead of typing it again): the person's own record in
// population, and the acting enterprise's record in legal entities. The list is the registries'
// own definitions, so a field a registry does not have cannot be named. Internal fields (a
// record's status) are not the applicant's to see; sensitive ones (ethnicity) are not offered,
// so a form asks for them only when its law requires, and then the applicant types them.
import { LEGAL_ENTITIES, POPULATION, type FieldDefinition } from '../../registries/index.ts';
import type { FormFieldType } from './model.ts';

export const PREFILL_SOURCES = ['person', 'enterprise'] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

export type PrefillField = { source: PrefillSource; registry: string; field: string; labelZh: string; labelEn: string; types: FormFieldType[] };

/** The form field types a registry field's value fits. */
function typesFor(field: FieldDefinition): FormFieldType[] {
  const validators = new Set((field.validators ?? []).map((v) => v.name));
  if (validators.has('id-number')) return ['id-number', 'text'];
  if (validators.has('credit-code')) return ['credit-code', 'text'];
  switch (field.type) {
    case 'date':
      return ['date'];
    case 'integer':
    case 'decimal':
      return ['number'];
    case 'code':
      return ['select', 'radio', 'text'];
    case 'text':
      return ['textarea', 'text'];
    case 'string':
      return /address/i.test(field.name) ? ['address', 'text', 'textarea'] : ['text', 'textarea', 'address'];
    default:
      return [];
  }
}

const offered = (source: PrefillSource, registry: { name: string; fields: FieldDefinition[] }): PrefillField[] =>
  registry.fields
    .filter((f) => (f.sensitivity === 'public' || f.sensitivity === 'personal') && typesFor(f).length > 0)
    .map((f) => ({ source, registry: registry.name, field: f.name, labelZh: f.labelZh, labelEn: f.labelEn, types: typesFor(f) }));

export const PREFILL_FIELDS: readonly PrefillField[] = [...offered('person', POPULATION), ...offered('enterprise', LEGAL_ENTITIES)];

export function findPrefillField(source: string, field: string): PrefillField | undefined {
  return PREFILL_FIELDS.find((p) => p.source === source && p.field === field);
}
