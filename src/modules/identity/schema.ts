// Request and response schemas of the identity API.
import { Type, type Static } from 'typebox';
import { ROLES } from '../../platform/actor.ts';
import { StringEnum } from '../../http/schemas.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
export const Role = StringEnum(ROLES);
const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$', description: 'letters, digits, dot, underscore, hyphen; 2-64 characters' });
const Password = Type.String({ minLength: 1, maxLength: 128 });
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });
export type IdParams = Static<typeof IdParams>;

const TotpCode = Type.String({ minLength: 1, maxLength: 16, description: 'the 6-digit code from the authenticator app' });

export const SignIn = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password, totp: Type.Optional({ ...TotpCode, description: 'required when the account has two-step sign-in on' }) },
  { additionalProperties: false },
);
export type SignIn = Static<typeof SignIn>;

export const SessionUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  orgId: Uuid,
  orgNameZh: Type.String(),
  orgNameEn: Type.String(),
  roles: Type.Array(Role),
});
export const SessionInfo = Type.Object({
  user: SessionUser,
  csrfToken: Type.String(),
  mustChangePassword: Type.Boolean(),
  idleTimeoutSeconds: Type.Integer(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const ChangePassword = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
export type ChangePassword = Static<typeof ChangePassword>;

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  orgId: Uuid,
  roles: Type.Array(Role),
  active: Type.Boolean(),
  locked: Type.Boolean(),
  lastSignInAt: NullableDateTime,
  createdAt: DateTime,
  version: Type.Integer(),
});
export type User = Static<typeof User>;

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    orgId: Uuid,
    roles: Type.Array(Role, { minItems: 1, maxItems: 5, uniqueItems: true }),
    password: Password,
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    roles: Type.Optional(Type.Array(Role, { minItems: 1, maxItems: 5, uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const ResetPassword = Type.Object({ password: Password }, { additionalProperties: false });
export type ResetPassword = Static<typeof ResetPassword>;

export const UserQuery = Type.Object(
  {
    orgId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type UserQuery = Static<typeof UserQuery>;

export const UserPage = Type.Object({ items: Type.Array(User), total: Type.Integer() });

export const TokenCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }) },
  { additionalProperties: false },
);
export type TokenCreate = Static<typeof TokenCreate>;

export const Token = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  createdAt: DateTime,
  expiresAt: DateTime,
  lastUsedAt: NullableDateTime,
  revokedAt: NullableDateTime,
});
export type Token = Static<typeof Token>;

export const CreatedToken = Type.Object({ id: Uuid, name: Type.String(), token: Type.String(), prefix: Type.String(), expiresAt: DateTime });
export type CreatedToken = Static<typeof CreatedToken>;

export const TotpStatus = Type.Object({
  enabled: Type.Boolean(),
  required: Type.Boolean({ description: 'administrators must keep it on' }),
  pending: Type.Boolean({ description: 'a new secret waits for its first code' }),
});
export type TotpStatus = Static<typeof TotpStatus>;

export const TotpEnrolment = Type.Object({ secret: Type.String({ description: 'Base32; shown once' }), uri: Type.String({ description: 'otpauth:// URI for an authenticator app; shown once' }) });
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const TotpCodeBody = Type.Object({ code: TotpCode }, { additionalProperties: false });
export type TotpCodeBody = Static<typeof TotpCodeBody>;
