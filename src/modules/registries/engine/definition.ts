// What a registry is: a named, versioned schema of flat fields, each with a type, reusable
// validators and a sensitivity class, plus record rules that relate fields to each other
// (an ID number's birth date and sex agree with the record's). Definitions are plain JSON so
// they can be stored, published through the GovStack database API and compared; the rules
// and validators they name are looked up in code (validators.ts), never evaluated from data.

export const SENSITIVITIES = ['public', 'internal', 'personal', 'sensitive'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const FIELD_TYPES = ['string', 'text', 'integer', 'decimal', 'date', 'boolean', 'code', 'string-list'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A reusable check, named; `args` for the parameterised ones (a code list, a pattern). */
export type ValidatorRef =
  | { name: 'id-number' }
  | { name: 'credit-code' }
  | { name: 'division-code' }
  | { name: 'past-date' }
  | { name: 'code-list'; list: string }
  | { name: 'pattern'; pattern: string; hintEn: string; hintZh: string }
  | { name: 'length'; max: number; min?: number }
  | { name: 'range'; min?: number; max?: number }
  | { name: 'person-exists' };

/** How a field is shown to a consumer whose right does not include it but who must see it. */
export type MaskKind = 'id-number' | 'credit-code' | 'name' | 'phone' | 'address' | 'all';

export type FieldDefinition = {
  name: string;
  type: FieldType;
  labelZh: string;
  labelEn: string;
  required?: boolean;
  validators?: ValidatorRef[];
  sensitivity: Sensitivity;
  /** Present (masked) in every answer even when not granted: the record's identifier. */
  alwaysPresent?: boolean;
  mask?: MaskKind;
  /** Indexed for lookups and filters (GovStack `query.<field>`). */
  indexed?: boolean;
};

/** A rule over a whole record, by name; see validators.ts for what each checks. */
export type RecordRuleName = 'id-number-agrees' | 'credit-code-type-agrees' | 'credit-code-division-agrees' | 'status-dates-agree';

export type RegistryDefinition = {
  /** URL-safe name: `population`, `legal-entities`. */
  name: string;
  /**
   * records: flat records kept by the engine (population, legal entities, GovStack-defined
   * registries); geospatial and macroeconomic keep their own tables and only borrow the
   * registry's name, owner and title.
   */
  kind: 'records' | 'geospatial' | 'macroeconomic';
  /** The schema version, as GovStack's `{versionNumber}`: `1.0`. */
  version: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** The field whose value identifies a record (ID number, credit code). */
  keyField: string;
  /** Whether records are about a person or an entity, whose reads are logged for them. */
  subject: 'person' | 'entity' | 'none';
  fields: FieldDefinition[];
  rules?: RecordRuleName[];
};

/** The code lists registries validate against: code → [zh, en]. */
export type CodeList = Record<string, readonly [string, string]>;
