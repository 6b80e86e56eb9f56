// Request and response shapes of the licence routes (staff under /api/licences, the public
// verification under /api/public/licences).
import { Type } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { HOLDER_KINDS } from './model.ts';

const STATUSES = ['valid', 'revoked', 'expired', 'not_yet_valid'] as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const LicenceType = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const IdentifierParams = Type.Object({ identifier: Type.String({ maxLength: 200 }) });

export const ListQuery = Type.Object(
  {
    orgId: Type.Optional(Type.String({ format: 'uuid', description: "The issuing organization; default: yours (another's: the platform administrator only)" })),
    status: Type.Optional(StringEnum(['valid', 'revoked'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

export const RevokeBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why, as the holder and verifiers will read it' }) }, { additionalProperties: false });

export const SealCheck = Type.Object({
  verifies: Type.Boolean(),
  reason: Type.Union([Bilingual, Type.Null()]),
  sealName: Nullable(Type.String()),
  certificateSerial: Type.String(),
  sealedAt: Nullable(Type.String()),
  timestamped: Type.Boolean(),
});

export const LicenceView = Type.Object({
  id: Type.String(),
  identifier: Type.String({ description: 'GB/T 36904 identifier' }),
  status: StringEnum(STATUSES),
  type: LicenceType,
  serviceCode: Type.String(),
  applicationId: Nullable(Type.String()),
  issuer: Type.Object({ orgId: Type.String(), creditCode: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  holder: Type.Object({ kind: StringEnum(HOLDER_KINDS), idNumber: Type.String(), name: Type.String(), citizenId: Nullable(Type.String()) }),
  fields: Type.Array(Type.Object({ key: Type.String(), labelZh: Type.String(), labelEn: Type.String(), value: Type.String(), public: Type.Optional(Type.Boolean()) })),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  issuedAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  revocationReason: Nullable(Type.String()),
  verificationUrl: Type.String(),
});

export const LicenceList = Type.Object({ items: Type.Array(LicenceView), total: Type.Integer() });

export const PublicLicence = Type.Object({
  identifier: Type.String(),
  status: StringEnum(STATUSES),
  type: LicenceType,
  issuer: Type.Object({ creditCode: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  holder: Type.Object({ kind: StringEnum(HOLDER_KINDS), name: Type.String(), id: Type.String(), masked: Type.Boolean({ description: "A person's name and ID number are masked" }) }),
  fields: Type.Array(Type.Object({ labelZh: Type.String(), labelEn: Type.String(), value: Type.String() })),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  issuedAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  revocationReason: Nullable(Type.String()),
  seal: SealCheck,
  verificationUrl: Type.String(),
});
