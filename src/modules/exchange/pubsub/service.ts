// The rules of publish/subscribe, after GovStack's Information Mediator Pub/Sub: a room (a
// subsystem) has event types, each with a JSON Schema its events must meet; members' systems
// subscribe (push or pull) and publish. An accepted event is stored with one delivery per
// subscriber in the same transaction, so it reaches each at least once. Pulled events come
// back until they are confirmed; a publisher's Idempotency-Key makes publishing again a no-op.
import { Ajv, type ErrorObject } from 'ajv';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db.ts';
import { newId } from '../../../platform/ids.ts';
import * as store from './store.ts';

/** A pulled event not confirmed within this long is handed out again. */
export const REDELIVER_AFTER_MS = 60_000;
const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** An answer that is not 2xx, with the status GovStack's API gives it. */
export class PubSubError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Party = { instanceId: string; memberClass: string; memberCode: string; applicationCode: string };
/** INSTANCE/CLASS/MEMBER/APPLICATION as GovStack writes a subscriber or publisher. */
export function partyOf(identifier: string): Party {
  const [instanceId, memberClass, memberCode, applicationCode] = identifier.split('/').map((p) => decodeURIComponent(p));
  return { instanceId, memberClass, memberCode, applicationCode };
}

export type EventItem = { id: string; sequence: number; publisherId: Party; eventType: string; event: unknown };
const itemOf = (e: store.EventRow): EventItem => ({ id: e.id, sequence: e.sequence, publisherId: partyOf(e.publisher), eventType: e.event_type, event: e.payload });

export type SubscriptionItem = { id: string; subscriberId: Party; eventType: string; delivery: 'PUSH' | 'PULL'; options: { TTL: number; FIFO: boolean } };
const subscriptionOf = (s: store.SubscriptionRow): SubscriptionItem => ({ id: s.id, subscriberId: partyOf(s.subscriber), eventType: s.event_type, delivery: s.delivery, options: { TTL: s.ttl_seconds, FIFO: s.fifo } });

function checkEventType(name: unknown): string {
  if (typeof name !== 'string' || !EVENT_TYPE_PATTERN.test(name)) throw new PubSubError(400, 'eventType must be letters, digits, dot, underscore or hyphen (at most 64).');
  return name;
}

export function createPubSub(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();

  const eventTypeOf = async (room: string, eventType: string) => {
    const row = await store.findEventType(db, room, eventType);
    if (!row) throw new PubSubError(404, `The room has no event type ${eventType}.`);
    return row;
  };
  function validatorFor(row: store.EventTypeRow) {
    const key = `${row.room} ${row.event_type} ${row.created_at.toISOString()}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(row.schema);
      validators.set(key, validate);
    }
    return validate;
  }

  return {
    async createEventType(room: string, client: string, input: { eventType?: unknown; schema?: unknown }): Promise<void> {
      const eventType = checkEventType(input.eventType);
      if (typeof input.schema !== 'object' || input.schema === null || Array.isArray(input.schema)) throw new PubSubError(400, 'schema must be a JSON Schema object.');
      try {
        ajv.compile(input.schema as object);
      } catch (err) {
        throw new PubSubError(400, `schema is not a valid JSON Schema: ${(err as Error).message}`);
      }
      if (await store.findEventType(db, room, eventType)) throw new PubSubError(409, `The event type ${eventType} already exists.`);
      await store.insertEventType(db, { room, event_type: eventType, schema: input.schema as Record<string, unknown>, created_by: client, created_at: clock.now() });
    },

    listEventTypes: (room: string) => store.listEventTypes(db, room),

    async getEventType(room: string, eventType: string) {
      const row = await eventTypeOf(room, eventType);
      return { eventType: row.event_type, schema: row.schema };
    },

    async deleteEventType(room: string, eventType: string): Promise<void> {
      if ((await store.liveSubscriptions(db, room, eventType)).length > 0) throw new PubSubError(409, `The event type ${eventType} has subscribers; they must unsubscribe first.`);
      if (!(await store.deleteEventType(db, room, eventType))) throw new PubSubError(404, `The room has no event type ${eventType}.`);
    },

    /** Stores the event and a delivery for every current subscriber, in one transaction. */
    async publish(room: string, publisher: string, eventType: string, input: { eventType?: unknown; event?: unknown }, idempotencyKey: string | undefined): Promise<{ id: string; created: boolean }> {
      if (input.eventType !== undefined && input.eventType !== eventType) throw new PubSubError(400, `The body's eventType ${String(input.eventType)} is not the one in the path, ${eventType}.`);
      if (input.event === undefined) throw new PubSubError(400, 'event is required.');
      const type = await eventTypeOf(room, eventType);
      const validate = validatorFor(type);
      if (!validate(input.event)) {
        const problems = (validate.errors ?? []).map((e: ErrorObject) => `event${e.instancePath.replaceAll('/', '.')} ${e.message}`).join('; ');
        throw new PubSubError(400, `The event does not match the schema of ${eventType}: ${problems}.`);
      }
      if (idempotencyKey) {
        const earlier = await store.findByIdempotencyKey(db, room, publisher, idempotencyKey);
        if (earlier) return { id: earlier.id, created: false };
      }
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const event: store.EventRow = { id: newId(), room, event_type: eventType, sequence: await store.nextSequence(trx, room, eventType), publisher, idempotency_key: idempotencyKey ?? null, payload: input.event, published_at: now, status: 'active' };
        await store.insertEvent(trx, event);
        const subscriptions = await store.liveSubscriptions(trx, room, eventType);
        await store.insertDeliveries(trx, subscriptions.map((s) => ({ event_id: event.id, subscription_id: s.id, state: 'pending', attempts: 0, next_attempt_at: now, delivered_at: null, last_error: null })));
        return { id: event.id, created: true };
      });
    },

    async eventStatus(room: string, publisher: string, eventId: string) {
      const event = await store.findEvent(db, room, eventId);
      if (!event || event.publisher !== publisher) throw new PubSubError(404, `No event ${eventId} of yours in this room.`);
      return { ...itemOf(event), status: event.status, publishedAt: event.published_at.toISOString(), deliveries: await store.deliveryCounts(db, eventId) };
    },

    async stopEvent(room: string, publisher: string, eventId: string): Promise<void> {
      const event = await store.findEvent(db, room, eventId);
      if (!event || event.publisher !== publisher) throw new PubSubError(404, `No event ${eventId} of yours in this room.`);
      await db.transaction().execute((trx) => store.stopEvent(trx, eventId, clock.now()));
    },

    async listSubscriptions(room: string, subscriber: string): Promise<SubscriptionItem[]> {
      return (await store.subscriptionsOf(db, room, subscriber)).map(subscriptionOf);
    },

    async subscribe(room: string, subscriber: string, eventType: string, input: { delivery?: unknown; options?: { TTL?: unknown; FIFO?: unknown } }): Promise<SubscriptionItem> {
      await eventTypeOf(room, eventType);
      const delivery = input.delivery ?? 'PUSH';
      if (delivery !== 'PUSH' && delivery !== 'PULL') throw new PubSubError(400, 'delivery must be PUSH or PULL.');
      const ttl = input.options?.TTL ?? 3600;
      if (!Number.isInteger(ttl) || (ttl as number) < 1 || (ttl as number) > 31_536_000) throw new PubSubError(400, 'options.TTL must be a whole number of seconds from 1 to 31536000.');
      const fifo = input.options?.FIFO ?? false;
      if (typeof fifo !== 'boolean') throw new PubSubError(400, 'options.FIFO must be true or false.');
      if (await store.findSubscription(db, room, eventType, subscriber)) throw new PubSubError(409, `You already subscribe to ${eventType} in this room.`);
      const now = clock.now();
      const row: store.SubscriptionRow = { id: newId(), room, event_type: eventType, subscriber, delivery, ttl_seconds: ttl as number, fifo, created_at: now, updated_at: now, cancelled_at: null };
      await store.insertSubscription(db, row);
      return subscriptionOf(row);
    },

    async getSubscription(room: string, subscriber: string, eventType: string): Promise<SubscriptionItem> {
      const row = await store.findSubscription(db, room, eventType, subscriber);
      if (!row) throw new PubSubError(404, `You do not subscribe to ${eventType} in this room.`);
      return subscriptionOf(row);
    },

    async updateSubscription(room: string, subscriber: string, eventType: string, input: { delivery?: unknown; options?: { TTL?: unknown; FIFO?: unknown } }): Promise<SubscriptionItem> {
      const row = await store.findSubscription(db, room, eventType, subscriber);
      if (!row) throw new PubSubError(404, `You do not subscribe to ${eventType} in this room.`);
      const changes: Partial<store.SubscriptionRow> = { updated_at: clock.now() };
      if (input.delivery !== undefined) {
        if (input.delivery !== 'PUSH' && input.delivery !== 'PULL') throw new PubSubError(400, 'delivery must be PUSH or PULL.');
        changes.delivery = input.delivery;
      }
      if (input.options?.TTL !== undefined) {
        if (!Number.isInteger(input.options.TTL) || (input.options.TTL as number) < 1) throw new PubSubError(400, 'options.TTL must be a whole number of seconds ≥ 1.');
        changes.ttl_seconds = input.options.TTL as number;
      }
      if (input.options?.FIFO !== undefined) {
        if (typeof input.options.FIFO !== 'boolean') throw new PubSubError(400, 'options.FIFO must be true or false.');
        changes.fifo = input.options.FIFO;
      }
      await store.updateSubscription(db, row.id, changes);
      return subscriptionOf({ ...row, ...changes });
    },

    async unsubscribe(room: string, subscriber: string, eventType: string): Promise<void> {
      const row = await store.findSubscription(db, room, eventType, subscriber);
      if (!row) throw new PubSubError(404, `You do not subscribe to ${eventType} in this room.`);
      await db.transaction().execute(async (trx) => {
        await store.updateSubscription(trx, row.id, { cancelled_at: clock.now() });
        await trx.updateTable('exchange.pubsub_deliveries').set({ state: 'cancelled' }).where('subscription_id', '=', row.id).where('state', 'in', ['pending', 'delivered']).execute();
      });
    },

    /** The next event for a pull subscriber: handed out until confirmed (at least once). */
    async pull(room: string, subscriber: string, eventType: string): Promise<EventItem> {
      const subscription = await store.findSubscription(db, room, eventType, subscriber);
      if (!subscription) throw new PubSubError(404, `You do not subscribe to ${eventType} in this room.`);
      if (subscription.delivery !== 'PULL') throw new PubSubError(409, `Your subscription to ${eventType} is delivered by PUSH; change it to PULL to pull.`);
      const now = clock.now();
      await store.expireDeliveries(db, now);
      const next = await db.transaction().execute(async (trx) => {
        const found = await store.nextPullDelivery(trx, subscription.id, new Date(now.getTime() - REDELIVER_AFTER_MS), subscription.fifo);
        if (found) await store.markDelivery(trx, found.event.id, subscription.id, { state: 'delivered', delivered_at: now, attempts: 1 });
        return found;
      });
      if (!next) throw new PubSubError(404, `No event of type ${eventType} is waiting for you.`);
      return itemOf(next.event);
    },

    /** Confirms a pulled event; confirming it again is fine. */
    async confirm(room: string, subscriber: string, eventType: string, eventId: string): Promise<void> {
      const subscription = await store.findSubscription(db, room, eventType, subscriber);
      if (!subscription) throw new PubSubError(404, `You do not subscribe to ${eventType} in this room.`);
      const delivery = await store.findDelivery(db, eventId, subscription.id);
      if (!delivery) throw new PubSubError(404, `No event ${eventId} was handed to you.`);
      if (delivery.state === 'pending') throw new PubSubError(409, `Event ${eventId} was not pulled yet; pull it before confirming it.`);
      if (delivery.state === 'delivered') await store.markDelivery(db, eventId, subscription.id, { state: 'acked' });
    },
  };
}

export type PubSub = ReturnType<typeof createPubSub>;
