// What licences look like to each reader: the issuing organization's staff (everything), the
// holder (everything, with the QR code of the verification address), anyone verifying one (no
// more personal data than a verifier needs: the holder's ID number and a person's name masked),
// and other departments through the exchange (what their access right grants).
import { maskIdNumber, maskName } from '../../../platform/mask.ts';
import { statusOn, type HolderKind, type LicenceField, type LicenceStatus } from './model.ts';
import type { LicenceRow } from './store.ts';

export type Bilingual = { zh: string; en: string };

/** The result of checking a licence's seal against the platform's certificate chain and its stored data. */
export type SealCheck = {
  verifies: boolean;
  /** Why not, in both languages; null when it verifies. */
  reason: Bilingual | null;
  sealName: string | null;
  certificateSerial: string;
  /** When it was sealed, as the timestamp proves (or as the seal claims, when there is none). */
  sealedAt: string | null;
  timestamped: boolean;
};

export type LicenceView = {
  id: string;
  identifier: string;
  status: LicenceStatus;
  type: { code: string; nameZh: string; nameEn: string };
  serviceCode: string;
  applicationId: string | null;
  issuer: { orgId: string; creditCode: string; nameZh: string; nameEn: string };
  holder: { kind: HolderKind; idNumber: string; name: string; citizenId: string | null };
  fields: LicenceField[];
  validFrom: string;
  validUntil: string | null;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  verificationUrl: string;
};

/** What the public verification page and its JSON show. */
export type PublicLicence = {
  identifier: string;
  status: LicenceStatus;
  type: { code: string; nameZh: string; nameEn: string };
  issuer: { creditCode: string; nameZh: string; nameEn: string };
  holder: { kind: HolderKind; name: string; id: string; masked: boolean };
  /** Only the items the issuer marked public. */
  fields: { labelZh: string; labelEn: string; value: string }[];
  validFrom: string;
  validUntil: string | null;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  seal: SealCheck;
  verificationUrl: string;
};

/** A holder's licence in their list. */
export type HolderLicenceSummary = { id: string; identifier: string; typeNameZh: string; typeNameEn: string; issuerNameZh: string; issuerNameEn: string; holderName: string; status: LicenceStatus; validFrom: string; validUntil: string | null };

/** The holder's own licence document: everything, the seal check and the verification address. */
export type HolderLicence = LicenceView & { seal: SealCheck };

/** Who is looking at "my licences": the signed-in person, their ID number, and the enterprises they may act for. */
export type LicenceHolder = {
  citizenId: string;
  idNumber: string | null;
  enterprises: { creditCode: string; role: 'legal_representative' | 'agent'; services: string[] }[];
};

export type OrgNames = { nameZh: string; nameEn: string };

export function present(row: LicenceRow, org: OrgNames | undefined, today: string, verificationUrl: string): LicenceView {
  return {
    id: row.id,
    identifier: row.identifier,
    status: statusOn(row, today),
    type: { code: row.type_code, nameZh: row.type_name_zh, nameEn: row.type_name_en },
    serviceCode: row.service_code,
    applicationId: row.application_id,
    // The name on the licence is the one it was issued under; the directory's English name beside it.
    issuer: { orgId: row.issuer_org_id, creditCode: row.issuer_credit_code, nameZh: row.issuer_name, nameEn: org?.nameEn ?? row.issuer_name },
    holder: { kind: row.holder_kind, idNumber: row.holder_id, name: row.holder_name, citizenId: row.holder_citizen_id },
    fields: row.data.map((f) => ({ key: f.key, labelZh: f.labelZh, labelEn: f.labelEn, value: f.value, public: f.public === true })),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    issuedAt: row.issued_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revocationReason: row.revocation_reason,
    verificationUrl,
  };
}

/**
 * The public view: a person holder's ID number and name masked as everywhere on the platform
 * (110105********002X, 张**); an enterprise's name and credit code are public registration
 * data and shown whole, as the enterprise credit publicity system shows them.
 */
export function presentPublic(view: LicenceView, seal: SealCheck): PublicLicence {
  const person = view.holder.kind === 'person';
  return {
    identifier: view.identifier,
    status: view.status,
    type: view.type,
    issuer: { creditCode: view.issuer.creditCode, nameZh: view.issuer.nameZh, nameEn: view.issuer.nameEn },
    holder: { kind: view.holder.kind, name: person ? maskName(view.holder.name) : view.holder.name, id: person ? maskIdNumber(view.holder.idNumber) : view.holder.idNumber, masked: person },
    fields: view.fields.filter((f) => f.public).map((f) => ({ labelZh: f.labelZh, labelEn: f.labelEn, value: f.value })),
    validFrom: view.validFrom,
    validUntil: view.validUntil,
    issuedAt: view.issuedAt,
    revokedAt: view.revokedAt,
    revocationReason: view.revocationReason,
    seal,
    verificationUrl: view.verificationUrl,
  };
}

export function summary(view: LicenceView): HolderLicenceSummary {
  return { id: view.id, identifier: view.identifier, typeNameZh: view.type.nameZh, typeNameEn: view.type.nameEn, issuerNameZh: view.issuer.nameZh, issuerNameEn: view.issuer.nameEn, holderName: view.holder.name, status: view.status, validFrom: view.validFrom, validUntil: view.validUntil };
}

/** Whether the person may see the licence as its holder: their own, or their enterprise's (an agent: for the licence's service only). */
export function isHolder(holder: LicenceHolder, row: LicenceRow): boolean {
  if (row.holder_kind === 'person') return row.holder_citizen_id === holder.citizenId || (holder.idNumber !== null && row.holder_id === holder.idNumber);
  const enterprise = holder.enterprises.find((e) => e.creditCode === row.holder_id);
  return enterprise !== undefined && (enterprise.role === 'legal_representative' || enterprise.services.includes(row.service_code));
}
