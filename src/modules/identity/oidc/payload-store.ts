// SQL for oidc-provider's artefacts (identity.oidc_payloads). The statements of the token
// endpoint's path (find, upsert, consume) are fixed SQL text: they run several times per
// request, and building them with the query builder cost more than running them on PGlite.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import { forgetAll, forgetRow, readingAhead, recall, remember } from './read-ahead.ts';

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

const live = (row: PayloadRow | null | undefined, now: Date): PayloadRow | undefined => (row && (row.expires_at === null || row.expires_at > now) ? row : undefined);

export async function upsertPayload(db: Executor, row: PayloadRow): Promise<void> {
  forgetRow(row.model, row.id);
  await sql`
    insert into identity.oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
    values (${row.model}, ${row.id}, ${JSON.stringify(row.payload)}, ${row.grant_id}, ${row.uid}, ${row.user_code}, ${row.expires_at}, ${row.consumed_at})
    on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at
  `.execute(db);
}

/** A live (unexpired) artefact by one of its keys; within a provider request, read-ahead rows first. */
export async function findPayload(db: Executor, model: string, by: 'id' | 'uid' | 'user_code', value: string, now: Date): Promise<PayloadRow | undefined> {
  const ahead = recall({ model, by, value });
  if (ahead !== undefined) return live(ahead, now);
  const { rows } = await sql<PayloadRow>`select * from identity.oidc_payloads where model = ${model} and ${sql.ref(by)} = ${value}`.execute(db);
  return live(rows[0], now);
}

/**
 * A live token by id, and in the same statement what the provider reads right after it:
 * the rows of `grantKeyed` models whose id is the token's grant id (the grant itself, and
 * egov's own per-grant rows) and the `sessionModel` row the token is bound to (by uid). Those
 * are kept for the rest of the request (read-ahead.ts); outside a request it is a plain find.
 */
export async function findTokenReadingAhead(db: Executor, model: string, id: string, ahead: { grantKeyed: string[]; sessionModel: string }, now: Date): Promise<PayloadRow | undefined> {
  if (!readingAhead()) return findPayload(db, model, 'id', id, now);
  const { rows } = await sql<PayloadRow & { role: 'token' | 'grant' | 'session' }>`
    with token as (select * from identity.oidc_payloads where model = ${model} and id = ${id})
    select 'token' as role, token.* from token
    union all
    select 'grant', p.* from identity.oidc_payloads p join token on p.model in (${sql.join(ahead.grantKeyed)}) and p.id = token.grant_id
    union all
    select 'session', p.* from identity.oidc_payloads p join token on p.model = ${ahead.sessionModel} and p.uid = token.payload->>'sessionUid'
  `.execute(db);
  const token = rows.find((r) => r.role === 'token');
  if (!token) return undefined;
  if (token.grant_id) {
    for (const grantModel of ahead.grantKeyed) remember({ model: grantModel, by: 'id', value: token.grant_id }, rows.find((r) => r.role === 'grant' && r.model === grantModel) ?? null);
  }
  const sessionUid = token.payload.sessionUid;
  if (typeof sessionUid === 'string') remember({ model: ahead.sessionModel, by: 'uid', value: sessionUid }, rows.find((r) => r.role === 'session') ?? null);
  return live(token, now);
}

/**
 * Marks an artefact used, unless it already was: true when this call used it. One statement,
 * so of two requests presenting the same code at the same moment only one gets true.
 */
export async function consumePayload(db: Executor, model: string, id: string, at: Date): Promise<boolean> {
  forgetRow(model, id);
  const { rows } = await sql`update identity.oidc_payloads set consumed_at = ${at} where model = ${model} and id = ${id} and consumed_at is null returning id`.execute(db);
  return rows.length > 0;
}

export async function deletePayload(db: Executor, model: string, id: string): Promise<void> {
  forgetRow(model, id);
  await db.deleteFrom(TABLE).where('model', '=', model).where('id', '=', id).execute();
}

/** Every artefact of one grant, of every model: what revoking a grant (or a replayed code) ends. */
export async function deleteByGrant(db: Executor, grantId: string): Promise<void> {
  forgetAll();
  await db.deleteFrom(TABLE).where('grant_id', '=', grantId).execute();
}

/** Every artefact a client's grants produced, when the client is deleted. */
export async function deleteByClient(db: Executor, clientId: string): Promise<void> {
  forgetAll();
  await db.deleteFrom(TABLE).where(sql<string>`payload->>'clientId'`, '=', clientId).execute();
}

export async function deleteExpired(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom(TABLE).where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
