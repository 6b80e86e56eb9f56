// SQL for staff TOTP (identity.staff_totp).
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';
import type { Sealed } from '../../platform/secret-box.ts';

export type StaffTotpRow = {
  user_id: string;
  secret: Sealed | null;
  pending: Sealed | null;
  enabled_at: Date | null;
  /** bigint: a string on PostgreSQL, a number on PGlite. */
  last_step: string | number | null;
  updated_at: Date;
};

const json = (value: Sealed | null) => (value === null ? null : sql`${JSON.stringify(value)}::jsonb`);

export async function findTotp(db: Executor, userId: string): Promise<StaffTotpRow | undefined> {
  return db.selectFrom('identity.staff_totp').selectAll().where('user_id', '=', userId).executeTakeFirst() as Promise<StaffTotpRow | undefined>;
}

/** A new pending secret; the one in use (if any) stays until the new one is confirmed. */
export async function savePending(db: Executor, userId: string, pending: Sealed, at: Date): Promise<void> {
  await db
    .insertInto('identity.staff_totp')
    .values({ user_id: userId, secret: null, pending: json(pending), enabled_at: null, last_step: null, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ pending: json(pending), updated_at: at }))
    .execute();
}

export async function enable(db: Executor, userId: string, secret: Sealed, step: number, at: Date): Promise<void> {
  await db
    .insertInto('identity.staff_totp')
    .values({ user_id: userId, secret: json(secret), pending: null, enabled_at: at, last_step: step, updated_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret: json(secret), pending: null, enabled_at: at, last_step: step, updated_at: at }))
    .execute();
}

/**
 * Records `step` as used, only if it is newer than the last one: false when another request
 * used it (or a newer one) first, so two requests racing with one code cannot both pass.
 */
export async function useStep(db: Executor, userId: string, step: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('identity.staff_totp')
    .set({ last_step: step, updated_at: at })
    .where('user_id', '=', userId)
    .where('secret', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function remove(db: Executor, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('identity.staff_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
