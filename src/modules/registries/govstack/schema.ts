// Request and response shapes of the GovStack Digital Registries API, after the
// specification's own (digital-registries-data-1.3.0, digital-registries-database-1.3.0).
// The spec's example record schema is generic: here `content` is a record under the
// registry's own fields, which /database/{id} publishes. Bodies are checked against these
// schemas on both ways in (direct routes and the exchange's built-in backend), by checkBody.
import { Ajv, type ErrorObject } from 'ajv';
import { Type, type TSchema } from 'typebox';
import { ValidationError, type FieldError } from '../../../platform/errors.ts';

const Content = Type.Record(Type.String(), Type.Unknown(), { description: "a record under the registry's own field names (see its schema at /database/{id})" });
const Part = Type.Object({ content: Content }, { additionalProperties: false });

export const WriteBody = Type.Object({ write: Part }, { additionalProperties: false });
export const QueryBody = Type.Object({ query: Part }, { additionalProperties: false });
export const UpdateBody = Type.Object({ query: Type.Optional(Part), write: Part }, { additionalProperties: false, description: 'query: the record to change (or the key field in write.content); write: the fields to change (null clears one)' });
export const UpdateEntriesBody = Type.Object({ query: Part, write: Part }, { additionalProperties: false, description: 'query (required here): the records to change, at most 1000; write: the fields to change' });

export const ModifyBody = Type.Object(
  {
    groupName: Type.Optional(Type.String({ maxLength: 200 })),
    catalogName: Type.Optional(Type.String({ maxLength: 200, description: "the registry's title" })),
    code: Type.String({ minLength: 2, maxLength: 63, description: 'the database code; lower-cased it is the registry name' }),
    version: Type.Optional(Type.String({ maxLength: 20, description: 'the schema version; by default 1.0 for a new registry, the next minor version for a changed one' })),
    schema: Type.Record(Type.String(), Type.Unknown(), { description: 'the DatabaseSchema: type, properties (one per field, one with primaryKey), required, description, filename, creationDate; x-egov for labels, sensitivity and validators' }),
  },
  { additionalProperties: false },
);

const Uri = Type.Union([Type.String(), Type.Null()]);
export const ListAnswer = Type.Object({ count: Type.Integer({ description: 'matching records, counted up to 100000' }), next: Uri, previous: Uri, results: Type.Array(Content) });
export const ContentAnswer = Type.Object({ content: Content });
export const ExistsAnswer = Type.Object({ answer: Type.Object({ status: Type.Boolean(), message: Type.String() }) });
export const CountAnswer = Type.Object({ count: Type.Integer({ description: 'records changed' }) });
export const ValueAnswer = Type.Union([Type.String(), Type.Object({ value: Type.Unknown() })]);
export const UsageAnswer = Type.Array(
  Type.Object({
    id: Type.String(),
    readerId: Type.String(),
    readerInitials: Type.Optional(Type.String()),
    readerInstitutionId: Type.Optional(Type.String()),
    readerInstitutionName: Type.Optional(Type.String()),
    readerApplicationName: Type.String(),
    searchDateTime: Type.String({ format: 'date-time' }),
    refrences: Type.Array(Type.Object({ ReferenceID: Type.String() })),
    purpose: Type.Union([Type.String(), Type.Null()]),
    fields: Type.Array(Type.String()),
  }),
);
const Schema = Type.Record(Type.String(), Type.Unknown(), { description: 'DatabaseSchema' });
export const DatabaseSchema = Schema;
export const DatabaseInfo = Type.Record(Type.String(), Type.Unknown(), { description: 'DatabaseInfo: id, version, name, description, institution, schema, schemaTags, schemaFlags, fieldsUniques, isDraft, isDisabled, isArchived, modifiedAt, genericServices, hasLogo' });
export const DatabasesAnswer = Type.Object({ id: Type.Integer(), name: Type.String(), code: Type.String(), databases: Type.Array(DatabaseInfo), groupId: Type.Integer(), order: Type.Integer() });

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<TSchema, ReturnType<typeof ajv.compile>>();

function fieldOf(error: ErrorObject): FieldError {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const name = params.missingProperty ?? params.additionalProperty;
  const field = [error.instancePath.replace(/^\//, '').replaceAll('/', '.'), name].filter(Boolean).join('.') || 'body';
  if (params.additionalProperty) return { field, code: 'unknown_field', message: 'is not a field of this request', messageZh: '不是本请求的字段' };
  if (params.missingProperty) return { field, code: 'required', message: 'is required', messageZh: '必填' };
  return { field, code: error.keyword, message: error.message ?? 'is invalid', messageZh: '无效' };
}

/** Checks a body against its schema, naming each wrong field, the same way in from either side. */
export function checkBody(schema: TSchema, body: unknown): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiled.set(schema, validate);
  }
  if (!validate(body ?? null)) throw new ValidationError((validate.errors ?? []).map(fieldOf));
}
