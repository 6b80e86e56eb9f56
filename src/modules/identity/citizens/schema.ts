// Request and response schemas of the citizen routes (TypeBox). Lengths are bounds only:
// the services check the content and answer naming the field in both languages.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import { UUID_PATTERN } from '../../../platform/ids.ts';

const text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });

export const CitizenRegister = Type.Object(
  {
    idNumber: text(32, 'Citizen identity number (GB 11643), 18 characters'),
    name: text(100, 'Name as on the ID card'),
    phone: Type.Optional(text(32, 'Mainland China mobile number')),
    email: Type.Optional(text(254)),
    password: text(200),
  },
  { additionalProperties: false },
);
export type CitizenRegister = Static<typeof CitizenRegister>;

export const CitizenAccount = Type.Object({
  sub: Type.String(),
  name: Type.String(),
  idNumberMasked: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
});

const DataRead = Type.Object({
  at: Type.Union([Type.String(), Type.Null()], { description: 'When the record was read' }),
  institution: Type.Union([Type.String(), Type.Null()], { description: 'The organization that read it' }),
  application: Type.Union([Type.String(), Type.Null()], { description: 'Its system (or the workbench)' }),
  reader: Type.Union([Type.String(), Type.Null()], { description: 'The person or system account named as the reader' }),
  purpose: Type.Union([Type.String(), Type.Null()], { description: 'The purpose given (X-Road-Issue)' }),
  fields: Type.Array(Type.String(), { description: 'The fields the reader was shown' }),
});
export const DataReadList = Type.Object({ items: Type.Array(DataRead) });

export const Verification = Type.Object({
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  source: Type.Literal('population-registry'),
  exchangeId: Type.Union([Type.String(), Type.Null()], { description: 'The exchange message id of the registry read that verified the name' }),
});

export const CitizenSignIn = Type.Object(
  { login: text(254, 'ID number, phone number or email'), password: text(200), totp: Type.Optional(text(16)) },
  { additionalProperties: false },
);

export const CitizenSession = Type.Object({ sub: Type.String(), csrfToken: Type.String(), idleTimeoutSeconds: Type.Integer(), interim: Type.Literal(true) });

export const TotpEnrolment = Type.Object({ secret: Type.String({ description: 'Base32; shown once' }), uri: Type.String({ description: 'otpauth:// URI for an authenticator app; shown once' }) });
export const TotpConfirm = Type.Object({ code: text(16) }, { additionalProperties: false });

export const ResetRequest = Type.Object({ login: text(254) }, { additionalProperties: false });
export const ResetRequested = Type.Object({ message: Type.String(), messageZh: Type.String() });
export const ResetConfirm = Type.Object({ login: text(254), code: text(16), newPassword: text(200) }, { additionalProperties: false });

export const DeleteAccount = Type.Object({ password: text(200), totp: Type.Optional(text(16)) }, { additionalProperties: false });

export const EnterpriseRegister = Type.Object({ creditCode: text(32) }, { additionalProperties: false });
export const Enterprise = Type.Object({
  id: Type.String(),
  creditCode: Type.String(),
  name: Type.String(),
  role: StringEnum(['legal_representative', 'agent'] as const),
  services: Type.Array(Type.Object({ serviceCode: Type.String(), expiresAt: Type.String() })),
  verifiedAt: Type.String(),
});
export const EnterpriseList = Type.Object({ items: Type.Array(Enterprise) });

export const AgentGrant = Type.Object(
  {
    agentIdNumber: text(32, "The agent's ID number"),
    agentName: text(100, "The agent's name, as on the ID card"),
    serviceCode: text(200, 'The service the agent may act in'),
    expiresAt: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  { additionalProperties: false },
);
export const Agent = Type.Object({
  id: Type.String(),
  agentName: Type.String({ description: 'Masked' }),
  serviceCode: Type.String(),
  grantedAt: Type.String(),
  expiresAt: Type.String(),
  state: StringEnum(['active', 'expired', 'revoked'] as const),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export const AgentList = Type.Object({ items: Type.Array(Agent) });

export const EnterpriseParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }) });
export const AgentParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN }), authorizationId: Type.String({ pattern: UUID_PATTERN }) });
