// The GovStack Information Mediator directory API as its specification shapes it:
// listClients, listMethods, allowedMethods and getOpenAPI under /govstack/im/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { endpointsOf } from './govstack-directory.ts';

let t: TestApp;
let provider: string;
let client: string;
const openapi = JSON.stringify({ openapi: '3.1.0', info: { title: 'persons', version: '1.2' }, paths: { '/v1/persons/{id}': { get: {}, delete: {} }, '/v1/search': { post: {} } } });

before(async () => {
  t = await createTestApp();
  const directory = t.services.directory.service;
  const hukou = await directory.createSubsystem(localOperator('test'), t.world.deptA.id, { code: 'hukou', nameZh: '户籍系统', nameEn: 'Household registration' });
  provider = hukou.identifier;
  client = (await directory.createSubsystem(localOperator('test'), t.world.deptB.id, { code: 'welfare', nameZh: '救助系统', nameEn: 'Welfare' })).identifier;
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: hukou.id, code: 'persons', backendUrl: 'http://127.0.0.1:9/p', openapi } });
  await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: hukou.id, code: 'legacy', backendUrl: 'http://127.0.0.1:9/l' } });
  await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client, method: 'GET', pathPattern: '/v1/persons/*' } });
});
after(() => t.close());

const base = () => `/govstack/im/r1/${provider}`;

test('listClients: every active member and application of the instance', async () => {
  assert.equal((await t.request('GET', '/govstack/im/listClients')).statusCode, 401);
  const res = await t.request('GET', '/govstack/im/listClients', { as: t.world.officerA });
  assert.equal(res.statusCode, 200);
  const [instanceId, memberClass, memberCode] = t.world.deptA.identifier.split('/');
  assert.ok(res.json.member.some((m: { id: Record<string, string> }) => m.id.objectType === 'MEMBER' && m.id.memberCode === memberCode && m.id.memberClass === memberClass && m.id.instanceId === instanceId));
  assert.ok(res.json.member.some((m: { id: Record<string, string> }) => m.id.objectType === 'APPLICATION' && m.id.applicationCode === 'hukou'));
  assert.deepEqual((await t.request('GET', '/govstack/im/listClients?instanceId=OTHER', { as: t.world.officerA })).json, { member: [] });
});

test('listMethods and allowedMethods: endpoints from the OpenAPI document, filtered by the caller\'s rights', async () => {
  const listed = await t.request('GET', `${base()}/listMethods`, { as: t.world.officerA });
  assert.equal(listed.statusCode, 200);
  const persons = listed.json.member.find((s: { serviceCode: string }) => s.serviceCode === 'persons');
  assert.equal(persons.serviceType, 'OPENAPI');
  assert.deepEqual(persons.endpointList.member, [
    { method: 'GET', path: '/v1/persons/{id}' },
    { method: 'DELETE', path: '/v1/persons/{id}' },
    { method: 'POST', path: '/v1/search' },
  ]);
  assert.equal(listed.json.member.find((s: { serviceCode: string }) => s.serviceCode === 'legacy').serviceType, 'REST');
  assert.equal((await t.request('GET', `${base()}/listMethods?serviceId=legacy`, { as: t.world.officerA })).json.member.length, 1);

  const allowed = await t.request('GET', `${base()}/allowedMethods`, { as: t.world.adminB, headers: { 'x-govstack-client': client } });
  assert.equal(allowed.statusCode, 200);
  assert.deepEqual(allowed.json.member.map((s: { serviceCode: string }) => s.serviceCode), ['persons']);
  assert.deepEqual(allowed.json.member[0].endpointList.member, [{ method: 'GET', path: '/v1/persons/{id}' }]);
  assert.equal((await t.request('GET', `${base()}/allowedMethods`, { as: t.world.adminB })).statusCode, 400, 'X-GovStack-Client is required');
  assert.equal((await t.request('GET', `${base()}/allowedMethods`, { as: t.world.adminB, headers: { 'x-govstack-client': 'EGOV-DEMO/GOV' } })).statusCode, 400);
  assert.equal((await t.request('GET', `/govstack/im/r1/EGOV-DEMO/GOV/NOPE/none/listMethods`, { as: t.world.adminB })).statusCode, 404);
});

test('getOpenAPI returns the document as uploaded', async () => {
  const res = await t.request('GET', `${base()}/getOpenAPI?serviceCode=persons`, { as: t.world.officerA });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, openapi);
  assert.equal((await t.request('GET', `${base()}/getOpenAPI?serviceCode=legacy`, { as: t.world.officerA })).statusCode, 404);
  assert.equal((await t.request('GET', `${base()}/getOpenAPI`, { as: t.world.officerA })).statusCode, 400);
});

test('an OpenAPI document that is not JSON is described as one catch-all endpoint', () => {
  assert.deepEqual(endpointsOf('openapi: 3.1.0\npaths: {}'), { type: 'REST', endpoints: [{ method: '*', path: '**' }] });
  assert.deepEqual(endpointsOf(null).type, 'REST');
});
