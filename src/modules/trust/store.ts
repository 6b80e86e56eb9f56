// SQL for keys, certificates, authorities and the CRL counter.
import type { Executor } from '../../platform/db.ts';
import type { Sealed } from '../../platform/secret-box.ts';
import type { SuiteName } from './suites.ts';
import type { CertificateProfile, DistinguishedName } from './x509.ts';

export type KeyRow = { id: string; suite: SuiteName; public_spki: Buffer; sealed_private: Sealed; created_at: Date };

export type CertificateRow = {
  serial: string;
  issuer_serial: string | null;
  profile: CertificateProfile;
  suite: SuiteName;
  subject: DistinguishedName;
  org_id: string | null;
  key_id: string | null;
  not_before: Date;
  not_after: Date;
  der: Buffer;
  revoked_at: Date | null;
  revocation_reason: string | null;
  created_at: Date;
};

export async function insertKey(db: Executor, row: KeyRow): Promise<void> {
  await db.insertInto('trust.keys').values({ ...row, sealed_private: JSON.stringify(row.sealed_private) }).execute();
}

export async function findKey(db: Executor, id: string): Promise<KeyRow | undefined> {
  return db.selectFrom('trust.keys').selectAll().where('id', '=', id).executeTakeFirst() as Promise<KeyRow | undefined>;
}

export async function insertCertificate(db: Executor, row: CertificateRow): Promise<void> {
  await db.insertInto('trust.certificates').values({ ...row, subject: JSON.stringify(row.subject) }).execute();
}

export async function findCertificate(db: Executor, serial: string): Promise<CertificateRow | undefined> {
  return db.selectFrom('trust.certificates').selectAll().where('serial', '=', serial).executeTakeFirst() as Promise<CertificateRow | undefined>;
}

export async function listRevoked(db: Executor, issuerSerial: string): Promise<CertificateRow[]> {
  return db
    .selectFrom('trust.certificates')
    .selectAll()
    .where('issuer_serial', '=', issuerSerial)
    .where('revoked_at', 'is not', null)
    .orderBy('revoked_at')
    .execute() as Promise<CertificateRow[]>;
}

export async function authoritySerials(db: Executor): Promise<{ root?: string; issuing?: string }> {
  const rows = await db.selectFrom('trust.authorities').select(['role', 'serial']).execute();
  return Object.fromEntries(rows.map((r) => [r.role, r.serial]));
}

export async function setAuthority(db: Executor, role: 'root' | 'issuing', serial: string): Promise<void> {
  await db.insertInto('trust.authorities').values({ role, serial }).execute();
}

/** Locks the CRL counter row: creating the CA and revoking serialise on it. */
export async function lockCrlState(db: Executor): Promise<number> {
  const row = await db.selectFrom('trust.crl_state').select('number').where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  return Number(row.number);
}

export async function crlNumber(db: Executor): Promise<number> {
  const row = await db.selectFrom('trust.crl_state').select('number').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.number);
}
