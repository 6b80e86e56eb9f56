// Request and response schemas of the trust API.
import { Type, type Static } from 'typebox';
import { StringEnum } from '../../http/schemas.ts';
import { UUID_PATTERN } from '../../platform/ids.ts';
import { REVOCATION_REASONS } from './crl.ts';
import { SUITE_NAMES } from './suites.ts';

const Uuid = Type.String({ pattern: UUID_PATTERN });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Serial = Type.String({ pattern: '^[0-9A-Fa-f]{2,40}$', description: 'serial number in hex, as printed by openssl x509 -serial' });

/** Limits on what a client can upload: a document to sign or verify, a seal image, a CSR. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_SEAL_IMAGE_BYTES = 256 * 1024;
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;
/** Base64 strings are checked again when decoded, to name the field when the alphabet is wrong. */
const Base64 = (maxBytes: number, description: string) => Type.String({ minLength: 1, maxLength: base64Length(maxBytes), description: `${description}, base64 (at most ${maxBytes} bytes)` });

export const LEAF_PROFILES = ['signing', 'seal', 'tls'] as const;
export const ORG_REVOCATION_REASONS = REVOCATION_REASONS.filter((r) => r !== 'cACompromise' && r !== 'aACompromise' && r !== 'certificateHold');

export const SealCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, description: 'the name carved on the seal, e.g. 青云省公安厅电子公章' }),
    imageType: StringEnum(['image/png', 'image/jpeg'] as const),
    imageBase64: Base64(MAX_SEAL_IMAGE_BYTES, 'the seal image'),
  },
  { additionalProperties: false },
);

export const CertificateRequestCreate = Type.Object(
  {
    profile: StringEnum(LEAF_PROFILES, 'signing: a person signs for the organization; seal: the organization\'s electronic seal; tls: a node of the exchange'),
    suite: Type.Optional(StringEnum(SUITE_NAMES, "defaults to the instance's suite")),
    holderUserId: Type.Optional(Uuid),
    nodeName: Type.Optional(Type.String({ pattern: '^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$', description: 'DNS name of the node (tls)' })),
    seal: Type.Optional(SealCreate),
    csrPem: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384, description: 'PKCS#10 request (PEM) when the organization keeps its own key; omit to have the platform generate the key' })),
  },
  { additionalProperties: false },
);
export type CertificateRequestCreate = Static<typeof CertificateRequestCreate>;

export const Decision = Type.Object({ version: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const Rejection = Type.Object({ version: Type.Integer({ minimum: 1 }), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const Revocation = Type.Object({ reason: StringEnum(ORG_REVOCATION_REASONS) }, { additionalProperties: false });
export const Renewal = Type.Object({ csrPem: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384 })) }, { additionalProperties: false });

const SealView = Type.Object({ name: Type.String(), holderName: Type.String(), imageType: Type.String(), imageBase64: Type.Optional(Type.String()) });

export const CertificateRequestView = Type.Object({
  id: Uuid,
  orgId: Uuid,
  profile: StringEnum(LEAF_PROFILES),
  suite: StringEnum(SUITE_NAMES),
  holderUserId: Nullable(Uuid),
  holderName: Nullable(Type.String()),
  nodeName: Nullable(Type.String()),
  seal: Nullable(SealView),
  keySource: StringEnum(['csr', 'platform'] as const),
  renewsSerial: Nullable(Type.String()),
  status: StringEnum(['pending', 'approved', 'rejected'] as const),
  requestedByName: Type.String(),
  requestedAt: DateTime,
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(DateTime),
  decisionNote: Nullable(Type.String()),
  certificateSerial: Nullable(Type.String()),
  version: Type.Integer(),
});
export type CertificateRequestView = Static<typeof CertificateRequestView>;

export const CertificateView = Type.Object({
  serial: Type.String(),
  profile: Type.String(),
  suite: StringEnum(SUITE_NAMES),
  orgId: Nullable(Uuid),
  subject: Type.Object({ commonName: Type.String(), organization: Type.Optional(Type.String()), serialNumber: Type.Optional(Type.String()) }),
  holderUserId: Nullable(Uuid),
  holderName: Nullable(Type.String()),
  seal: Nullable(SealView),
  notBefore: DateTime,
  notAfter: DateTime,
  status: StringEnum(['good', 'revoked', 'expired'] as const),
  revokedAt: Nullable(DateTime),
  revocationReason: Nullable(Type.String()),
  renewalDue: Type.Boolean({ description: 'valid, and expiring within the renewal window (30 days)' }),
  platformHeldKey: Type.Boolean({ description: 'the platform holds the key, so the holder can sign through the API' }),
});
export type CertificateView = Static<typeof CertificateView>;

const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};
export const RequestQuery = Type.Object({ status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'] as const)), ...Paging }, { additionalProperties: false });
export type RequestQuery = Static<typeof RequestQuery>;
export const CertificateQuery = Type.Object({ orgId: Type.Optional(Uuid), ...Paging }, { additionalProperties: false });
export type CertificateQuery = Static<typeof CertificateQuery>;
export const RequestPage = Type.Object({ items: Type.Array(CertificateRequestView), total: Type.Integer() });
export const CertificatePage = Type.Object({ items: Type.Array(CertificateView), total: Type.Integer() });
export const IdParams = Type.Object({ id: Uuid });
export const SerialParams = Type.Object({ serial: Serial });

export const SignInput = Type.Object(
  {
    certificateSerial: Serial,
    documentBase64: Base64(MAX_DOCUMENT_BYTES, 'the document to sign'),
    mode: Type.Optional(StringEnum(['detached', 'enveloping'] as const, 'detached (default): the signature is a separate .p7s; enveloping: the signature carries the document')),
    format: Type.Optional(StringEnum(['cms', 'seal-json', 'seal-xml'] as const, 'cms (default) for any document; seal-json / seal-xml put the seal on a JSON or XML document (seal certificates)')),
  },
  { additionalProperties: false },
);
export type SignInput = Static<typeof SignInput>;
export const SignResult = Type.Object({
  format: Type.String(),
  mode: Type.String(),
  mediaType: Type.String(),
  fileExtension: Type.String(),
  signatureBase64: Type.String(),
  signedAt: DateTime,
});

export const VerifyInput = Type.Object(
  {
    signatureBase64: Base64(MAX_DOCUMENT_BYTES + 64 * 1024, 'the signed file or the signature (CMS DER or PEM, a sealed JSON or XML document, or an RFC 3161 token)'),
    documentBase64: Type.Optional(Base64(MAX_DOCUMENT_BYTES, 'the document, for a detached signature or a timestamp')),
  },
  { additionalProperties: false },
);
export type VerifyInput = Static<typeof VerifyInput>;

export const TimestampInput = Type.Object(
  {
    hash: Type.Optional(StringEnum(['sha256', 'sm3'] as const)),
    digestHex: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'the hash to timestamp; or give documentBase64' })),
    documentBase64: Type.Optional(Base64(MAX_DOCUMENT_BYTES, 'a document to hash and timestamp')),
  },
  { additionalProperties: false },
);
export const TimestampResult = Type.Object({ tokenBase64: Type.String(), genTime: DateTime, hash: Type.String(), digestHex: Type.String() });

export const BatchTimestampInput = Type.Object(
  {
    hash: Type.Optional(StringEnum(['sha256', 'sm3'] as const)),
    digestsHex: Type.Array(Type.String({ pattern: '^[0-9a-fA-F]{64}$' }), { minItems: 1, maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
export const InclusionProofSchema = Type.Object({ hash: StringEnum(['sha256', 'sm3'] as const), index: Type.Integer(), size: Type.Integer(), path: Type.Array(Type.String()) });
export const BatchTimestampResult = Type.Object({ tokenBase64: Type.String(), genTime: DateTime, rootHex: Type.String(), proofs: Type.Array(InclusionProofSchema) });
