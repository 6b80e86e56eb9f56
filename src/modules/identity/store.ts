// SQL for accounts, sessions and API tokens.
import { sql } from 'kysely';
import type { Role } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db.ts';
import { escapeLike } from '../../platform/sql.ts';

export type UserRow = {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  roles: Role[];
  password_hash: string;
  password_changed_at: Date;
  must_change_password: boolean;
  failed_attempts: number;
  locked_until: Date | null;
  active: boolean;
  last_sign_in_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type SessionRow = {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
};

export type TokenRow = {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export async function findUser(db: Executor, id: string, forUpdate = false): Promise<UserRow | undefined> {
  let q = db.selectFrom('identity.users').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function findUserByUsername(db: Executor, username: string, forUpdate = false): Promise<UserRow | undefined> {
  let q = db.selectFrom('identity.users').selectAll().where(sql`lower(username)`, '=', username.toLowerCase());
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function searchUsers(
  db: Executor,
  filter: { orgIds?: string[]; q?: string; limit: number; offset: number },
): Promise<{ rows: UserRow[]; total: number }> {
  let q = db.selectFrom('identity.users');
  if (filter.orgIds) q = q.where('org_id', 'in', filter.orgIds.length > 0 ? filter.orgIds : ['00000000-0000-0000-0000-000000000000']);
  const text = filter.q?.trim();
  if (text) {
    const like = `%${escapeLike(text)}%`;
    q = q.where((eb) => eb.or([eb('username', 'ilike', like), eb('display_name', 'ilike', like)]));
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('username').limit(filter.limit).offset(filter.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as UserRow[], total: Number(count.n) };
}

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db
    .insertInto('identity.users')
    .values({ ...row, roles: sql`${`{${row.roles.join(',')}}`}::text[]` })
    .execute();
}

export async function updateUser(db: Executor, id: string, changes: Partial<UserRow>): Promise<void> {
  const { roles, ...rest } = changes;
  await db
    .updateTable('identity.users')
    .set({ ...rest, ...(roles ? { roles: sql`${`{${roles.join(',')}}`}::text[]` } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('identity.sessions').values(row).execute();
}

export async function findLiveSession(db: Executor, idHash: string): Promise<(SessionRow & { user: UserRow }) | undefined> {
  const session = await db.selectFrom('identity.sessions').selectAll().where('id_hash', '=', idHash).where('ended_at', 'is', null).executeTakeFirst();
  if (!session) return undefined;
  const user = await findUser(db, session.user_id);
  return user && { ...(session as SessionRow), user };
}

export async function touchSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('identity.sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Executor, idHash: string, at: Date): Promise<void> {
  await db.updateTable('identity.sessions').set({ ended_at: at }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

export async function endUserSessions(db: Executor, userId: string, at: Date): Promise<void> {
  await db.updateTable('identity.sessions').set({ ended_at: at }).where('user_id', '=', userId).where('ended_at', 'is', null).execute();
}

export async function insertToken(db: Executor, row: TokenRow): Promise<void> {
  await db.insertInto('identity.api_tokens').values(row).execute();
}

export async function findTokenByHash(db: Executor, tokenHash: string): Promise<(TokenRow & { user: UserRow }) | undefined> {
  const token = await db.selectFrom('identity.api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!token) return undefined;
  const user = await findUser(db, token.user_id);
  return user && { ...(token as TokenRow), user };
}

export async function findToken(db: Executor, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('identity.api_tokens').selectAll().where('id', '=', id).executeTakeFirst() as Promise<TokenRow | undefined>;
}

export async function listTokens(db: Executor, userId: string): Promise<TokenRow[]> {
  return db.selectFrom('identity.api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute() as Promise<TokenRow[]>;
}

export async function updateToken(db: Executor, id: string, changes: Partial<TokenRow>): Promise<void> {
  await db.updateTable('identity.api_tokens').set(changes).where('id', '=', id).execute();
}
