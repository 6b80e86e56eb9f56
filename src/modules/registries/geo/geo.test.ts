// The geospatial registry through HTTP: who may read and write, bad input named with nothing
// written, exact answers to spatial queries on a hand-made fixture (a point in a parcel's
// hole is not in the parcel; nearest features in order with their distances; areas against
// an independent figure), optimistic concurrency, history, imports all or nothing, export.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp, type TestUser } from '../../../test-support/test-app.ts';
import { GEOSPATIAL } from '../index.ts';
import { seedGeoDemo } from './index.ts';
import { QUERY_FIXTURE, addDemoDivisions, point, polygon, rect } from './test-fixtures.ts';

const BASE = '/api/registries/geospatial';
let t: TestApp;
let officer: TestUser;


before(async () => {
  t = await createTestApp();
  await addDemoDivisions(t.services.directory.service);
  await t.services.registries.catalog.install(localOperator('test'), GEOSPATIAL, t.world.deptA.id);
  officer = t.world.officerA;
  // The fixture: nested boundaries, a parcel with a hole, three points of interest at known offsets, a river.
  for (const f of QUERY_FIXTURE) await create(f.layer, f.key, f.geometry, f.properties);
});
after(() => t.close());

async function create(layer: string, key: string, geometry: unknown, properties: Record<string, unknown> = {}, as: TestUser = officer) {
  const res = await t.request('POST', `${BASE}/layers/${layer}/features`, { as, body: { key, geometry, properties, reason: 'test' } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json as { key: string; version: number; areaM2: number; properties: Record<string, unknown> };
}

async function counts() {
  const db = t.services.database.db;
  const f = await db.selectFrom('registries.geo_features').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const v = await db.selectFrom('registries.geo_feature_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const a = await db.selectFrom('audit.events').select((eb) => eb.fn.countAll().as('n')).where('action', 'like', 'registries.geo.%').executeTakeFirstOrThrow();
  return [Number(f.n), Number(v.n), Number(a.n)];
}

/** Independent figures on the WGS84 ellipsoid: metres along a parallel and along a meridian, and a lon/lat rectangle's area by Simpson's rule. */
const WGS84 = { a: 6378137, e2: (1 / 298.257223563) * (2 - 1 / 298.257223563) };
const RAD = Math.PI / 180;
const N = (phi: number) => WGS84.a / Math.sqrt(1 - WGS84.e2 * Math.sin(phi) ** 2);
const M = (phi: number) => (WGS84.a * (1 - WGS84.e2)) / (1 - WGS84.e2 * Math.sin(phi) ** 2) ** 1.5;
function meridianArc(lat0: number, lat1: number): number {
  const n = 200;
  const h = ((lat1 - lat0) * RAD) / n;
  let s = M(lat0 * RAD) + M(lat1 * RAD);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * M(lat0 * RAD + i * h);
  return (s * h) / 3;
}
function rectangleArea(lat0: number, dLon: number, dLat: number): number {
  const n = 200;
  const h = (dLat * RAD) / n;
  const g = (phi: number) => M(phi) * N(phi) * Math.cos(phi);
  let s = g(lat0 * RAD) + g((lat0 + dLat) * RAD);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * g(lat0 * RAD + i * h);
  return ((s * h) / 3) * dLon * RAD;
}

test('every route asks for a signed-in user, and only the owner organization’s officers and admins write', async () => {
  const reads = [
    `${BASE}/layers`,
    `${BASE}/layers/poi/features`,
    `${BASE}/layers/poi/features/EAST`,
    `${BASE}/layers/poi/features/EAST/history`,
    `${BASE}/layers/poi/export`,
    `${BASE}/contains?lon=120.5&lat=30.5`,
    `${BASE}/nearest?lon=120&lat=30`,
  ];
  const posts: [string, unknown][] = [
    [`${BASE}/intersects`, { geometry: polygon(rect(120, 30, 1, 1)) }],
    [`${BASE}/measure`, { geometry: polygon(rect(120, 30, 1, 1)) }],
  ];
  const writes: [string, string, unknown][] = [
    ['POST', `${BASE}/layers/poi/features`, { key: 'X1', geometry: point(120, 30), properties: { name: 'x' }, reason: 'x' }],
    ['PUT', `${BASE}/layers/poi/features/EAST`, { properties: { name: 'x' }, version: 1, reason: 'x' }],
    ['DELETE', `${BASE}/layers/poi/features/EAST?version=1&reason=x`, undefined],
    ['POST', `${BASE}/layers/poi/import`, { featureCollection: { type: 'FeatureCollection', features: [] }, reason: 'x' }],
  ];
  for (const url of reads) {
    assert.equal((await t.request('GET', url)).statusCode, 401, url);
    const res = await t.request('GET', url, { as: t.world.adminB });
    assert.equal(res.statusCode, 200, `${url}: any member of staff reads; ${res.body}`);
  }
  for (const [url, body] of posts) {
    assert.equal((await t.request('POST', url, { body })).statusCode, 401, url);
    assert.equal((await t.request('POST', url, { as: t.world.auditor, body })).statusCode, 200, url);
  }
  const before = await counts();
  for (const [method, url, body] of writes) {
    assert.equal((await t.request(method, url, { body })).statusCode, 401, `${method} ${url}`);
    for (const who of [t.world.adminB, t.world.auditor, t.world.platformAdmin]) {
      const res = await t.request(method, url, { as: who, body });
      assert.equal(res.statusCode, 403, `${method} ${url} as ${who.username}: ${res.body}`);
    }
    // The role is checked before the input: a caller who may not write learns nothing of the schema.
    assert.equal((await t.request(method, url, { as: t.world.adminB, body: { nonsense: true } })).statusCode, 403);
  }
  assert.deepEqual(await counts(), before, 'nothing was written by the refused calls');
  // The owner's org admin writes too.
  await create('poi', 'ADMIN1', point(121.5, 31.5), { name: '管理员建' }, t.world.adminA);
});

test('bad input is refused naming the field and the problem, and nothing is written', async () => {
  const before = await counts();
  const cases: [string, Record<string, unknown>, string, string, RegExp?][] = [
    ['boundaries', { key: '990300', geometry: polygon(rect(120, 30, 1, 1)) }, 'key', 'division_unknown'],
    ['boundaries', { key: '99A100', geometry: polygon(rect(120, 30, 1, 1)) }, 'key', 'division_format'],
    ['parcels', { key: 'BOW', properties: { landUse: '01' }, geometry: polygon([[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]) }, 'geometry.coordinates[0]', 'ring_self_intersection', /ring 0 crosses itself between vertex 0 and vertex 2/],
    ['parcels', { key: 'OPEN', properties: { landUse: '01' }, geometry: polygon([[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]) }, 'geometry.coordinates[0]', 'ring_not_closed'],
    ['parcels', { key: 'HOLE', properties: { landUse: '01' }, geometry: polygon(rect(120, 30, 0.01, 0.01), rect(120.02, 30.02, 0.001, 0.001)) }, 'geometry.coordinates[1]', 'hole_outside'],
    ['parcels', { key: 'RANGE', properties: { landUse: '01' }, geometry: polygon([[500000, 3300000], [500100, 3300000], [500100, 3300100], [500000, 3300000]]) }, 'geometry.coordinates[0][0]', 'longitude_range', /longitude\/latitude/],
    ['parcels', { key: 'LU', properties: { landUse: '13' }, geometry: polygon(rect(120, 30, 0.01, 0.01)) }, 'properties.landUse', 'code_unknown'],
    ['parcels', { key: 'LU2', geometry: polygon(rect(120, 30, 0.01, 0.01)) }, 'properties.landUse', 'required'],
    ['parcels', { key: 'AREA', properties: { landUse: '01', areaM2: 1000 }, geometry: polygon(rect(120, 30, 0.01, 0.01)) }, 'properties.areaM2', 'area_mismatch'],
    ['poi', { key: 'AREA', properties: { name: 'x' }, geometry: polygon(rect(120, 30, 0.01, 0.01)) }, 'geometry.type', 'geometry_type_for_layer'],
    ['poi', { key: 'NONAME', geometry: point(120, 30) }, 'properties.name', 'required'],
    ['poi', { key: 'BADTYPE', properties: { name: 'x' }, geometry: { type: 'Circle', coordinates: [120, 30] } }, 'geometry.type', 'geometry_type'],
    ['poi', { key: 'NOGEO', properties: { name: 'x' } }, 'geometry', 'required'],
    ['poi', { key: 'PROPS', properties: [1, 2], geometry: point(120, 30) }, 'properties', 'properties_shape'],
    ['poi', { key: 'NEST', properties: { name: 'x', nested: { a: 1 } }, geometry: point(120, 30) }, 'properties.nested', 'property_type'],
    ['poi', { key: 'has space', properties: { name: 'x' }, geometry: point(120, 30) }, 'key', 'key_format'],
    ['poi', { key: 'EXTRA', properties: { name: 'x' }, geometry: point(120, 30), colour: 'red' }, 'colour', 'additionalProperties'],
  ];
  for (const [layer, body, field, code, message] of cases) {
    const res = await t.request('POST', `${BASE}/layers/${layer}/features`, { as: officer, body: { reason: 'test', ...body } });
    assert.equal(res.statusCode, 400, `${field} ${code}: ${res.body}`);
    const error = res.json.errors.find((e: { field: string }) => e.field === field);
    assert.ok(error, `${code}: expected an error on ${field}, got ${res.body}`);
    assert.equal(error.code, code, res.body);
    if (message) assert.match(error.message, message);
  }
  // In Chinese too.
  const zh = await t.request('POST', `${BASE}/layers/boundaries/features`, { as: officer, body: { key: '990300', geometry: polygon(rect(120, 30, 1, 1)), reason: 'x' }, headers: { 'accept-language': 'zh-CN' } });
  assert.match(zh.json.errors[0].message, /不是已知的行政区划代码/);
  const unknownLayer = await t.request('POST', `${BASE}/layers/roads/features`, { as: officer, body: { key: 'X', geometry: point(120, 30), reason: 'x' } });
  assert.equal(unknownLayer.statusCode, 404);
  const dup = await t.request('POST', `${BASE}/layers/poi/features`, { as: officer, body: { key: 'EAST', geometry: point(120, 30), properties: { name: 'x' }, reason: 'x' } });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json.code, 'feature_exists');
  assert.deepEqual(await counts(), before, 'nothing was written');
  // Queries validate too.
  assert.equal((await t.request('GET', `${BASE}/contains?lon=200&lat=30`, { as: officer })).json.errors[0].field, 'lon');
  assert.equal((await t.request('GET', `${BASE}/contains?lon=120&lat=30&layer=roads`, { as: officer })).json.errors[0].field, 'layer');
  const badMeasure = await t.request('POST', `${BASE}/measure`, { as: officer, body: { geometry: polygon([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]) } });
  assert.equal(badMeasure.statusCode, 400);
  assert.equal(badMeasure.json.errors[0].field, 'geometry.coordinates[0]');
});

test('contains: the smallest division first, a point in a hole is not in the parcel, a border point is in both divisions', async () => {
  const keys = async (lon: number, lat: number, layer?: string) => {
    const res = await t.request('GET', `${BASE}/contains?lon=${lon}&lat=${lat}${layer ? `&layer=${layer}` : ''}`, { as: officer });
    assert.equal(res.statusCode, 200, res.body);
    return res.json.items.map((f: { layer: string; key: string }) => `${f.layer}/${f.key}`);
  };
  assert.deepEqual(await keys(120.501, 30.501), ['boundaries/990121', 'boundaries/990100', 'boundaries/990000', 'parcels/P1']);
  assert.deepEqual(await keys(120.505, 30.505), ['boundaries/990121', 'boundaries/990100', 'boundaries/990000'], 'in the hole');
  assert.deepEqual(await keys(120.504, 30.505, 'parcels'), ['parcels/P1'], "on the hole's edge: on the parcel's boundary");
  assert.deepEqual(await keys(121, 31, 'boundaries'), ['boundaries/990200', 'boundaries/990100', 'boundaries/990000']);
  assert.deepEqual(await keys(125, 31), []);
});

test('intersects: what meets a polygon, and not what lies only around it', async () => {
  const keys = async (geometry: unknown, layers?: string[]) => {
    const res = await t.request('POST', `${BASE}/intersects`, { as: officer, body: { geometry, layers } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json.items.map((f: { layer: string; key: string }) => `${f.layer}/${f.key}`);
  };
  assert.deepEqual(await keys(polygon(rect(120.505, 30.505, 0.0005, 0.0005)), ['parcels']), [], 'inside the hole');
  assert.deepEqual(await keys(polygon(rect(120.509, 30.509, 0.01, 0.01)), ['parcels']), ['parcels/P1'], 'overlapping a corner');
  assert.deepEqual(await keys(polygon(rect(120.09, 30.15, 0.02, 0.02)), ['resources', 'poi']), ['resources/RIVER'], 'a line crossing it');
  assert.deepEqual(await keys({ type: 'LineString', coordinates: [[119.99, 30], [120.02, 30]] }, ['poi']), ['poi/EAST'], 'a point on the line');
  assert.deepEqual(await keys(polygon(rect(120.6, 30.6, 0.1, 0.1))), ['boundaries/990000', 'boundaries/990100', 'boundaries/990121']);
});

test('nearest: in order, with geodesic distances against independent figures', async () => {
  const res = await t.request('GET', `${BASE}/nearest?lon=120&lat=30&layer=poi&limit=2`, { as: officer });
  assert.equal(res.statusCode, 200, res.body);
  const items = res.json.items as { key: string; distanceM: number }[];
  assert.deepEqual(items.map((i) => i.key), ['EAST', 'NORTH']);
  // 0.01° along the 30th parallel is N·cos φ·Δλ; 0.02° along the meridian is the meridian arc.
  assert.ok(Math.abs(items[0].distanceM - N(30 * RAD) * Math.cos(30 * RAD) * 0.01 * RAD) < 0.01, `${items[0].distanceM}`);
  assert.ok(Math.abs(items[1].distanceM - meridianArc(30, 30.02)) < 0.01, `${items[1].distanceM}`);
  // A line: the river runs north at 120.1°; from (120.05, 30.2) the nearest point is level with it.
  const river = await t.request('GET', `${BASE}/nearest?lon=120.05&lat=30.2&layer=resources&limit=1`, { as: officer });
  assert.ok(Math.abs(river.json.items[0].distanceM - N(30.2 * RAD) * Math.cos(30.2 * RAD) * 0.05 * RAD) < 1, `${river.body}`);
  // Inside a polygon the distance is 0; far away the window grows until it finds something.
  const inside = await t.request('GET', `${BASE}/nearest?lon=120.5&lat=30.7&layer=boundaries&limit=3`, { as: officer });
  assert.deepEqual(inside.json.items.map((i: { distanceM: number }) => i.distanceM), [0, 0, 0]);
  const far = await t.request('GET', `${BASE}/nearest?lon=60&lat=-40&layer=poi&limit=1`, { as: officer });
  assert.equal(far.json.items.length, 1);
  const bounded = await t.request('GET', `${BASE}/nearest?lon=120&lat=30&layer=poi&maxDistanceM=1000`, { as: officer });
  assert.deepEqual(bounded.json.items.map((i: { key: string }) => i.key), ['EAST']);
});

test('measure and parcel areas agree with an independent ellipsoidal figure', async () => {
  const expected = rectangleArea(30, 0.01, 0.01);
  const res = await t.request('POST', `${BASE}/measure`, { as: officer, body: { geometry: polygon(rect(120, 30, 0.01, 0.01)) } });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok(Math.abs(res.json.areaM2 - expected) / expected < 1e-4, `${res.json.areaM2} vs ${expected}`);
  const perimeter = 2 * meridianArc(30, 30.01) + (N(30 * RAD) * Math.cos(30 * RAD) + N(30.01 * RAD) * Math.cos(30.01 * RAD)) * 0.01 * RAD;
  assert.ok(Math.abs(res.json.lengthM - perimeter) < 0.05, `${res.json.lengthM} vs ${perimeter}`);
  const line = await t.request('POST', `${BASE}/measure`, { as: officer, body: { geometry: { type: 'LineString', coordinates: [[120, 30], [120, 30.02]] } } });
  assert.equal(line.json.areaM2, 0);
  assert.ok(Math.abs(line.json.lengthM - meridianArc(30, 30.02)) < 0.01);
  // A parcel's area is computed with its hole taken out; a declared area within 1 % is accepted.
  const p1 = (await t.request('GET', `${BASE}/layers/parcels/features/P1`, { as: officer })).json;
  const withHole = rectangleArea(30.5, 0.01, 0.01) - rectangleArea(30.504, 0.002, 0.002);
  assert.ok(Math.abs(p1.areaM2 - withHole) / withHole < 1e-4);
  assert.equal(p1.properties.areaM2, p1.areaM2);
  const declared = await create('parcels', 'P2', polygon(rect(121.5, 30.5, 0.01, 0.01)), { landUse: '01', areaM2: Math.round(rectangleArea(30.5, 0.01, 0.01) * 1.005) });
  assert.ok(Math.abs(declared.areaM2 - rectangleArea(30.5, 0.01, 0.01)) < 1, 'the stored area is the computed one');
});

test('updates need the version read (409 when stale); deletion keeps the history; a deleted key can come back', async () => {
  await create('poi', 'HIST', point(121.2, 31.2), { name: '初始' });
  const first = await t.request('PUT', `${BASE}/layers/poi/features/HIST`, { as: officer, body: { properties: { name: '改名', category: 'school' }, version: 1, reason: '更名' } });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json.version, 2);
  const stale = await t.request('PUT', `${BASE}/layers/poi/features/HIST`, { as: officer, body: { geometry: point(121.3, 31.3), version: 1, reason: 'late' } });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json.code, 'stale_version');
  const moved = await t.request('PUT', `${BASE}/layers/poi/features/HIST`, { as: officer, body: { geometry: point(121.3, 31.3), version: 2, reason: '搬迁' } });
  assert.equal(moved.json.properties.name, '改名', 'properties are kept when only the geometry changes');
  assert.equal((await t.request('DELETE', `${BASE}/layers/poi/features/HIST?version=2&reason=x`, { as: officer })).statusCode, 409);
  assert.equal((await t.request('DELETE', `${BASE}/layers/poi/features/HIST?version=3&reason=${encodeURIComponent('已撤销')}`, { as: officer })).statusCode, 204);
  assert.equal((await t.request('GET', `${BASE}/layers/poi/features/HIST`, { as: officer })).statusCode, 404);
  assert.equal((await t.request('GET', `${BASE}/contains?lon=121.3&lat=31.3&layer=poi`, { as: officer })).json.items.length, 0);
  const again = await create('poi', 'HIST', point(121.2, 31.2), { name: '重建' });
  assert.equal(again.version, 5);
  const history = (await t.request('GET', `${BASE}/layers/poi/features/HIST/history`, { as: officer })).json as { version: number; operation: string; reason: string; actorName: string; geometry: unknown }[];
  assert.deepEqual(history.map((h) => [h.version, h.operation, h.reason]), [
    [1, 'create', 'test'],
    [2, 'update', '更名'],
    [3, 'update', '搬迁'],
    [4, 'delete', '已撤销'],
    [5, 'create', 'test'],
  ]);
  assert.equal(history[3].geometry, null);
  assert.equal(history[0].actorName, officer.username);
  const events = await t.services.database.db.selectFrom('audit.events').select('action').where('subject_id', '=', 'poi/HIST').orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['registries.geo.feature.create', 'registries.geo.feature.update', 'registries.geo.feature.update', 'registries.geo.feature.delete', 'registries.geo.feature.create']);
});

test('imports are all or nothing with a report naming the feature, the field and the problem; export round-trips', async () => {
  const good = (id: string, x: number) => ({ type: 'Feature', id, properties: { landUse: '07', name: `宅基地${id}` }, geometry: polygon(rect(x, 31.5, 0.001, 0.001)) });
  const before = await counts();
  const refused = await t.request('POST', `${BASE}/layers/parcels/import`, {
    as: officer,
    body: {
      reason: 'import',
      featureCollection: {
        type: 'FeatureCollection',
        features: [good('IMP1', 120.1), { ...good('IMP2', 120.2), properties: { landUse: '99' } }, { ...good('IMP3', 120.3), geometry: polygon([[120.3, 31.5], [120.31, 31.51], [120.31, 31.5], [120.3, 31.51], [120.3, 31.5]]) }, good('IMP1', 120.4), { type: 'Feature', properties: { landUse: '01' }, geometry: null }],
      },
    },
  });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.equal(refused.json.code, 'import_rejected');
  assert.deepEqual(
    refused.json.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
    [
      ['features[1].properties.landUse', 'code_unknown'],
      ['features[2].geometry.coordinates[0]', 'ring_self_intersection'],
      ['features[3].id', 'duplicate_key'],
      ['features[4].id', 'required'],
      ['features[4].geometry', 'geometry_shape'],
    ],
  );
  assert.deepEqual(await counts(), before, 'nothing was written');
  const crs = await t.request('POST', `${BASE}/layers/parcels/import`, { as: officer, body: { reason: 'x', featureCollection: { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } }, features: [good('IMP1', 120.1)] } } });
  assert.equal(crs.json.errors[0].field, 'featureCollection.crs');
  const shape = await t.request('POST', `${BASE}/layers/parcels/import`, { as: officer, body: { reason: 'x', featureCollection: [good('IMP1', 120.1)] } });
  assert.equal(shape.json.errors[0].field, 'featureCollection');

  const fc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, features: [good('IMP1', 120.1), good('IMP2', 120.2)] };
  const dry = await t.request('POST', `${BASE}/layers/parcels/import`, { as: officer, body: { reason: 'x', featureCollection: fc, dryRun: true } });
  assert.deepEqual({ ...dry.json, importId: undefined }, { importId: undefined, dryRun: true, features: 2, created: 2, updated: 0, unchanged: 0 });
  assert.deepEqual(await counts(), before, 'a dry run writes nothing');
  const done = await t.request('POST', `${BASE}/layers/parcels/import`, { as: officer, body: { reason: '批量导入', featureCollection: fc } });
  assert.equal(done.statusCode, 200, done.body);
  assert.equal(done.json.created, 2);

  const exported = await t.request('GET', `${BASE}/layers/parcels/export`, { as: officer });
  assert.equal(exported.statusCode, 200, exported.body.slice(0, 500));
  assert.match(String(exported.headers['content-type']), /application\/geo\+json/);
  const collection = JSON.parse(exported.body);
  assert.equal(collection.type, 'FeatureCollection');
  assert.deepEqual(collection.crs, { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } });
  assert.equal(collection.metadata.crs, 'EPSG:4490');
  assert.equal(collection.metadata.axisOrder, 'longitude,latitude');
  assert.deepEqual(collection.features.map((f: { id: string }) => f.id), ['IMP1', 'IMP2', 'P1', 'P2']);
  assert.deepEqual(collection.features[0].geometry, good('IMP1', 120.1).geometry);
  // Importing the export again changes nothing.
  const again = await t.request('POST', `${BASE}/layers/parcels/import`, { as: officer, body: { reason: 'round trip', featureCollection: collection } });
  assert.deepEqual([again.json.created, again.json.updated, again.json.unchanged], [0, 0, 4]);
  const list = await t.request('GET', `${BASE}/layers/parcels/features?q=IMP&limit=1`, { as: officer });
  assert.deepEqual([list.json.total, list.json.items.map((f: { key: string }) => f.key)], [2, ['IMP1']]);
  const byName = await t.request('GET', `${BASE}/layers/parcels/features?q=${encodeURIComponent('宅基地IMP2')}`, { as: officer });
  assert.deepEqual(byName.json.items.map((f: { key: string }) => f.key), ['IMP2']);
  const history = (await t.request('GET', `${BASE}/layers/parcels/features/IMP1/history`, { as: officer })).json;
  assert.equal(history[0].operation, 'import');
  assert.equal(history[0].importId, done.json.importId);
});

test('the demo seed loads nested boundaries, parcels, a river and points of interest', async () => {
  const app = await createTestApp();
  try {
    await addDemoDivisions(app.services.directory.service);
    await app.services.registries.catalog.install(localOperator('seed'), GEOSPATIAL, app.world.deptA.id);
    await seedGeoDemo(app.services.registries.geo.service, localOperator('seed'));
    await seedGeoDemo(app.services.registries.geo.service, localOperator('seed'));
    const layers = (await app.request('GET', `${BASE}/layers`, { as: app.world.officerA })).json;
    assert.deepEqual(layers.map((l: { code: string; featureCount: number }) => [l.code, l.featureCount]), [['boundaries', 4], ['parcels', 4], ['resources', 3], ['poi', 5]]);
    const at = (await app.request('GET', `${BASE}/contains?lon=110.481&lat=30.521`, { as: app.world.officerA })).json;
    assert.deepEqual(at.items.map((f: { key: string }) => f.key), ['990121', '990100', '990000', '990121001003GB00001']);
  } finally {
    await app.close();
  }
});
