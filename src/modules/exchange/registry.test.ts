// The exchange registry through HTTP: services, access rights and global groups, who may
// manage them, and how `authorize` reads rights, groups, methods and path patterns.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { pathMatches } from './registry.ts';

let t: TestApp;
let hukou: { id: string; identifier: string };
let welfare: { id: string; identifier: string };
before(async () => {
  t = await createTestApp();
  const directory = t.services.directory.service;
  hukou = await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' });
  welfare = await directory.createSubsystem(localOperator('test'), t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' });
});
after(() => t.close());

const serviceBody = () => ({ subsystemId: hukou.id, code: 'persons', backendUrl: 'http://127.0.0.1:9/persons', openapi: '{"openapi":"3.1.0","info":{"title":"persons","version":"1"},"paths":{}}' });

test('an organization admin registers a service of its own subsystem; others are refused', async () => {
  assert.equal((await t.request('POST', '/api/exchange/services', { body: serviceBody() })).statusCode, 401);
  assert.equal((await t.request('POST', '/api/exchange/services', { as: t.world.adminB, body: serviceBody() })).statusCode, 403);
  assert.equal((await t.request('POST', '/api/exchange/services', { as: t.world.officerA, body: serviceBody() })).statusCode, 403);
  const created = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: serviceBody() });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json.identifier, `${hukou.identifier}/persons`);
  assert.equal(created.json.timeoutMs, 30_000);
  assert.equal(created.json.hasOpenApi, true);
  assert.equal((await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: serviceBody() })).json.code, 'service_code_taken');
  const openapi = await t.request('GET', `/api/exchange/services/${created.json.id}/openapi`, { as: t.world.officerA });
  assert.equal(openapi.headers['content-type'], 'application/json; charset=utf-8');
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', created.json.id).execute();
  assert.deepEqual(events.map((e) => e.action), ['exchange.service.create']);
});

test('bad backend URLs and codes are refused with the field named, and nothing is written', async () => {
  const before = (await t.request('GET', '/api/exchange/services', { as: t.world.adminA })).json.length;
  for (const [backendUrl, code] of [
    ['ftp://127.0.0.1/x', 'url_scheme'],
    ['http://user:secret@127.0.0.1/x', 'url_credentials'],
    ['http://127.0.0.1/x?token=1', 'url_query'],
  ]) {
    const res = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...serviceBody(), code: 'other', backendUrl } });
    assert.equal(res.statusCode, 400, backendUrl);
    assert.equal(res.json.errors[0].field, 'backendUrl');
    assert.equal(res.json.errors[0].code, code);
  }
  const nul = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...serviceBody(), code: 'nul', openapi: 'x\u0000y' } });
  assert.equal(nul.statusCode, 400, 'PostgreSQL text cannot hold NUL: refused before SQL');
  assert.deepEqual([nul.json.errors[0].field, nul.json.errors[0].code], ['openapi', 'nul_character']);
  const badCode = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { ...serviceBody(), code: 'a/b' } });
  assert.equal(badCode.statusCode, 400);
  assert.equal(badCode.json.errors[0].field, 'code');
  assert.equal((await t.request('GET', '/api/exchange/services', { as: t.world.adminA })).json.length, before);
});

test('access rights: granted by the provider, to a subsystem or a group, per method and path', async () => {
  const service = (await t.request('GET', `/api/exchange/services?subsystemId=${hukou.id}`, { as: t.world.adminA })).json[0];
  const rights = `/api/exchange/services/${service.id}/rights`;
  const client = welfare.identifier;
  assert.equal((await t.request('POST', rights, { as: t.world.adminB, body: { clientKind: 'subsystem', client } })).statusCode, 403, "B cannot grant itself access to A's service");
  const unknown = await t.request('POST', rights, { as: t.world.adminA, body: { clientKind: 'subsystem', client: `${client}x` } });
  assert.equal(unknown.json.errors[0].code, 'not_found');
  const malformed = await t.request('POST', rights, { as: t.world.adminA, body: { clientKind: 'subsystem', client: 'EGOV-DEMO/GOV' } });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json.errors[0].field, 'client');

  const row = await t.services.exchange.registry.findServiceByIdentifier(service.identifier);
  const authorize = (method: string, path: string) => t.services.exchange.registry.authorize(row!, client, method, path);
  assert.equal(await authorize('GET', '/v1/persons/1'), false, 'no right yet');

  const granted = await t.request('POST', rights, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET', pathPattern: '/v1/persons/*' } });
  assert.equal(granted.statusCode, 201, granted.body);
  assert.equal((await t.request('POST', rights, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET', pathPattern: '/v1/persons/*' } })).json.code, 'right_exists');
  assert.equal(await authorize('GET', '/v1/persons/1'), true);
  assert.equal(await authorize('POST', '/v1/persons/1'), false, 'another method');
  assert.equal(await authorize('GET', '/v1/persons/1/photo'), false, '* is one segment');
  assert.equal((await t.request('GET', rights, { as: t.world.adminB })).statusCode, 403);
  assert.equal((await t.request('GET', rights, { as: t.world.auditor })).json.length, 1);

  // A group: the platform admin creates it and adds B's subsystem; A grants the group.
  assert.equal((await t.request('POST', '/api/exchange/groups', { as: t.world.adminA, body: { code: 'civil-affairs' } })).statusCode, 403);
  const group = await t.request('POST', '/api/exchange/groups', { as: t.world.platformAdmin, body: { code: 'civil-affairs', description: '民政' } });
  assert.equal(group.statusCode, 201);
  assert.equal((await t.request('POST', `/api/exchange/groups/${group.json.id}/members`, { as: t.world.platformAdmin, body: { client } })).statusCode, 204);
  assert.equal((await t.request('POST', `/api/exchange/groups/${group.json.id}/members`, { as: t.world.platformAdmin, body: { client } })).json.code, 'already_member');
  const groupRight = await t.request('POST', rights, { as: t.world.adminA, body: { clientKind: 'group', client: 'civil-affairs', pathPattern: '/v2/**' } });
  assert.equal(groupRight.statusCode, 201);
  assert.equal(await authorize('POST', '/v2/anything/at/all'), true, 'through the group');
  assert.equal((await t.request('POST', `/api/exchange/groups/${group.json.id}/members/remove`, { as: t.world.platformAdmin, body: { client } })).statusCode, 204);
  assert.equal(await authorize('POST', '/v2/anything/at/all'), false, 'left the group');

  assert.equal((await t.request('DELETE', `${rights}/${granted.json.id}`, { as: t.world.adminB })).statusCode, 403);
  assert.equal((await t.request('DELETE', `${rights}/${granted.json.id}`, { as: t.world.adminA })).statusCode, 204);
  assert.equal((await t.request('DELETE', `${rights}/${granted.json.id}`, { as: t.world.adminA })).json.code, 'already_revoked');
  assert.equal(await authorize('GET', '/v1/persons/1'), false, 'revoked');
});

test('updating a service needs the current version; deactivating keeps it listed', async () => {
  const service = (await t.request('GET', `/api/exchange/services?subsystemId=${hukou.id}`, { as: t.world.adminA })).json[0];
  assert.equal((await t.request('PATCH', `/api/exchange/services/${service.id}`, { as: t.world.adminA, body: { version: service.version + 5, timeoutMs: 5000 } })).statusCode, 409);
  assert.equal((await t.request('PATCH', `/api/exchange/services/${service.id}`, { as: t.world.adminB, body: { version: service.version, timeoutMs: 5000 } })).statusCode, 403);
  const updated = await t.request('PATCH', `/api/exchange/services/${service.id}`, { as: t.world.adminA, body: { version: service.version, timeoutMs: 5000, status: 'inactive' } });
  assert.equal(updated.statusCode, 200);
  assert.deepEqual([updated.json.timeoutMs, updated.json.status, updated.json.version], [5000, 'inactive', service.version + 1]);
});

test('path patterns: * is one segment, ** is any rest', () => {
  assert.ok(pathMatches('/v1/*', '/v1/x'));
  assert.ok(!pathMatches('/v1/*', '/v1/x/y'));
  assert.ok(!pathMatches('/v1/*', '/v1'));
  assert.ok(pathMatches('/v1/**', '/v1'));
  assert.ok(pathMatches('/v1/**', '/v1/a/b/c'));
  assert.ok(pathMatches('/', ''));
  assert.ok(!pathMatches('/v1', '/v2'));
});
