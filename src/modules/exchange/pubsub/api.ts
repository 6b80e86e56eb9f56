// GovStack Information Mediator Pub/Sub over the exchange. A room is a subsystem with three
// services, `api` (event types and subscriptions), `pub` (publish) and `pull`, whose backend
// is this built-in handler on the room's node. A call reaches it like any call: through the
// caller's node, with the caller's access right checked on the room's service, signed and
// logged on both sides; `client` is the verified caller. Paths follow the specification:
//   /r1/{room}/api/v1/eventType[/{eventType}]     /r1/{room}/api/v1/subs[/{eventType}]
//   /r1/{room}/pub/v1/{eventType}[/{eventId}]      /r1/{room}/pull/v1/{eventType}[/{eventId}]
import type { BuiltinHandler, BuiltinResponse } from '../message/backend.ts';
import { PubSubError, type PubSub } from './service.ts';

const json = (status: number, value?: unknown): BuiltinResponse => ({
  status,
  headers: value === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
  body: value === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(value), 'utf8'),
});

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new PubSubError(400, 'The body is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PubSubError(400, 'The body must be a JSON object.');
  return value as Record<string, unknown>;
}

export function pubsubBackend(pubsub: PubSub): BuiltinHandler {
  return async (call) => {
    const parts = call.service.split('/');
    const code = parts.pop()!;
    const room = parts.join('/');
    const segments = call.path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    if (segments[0] !== 'v1') return json(404, { message: `Pub/sub paths start with /${code}/v1/.` });
    const [, first, second, third] = segments;
    const { method, client } = call;
    try {
      if (code === 'api' && first === 'eventType' && third === undefined) {
        if (second === undefined && method === 'POST') return (await pubsub.createEventType(room, client, parseBody(call.body)), json(200, { eventType: parseBody(call.body).eventType }));
        if (second === undefined && method === 'GET') {
          const types = await pubsub.listEventTypes(room);
          return types.length === 0 ? json(204) : json(200, types);
        }
        if (second !== undefined && method === 'GET') return json(200, await pubsub.getEventType(room, second));
        if (second !== undefined && method === 'DELETE') return (await pubsub.deleteEventType(room, second), json(204));
      }
      if (code === 'api' && first === 'subs' && third === undefined) {
        if (second === undefined && method === 'GET') return json(200, await pubsub.listSubscriptions(room, client));
        if (second !== undefined && method === 'POST') return json(200, await pubsub.subscribe(room, client, second, parseBody(call.body)));
        if (second !== undefined && method === 'GET') return json(200, await pubsub.getSubscription(room, client, second));
        if (second !== undefined && method === 'PATCH') return json(201, await pubsub.updateSubscription(room, client, second, parseBody(call.body)));
        if (second !== undefined && method === 'DELETE') return (await pubsub.unsubscribe(room, client, second), json(204));
      }
      if (code === 'pub' && first !== undefined && third === undefined) {
        if (second === undefined && method === 'POST') {
          const key = call.headers['idempotency-key'];
          const published = await pubsub.publish(room, client, first, parseBody(call.body), typeof key === 'string' && key.length > 0 && key.length <= 200 ? key : undefined);
          return json(published.created ? 201 : 200, { id: published.id });
        }
        if (second !== undefined && method === 'GET') return json(200, await pubsub.eventStatus(room, client, second));
        if (second !== undefined && method === 'DELETE') return (await pubsub.stopEvent(room, client, second), json(204));
      }
      if (code === 'pull' && first !== undefined && third === undefined) {
        if (second === undefined && method === 'GET') return json(200, await pubsub.pull(room, client, first));
        if (second !== undefined && method === 'DELETE') return (await pubsub.confirm(room, client, first, second), json(204));
      }
      return json(404, { message: `No pub/sub operation ${method} /${code}${call.path}.` });
    } catch (err) {
      if (err instanceof PubSubError) return json(err.status, { message: err.message });
      throw err;
    }
  };
}
