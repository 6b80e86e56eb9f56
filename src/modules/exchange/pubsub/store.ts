// SQL for publish/subscribe: event types, events, subscriptions and deliveries.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';

export type EventTypeRow = { room: string; event_type: string; schema: Record<string, unknown>; created_by: string; created_at: Date };
export type EventRow = { id: string; room: string; event_type: string; sequence: number; publisher: string; idempotency_key: string | null; payload: unknown; published_at: Date; status: 'active' | 'stopped' };
export type SubscriptionRow = { id: string; room: string; event_type: string; subscriber: string; delivery: 'PUSH' | 'PULL'; ttl_seconds: number; fifo: boolean; created_at: Date; updated_at: Date; cancelled_at: Date | null };
export type DeliveryRow = { event_id: string; subscription_id: string; state: 'pending' | 'delivered' | 'acked' | 'expired' | 'cancelled'; attempts: number; next_attempt_at: Date; delivered_at: Date | null; last_error: string | null };

const asEvent = (r: Record<string, unknown> | undefined) => r && ({ ...r, sequence: Number(r.sequence) } as EventRow);

export const findEventType = async (db: Executor, room: string, eventType: string) =>
  (await db.selectFrom('exchange.pubsub_event_types').selectAll().where('room', '=', room).where('event_type', '=', eventType).executeTakeFirst()) as EventTypeRow | undefined;

export const listEventTypes = async (db: Executor, room: string) => (await db.selectFrom('exchange.pubsub_event_types').select('event_type').where('room', '=', room).orderBy('event_type').execute()).map((r) => r.event_type as string);

export async function insertEventType(db: Executor, row: EventTypeRow): Promise<void> {
  await db.insertInto('exchange.pubsub_event_types').values({ ...row, schema: JSON.stringify(row.schema) }).execute();
}

export async function deleteEventType(db: Executor, room: string, eventType: string): Promise<boolean> {
  const result = await db.deleteFrom('exchange.pubsub_event_types').where('room', '=', room).where('event_type', '=', eventType).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export const findEvent = async (db: Executor, room: string, id: string) => asEvent(await db.selectFrom('exchange.pubsub_events').selectAll().where('room', '=', room).where('id', '=', id).executeTakeFirst());

export const findByIdempotencyKey = async (db: Executor, room: string, publisher: string, key: string) =>
  asEvent(await db.selectFrom('exchange.pubsub_events').selectAll().where('room', '=', room).where('publisher', '=', publisher).where('idempotency_key', '=', key).executeTakeFirst());

/** The next sequence number of an event type; the caller holds the event type's row lock. */
export async function nextSequence(db: Executor, room: string, eventType: string): Promise<number> {
  await sql`select 1 from exchange.pubsub_event_types where room = ${room} and event_type = ${eventType} for update`.execute(db);
  const row = await db.selectFrom('exchange.pubsub_events').select((eb) => eb.fn.max('sequence').as('max')).where('room', '=', room).where('event_type', '=', eventType).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function insertEvent(db: Executor, row: EventRow): Promise<void> {
  await db.insertInto('exchange.pubsub_events').values({ ...row, payload: JSON.stringify(row.payload) }).execute();
}

export async function stopEvent(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('exchange.pubsub_events').set({ status: 'stopped' }).where('id', '=', id).execute();
  await db.updateTable('exchange.pubsub_deliveries').set({ state: 'cancelled', next_attempt_at: at }).where('event_id', '=', id).where('state', 'in', ['pending', 'delivered']).execute();
}

export const liveSubscriptions = async (db: Executor, room: string, eventType: string) =>
  (await db.selectFrom('exchange.pubsub_subscriptions').selectAll().where('room', '=', room).where('event_type', '=', eventType).where('cancelled_at', 'is', null).execute()) as SubscriptionRow[];

export const findSubscription = async (db: Executor, room: string, eventType: string, subscriber: string) =>
  (await db.selectFrom('exchange.pubsub_subscriptions').selectAll().where('room', '=', room).where('event_type', '=', eventType).where('subscriber', '=', subscriber).where('cancelled_at', 'is', null).executeTakeFirst()) as SubscriptionRow | undefined;

export const subscriptionsOf = async (db: Executor, room: string, subscriber: string) =>
  (await db.selectFrom('exchange.pubsub_subscriptions').selectAll().where('room', '=', room).where('subscriber', '=', subscriber).where('cancelled_at', 'is', null).orderBy('event_type').execute()) as SubscriptionRow[];

export async function insertSubscription(db: Executor, row: SubscriptionRow): Promise<void> {
  await db.insertInto('exchange.pubsub_subscriptions').values(row).execute();
}

export async function updateSubscription(db: Executor, id: string, changes: Partial<SubscriptionRow>): Promise<void> {
  await db.updateTable('exchange.pubsub_subscriptions').set(changes).where('id', '=', id).execute();
}

export async function insertDeliveries(db: Executor, rows: DeliveryRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('exchange.pubsub_deliveries').values(rows).execute();
}

export async function deliveryCounts(db: Executor, eventId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('exchange.pubsub_deliveries').select(['state', (eb) => eb.fn.countAll<string>().as('n')]).where('event_id', '=', eventId).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** The oldest delivery of a pull subscription that is due (never handed out, or handed out and not confirmed in time). */
export async function nextPullDelivery(db: Executor, subscriptionId: string, redeliverBefore: Date, fifo: boolean) {
  let query = db
    .selectFrom('exchange.pubsub_deliveries as d')
    .innerJoin('exchange.pubsub_events as e', 'e.id', 'd.event_id')
    .selectAll('e')
    .select(['d.state', 'd.delivered_at'])
    .where('d.subscription_id', '=', subscriptionId)
    .orderBy('e.sequence')
    .limit(1)
    .forUpdate('d');
  // FIFO: the oldest unconfirmed event, again and again until it is confirmed.
  query = fifo ? query.where('d.state', 'in', ['pending', 'delivered']) : query.where((eb) => eb.or([eb('d.state', '=', 'pending'), eb.and([eb('d.state', '=', 'delivered'), eb('d.delivered_at', '<', redeliverBefore)])]));
  const row = await query.executeTakeFirst();
  return row && { event: asEvent(row)!, state: row.state as DeliveryRow['state'] };
}

export async function markDelivery(db: Executor, eventId: string, subscriptionId: string, changes: Partial<DeliveryRow>): Promise<boolean> {
  const result = await db.updateTable('exchange.pubsub_deliveries').set(changes).where('event_id', '=', eventId).where('subscription_id', '=', subscriptionId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export const findDelivery = async (db: Executor, eventId: string, subscriptionId: string) =>
  (await db.selectFrom('exchange.pubsub_deliveries').selectAll().where('event_id', '=', eventId).where('subscription_id', '=', subscriptionId).executeTakeFirst()) as DeliveryRow | undefined;

/** Push deliveries due now, oldest first, with their event and subscription. */
export async function duePushDeliveries(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('exchange.pubsub_deliveries as d')
    .innerJoin('exchange.pubsub_events as e', 'e.id', 'd.event_id')
    .innerJoin('exchange.pubsub_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.event_id', 'd.subscription_id', 'd.attempts', 'e.room', 'e.event_type', 'e.sequence', 'e.publisher', 'e.payload', 'e.published_at', 's.subscriber', 's.ttl_seconds'])
    .where('s.delivery', '=', 'PUSH')
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .limit(limit)
    .execute();
}

/** Deliveries whose event outlived the subscription's TTL before it got through. */
export async function expireDeliveries(db: Executor, now: Date): Promise<number> {
  const result = await sql<{ n: number }>`
    update exchange.pubsub_deliveries d set state = 'expired'
    from exchange.pubsub_events e, exchange.pubsub_subscriptions s
    where d.event_id = e.id and d.subscription_id = s.id and d.state in ('pending', 'delivered')
      and e.published_at + make_interval(secs => s.ttl_seconds) < ${now}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
