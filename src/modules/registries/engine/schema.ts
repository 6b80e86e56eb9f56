// Request and response shapes of the record routes (the staff API under /api/registries).
import { Type } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { FIELD_TYPES, SENSITIVITIES } from './definition.ts';
import { LIFE_EVENTS } from './life-events.ts';

const Name = Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'the registry name, e.g. population' });
export const RegistryParams = Type.Object({ name: Name });
export const RecordParams = Type.Object({ name: Name, key: Type.String({ minLength: 1, maxLength: 100 }) });

export const RegistrySummary = Type.Object({
  name: Type.String(),
  kind: Type.String(),
  version: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  ownerOrgId: Type.String(),
  updatedAt: Type.String(),
});

export const Field = Type.Object({
  name: Type.String(),
  type: StringEnum(FIELD_TYPES),
  labelZh: Type.String(),
  labelEn: Type.String(),
  required: Type.Boolean(),
  sensitivity: StringEnum(SENSITIVITIES),
  indexed: Type.Boolean(),
  alwaysPresent: Type.Boolean(),
  codeList: Type.Optional(Type.String()),
  codes: Type.Optional(Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() }))),
});

export const RegistryDetail = Type.Object({ ...RegistrySummary.properties, keyField: Type.String(), subject: Type.String(), fields: Type.Array(Field), recordCount: Type.Integer({ description: 'live records, counted up to 100000' }) });

export const OwnerBody = Type.Object({ ownerOrgId: Type.String({ format: 'uuid' }) });

const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'field → value, as the registry defines its fields' });
const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'why the record changes; kept with the version' });

export const RecordView = Type.Object({
  registry: Type.String(),
  key: Type.String(),
  version: Type.Integer(),
  data: Data,
  masked: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const RecordQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200, description: 'a case-insensitive regular expression' })),
    filter: Type.Optional(Type.String({ maxLength: 64, description: 'the field `search` looks in (otherwise the whole record)' })),
    orderBy: Type.Optional(Type.String({ maxLength: 64 })),
    ordering: Type.Optional(StringEnum(['ascending', 'descending'] as const)),
    page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    purpose: Type.Optional(Type.String({ maxLength: 200, description: 'why you read; kept in the reads log the data subject sees' })),
  },
  { additionalProperties: Type.String({ maxLength: 200 }), description: 'plus `where.<field>=value` for equality on a field' },
);

export const RecordPage = Type.Object({ count: Type.Union([Type.Integer(), Type.Null()]), page: Type.Integer(), pageSize: Type.Integer(), results: Type.Array(RecordView) });

export const ReadQuery = Type.Object({
  asOf: Type.Optional(Type.String({ maxLength: 40, description: 'the record as it was then: a date (end of that day, UTC+8) or a timestamp' })),
  purpose: Type.Optional(Type.String({ maxLength: 200 })),
});

export const Version = Type.Object({
  version: Type.Integer(),
  operation: Type.String(),
  data: Type.Union([Data, Type.Null()]),
  source: Type.String(),
  actorName: Type.String(),
  reason: Type.String(),
  event: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  changedAt: Type.String(),
  importId: Type.Union([Type.String(), Type.Null()]),
});

export const Read = Type.Object({
  id: Type.String(),
  registry: Type.String(),
  consumer: Type.String(),
  readerName: Type.String(),
  purpose: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  channel: Type.String(),
  xRoadId: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.String(),
});
export const ReadsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), before: Type.Optional(Type.String({ format: 'date-time' })) });

export const CreateBody = Type.Object({ data: Data, reason: Reason });
export const ReplaceBody = Type.Object({ version: Type.Integer({ minimum: 1, description: 'the version you read; 409 when the record changed since' }), data: Data, reason: Reason });
export const PatchBody = Type.Object({ version: Type.Integer({ minimum: 1 }), patch: Data, reason: Reason });
export const DeleteQuery = Type.Object({ version: Type.Integer({ minimum: 1 }), reason: Reason });

export const LifeEventBody = Type.Object(
  {
    type: StringEnum(LIFE_EVENTS),
    date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    idNumber: Type.Optional(Type.String({ maxLength: 18 })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    person: Type.Optional(Data),
    spouseId: Type.Optional(Type.String({ maxLength: 18 })),
    hukouDivision: Type.Optional(Type.String({ maxLength: 6 })),
    hukouAddress: Type.Optional(Type.String({ maxLength: 200 })),
    currentDivision: Type.Optional(Type.String({ maxLength: 6 })),
    currentAddress: Type.Optional(Type.String({ maxLength: 200 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
