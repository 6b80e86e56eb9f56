// The demo seed end to end: the four registries hold data, and other departments read them
// through the exchange (/r1, their client tokens, the built-in backends): the population
// registry with only the fields a right grants, the ID number masked, the read logged with its
// purpose for the person; the geospatial registry without a parcel's owner, or without any
// geometry (and then no spatial query); the macroeconomic database with only the indicators
// granted. A department without a right is refused, an unauthenticated call too, and rights
// to read do not write. The data bureau's identity system verifies a demo citizen and the
// enterprise they represent with its own two rights.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
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
let licensingToken: string;
let insuranceToken: string;

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
  licensingToken = await token(subsystems.get('Qingyun Provincial Administration for Market Regulation/licensing')!);
  insuranceToken = await token(subsystems.get('Qingyun Provincial Department of Human Resources and Social Security/social-insurance')!);
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

const geoService = () => `${subsystems.get('Qingyun Provincial Department of Natural Resources/registries')}/geospatial`;
const macroService = () => `${subsystems.get('Qingyun Provincial Bureau of Statistics/registries')}/macroeconomic`;

/** A call through /r1 to `service` as `client`; `token` null sends no credentials. */
async function r1(method: 'GET' | 'POST', service: string, servicePath: string, client: string, token: string | null, body?: unknown) {
  const res = await app.http.inject({
    method,
    url: `/r1/${service}${servicePath}`,
    headers: { 'x-road-client': client, ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-road-issue': '演示 demo', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, json: res.json() as any, body: res.body };
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

test('civil affairs reads the map through the exchange without who holds a parcel', async () => {
  const welfare = subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!;
  const parcel = await r1('GET', geoService(), '/layers/parcels/features/990121001001GB00001', welfare, welfareToken);
  assert.equal(parcel.status, 200, parcel.body);
  assert.equal(parcel.json.geometry.type, 'Polygon');
  assert.equal(parcel.json.properties.landUse, '01');
  assert.equal(parcel.json.properties.name, '东塘村一组耕地');
  assert.ok(!('owner' in parcel.json.properties));
  const contains = await r1('GET', geoService(), '/contains?lon=110.5015&lat=30.5015', welfare, welfareToken);
  assert.equal(contains.status, 200, contains.body);
  assert.ok(contains.json.items.some((f: { key: string }) => f.key === '990121001001GB00001'));
  for (const res of [parcel, contains]) assert.doesNotMatch(res.body, /东塘村集体|国有|"owner"/);
});

test('business registration reads a parcel’s name and land use, without its geometry, and may not query by shape', async () => {
  const licensing = subsystems.get('Qingyun Provincial Administration for Market Regulation/licensing')!;
  const parcel = await r1('GET', geoService(), '/layers/parcels/features/990121001001GB00002', licensing, licensingToken);
  assert.equal(parcel.status, 200, parcel.body);
  assert.deepEqual(parcel.json.properties, { name: '东塘村宅基地', landUse: '07' });
  for (const hidden of ['geometry', 'bbox', 'areaM2', 'lengthM', 'geometryType']) assert.ok(!(hidden in parcel.json), hidden);
  const contains = await r1('GET', geoService(), '/contains?lon=110.5015&lat=30.5015', licensing, licensingToken);
  assert.equal(contains.status, 403, contains.body);
  assert.equal(contains.json.code, 'field_not_granted');
  // No right on the macroeconomic database at all.
  assert.equal((await r1('GET', macroService(), '/indicators', licensing, licensingToken)).status, 403);
});

test('civil affairs reads only the population and price indicators; human resources reads them all', async () => {
  const welfare = subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!;
  const indicators = await r1('GET', macroService(), '/indicators', welfare, welfareToken);
  assert.equal(indicators.status, 200, indicators.body);
  assert.deepEqual(indicators.json.map((i: { code: string }) => i.code).sort(), ['CPI', 'POP']);
  const series = await r1('GET', macroService(), '/series?indicator=CPI&region=990100&from=2023&to=2024', welfare, welfareToken);
  assert.equal(series.status, 200, series.body);
  assert.deepEqual(series.json.points.map((p: { value: number }) => p.value), [100.3, 100.2]);
  const gdp = await r1('GET', macroService(), '/aggregate?indicator=GDP&period=2024&division=990000', welfare, welfareToken);
  assert.equal(gdp.status, 403, gdp.body);
  assert.doesNotMatch(gdp.body, /地区生产总值|4130|children/);
  const revisions = await r1('GET', macroService(), '/observations/revisions?indicator=POP&region=990100&period=2024', welfare, welfareToken);
  assert.equal(revisions.status, 200, revisions.body);
  assert.ok(revisions.json.every((r: object) => !('source' in r) && !('actorName' in r) && !('reason' in r)));
  const insurance = subsystems.get('Qingyun Provincial Department of Human Resources and Social Security/social-insurance')!;
  const all = await r1('GET', macroService(), '/indicators', insurance, insuranceToken);
  assert.equal(all.json.length, 6);
  const census = await r1('GET', macroService(), '/observations/revisions?indicator=GDP&region=990100&period=2023', insurance, insuranceToken);
  assert.equal(census.status, 200, census.body);
  assert.match(census.json[1].reason, /经济普查/);
});

test('the geospatial and macroeconomic services refuse a department without a right and an unauthenticated call', async () => {
  for (const [service, path] of [[geoService(), '/layers'], [macroService(), '/indicators']]) {
    const refused = await r1('GET', service, path, subsystems.get('edu')!, eduToken);
    assert.equal(refused.status, 403, refused.body);
    const anonymous = await r1('GET', service, path, subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!, null);
    assert.equal(anonymous.status, 401, anonymous.body);
    for (const res of [refused, anonymous]) assert.doesNotMatch(res.body, /featureCount|nameZh/);
  }
  // A right to read is no right to write: the rights name only reads.
  const welfare = subsystems.get('Qingyun Provincial Department of Civil Affairs/welfare')!;
  const write = await r1('POST', geoService(), '/layers/parcels/features', welfare, welfareToken, { key: 'X1', geometry: { type: 'Point', coordinates: [110, 30] }, reason: 'x' });
  assert.equal(write.status, 403, write.body);
});

test("the data bureau's identity system verifies a demo person and a demo enterprise's representative through the exchange", async () => {
  const db = app.services.database.db;
  const entity = (await db.selectFrom('registries.records').select(['key', 'data']).where('registry', '=', 'legal-entities').where(sql`data->>'status'`, '=', 'active').limit(1).executeTakeFirstOrThrow()) as { key: string; data: Record<string, string> };
  const person = (await db.selectFrom('registries.records').select(['key', 'data']).where('registry', '=', 'population').where('key', '=', entity.data.legalRepId).executeTakeFirstOrThrow()) as { key: string; data: Record<string, string> };
  assert.equal(person.data.status, 'living');
  const password = 'Citizen#2026pw';
  const registered = await app.http.inject({ method: 'POST', url: '/api/citizen/register', payload: { idNumber: person.key, name: person.data.name, email: 'demo-rep@example.cn', password } });
  assert.equal(registered.statusCode, 201, registered.body);
  const signedIn = await app.http.inject({ method: 'POST', url: '/api/citizen/session', payload: { login: 'demo-rep@example.cn', password } });
  assert.equal(signedIn.statusCode, 200, signedIn.body);
  const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
  const enterprise = await app.http.inject({ method: 'POST', url: '/api/citizen/enterprises', headers: { cookie, 'x-csrf-token': signedIn.json().csrfToken }, payload: { creditCode: entity.key } });
  assert.equal(enterprise.statusCode, 201, enterprise.body);
  assert.equal(enterprise.json().name, entity.data.name);
});
