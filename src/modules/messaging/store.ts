// SQL of messaging: recipients and their preferences, messages (the inbox) and deliveries.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.ts';

export type RecipientRow = { sub: string; language: string; email: string | null; phone: string | null; updated_at: Date };
export type PreferenceRow = { sub: string; category: string; email: boolean; sms: boolean; updated_at: Date };
export type MessageRow = {
  id: string;
  sub: string;
  category: string;
  template: string;
  language: string;
  subject: string;
  body: string;
  sensitive: boolean;
  in_inbox: boolean;
  created_at: Date;
  read_at: Date | null;
};
export type DeliveryRow = {
  id: string;
  message_id: string;
  channel: 'inbox' | 'email' | 'sms';
  address: string | null;
  status: 'queued' | 'sent' | 'failed' | 'skipped';
  reason: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  last_error: string | null;
  sent_at: Date | null;
  updated_at: Date;
};
/** A delivery claimed for an attempt, with what to send. */
export type ClaimedDelivery = Pick<DeliveryRow, 'id' | 'message_id' | 'channel' | 'address' | 'attempts'> & { subject: string; body: string };

export async function findRecipient(db: Executor, sub: string): Promise<RecipientRow | undefined> {
  return (await db.selectFrom('messaging.recipients').selectAll().where('sub', '=', sub).executeTakeFirst()) as RecipientRow | undefined;
}

/** Creates the recipient with defaults if it is not there yet. */
export async function ensureRecipient(db: Executor, sub: string, at: Date): Promise<void> {
  await db.insertInto('messaging.recipients').values({ sub, language: 'zh-CN', email: null, phone: null, updated_at: at }).onConflict((oc) => oc.column('sub').doNothing()).execute();
}

export async function updateRecipient(db: Executor, sub: string, patch: Partial<Pick<RecipientRow, 'language' | 'email' | 'phone'>>, at: Date): Promise<void> {
  await db.updateTable('messaging.recipients').set({ ...patch, updated_at: at }).where('sub', '=', sub).execute();
}

export async function listPreferences(db: Executor, sub: string): Promise<PreferenceRow[]> {
  return (await db.selectFrom('messaging.preferences').selectAll().where('sub', '=', sub).execute()) as PreferenceRow[];
}

export async function upsertPreference(db: Executor, row: PreferenceRow): Promise<void> {
  await db
    .insertInto('messaging.preferences')
    .values(row)
    .onConflict((oc) => oc.columns(['sub', 'category']).doUpdateSet({ email: row.email, sms: row.sms, updated_at: row.updated_at }))
    .execute();
}

export async function insertMessage(db: Executor, row: MessageRow): Promise<void> {
  await db.insertInto('messaging.messages').values(row).execute();
}

export async function insertDeliveries(db: Executor, rows: DeliveryRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('messaging.deliveries').values(rows).execute();
}

export async function findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
  return (await db.selectFrom('messaging.messages').selectAll().where('id', '=', id).executeTakeFirst()) as MessageRow | undefined;
}

export async function listInbox(db: Executor, sub: string, options: { unreadOnly: boolean; limit: number; offset: number }): Promise<MessageRow[]> {
  let query = db.selectFrom('messaging.messages').selectAll().where('sub', '=', sub).where('in_inbox', '=', true);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  return (await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute()) as MessageRow[];
}

export async function countInbox(db: Executor, sub: string): Promise<{ total: number; unread: number }> {
  const row = await db
    .selectFrom('messaging.messages')
    .select([sql<string>`count(*)`.as('total'), sql<string>`count(*) filter (where read_at is null)`.as('unread')])
    .where('sub', '=', sub)
    .where('in_inbox', '=', true)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unread: Number(row.unread) };
}

/** Marks the recipient's unread inbox messages read (all, or those ids); returns the ids marked. */
export async function markRead(db: Executor, sub: string, at: Date, ids?: string[]): Promise<string[]> {
  let query = db.updateTable('messaging.messages').set({ read_at: at }).where('sub', '=', sub).where('in_inbox', '=', true).where('read_at', 'is', null);
  if (ids) query = query.where('id', 'in', ids);
  return (await query.returning('id').execute()).map((r) => r.id as string);
}

export async function listDeliveries(db: Executor, messageIds: string[]): Promise<DeliveryRow[]> {
  if (messageIds.length === 0) return [];
  return (await db.selectFrom('messaging.deliveries').selectAll().where('message_id', 'in', messageIds).orderBy('message_id').execute()) as DeliveryRow[];
}

/** Failed deliveries, newest first, for operators. */
export async function listFailed(db: Executor, limit: number): Promise<(DeliveryRow & { sub: string; template: string })[]> {
  return (await db
    .selectFrom('messaging.deliveries as d')
    .innerJoin('messaging.messages as m', 'm.id', 'd.message_id')
    .selectAll('d')
    .select(['m.sub', 'm.template'])
    .where('d.status', '=', 'failed')
    .orderBy('d.updated_at', 'desc')
    .limit(limit)
    .execute()) as (DeliveryRow & { sub: string; template: string })[];
}

/**
 * Claims due deliveries for one attempt each: counts the attempt and takes a lease, so another
 * sender (a replica's sweep, or this one's) passes them by until the lease runs out.
 * Rows another transaction holds are skipped, not waited for.
 */
export async function claimDue(db: Executor, options: { now: Date; leaseUntil: Date; limit: number; messageId?: string }): Promise<ClaimedDelivery[]> {
  const byMessage = options.messageId ? sql`and message_id = ${options.messageId}` : sql``;
  const result = await sql<ClaimedDelivery>`
    update messaging.deliveries d
       set attempts = d.attempts + 1, lease_until = ${options.leaseUntil}, updated_at = ${options.now}
      from messaging.messages m
     where m.id = d.message_id
       and d.id in (
         select id from messaging.deliveries
          where next_attempt_at is not null and next_attempt_at <= ${options.now}
            and (lease_until is null or lease_until <= ${options.now})
            ${byMessage}
          order by next_attempt_at
          limit ${options.limit}
          for update skip locked)
    returning d.id, d.message_id, d.channel, d.address, d.attempts, m.subject, m.body`.execute(db);
  return result.rows;
}

export async function recordSent(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('messaging.deliveries').set({ status: 'sent', reason: null, last_error: null, next_attempt_at: null, lease_until: null, sent_at: at, updated_at: at }).where('id', '=', id).execute();
}

/** A failed attempt: `retryAt` is when to try again, or null when no attempt is left. */
export async function recordFailed(db: Executor, id: string, error: string, retryAt: Date | null, at: Date): Promise<void> {
  await db.updateTable('messaging.deliveries').set({ status: 'failed', last_error: error, reason: retryAt ? 'retrying' : 'gave_up', next_attempt_at: retryAt, lease_until: null, updated_at: at }).where('id', '=', id).execute();
}

/** Erases a sensitive message's body once none of its deliveries is still to be tried. */
export async function eraseSpentBody(db: Executor, messageId: string): Promise<void> {
  await sql`
    update messaging.messages set body = ''
     where id = ${messageId} and sensitive and body <> ''
       and not exists (select 1 from messaging.deliveries where message_id = ${messageId} and next_attempt_at is not null)`.execute(db);
}
