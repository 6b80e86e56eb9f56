// SQL for keys, certificates, authorities, the CRL counter, certificate requests and audit anchors.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import type { Sealed } from '../../platform/secret-box.ts';
import type { SuiteName } from './suites.ts';
import type { CertificateProfile, DistinguishedName } from './x509.ts';

export type KeyRow = { id: string; suite: SuiteName; public_spki: Buffer; sealed_private: Sealed; created_at: Date; org_id: string | null };

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
  holder_user_id: string | null;
  holder_name: string | null;
  seal: SealInfo | null;
  request_id: string | null;
};

export type SealInfo = { name: string; holderName: string; imageType: string; imageBase64: string };

export type RequestStatus = 'pending' | 'approved' | 'rejected';

export type CertificateRequestRow = {
  id: string;
  org_id: string;
  profile: 'signing' | 'seal' | 'tls';
  suite: SuiteName;
  holder_user_id: string | null;
  holder_name: string | null;
  node_name: string | null;
  seal: SealInfo | null;
  csr_der: Buffer | null;
  public_spki: Buffer | null;
  renews_serial: string | null;
  status: RequestStatus;
  requested_by: string | null;
  requested_by_name: string;
  requested_at: Date;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  certificate_serial: string | null;
  version: number;
};

export type AnchorRow = { seq: number; head_hash: string; token: Buffer; anchored_at: Date };

export async function insertKey(db: Executor, row: KeyRow): Promise<void> {
  await db.insertInto('trust.keys').values({ ...row, sealed_private: JSON.stringify(row.sealed_private) }).execute();
}

export async function findKey(db: Executor, id: string): Promise<KeyRow | undefined> {
  return db.selectFrom('trust.keys').selectAll().where('id', '=', id).executeTakeFirst() as Promise<KeyRow | undefined>;
}

export async function insertCertificate(db: Executor, row: CertificateRow): Promise<void> {
  await db.insertInto('trust.certificates').values({ ...row, subject: JSON.stringify(row.subject), seal: row.seal && JSON.stringify(row.seal) }).execute();
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

export async function authoritySerials(db: Executor): Promise<{ root?: string; issuing?: string; tsa?: string; configuration?: string }> {
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

export async function setAuthorityRole(db: Executor, role: 'tsa' | 'configuration', serial: string): Promise<void> {
  await db.insertInto('trust.authorities').values({ role, serial }).execute();
}

export async function listCertificates(db: Executor, filter: { orgIds?: string[]; profiles: CertificateProfile[]; limit: number; offset: number }): Promise<{ rows: CertificateRow[]; total: number }> {
  let query = db.selectFrom('trust.certificates').where('profile', 'in', filter.profiles);
  if (filter.orgIds) query = filter.orgIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('org_id', 'in', filter.orgIds);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('created_at', 'desc').orderBy('serial').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as CertificateRow[], total: Number(count.n) };
}

/** Marks a certificate revoked unless it already is; true when this call revoked it. */
export async function markRevoked(db: Executor, serial: string, at: Date, reason: string): Promise<boolean> {
  const result = await db.updateTable('trust.certificates').set({ revoked_at: at, revocation_reason: reason }).where('serial', '=', serial).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function bumpCrlNumber(db: Executor): Promise<void> {
  await db.updateTable('trust.crl_state').set((eb) => ({ number: eb('number', '+', 1) })).where('id', '=', 1).execute();
}

function requestValues(row: CertificateRequestRow) {
  return { ...row, seal: row.seal && JSON.stringify(row.seal) };
}

export async function insertRequest(db: Executor, row: CertificateRequestRow): Promise<void> {
  await db.insertInto('trust.certificate_requests').values(requestValues(row)).execute();
}

export async function findRequest(db: Executor, id: string, forUpdate = false): Promise<CertificateRequestRow | undefined> {
  let query = db.selectFrom('trust.certificate_requests').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst() as Promise<CertificateRequestRow | undefined>;
}

export async function decideRequest(db: Executor, id: string, decision: Pick<CertificateRequestRow, 'status' | 'decided_by_name' | 'decided_at' | 'decision_note' | 'certificate_serial'>): Promise<void> {
  await db.updateTable('trust.certificate_requests').set((eb) => ({ ...decision, version: eb('version', '+', 1) })).where('id', '=', id).execute();
}

export async function listRequests(db: Executor, filter: { orgIds?: string[]; status?: RequestStatus; limit: number; offset: number }): Promise<{ rows: CertificateRequestRow[]; total: number }> {
  let query = db.selectFrom('trust.certificate_requests');
  if (filter.orgIds) query = filter.orgIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('org_id', 'in', filter.orgIds);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('requested_at', filter.status === 'pending' ? 'asc' : 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as CertificateRequestRow[], total: Number(count.n) };
}

export async function pendingRenewal(db: Executor, serial: string): Promise<boolean> {
  const row = await db.selectFrom('trust.certificate_requests').select('id').where('renews_serial', '=', serial).where('status', '=', 'pending').executeTakeFirst();
  return row !== undefined;
}

export async function insertAnchor(db: Executor, row: AnchorRow): Promise<void> {
  await db.insertInto('trust.audit_anchors').values(row).onConflict((oc) => oc.column('seq').doNothing()).execute();
}

export async function latestAnchor(db: Executor): Promise<AnchorRow | undefined> {
  const row = await db.selectFrom('trust.audit_anchors').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row && ({ ...row, seq: Number(row.seq) } as AnchorRow);
}

/** The newest valid member certificate of an organization whose key this node holds. */
export async function findMemberCertificate(db: Executor, orgId: string, now: Date): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('trust.certificates')
    .selectAll()
    .where('profile', '=', 'member')
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .where('not_after', '>', now)
    .where('key_id', 'is not', null)
    .orderBy('not_after', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<CertificateRow | undefined>;
}

export async function listLiveMemberCertificates(db: Executor, orgId: string, now: Date): Promise<CertificateRow[]> {
  return db.selectFrom('trust.certificates').selectAll().where('profile', '=', 'member').where('org_id', '=', orgId).where('revoked_at', 'is', null).where('not_after', '>', now).execute() as Promise<CertificateRow[]>;
}

/** Member and TLS certificates: what nodes need to check each other's signatures and connections. */
export async function listExchangeCertificates(db: Executor): Promise<CertificateRow[]> {
  return db.selectFrom('trust.certificates').selectAll().where('profile', 'in', ['member', 'tls']).execute() as Promise<CertificateRow[]>;
}

/** The organization's newest seal certificate valid at `now` whose key the platform holds. */
export async function findOrganizationSeal(db: Executor, orgId: string, now: Date): Promise<CertificateRow | undefined> {
  return db
    .selectFrom('trust.certificates')
    .selectAll()
    .where('profile', '=', 'seal')
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .where('not_before', '<=', now)
    .where('not_after', '>', now)
    .where('key_id', 'is not', null)
    .orderBy('not_after', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<CertificateRow | undefined>;
}
