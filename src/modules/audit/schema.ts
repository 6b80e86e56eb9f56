import { Type, type Static } from 'typebox';
import { UUID_PATTERN } from '../../platform/ids.ts';

export const AuditQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    orgId: Type.Optional(Type.String({ pattern: UUID_PATTERN })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEventView = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Type.String(),
  orgId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subjectType: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEventView = Static<typeof AuditEventView>;

export const AuditPage = Type.Object({ items: Type.Array(AuditEventView), total: Type.Integer() });

export const VerifyView = Type.Object({
  ok: Type.Boolean(),
  rows: Type.Integer(),
  firstBadSeq: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
});
