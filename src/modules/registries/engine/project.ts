// What a reader is shown of a record. A consumer through the exchange sees only the fields its
// access right grants; the rest are omitted, except a field that must always be present (the
// record's identifier), which is shown masked: `110105********002X`. The owner's own staff
// see every field. Masking keeps enough to recognise a value, never enough to use it.
import { keepEnds, maskCreditCode, maskIdNumber, maskName, maskPhone } from '../../../platform/mask.ts';
import type { FieldDefinition, MaskKind, RegistryDefinition } from './definition.ts';
import type { RecordData } from './validate.ts';

const MASKS: Record<MaskKind, (text: string) => string> = {
  'id-number': maskIdNumber,
  'credit-code': maskCreditCode,
  name: maskName,
  phone: maskPhone,
  // The first six characters (province and city, as a rule).
  address: (text) => keepEnds(text, 6, 0),
  all: (text) => '*'.repeat([...text].length),
};

export function maskValue(kind: MaskKind, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => MASKS[kind](String(item)));
  return MASKS[kind](String(value));
}

export type Projection = {
  record: RecordData;
  /** Fields the reader was shown in full. */
  shown: string[];
  /** Fields present only masked. */
  masked: string[];
};

/**
 * The record as `granted` allows: null grants everything; a list grants those fields. A
 * field not granted is left out, or masked when the definition says it is always present.
 */
export function projectRecord(definition: RegistryDefinition, data: RecordData, granted: readonly string[] | null): Projection {
  const record: RecordData = {};
  const shown: string[] = [];
  const masked: string[] = [];
  for (const field of definition.fields) {
    const value = data[field.name];
    if (value === undefined) continue;
    if (granted === null || granted.includes(field.name)) {
      record[field.name] = value;
      shown.push(field.name);
    } else if (field.alwaysPresent) {
      record[field.name] = maskValue(field.mask ?? 'all', value);
      masked.push(field.name);
    }
  }
  return { record, shown, masked };
}

/** The definition as a consumer with `granted` fields sees it: only the fields it may read. */
export function visibleFields(definition: RegistryDefinition, granted: readonly string[] | null): FieldDefinition[] {
  return definition.fields.filter((f) => granted === null || granted.includes(f.name) || f.alwaysPresent);
}
