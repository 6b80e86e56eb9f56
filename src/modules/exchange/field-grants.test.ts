// Field-level access rights through HTTP on one node: a right may name the fields of the
// answer its client may have; the API checks the list, the audit and the global
// configuration carry it, and a call reaches its backend (over HTTP or built in) with the
// fields it was granted in x-egov-granted-fields, which no client can set itself.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { localOperator, type RequestContext } from '../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.ts';
import type { BackendCall } from './index.ts';

let t: TestApp;
let backend: http.Server;
let backendUrl: string;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];
let providerSubsystemId: string;
let provider: string; // A's subsystem "hukou"
let client: string; // B's subsystem "welfare"
const tokens = new Map<string, string>();

before(async () => {
  backend = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: '张三', birthDate: '1990-01-01', address: '杭州' }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  t = await createTestApp();
  const directory = t.services.directory.service;
  const hukou = await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' });
  providerSubsystemId = hukou.id;
  provider = hukou.identifier;
  client = (await directory.createSubsystem(localOperator('test'), t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' })).identifier;
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

async function registerService(code: string, url: string): Promise<{ id: string; identifier: string }> {
  const res = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: providerSubsystemId, code, backendUrl: url } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json;
}

async function grant(serviceId: string, body: Record<string, unknown>) {
  return t.request('POST', `/api/exchange/services/${serviceId}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, ...body } });
}

async function tokenOf(user: TestUser): Promise<string> {
  if (!tokens.has(user.username)) tokens.set(user.username, (await t.request('POST', '/api/tokens', { as: user, body: { name: 'exchange client', expiresInDays: 30 } })).json.token);
  return tokens.get(user.username)!;
}

/** B's client system calls A's service through the node, optionally trying to set the granted fields itself. */
async function call(service: string, path: string, headers: Record<string, string> = {}) {
  return t.http.inject({ method: 'GET', url: `/r1/${provider}/${service}${path}`, headers: { 'x-road-client': client, authorization: `Bearer ${await tokenOf(t.world.adminB)}`, ...headers } });
}

const rightsRows = () => t.services.database.db.selectFrom('exchange.access_rights').select(['id', 'fields']).execute();
const grantEvents = () => t.services.database.db.selectFrom('audit.events').select(['action', 'detail']).where('action', '=', 'exchange.right.grant').execute();

test('a right with fields: granted, listed, audited and published in the global configuration', async () => {
  const service = await registerService('persons', `${backendUrl}/persons`);
  const created = await grant(service.id, { method: 'GET', pathPattern: '/v1/**', fields: ['name', 'birthDate'] });
  assert.equal(created.statusCode, 201, created.body);
  assert.deepEqual(created.json.fields, ['name', 'birthDate']);
  const whole = await grant(service.id, { method: 'POST', pathPattern: '/v1/search', fields: null });
  assert.equal(whole.statusCode, 201, whole.body);
  assert.equal(whole.json.fields, null, 'null: the whole answer');

  const listed = await t.request('GET', `/api/exchange/services/${service.id}/rights`, { as: t.world.adminA });
  assert.deepEqual(
    (listed.json as { method: string; fields: string[] | null }[]).map((r) => [r.method, r.fields]),
    [['GET', ['name', 'birthDate']], ['POST', null]],
  );
  const stored = await rightsRows();
  assert.deepEqual(stored.find((r) => r.id === created.json.id)?.fields, ['name', 'birthDate'], 'stored as a JSON array');

  const events = await grantEvents();
  assert.deepEqual(events.map((e) => (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail).fields), [['name', 'birthDate'], null]);

  // Every node learns the list from the signed configuration.
  const signed = await t.services.exchange.signedGlobalConf();
  const published = JSON.parse(Buffer.from(signed.contentBase64, 'base64').toString('utf8')) as { rights: { service: string; method: string | null; fields: string[] | null }[] };
  const ofService = published.rights.filter((r) => r.service === service.identifier);
  assert.deepEqual(ofService.map((r) => [r.method, r.fields]).sort(), [['GET', ['name', 'birthDate']], ['POST', null]]);
  const routing = await t.services.exchange.routing();
  assert.deepEqual(routing.access(service.identifier, client, 'GET', '/v1/persons/1'), { fields: ['birthDate', 'name'] });
  assert.deepEqual(routing.access(service.identifier, client, 'POST', '/v1/search'), { fields: null });
  assert.equal(routing.access(service.identifier, client, 'DELETE', '/v1/persons/1'), undefined);
});

test('bad field lists are refused with 400 naming fields, and nothing is written', async () => {
  const service = await registerService('refused', `${backendUrl}/refused`);
  const rowsBefore = (await rightsRows()).length;
  const eventsBefore = (await grantEvents()).length;
  const tooMany = Array.from({ length: 201 }, (_, i) => `f${i}`);
  for (const [label, fields] of [
    ['empty list', []],
    ['201 names', tooMany],
    ['a duplicate', ['name', 'name']],
    ['a leading digit', ['name', '1name']],
    ['a hyphen', ['birth-date']],
    ['65 characters', [`a${'b'.repeat(64)}`]],
    ['an empty name', ['']],
    ['an empty string', ''],
    ['a comma-separated string', 'name,birthDate'],
    ['an object', { name: true }],
    ['an object in the list', [{ x: 1 }]],
  ] as const) {
    const res = await grant(service.id, { fields });
    assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
    assert.equal(res.json.code, 'validation_failed', label);
    assert.ok(
      (res.json.errors as { field: string }[]).every((e) => /^fields(\.\d+)?$/.test(e.field)),
      `${label}: ${JSON.stringify(res.json.errors)}`,
    );
    assert.match(res.json.detail, /fields/, label);
  }
  assert.equal((await rightsRows()).length, rowsBefore, 'no right was written');
  assert.equal((await grantEvents()).length, eventsBefore, 'no grant was audited');
  // Just inside the limits: 200 names of 64 characters.
  const longest = Array.from({ length: 200 }, (_, i) => `f${String(i).padStart(63, '_')}`);
  const edge = await grant(service.id, { fields: longest });
  assert.equal(edge.statusCode, 201, edge.body);
  assert.equal(edge.json.fields.length, 200);
});

test('in process the registry checks the list too, naming fields', async () => {
  const service = await registerService('inprocess', `${backendUrl}/inprocess`);
  const ctx: RequestContext = { actor: { userId: t.world.adminA.id, username: t.world.adminA.username, displayName: 'admin A', orgId: t.world.deptA.id, roles: ['org_admin'], via: 'token' }, ip: '127.0.0.1', requestId: 'in-process' };
  await assert.rejects(
    t.services.exchange.registry.grant(ctx, service.id, { clientKind: 'subsystem', client, fields: ['ok', 'not ok'] }),
    (err: { errors?: { field: string; code: string; message: string }[] }) => err.errors?.[0].field === 'fields' && err.errors[0].code === 'field_name' && /"not ok" is not a field name/.test(err.errors[0].message),
  );
  await assert.rejects(t.services.exchange.registry.grant(ctx, service.id, { clientKind: 'subsystem', client, fields: ['a', 'a'] }), (err: { errors?: { field: string; code: string }[] }) => err.errors?.[0].field === 'fields' && err.errors[0].code === 'duplicate');
  await assert.rejects(t.services.exchange.registry.grant(ctx, service.id, { clientKind: 'subsystem', client, fields: [] }), (err: { errors?: { field: string; code: string }[] }) => err.errors?.[0].field === 'fields' && err.errors[0].code === 'count');
});

test('an HTTP backend receives the granted fields, the union over matching rights; a client cannot set them', async () => {
  const service = await registerService('limited', `${backendUrl}/limited`);
  assert.equal((await grant(service.id, { method: 'GET', pathPattern: '/v1/**', fields: ['name', 'birthDate'] })).statusCode, 201);
  // B's subsystem is also in a group that may have the address of one path.
  const group = await t.request('POST', '/api/exchange/groups', { as: t.world.platformAdmin, body: { code: 'address-readers' } });
  assert.equal(group.statusCode, 201, group.body);
  assert.equal((await t.request('POST', `/api/exchange/groups/${group.json.id}/members`, { as: t.world.platformAdmin, body: { client } })).statusCode, 204);
  const groupRight = await t.request('POST', `/api/exchange/services/${service.id}/rights`, { as: t.world.adminA, body: { clientKind: 'group', client: 'address-readers', pathPattern: '/v1/persons/*', fields: ['address', 'name'] } });
  assert.equal(groupRight.statusCode, 201, groupRight.body);

  const injected = { 'x-egov-granted-fields': 'everything,secret' };
  const one = await call('limited', '/v1/persons/1', injected);
  assert.equal(one.statusCode, 200, one.body);
  assert.equal(seen.at(-1)!.url, '/limited/v1/persons/1');
  assert.equal(seen.at(-1)!.headers['x-egov-granted-fields'], 'address,birthDate,name', 'both rights match: the union, sorted; the client header is gone');
  const other = await call('limited', '/v1/other', injected);
  assert.equal(other.statusCode, 200, other.body);
  assert.equal(seen.at(-1)!.headers['x-egov-granted-fields'], 'birthDate,name', "only the subsystem's right matches this path");

  // A right without a list grants the whole answer: no header, whatever the client sends.
  const open = await registerService('open', `${backendUrl}/open`);
  assert.equal((await grant(open.id, { method: 'GET' })).statusCode, 201);
  assert.equal((await call('open', '/v1/persons/1', injected)).statusCode, 200);
  assert.equal(seen.at(-1)!.url, '/open/v1/persons/1');
  assert.equal(seen.at(-1)!.headers['x-egov-granted-fields'], undefined);
  // …and on the limited service, one more matching right without a list lifts the limit.
  assert.equal((await grant(service.id, { method: 'GET', pathPattern: '/v1/persons/2' })).statusCode, 201);
  assert.equal((await call('limited', '/v1/persons/2', injected)).statusCode, 200);
  assert.equal(seen.at(-1)!.headers['x-egov-granted-fields'], undefined, 'a matching right for the whole answer');
  assert.equal((await call('limited', '/v1/persons/1')).statusCode, 200);
  assert.equal(seen.at(-1)!.headers['x-egov-granted-fields'], 'address,birthDate,name', 'other paths keep their limit');

  // The log holds what the client signed: no granted-fields header among them.
  const rows = await t.services.exchange.log.findByXRoadId(String(one.headers['x-road-id']));
  const signedHeaders = JSON.parse(String(rows[0].request_meta)).headers as Record<string, string>;
  assert.equal(signedHeaders['x-egov-granted-fields'], undefined);
});

test('built-in backends: other modules register theirs; egov:NAME services are answered in process with the grant', async () => {
  const calls: (BackendCall & { body: Buffer })[] = [];
  t.services.exchange.registerBuiltin('field-echo', async (c) => {
    calls.push(c);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ grantedFields: c.grantedFields })) };
  });
  assert.throws(() => t.services.exchange.registerBuiltin('field-echo', async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) })), /already a built-in backend egov:field-echo/);
  assert.throws(() => t.services.exchange.registerBuiltin('pubsub', async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) })), /already a built-in backend egov:pubsub/);
  assert.throws(() => t.services.exchange.registerBuiltin('Not A Name', async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) })), /not a built-in backend name/);

  // Only names this platform has: a typo (or an object's inherited property) is refused.
  for (const backendUrlValue of ['egov:nothing', 'egov:constructor', 'egov:', 'egov:Field-Echo']) {
    const res = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: providerSubsystemId, code: 'builtin-bad', backendUrl: backendUrlValue } });
    assert.equal(res.statusCode, 400, `${backendUrlValue}: ${res.body}`);
    assert.equal(res.json.errors[0].field, 'backendUrl', backendUrlValue);
  }
  const service = await registerService('builtin', 'egov:field-echo');
  assert.equal((await t.request('GET', `/api/exchange/services/${service.id}`, { as: t.world.adminA })).json.backendUrl, 'egov:field-echo');
  assert.equal((await grant(service.id, { fields: ['name'] })).statusCode, 201);
  const res = await call('builtin', '/v1/x', { 'x-egov-granted-fields': 'secret' });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { grantedFields: ['name'] });
  const seenByHandler = calls.at(-1)!;
  assert.equal(seenByHandler.client, client);
  assert.equal(seenByHandler.headers['x-egov-granted-fields'], 'name', 'the same header an HTTP backend gets, set by the node');

  // An HTTP service can be moved to a built-in backend and back.
  const moved = await registerService('movable', `${backendUrl}/movable`);
  const patched = await t.request('PATCH', `/api/exchange/services/${moved.id}`, { as: t.world.adminA, body: { version: 1, backendUrl: 'egov:field-echo' } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json.backendUrl, 'egov:field-echo');
  const refused = await t.request('PATCH', `/api/exchange/services/${moved.id}`, { as: t.world.adminA, body: { version: 2, backendUrl: 'egov:nothing' } });
  assert.equal(refused.statusCode, 400);
  assert.deepEqual([refused.json.errors[0].field, refused.json.errors[0].code], ['backendUrl', 'builtin_unknown']);
});
