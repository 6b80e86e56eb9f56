// SQL for oidc-provider's artefacts (identity.oidc_payloads).
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';

export type PayloadRow = {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
};

const TABLE = 'identity.oidc_payloads';

export async function upsertPayload(db: Executor, row: PayloadRow): Promise<void> {
  const values = { ...row, payload: JSON.stringify(row.payload) };
  await db
    .insertInto(TABLE)
    .values(values)
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({ payload: values.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, expires_at: row.expires_at }))
    .execute();
}

/** A live (unexpired) artefact by one of its keys. */
export async function findPayload(db: Executor, model: string, by: 'id' | 'uid' | 'user_code', value: string, now: Date): Promise<PayloadRow | undefined> {
  return (await db
    .selectFrom(TABLE)
    .selectAll()
    .where('model', '=', model)
    .where(by, '=', value)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst()) as PayloadRow | undefined;
}

export async function consumePayload(db: Executor, model: string, id: string, at: Date): Promise<void> {
  await db.updateTable(TABLE).set({ consumed_at: at }).where('model', '=', model).where('id', '=', id).execute();
}

export async function deletePayload(db: Executor, model: string, id: string): Promise<void> {
  await db.deleteFrom(TABLE).where('model', '=', model).where('id', '=', id).execute();
}

/** Every artefact of one grant, of every model: what revoking a grant (or a replayed code) ends. */
export async function deleteByGrant(db: Executor, grantId: string): Promise<void> {
  await db.deleteFrom(TABLE).where('grant_id', '=', grantId).execute();
}

/** Every artefact a client's grants produced, when the client is deleted. */
export async function deleteByClient(db: Executor, clientId: string): Promise<void> {
  await db.deleteFrom(TABLE).where(sql<string>`payload->>'clientId'`, '=', clientId).execute();
}

export async function deleteExpired(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom(TABLE).where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
