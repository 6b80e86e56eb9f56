// Request and response schemas for nodes: registrations, the operator's decisions, the node list.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schemas.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Base64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength });
export const ZONES = ['internal', 'external', 'public'] as const;
const Zone = StringEnum(ZONES, 'internal (office network), external (business network) or public (Internet)');
const MemberId = Type.String({ minLength: 5, maxLength: 200, pattern: '^[^/]+/[^/]+/[^/]+$', description: 'INSTANCE/CLASS/CODE' });

export const RegistrationSubmit = Type.Object(
  {
    format: Type.Literal('egov-node-registration/1'),
    instance: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'lower-case letters, digits and -' }),
    url: Type.String({ minLength: 10, maxLength: 500, pattern: '^https://', description: "https URL of the node's mutual-TLS port" }),
    zone: Zone,
    members: Type.Array(MemberId, { minItems: 1, maxItems: 100 }),
    authKey: Base64(400),
    memberKeys: Type.Array(Type.Object({ member: MemberId, publicKey: Base64(400) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
    submittedAt: DateTime,
    signatures: Type.Object(
      { auth: Base64(400), members: Type.Array(Type.Object({ member: MemberId, signature: Base64(400) }, { additionalProperties: false }), { maxItems: 100 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RegistrationSubmit = Static<typeof RegistrationSubmit>;

const Certificates = Type.Object({ auth: Type.String(), members: Type.Array(Type.Object({ member: Type.String(), certificate: Type.String() })) });

/** What the registering node polls: public, since it carries only certificates. */
export const RegistrationStatus = Type.Object({
  id: Uuid,
  name: Type.String(),
  checkCode: Type.String(),
  status: StringEnum(['pending', 'approved', 'rejected'] as const),
  decidedAt: Nullable(DateTime),
  note: Nullable(Type.String()),
  certificates: Nullable(Certificates),
});
export type RegistrationStatus = Static<typeof RegistrationStatus>;

export const Registration = Type.Object({
  id: Uuid,
  name: Type.String(),
  url: Type.String(),
  zone: Zone,
  members: Type.Array(Type.String()),
  checkCode: Type.String(),
  status: StringEnum(['pending', 'approved', 'rejected'] as const),
  submittedAt: DateTime,
  submittedFrom: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(DateTime),
  decisionNote: Nullable(Type.String()),
  version: Type.Integer(),
});
export type Registration = Static<typeof Registration>;

export const NodeView = Type.Object({
  name: Type.String(),
  url: Type.String(),
  zone: Zone,
  central: Type.Boolean(),
  members: Type.Array(Type.String()),
  authSerial: Type.String(),
  status: StringEnum(['active', 'inactive'] as const),
  updatedAt: DateTime,
});
export type NodeView = Static<typeof NodeView>;

export const Decision = Type.Object({ version: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const Rejection = Type.Object({ version: Type.Integer({ minimum: 1 }), note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });
export const RegistrationQuery = Type.Object({ status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'] as const)) }, { additionalProperties: false });
export const RegistrationParams = Type.Object({ id: Uuid });
