// Shapes of the share-request routes; the rules (items, dates, subsystem) are the service's.
import { Type } from 'typebox';
import { UUID_PATTERN } from '../../../platform/ids.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('withdrawn'), Type.Literal('revoked'), Type.Literal('expired')]);
const Org = Type.Object({ id: Type.String(), nameZh: Type.String(), nameEn: Type.String() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const RequestParams = Type.Object({ id: Uuid });

export const CreateBody = Type.Object(
  {
    entryId: Type.String({ maxLength: 100 }),
    items: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 }),
    purpose: Type.String({ maxLength: 4000 }),
    legalBasis: Type.String({ maxLength: 4000 }),
    periodFrom: Type.String({ maxLength: 40 }),
    periodTo: Type.String({ maxLength: 40 }),
    subsystem: Type.String({ maxLength: 600 }),
  },
  { additionalProperties: false },
);

export const ApproveBody = Type.Object({ version: Type.Integer(), items: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 500 })), reason: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ version: Type.Integer(), reason: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
export const VersionBody = Type.Object({ version: Type.Integer() }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    box: Type.Union([Type.Literal('mine'), Type.Literal('incoming'), Type.Literal('escalated')]),
    status: Type.Optional(Status),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const RequestView = Type.Object({
  id: Type.String(),
  entry: Type.Object({ id: Type.String(), code: Type.String(), version: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() }),
  provider: Org,
  consumer: Org,
  subsystem: Type.String(),
  items: Type.Array(Type.String()),
  grantedItems: Nullable(Type.Array(Type.String())),
  purpose: Type.String(),
  legalBasis: Type.String(),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  status: Status,
  due: Nullable(Type.Object({ date: Type.String(), at: Type.String(), confirmed: Type.Boolean(), workingDaysLeft: Nullable(Type.Integer()) })),
  escalatedAt: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  answeredBy: Nullable(Type.String()),
  reason: Type.String(),
  serviceIdentifier: Type.String(),
  rightIds: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

export const RequestPage = Type.Object({ total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), items: Type.Array(RequestView) });

export const Statistics = Type.Array(
  Type.Object({
    organization: Org,
    made: Type.Integer(),
    received: Type.Integer(),
    approved: Type.Integer(),
    rejected: Type.Integer(),
    pending: Type.Integer(),
    overdue: Type.Integer(),
    approvalRate: Nullable(Type.Number()),
    averageWorkingDaysToAnswer: Nullable(Type.Number()),
  }),
);
