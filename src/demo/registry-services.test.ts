// The demo seed end to end: the four registries hold data, and another department reads the
// population registry through the exchange (/r1, its client token, the built-in backend)
// seeing only the fields its right grants, the ID number masked, the read logged with its
// purpose for the person; a department without a right is refused; writes are not granted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp, type EgovApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { localOperator } from '../platform/actor.ts';
import { openTestDatabase } from '../test-support/database.ts';
import { TEST_MASTER_KEY, TEST_PASSWORD } from '../test-support/factories.ts';
import { seedDemo } from './seed.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let app: EgovApp;
let drop: () => Promise<void>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egov-demo-test-'));
const subsystems = new Map<string, string>();
let welfareToken: string;
let eduToken: string;

before(async () => {
  const db = await openTestDatabase();
  drop = db.drop;
  const config = loadConfig({ NODE_ENV: 'test', EGOV_DATA_DIR: dataDir, EGOV_MASTER_KEY: TEST_MASTER_KEY, EGOV_EXCHANGE_LOG_TIMESTAMP_SECONDS: '0' });
  app = await createApp(config, { database: db.database });
  const result = await seedDemo(app.services, TEST_PASSWORD);
  assert.ok(result.seeded);
  const directory = app.services.directory.service;
  for (const org of await directory.listOrganizations()) for (const s of await directory.listSubsystems(org.id)) subsystems.set(`${org.nameEn}/${s.code}`, s.identifier);
  const token = async (subsystem: string) => (await app.services.exchange.clientAuth.add(localOperator('test'), { subsystem, kind: 'token' })).token!;
  welfareToken = await token(subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!);
  const edu = (await directory.listOrganizations()).find((o) => o.nameEn.includes('Education'))!;
  const eduSystem = await directory.createSubsystem(localOperator('test'), edu.id, { code: 'enrolment', nameZh: '招生系统', nameEn: 'Enrolment' });
  eduToken = await token(eduSystem.identifier);
  subsystems.set('edu', eduSystem.identifier);
});
after(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const populationService = () => `${subsystems.get('Qingyun Provincial Department of Public Security/registries')}/population`;

async function call(method: 'GET' | 'POST' | 'PUT', servicePath: string, client: string, token: string, body?: unknown) {
  const res = await app.http.inject({
    method,
    url: `/r1/${populationService()}${servicePath}`,
    headers: { 'x-road-client': client, authorization: `Bearer ${token}`, 'x-road-issue': '低保审核 2026-118', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, json: res.json() as any, headers: res.headers };
}

test('the demo registries hold data', async () => {
  const db = app.services.database.db;
  const counts = await db.selectFrom('registries.records').select('registry').select((eb) => eb.fn.countAll().as('n')).groupBy('registry').orderBy('registry').execute();
  assert.deepEqual(counts.map((c) => [c.registry, Number(c.n)]), [['legal-entities', 24], ['population', 240]]);
  assert.ok((await app.services.registries.geo.service.listLayers()).some((l) => l.featureCount > 0));
  assert.ok((await app.services.registries.macro.service.listIndicators()).length > 0);
});

test('civil affairs reads a person through the exchange with only its granted fields; the read is logged for the person', async () => {
  const person = await app.services.database.db.selectFrom('registries.records').select(['key', 'data']).where('registry', '=', 'population').orderBy('key').limit(1).executeTakeFirstOrThrow();
  const welfare = subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!;
  const res = await call('POST', '/data/population/1.0/read', welfare, welfareToken, { query: { content: { idNumber: person.key } } });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  const content = res.json.content as Record<string, unknown>;
  assert.equal(content.idNumber, `${person.key.slice(0, 6)}********${person.key.slice(14)}`);
  assert.deepEqual(Object.keys(content).sort(), ['birthDate', 'hukouDivision', 'idNumber', 'maritalStatus', 'name', 'sex', 'status'].filter((f) => f === 'idNumber' || (person.data as Record<string, unknown>)[f] !== undefined).sort());
  for (const hidden of ['ethnicity', 'hukouAddress', 'currentAddress', 'fatherId', 'motherId', 'spouseId']) assert.ok(!(hidden in content), hidden);
  const reads = await app.services.registries.records.readsOf(person.key);
  assert.equal(reads[0].consumer, welfare);
  assert.equal(reads[0].purpose, '低保审核 2026-118');
  assert.equal(reads[0].channel, 'exchange');
  assert.ok(reads[0].xRoadId);
});

test('a department without a right is refused, and a right to read does not write', async () => {
  const refused = await call('POST', '/data/population/1.0/read', subsystems.get('edu')!, eduToken, { query: { content: { name: 'x' } } });
  assert.equal(refused.status, 403);
  const welfare = subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!;
  const write = await call('POST', '/data/population/1.0/create', welfare, welfareToken, { write: { content: { name: 'x' } } });
  assert.equal(write.status, 403);
  const update = await call('PUT', '/data/population/1.0/update', welfare, welfareToken, { query: { content: { name: 'x' } }, write: { content: { name: 'y' } } });
  assert.equal(update.status, 403);
});
