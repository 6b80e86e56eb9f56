// SQL of the documents applicants upload before submitting (services.documents).
import type { Executor } from '../../../platform/db.ts';

export type DocumentRow = { id: string; citizen_id: string; material_key: string; file_name: string; media_type: string; size: number; sha256: string; content: Buffer; uploaded_at: Date; expires_at: Date };

export async function insertDocument(db: Executor, row: DocumentRow): Promise<void> {
  await db.insertInto('services.documents').values(row).execute();
}

/** Removes the citizen's documents that have expired; how many. */
export async function deleteExpired(db: Executor, citizenId: string, now: Date): Promise<number> {
  const result = await db.deleteFrom('services.documents').where('citizen_id', '=', citizenId).where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countLive(db: Executor, citizenId: string, now: Date): Promise<number> {
  const row = await db.selectFrom('services.documents').select((eb) => eb.fn.countAll().as('n')).where('citizen_id', '=', citizenId).where('expires_at', '>', now).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The citizen's live documents among `ids`, with their content. */
export async function findLive(db: Executor, citizenId: string, ids: string[], now: Date): Promise<DocumentRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('services.documents').selectAll().where('citizen_id', '=', citizenId).where('id', 'in', ids).where('expires_at', '>', now).execute()) as DocumentRow[];
}
