// SQL of the e-forms.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';

export type FormRow = {
  id: string;
  service_id: string;
  version: number;
  definition: unknown;
  created_at: Date;
  updated_at: Date;
};

export async function findByService(db: Executor, serviceId: string): Promise<FormRow | undefined> {
  return (await db.selectFrom('services.forms').selectAll().where('service_id', '=', serviceId).executeTakeFirst()) as FormRow | undefined;
}

export async function findById(db: Executor, id: string): Promise<FormRow | undefined> {
  return (await db.selectFrom('services.forms').selectAll().where('id', '=', id).executeTakeFirst()) as FormRow | undefined;
}

/**
 * The service's status, read with a row lock: a form is written only while its service is a
 * draft, and publishing (which updates the same row) waits for the write or comes first.
 */
export async function lockServiceStatus(db: Executor, serviceId: string): Promise<string | undefined> {
  const row = await sql<{ status: string }>`select status from services.services where id = ${serviceId} for update`.execute(db);
  return row.rows[0]?.status;
}

// The JSON column is written as text: both drivers then store exactly what was given.
export async function insertForm(db: Executor, row: FormRow): Promise<boolean> {
  const result = await db
    .insertInto('services.forms')
    .values({ ...row, definition: JSON.stringify(row.definition) })
    .onConflict((oc) => oc.column('service_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateForm(db: Executor, serviceId: string, version: number, patch: { version: number; definition: unknown; updated_at: Date }): Promise<boolean> {
  const result = await db
    .updateTable('services.forms')
    .set({ ...patch, definition: JSON.stringify(patch.definition) })
    .where('service_id', '=', serviceId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
