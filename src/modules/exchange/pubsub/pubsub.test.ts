// Publish/subscribe through the exchange, with GovStack IM Pub/Sub paths: a room with an
// event type and its schema, a publisher, a pull subscriber and a push subscriber whose
// `events` service is a real HTTP backend. Every operation is an exchange call: authorized
// by access rights, logged; deliveries are at least once and recognisable by event id.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';

let t: TestApp;
let push: http.Server;
let pushFailures = 1; // the push backend refuses its first delivery
const pushed: { id: string; eventType: string; body: any }[] = [];
let room: string;
const tokens: Record<'publisher' | 'puller' | 'pusher' | 'stranger', string> = { publisher: '', puller: '', pusher: '', stranger: '' };
const ids: Record<keyof typeof tokens, string> = { publisher: '', puller: '', pusher: '', stranger: '' };

const birthSchema = { type: 'object', required: ['dateTime', 'gender', 'mother', 'place'], properties: { dateTime: { type: 'string' }, gender: { type: 'string', enum: ['M', 'F'] }, mother: { type: 'string' }, place: { type: 'string' } } };
const birth = { dateTime: '2026-12-01T08:30:00+08:00', gender: 'F', mother: '王芳', place: '青云省人民医院' };

before(async () => {
  push = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      if (pushFailures > 0) {
        pushFailures -= 1;
        return res.writeHead(503).end('busy');
      }
      pushed.push({ id: String(req.headers['x-event-id']), eventType: req.url!, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => push.listen(0, '127.0.0.1', resolve));

  // Pushing is driven by the test, not the background timer.
  t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0', EGOV_PUBSUB_PUSH_MS: '0' } });
  const { deptA, deptB, adminA, adminB } = t.world;
  const directory = t.services.directory.service;
  const sub = (orgId: string, code: string) => directory.createSubsystem(localOperator('test'), orgId, { code, nameZh: code, nameEn: code });
  const roomSubsystem = await sub(deptA.id, 'births');
  room = roomSubsystem.identifier;
  const clients = { publisher: await sub(deptA.id, 'hospital'), puller: await sub(deptB.id, 'welfare'), pusher: await sub(deptB.id, 'benefits'), stranger: await sub(deptB.id, 'other') };
  for (const [key, subsystem] of Object.entries(clients)) {
    ids[key as keyof typeof ids] = subsystem.identifier;
    tokens[key as keyof typeof tokens] = (await t.services.exchange.clientAuth.add(localOperator('test'), { subsystem: subsystem.identifier, kind: 'token' })).token!;
  }

  const rooms = await t.request('POST', '/api/exchange/rooms', { as: adminA, body: { subsystemId: roomSubsystem.id } });
  assert.equal(rooms.statusCode, 201, rooms.body);
  const service = (code: string) => (rooms.json as { id: string; code: string }[]).find((s) => s.code === code)!.id;
  const grant = async (as: typeof adminA, serviceId: string, client: string, pathPattern?: string) => {
    const res = await t.request('POST', `/api/exchange/services/${serviceId}/rights`, { as, body: { clientKind: 'subsystem', client, ...(pathPattern ? { pathPattern } : {}) } });
    assert.equal(res.statusCode, 201, res.body);
  };
  await grant(adminA, service('api'), ids.publisher, '/v1/eventType/**');
  await grant(adminA, service('pub'), ids.publisher);
  for (const subscriber of [ids.puller, ids.pusher]) {
    await grant(adminA, service('api'), subscriber, '/v1/subs/**');
    await grant(adminA, service('pull'), subscriber);
  }
  // The push subscriber's own service, which the room may call.
  const benefits = await t.request('POST', '/api/exchange/services', { as: adminB, body: { subsystemId: clients.pusher.id, code: 'events', backendUrl: `http://127.0.0.1:${(push.address() as AddressInfo).port}/inbox` } });
  assert.equal(benefits.statusCode, 201, benefits.body);
  await grant(adminB, benefits.json.id, room);
}, { timeout: 60_000 });

after(async () => {
  await t.close();
  await new Promise<void>((resolve) => push.close(() => resolve()));
});

async function call(who: keyof typeof tokens, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await t.http.inject({ method: method as 'GET', url: `/r1/${room}${path}`, headers: { 'x-govstack-client': ids[who], authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, headers: res.headers };
}

test('a room manager defines an event type with its schema', async () => {
  assert.equal((await call('publisher', 'GET', '/api/v1/eventType')).status, 204, 'none yet');
  assert.equal((await call('publisher', 'POST', '/api/v1/eventType', { eventType: 'newBirth', schema: birthSchema })).status, 200);
  assert.equal((await call('publisher', 'POST', '/api/v1/eventType', { eventType: 'newBirth', schema: birthSchema })).status, 409);
  assert.equal((await call('publisher', 'POST', '/api/v1/eventType', { eventType: 'bad type!', schema: birthSchema })).status, 400);
  assert.equal((await call('publisher', 'POST', '/api/v1/eventType', { eventType: 'x', schema: { type: 'no-such-type' } })).status, 400);
  assert.deepEqual((await call('publisher', 'GET', '/api/v1/eventType')).json, ['newBirth']);
  assert.deepEqual((await call('publisher', 'GET', '/api/v1/eventType/newBirth')).json, { eventType: 'newBirth', schema: birthSchema });
  const refused = await call('puller', 'POST', '/api/v1/eventType', { eventType: 'other', schema: {} });
  assert.equal(refused.status, 403, 'a subscriber has no right to manage event types');
  assert.equal(refused.headers['x-road-error'], 'Server.ServerProxy.AccessDenied');
});

test('subscribers subscribe, by pull and by push; a stranger without a right is refused', async () => {
  const pull = await call('puller', 'POST', '/api/v1/subs/newBirth', { eventType: 'newBirth', delivery: 'PULL', options: { TTL: 3600, FIFO: true } });
  assert.equal(pull.status, 200, JSON.stringify(pull.json));
  assert.deepEqual([pull.json.delivery, pull.json.options, pull.json.subscriberId.applicationCode], ['PULL', { TTL: 3600, FIFO: true }, 'welfare']);
  assert.equal((await call('puller', 'POST', '/api/v1/subs/newBirth', { eventType: 'newBirth', delivery: 'PULL' })).status, 409);
  assert.equal((await call('pusher', 'POST', '/api/v1/subs/newBirth', { eventType: 'newBirth' })).json.delivery, 'PUSH', 'PUSH is the default');
  assert.equal((await call('pusher', 'POST', '/api/v1/subs/unknownType', {})).status, 404);
  assert.deepEqual(((await call('puller', 'GET', '/api/v1/subs')).json as { eventType: string }[]).map((s) => s.eventType), ['newBirth']);
  assert.equal((await call('stranger', 'POST', '/api/v1/subs/newBirth', {})).status, 403);
  const anonymous = await t.http.inject({ method: 'GET', url: `/r1/${room}/api/v1/subs`, headers: { 'x-govstack-client': ids.puller } });
  assert.equal(anonymous.statusCode, 401);
});

test('publishing: checked against the schema, idempotent by key, and logged like any call', async () => {
  const invalid = await call('publisher', 'POST', '/pub/v1/newBirth', { eventType: 'newBirth', event: { ...birth, gender: 'X' } });
  assert.equal(invalid.status, 400);
  assert.match(invalid.json.message, /event\.gender must be equal to one of the allowed values/);
  assert.equal((await call('publisher', 'POST', '/pub/v1/noSuchType', { event: birth })).status, 404);
  assert.equal((await call('puller', 'POST', '/pub/v1/newBirth', { event: birth })).status, 403, 'only publishers publish');

  const first = await call('publisher', 'POST', '/pub/v1/newBirth', { eventType: 'newBirth', event: birth }, { 'idempotency-key': 'birth-2026-0001' });
  assert.equal(first.status, 201, JSON.stringify(first.json));
  const again = await call('publisher', 'POST', '/pub/v1/newBirth', { eventType: 'newBirth', event: birth }, { 'idempotency-key': 'birth-2026-0001' });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, first.json.id, 'the same event, not a second one');
  const rows = (await t.services.exchange.log.findByXRoadId(String(first.headers['x-road-id']))) as Record<string, any>[];
  assert.deepEqual(rows.map((r) => r.side).sort(), ['consumer', 'provider']);
  assert.equal(rows[0].client, ids.publisher);

  const status = await call('publisher', 'GET', `/pub/v1/newBirth/${first.json.id}`);
  assert.equal(status.status, 200);
  assert.deepEqual([status.json.sequence, status.json.event, status.json.deliveries], [1, birth, { pending: 2 }]);
  assert.equal((await call('puller', 'GET', `/pub/v1/newBirth/${first.json.id}`)).status, 403);
});

test('pull: the next event until it is confirmed (at least once), in order, then nothing', async () => {
  const pulled = await call('puller', 'GET', '/pull/v1/newBirth');
  assert.equal(pulled.status, 200, JSON.stringify(pulled.json));
  assert.deepEqual([pulled.json.sequence, pulled.json.eventType, pulled.json.event, pulled.json.publisherId.applicationCode], [1, 'newBirth', birth, 'hospital']);
  // FIFO: the same event again until it is confirmed.
  assert.equal((await call('puller', 'GET', '/pull/v1/newBirth')).json.id, pulled.json.id);
  assert.equal((await call('puller', 'DELETE', `/pull/v1/newBirth/${pulled.json.id}`)).status, 204);
  assert.equal((await call('puller', 'DELETE', `/pull/v1/newBirth/${pulled.json.id}`)).status, 204, 'confirming twice is fine');
  assert.equal((await call('puller', 'GET', '/pull/v1/newBirth')).status, 404);
  assert.equal((await call('pusher', 'GET', '/pull/v1/newBirth')).status, 409, 'a push subscription is not pulled');

  // Not FIFO: an unconfirmed event comes back once its visibility has passed.
  assert.equal((await call('puller', 'PATCH', '/api/v1/subs/newBirth', { options: { FIFO: false } })).status, 201);
  const second = await call('publisher', 'POST', '/pub/v1/newBirth', { event: { ...birth, mother: '李静' } });
  assert.equal(second.status, 201);
  assert.equal((await call('puller', 'GET', '/pull/v1/newBirth')).json.id, second.json.id);
  assert.equal((await call('puller', 'GET', '/pull/v1/newBirth')).status, 404, 'handed out and not yet due again');
  t.clock.advance(61_000);
  assert.equal((await call('puller', 'GET', '/pull/v1/newBirth')).json.id, second.json.id, 'not confirmed: delivered again');
});

test('push: the room calls the subscriber through the exchange, retries a refusal, and the subscriber can tell a repeat by its id', async () => {
  assert.equal(await t.services.exchange.pushEvents(), 1, 'the backend refuses the first delivery, takes the second');
  assert.equal(await t.services.exchange.pushEvents(), 0, 'the refused one waits for its back-off');
  t.clock.advance(2_000);
  assert.equal(await t.services.exchange.pushEvents(), 1, 'then it is tried again, and taken');
  assert.deepEqual(
    pushed.map((p) => [p.eventType, p.body.sequence, p.body.event.mother]).sort((a, b) => Number(a[1]) - Number(b[1])),
    [
      ['/inbox/newBirth', 1, '王芳'],
      ['/inbox/newBirth', 2, '李静'],
    ],
  );
  assert.equal(pushed[0].id, pushed[0].body.id, 'X-Event-Id is the event id');
  assert.equal(await t.services.exchange.pushEvents(), 0, 'nothing left to push');
  const log = await t.request('GET', `/api/exchange/log?client=${encodeURIComponent(room)}&limit=50`, { as: t.world.platformAdmin });
  assert.ok((log.json.items as { service: string; status: number }[]).some((r) => r.service === `${ids.pusher}/events` && r.status === 204), 'deliveries are logged like calls');
});

test('a stopped event is not delivered any more; unsubscribing ends deliveries', async () => {
  const third = await call('publisher', 'POST', '/pub/v1/newBirth', { event: birth });
  assert.equal((await call('publisher', 'DELETE', `/pub/v1/newBirth/${third.json.id}`)).status, 204);
  assert.deepEqual((await call('publisher', 'GET', `/pub/v1/newBirth/${third.json.id}`)).json.deliveries, { cancelled: 2 });
  assert.equal((await call('pusher', 'DELETE', '/api/v1/subs/newBirth')).status, 204);
  assert.equal((await call('pusher', 'GET', '/api/v1/subs/newBirth')).status, 404);
  assert.equal((await call('publisher', 'DELETE', '/api/v1/eventType/newBirth')).status, 409, 'the puller still subscribes');
});
