// Request and response shapes of a service's e-form. The schema bounds sizes and types; the
// content rules (unique keys, options, both languages, sane limits, known registry fields) are
// model.ts's, so their problems come in both languages and name the field.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { FORM_FIELD_TYPES, FORM_LIMITS, MAX_TEXT } from './model.ts';
import { PREFILL_SOURCES } from './prefill.ts';

const Text = (maxLength: number) => Type.String({ maxLength });
const Count = Type.Integer({ minimum: 0, maximum: MAX_TEXT });
/** A row version: the column is a 4-byte integer; 0 is "no form yet". */
const Version = Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'The version read: 0 when the service has no form yet' });

const Option = Type.Object({ value: Text(100), labelZh: Text(200), labelEn: Text(300) }, { additionalProperties: false });
export const FormField = Type.Object(
  {
    key: Text(40),
    type: StringEnum(FORM_FIELD_TYPES),
    labelZh: Text(200),
    labelEn: Text(300),
    hintZh: Type.Optional(Text(1000)),
    hintEn: Type.Optional(Text(1500)),
    required: Type.Boolean(),
    section: Type.Optional(Text(40)),
    options: Type.Optional(Type.Array(Option, { maxItems: FORM_LIMITS.options })),
    minLength: Type.Optional(Count),
    maxLength: Type.Optional(Count),
    min: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
    max: Type.Optional(Type.Number({ minimum: -1e15, maximum: 1e15 })),
    minDate: Type.Optional(Text(10)),
    maxDate: Type.Optional(Text(10)),
    pattern: Type.Optional(Text(FORM_LIMITS.pattern)),
    prefill: Type.Optional(Type.Object({ source: StringEnum(PREFILL_SOURCES), field: Text(64) }, { additionalProperties: false, description: 'The base registry field the platform fetches for the applicant (once only)' })),
    locked: Type.Optional(Type.Boolean({ description: 'A prefilled value the applicant cannot change' })),
  },
  { additionalProperties: false },
);
export const FormSection = Type.Object({ key: Text(40), labelZh: Text(200), labelEn: Text(300), hintZh: Type.Optional(Text(1000)), hintEn: Type.Optional(Text(1500)) }, { additionalProperties: false });

const definition = {
  sections: Type.Array(FormSection, { maxItems: FORM_LIMITS.sections }),
  fields: Type.Array(FormField, { maxItems: FORM_LIMITS.fields }),
};

export const FormBody = Type.Object({ version: Version, ...definition }, { additionalProperties: false });
export type FormBody = Static<typeof FormBody>;

export const FormView = Type.Object({
  code: Type.String({ description: "The service's item code" }),
  serviceStatus: StringEnum(['draft', 'published', 'withdrawn'] as const),
  version: Type.Integer({ description: 'The form version: 0 when the service has no form yet' }),
  ...definition,
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type FormView = Static<typeof FormView>;

export const PrefillFieldList = Type.Object({
  items: Type.Array(Type.Object({ source: StringEnum(PREFILL_SOURCES), registry: Type.String(), field: Type.String(), labelZh: Type.String(), labelEn: Type.String(), types: Type.Array(StringEnum(FORM_FIELD_TYPES)) })),
});
