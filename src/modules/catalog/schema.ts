// Request and response shapes of the catalog routes. The metadata's own rules are the
// service's (model.ts), so their errors name the field in both languages.
import { Type, type Static } from 'typebox';
import { UUID_PATTERN } from '../../platform/ids.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
const Metadata = Type.Record(Type.String(), Type.Unknown());
const Status = Type.Union([Type.Literal('draft'), Type.Literal('submitted'), Type.Literal('published'), Type.Literal('rejected')]);

export const EntryParams = Type.Object({ id: Uuid });

export const ListQuery = Type.Object(
  {
    view: Type.Optional(Type.Union([Type.Literal('base'), Type.Literal('theme'), Type.Literal('department')])),
    item: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
    theme: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
    provider: Type.Optional(Uuid),
    status: Type.Optional(Status),
    mine: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const CreateBody = Type.Object(
  {
    metadata: Metadata,
    // The check against duplicate construction (similar/): the ids of the similar entries the
    // editor showed, the drafter's confirmation that none is the same resource, and why.
    similarSeen: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    similarAcknowledged: Type.Optional(Type.Boolean()),
    similarNote: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const UpdateBody = Type.Object({ version: Type.Integer(), metadata: Metadata }, { additionalProperties: false });
export const StepBody = Type.Object({ version: Type.Integer(), comment: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });

export const SettingsBody = Type.Object({ reviewerOrgId: Type.Union([Uuid, Type.Null()]), answerWorkingDays: Type.Integer() }, { additionalProperties: false });
export const SettingsView = Type.Object({ reviewerOrgId: Type.Union([Type.String(), Type.Null()]), answerWorkingDays: Type.Integer() });

export const EntryView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  status: Status,
  version: Type.Integer(),
  provider: Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String(), creditCode: Type.String() }),
  metadata: Metadata,
  publishedVersion: Type.Integer(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  sourceRegistry: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const EntryPage = Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(EntryView) });

export const HistoryView = Type.Object({
  versions: Type.Array(Type.Object({ version: Type.Integer(), metadata: Metadata, publishedAt: Type.String(), publishedBy: Type.String(), note: Type.String() })),
  reviews: Type.Array(Type.Object({ action: Type.String(), actorName: Type.String(), comment: Type.String(), at: Type.String() })),
});

export const SyncView = Type.Array(Type.Object({ registry: Type.String(), code: Type.String(), changed: Type.Boolean() }));
