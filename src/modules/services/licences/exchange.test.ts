// Licences read through the exchange (/r1, the built-in backend egov:licences): a department
// with an access right reads a licence by identifier, or a holder's, instead of asking for a
// paper copy; one without a right is refused; only the issuer's member serves its licences;
// field rights hold back the holder, the content or the sealed JWS; every read is logged by the
// exchange and audited here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { buildLicenceId } from './identifier.ts';
import type { LicenceView } from './views.ts';
import { buildLicenceInput, issueLicence, provisionSeal } from './test-fixtures.ts';

type Client = { identifier: string; token: string };
let t: TestApp;
let service: string;
let clients: Record<'welfare' | 'permits' | 'nosy', Client>;
let licence: LicenceView;
let holderId: string;

async function subsystem(orgId: string, code: string, admin: TestUser): Promise<Client & { id: string }> {
  const created = await t.services.directory.service.createSubsystem(localOperator('test'), orgId, { code, nameZh: `${code} 系统`, nameEn: `${code} system` });
  const res = await t.request('POST', '/api/exchange/clients', { as: admin, body: { subsystem: created.identifier, kind: 'token' } });
  assert.equal(res.statusCode, 201, res.body);
  return { id: created.id, identifier: created.identifier, token: res.json.token };
}

before(async () => {
  t = await createTestApp({ env: { EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' } });
  await provisionSeal(t, t.world.deptA.id, t.world.officerA);
  const input = buildLicenceInput(t.world.deptA.id);
  holderId = input.holder.idNumber;
  licence = await issueLicence(t, input);
  await issueLicence(t, buildLicenceInput(t.world.deptA.id, { holder: input.holder, licenceType: { nameZh: '第二张', nameEn: 'Second' } }));
  const licensing = await subsystem(t.world.deptA.id, 'licensing', t.world.adminA);
  clients = { welfare: await subsystem(t.world.deptB.id, 'welfare', t.world.adminB), permits: await subsystem(t.world.deptB.id, 'permits', t.world.adminB), nosy: await subsystem(t.world.deptB.id, 'nosy', t.world.adminB) };
  const created = await t.request('POST', '/api/exchange/services', { as: t.world.adminA, body: { subsystemId: licensing.id, code: 'licences', backendUrl: 'egov:licences', classification: 'personal' } });
  assert.equal(created.statusCode, 201, created.body);
  service = `${licensing.identifier}/licences`;
  for (const [client, fields] of [['welfare', undefined], ['permits', ['fields']]] as const) {
    const right = await t.request('POST', `/api/exchange/services/${created.json.id}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client: clients[client].identifier, ...(fields ? { fields } : {}) } });
    assert.equal(right.statusCode, 201, right.body);
  }
});
after(() => t.close());

async function call(path: string, as: Client, options: { method?: string; service?: string; lang?: string } = {}) {
  const headers: Record<string, string> = { 'x-road-issue': '低保资格审核 2026-001', 'x-road-client': as.identifier, authorization: `Bearer ${as.token}` };
  if (options.lang) headers['accept-language'] = options.lang;
  const res = await t.http.inject({ method: (options.method ?? 'GET') as 'GET', url: `/r1/${options.service ?? service}${path}`, headers });
  let json: any;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, body: res.body, json, headers: res.headers };
}

test('a department with a right reads a licence by its identifier, with its status and seal check, logged and audited', async () => {
  const res = await call(`/licences/${licence.identifier}`, clients.welfare);
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.identifier, licence.identifier);
  assert.equal(res.json.status, 'valid');
  assert.equal(res.json.holder.id, holderId, 'the whole answer: the holder too');
  assert.equal(res.json.seal.verifies, true);
  assert.equal(res.json.sealed.protected.length > 0, true, 'the JWS, to verify independently');
  assert.ok(res.json.fields.some((f: { key: string }) => f.key === 'address'));
  const log = await t.services.exchange.log.findByXRoadId(String(res.headers['x-road-id']));
  assert.ok(log.some((r) => r.side === 'provider' && r.client === clients.welfare.identifier && r.path === `/licences/${licence.identifier}`));
  const audit = await t.services.database.db.selectFrom('audit.events').selectAll().where('action', '=', 'services.licence.exchange_read').where('subject_id', '=', licence.id).execute();
  assert.equal(audit.length, 1);
  const byHolder = await call(`/licences?holderId=${holderId}`, clients.welfare);
  assert.equal(byHolder.status, 200, byHolder.body);
  assert.equal(byHolder.json.items.length, 2);
});

test('a department without a right is refused, and nothing of the licence is given', async () => {
  const res = await call(`/licences/${licence.identifier}`, clients.nosy);
  assert.equal(res.status, 403, res.body);
  assert.ok(!res.body.includes(holderId));
  assert.doesNotMatch(res.body, /测试经营许可证/);
});

test('field rights: without `holder` the holder is left out and a query by holder is refused', async () => {
  const res = await call(`/licences/${licence.identifier}`, clients.permits);
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.holder, undefined);
  assert.equal(res.json.sealed, undefined);
  assert.ok(Array.isArray(res.json.fields));
  assert.ok(!res.body.includes(holderId));
  const byHolder = await call(`/licences?holderId=${holderId}`, clients.permits, { lang: 'en' });
  assert.equal(byHolder.status, 403, byHolder.body);
  assert.equal(byHolder.json.code, 'field_not_granted');
  assert.equal(byHolder.json.errors[0].field, 'holderId');
});

test('bad calls are named; writes are refused; another member’s service with this backend serves none of A’s licences', async () => {
  const wrongCheck = licence.identifier.slice(0, -1) + (licence.identifier.endsWith('0') ? '1' : '0');
  const malformed = await call(`/licences/${wrongCheck}`, clients.welfare, { lang: 'en' });
  assert.equal(malformed.status, 400, malformed.body);
  assert.equal(malformed.json.errors[0].field, 'identifier');
  const unknown = buildLicenceId({ type: `${t.world.deptA.creditCode}001`, issuer: t.world.deptA.creditCode, serial: '1999999999', version: '001' });
  assert.equal((await call(`/licences/${unknown}`, clients.welfare)).status, 404);
  assert.equal((await call('/licences?holderId=abc', clients.welfare)).status, 400);
  assert.equal((await call('/licences?other=1', clients.welfare)).status, 400);
  assert.equal((await call('/licences', clients.welfare)).status, 400);
  assert.equal((await call('/nothing', clients.welfare)).status, 404);
  const write = await call(`/licences/${licence.identifier}`, clients.welfare, { method: 'DELETE' });
  assert.ok(write.status === 405 || write.status === 403, `${write.status} ${write.body}`);

  const squatter = await subsystem(t.world.deptB.id, 'copycat', t.world.adminB);
  const created = await t.request('POST', '/api/exchange/services', { as: t.world.adminB, body: { subsystemId: squatter.id, code: 'licences', backendUrl: 'egov:licences' } });
  assert.equal(created.statusCode, 201, created.body);
  await t.request('POST', `/api/exchange/services/${created.json.id}/rights`, { as: t.world.adminB, body: { clientKind: 'subsystem', client: clients.nosy.identifier } });
  const stolen = await call(`/licences/${licence.identifier}`, clients.nosy, { service: `${squatter.identifier}/licences` });
  assert.equal(stolen.status, 404, stolen.body);
  assert.ok(!stolen.body.includes(holderId));
  const stolenList = await call(`/licences?holderId=${holderId}`, clients.nosy, { service: `${squatter.identifier}/licences` });
  assert.equal(stolenList.status, 200);
  assert.deepEqual(stolenList.json.items, []);
});
