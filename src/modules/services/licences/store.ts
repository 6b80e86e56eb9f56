// SQL of electronic licences and their issuers' serials.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { HolderKind, LicenceField } from './model.ts';

export type LicenceRow = {
  id: string;
  identifier: string;
  type_code: string;
  type_name_zh: string;
  type_name_en: string;
  service_code: string;
  application_id: string | null;
  issuer_org_id: string;
  issuer_credit_code: string;
  issuer_name: string;
  holder_kind: HolderKind;
  holder_id: string;
  holder_name: string;
  holder_citizen_id: string | null;
  data: LicenceField[];
  valid_from: string;
  valid_until: string | null;
  issued_at: Date;
  sealed: string;
  seal_certificate: string;
  status: 'valid' | 'revoked';
  revoked_at: Date | null;
  revocation_reason: string | null;
  revoked_by: string | null;
};

/** The next serial of the issuer in `year`, taken in the caller's transaction (the row lock orders concurrent issues). */
export async function nextSerial(trx: Executor, issuerOrgId: string, year: number): Promise<number> {
  const row = await sql<{ last: number }>`
    insert into services.licence_serials (issuer_org_id, year, last) values (${issuerOrgId}, ${year}, 1)
    on conflict (issuer_org_id, year) do update set last = services.licence_serials.last + 1
    returning last`.execute(trx);
  return Number(row.rows[0]!.last);
}

export async function insertLicence(trx: Executor, row: LicenceRow): Promise<void> {
  // JSON as text: both drivers then store exactly what was given.
  await trx.insertInto('services.licences').values({ ...row, data: JSON.stringify(row.data) }).execute();
}

export async function findById(db: Executor, id: string): Promise<LicenceRow | undefined> {
  return (await db.selectFrom('services.licences').selectAll().where('id', '=', id).executeTakeFirst()) as LicenceRow | undefined;
}

export async function findByIdentifier(db: Executor, identifier: string): Promise<LicenceRow | undefined> {
  return (await db.selectFrom('services.licences').selectAll().where('identifier', '=', identifier).executeTakeFirst()) as LicenceRow | undefined;
}

/** Marks a valid licence revoked; false when it was revoked already (or is not there). */
export async function revoke(trx: Executor, id: string, patch: { revoked_at: Date; revocation_reason: string; revoked_by: string }): Promise<boolean> {
  const result = await trx.updateTable('services.licences').set({ ...patch, status: 'revoked' }).where('id', '=', id).where('status', '=', 'valid').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listByIssuer(db: Executor, issuerOrgId: string, filter: { status?: 'valid' | 'revoked'; limit: number; offset: number }): Promise<{ rows: LicenceRow[]; total: number }> {
  let q = db.selectFrom('services.licences').where('issuer_org_id', '=', issuerOrgId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy('issued_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as LicenceRow[], total: Number(total.n) };
}

/** A holder's licences: a person by account or ID number, and enterprises by credit code. */
export async function listForHolder(db: Executor, holder: { citizenId: string; idNumber: string | null; creditCodes: string[] }): Promise<LicenceRow[]> {
  return (await db
    .selectFrom('services.licences')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('holder_citizen_id', '=', holder.citizenId),
        ...(holder.idNumber ? [eb.and([eb('holder_kind', '=', 'person'), eb('holder_id', '=', holder.idNumber)])] : []),
        ...(holder.creditCodes.length ? [eb.and([eb('holder_kind', '=', 'enterprise'), eb('holder_id', 'in', holder.creditCodes)])] : []),
      ]),
    )
    .orderBy('issued_at', 'desc')
    .limit(500)
    .execute()) as LicenceRow[];
}

/** The licences an issuer gave one holder (person or enterprise, by ID number or credit code). */
export async function listByIssuerAndHolder(db: Executor, issuerOrgId: string, holderId: string): Promise<LicenceRow[]> {
  return (await db.selectFrom('services.licences').selectAll().where('issuer_org_id', '=', issuerOrgId).where('holder_id', '=', holderId).orderBy('issued_at', 'desc').limit(200).execute()) as LicenceRow[];
}
