// The geospatial registry through the exchange (/r1, the built-in backend egov:geospatial):
// who may call (authenticated client systems with a right; only the owner's member serves
// it), field-level rights (a property not granted is left out; without `geometry` a feature
// has no shape, box or measures and spatial queries are refused, never answered), errors in
// the caller's language, bad input named with nothing written, and no writes at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localOperator } from '../../../platform/actor.ts';
import type { TestApp } from '../../../test-support/test-app.ts';
import { callService, createExchangeWorld, rowCounts, subsystem as createSubsystem, type CallOptions, type Client } from '../exchange-test-world.ts';
import { GEOSPATIAL } from '../index.ts';

let t: TestApp;
let provider: string;
let serviceId: string;
let clients: Record<'planning' | 'permits' | 'clerk' | 'nosy', Client>;
/** The parcels' right without the owner; the clerk's right without the geometry. */
const PERMITS_FIELDS = ['geometry', 'name', 'landUse', 'areaM2', 'level', 'category', 'resourceType'];
const CLERK_FIELDS = ['name', 'landUse'];
const PARCEL = '990121001001GB00001';
const OWNER = '东塘村集体';

before(async () => {
  ({ t, provider, serviceId, clients } = await createExchangeWorld({
    definition: GEOSPATIAL,
    seed: (t) => t.services.registries.geo.seedDemo(localOperator('test')),
    backend: 'geospatial',
    clients: ['planning', 'permits', 'clerk', 'nosy'],
    rights: [
      ['planning', undefined],
      ['permits', PERMITS_FIELDS],
      ['clerk', CLERK_FIELDS],
    ],
  }));
});
after(() => t.close());

const subsystem = (orgId: string, code: string, admin: typeof t.world.adminA) => createSubsystem(t, orgId, code, admin);
const call = (method: string, path: string, as: Client | null, options: CallOptions = {}) => callService(t, `${provider}/geospatial`, '用地审批 2026-7', method, path, as, options);
const counts = () => rowCounts(t, ['registries.geo_features', 'registries.geo_feature_versions'], 'registries.geo.');

const square = (x: number, y: number, d: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] });

test('unauthenticated callers are refused before the registry is reached', async () => {
  // No client named: the exchange asks for one (400); named without its credentials: 401.
  const anonymous = await call('GET', '/layers', null);
  assert.equal(anonymous.status, 400, anonymous.body);
  const withoutToken = await call('GET', '/layers', clients.planning, { token: null });
  assert.equal(withoutToken.status, 401, withoutToken.body);
  const wrongToken = await call('GET', '/layers', clients.planning, { token: clients.clerk.token });
  assert.ok([401, 403].includes(wrongToken.status), wrongToken.body);
  assert.doesNotMatch(anonymous.body + withoutToken.body + wrongToken.body, /parcels|东塘/);
});

test('a client system without a right is refused (403), and only the owner’s member serves the registry', async () => {
  const refused = await call('GET', `/layers/parcels/features/${PARCEL}`, clients.nosy);
  assert.equal(refused.status, 403, refused.body);
  assert.doesNotMatch(refused.body, /东塘/);
  // Another member points a service of its own at egov:geospatial: it serves nothing.
  const squatter = await subsystem(t.world.deptB.id, 'copycat', t.world.adminB);
  const service = await t.request('POST', '/api/exchange/services', { as: t.world.adminB, body: { subsystemId: squatter.id, code: 'geospatial', backendUrl: 'egov:geospatial' } });
  assert.equal(service.statusCode, 201, service.body);
  await t.request('POST', `/api/exchange/services/${service.json.id}/rights`, { as: t.world.adminB, body: { clientKind: 'subsystem', client: clients.nosy.identifier } });
  for (const path of ['/layers', `/layers/parcels/features/${PARCEL}`, '/contains?lon=110.5015&lat=30.5015']) {
    const stolen = await call('GET', path, clients.nosy, { service: `${squatter.identifier}/geospatial` });
    assert.equal(stolen.status, 404, stolen.body);
    assert.equal(stolen.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.doesNotMatch(stolen.body, /东塘|featureCount|"items"/);
  }
});

test('a right to the whole answer reads features, layers and spatial queries as the workbench does', async () => {
  const feature = await call('GET', `/layers/parcels/features/${PARCEL}`, clients.planning);
  assert.equal(feature.status, 200, feature.body);
  const staff = await t.request('GET', `/api/registries/geospatial/layers/parcels/features/${PARCEL}`, { as: t.world.officerA });
  assert.deepEqual(feature.json, staff.json);
  assert.equal(feature.json.properties.owner, OWNER);
  const layers = await call('GET', '/layers', clients.planning);
  assert.ok(layers.json.every((l: { bbox: unknown }) => Array.isArray(l.bbox)));
  const contains = await call('GET', '/contains?lon=110.5015&lat=30.5015', clients.planning);
  assert.equal(contains.status, 200, contains.body);
  assert.deepEqual(contains.json.items.map((f: { key: string }) => f.key), ['990121', '990100', '990000', PARCEL]);
  assert.deepEqual(contains.json, (await t.request('GET', '/api/registries/geospatial/contains?lon=110.5015&lat=30.5015', { as: t.world.officerA })).json);
  // The call is signed and logged on the exchange, with its client and path.
  const log = await t.services.exchange.log.findByXRoadId(String(feature.headers['x-road-id']));
  assert.ok(log.some((r) => r.side === 'provider' && r.client === clients.planning.identifier && r.path === `/layers/parcels/features/${PARCEL}`));
});

test('a property not granted is left out of every answer; the geometry comes with `geometry`', async () => {
  const feature = await call('GET', `/layers/parcels/features/${PARCEL}`, clients.permits);
  assert.equal(feature.status, 200, feature.body);
  assert.deepEqual(Object.keys(feature.json.properties).sort(), ['areaM2', 'landUse', 'name']);
  assert.equal(feature.json.geometry.type, 'Polygon');
  assert.ok(feature.json.bbox && feature.json.areaM2 > 0);
  const page = await call('GET', '/layers/parcels/features?limit=10', clients.permits);
  const contains = await call('GET', '/contains?lon=110.5015&lat=30.5015&layer=parcels', clients.permits);
  const nearest = await call('GET', '/nearest?lon=110.5015&lat=30.5015&layer=parcels&limit=4', clients.permits);
  const intersects = await call('POST', '/intersects', clients.permits, { body: { geometry: square(110.49, 30.49, 0.05), layers: ['parcels'] } });
  for (const res of [page, contains, nearest, intersects]) {
    assert.equal(res.status, 200, res.body);
    assert.ok(res.json.items.length > 0);
    for (const item of res.json.items) assert.ok(!('owner' in item.properties), JSON.stringify(item));
    assert.doesNotMatch(res.body, new RegExp(`${OWNER}|国有|"owner"`));
  }
  assert.equal(contains.json.items[0].key, PARCEL);
  assert.ok(nearest.json.items[0].distanceM === 0);
});

test('without `geometry`: no shape, box or measures, and spatial queries are refused (403), not answered', async () => {
  const feature = await call('GET', `/layers/parcels/features/${PARCEL}`, clients.clerk);
  assert.equal(feature.status, 200, feature.body);
  assert.deepEqual(Object.keys(feature.json).sort(), ['createdAt', 'id', 'key', 'layer', 'name', 'properties', 'type', 'updatedAt', 'version']);
  assert.deepEqual(feature.json.properties, { name: '东塘村一组耕地', landUse: '01' });
  const layers = await call('GET', '/layers', clients.clerk);
  assert.ok(layers.json.length === 4 && layers.json.every((l: object) => !('bbox' in l)));
  const page = await call('GET', '/layers/boundaries/features', clients.clerk);
  assert.equal(page.status, 200, page.body);
  for (const item of page.json.items) {
    assert.deepEqual(Object.keys(item.properties), ['name']);
    for (const member of ['bbox', 'geometryType', 'areaM2', 'lengthM', 'geometry']) assert.ok(!(member in item), member);
  }
  for (const [method, path, body] of [
    ['GET', '/contains?lon=110.5015&lat=30.5015', undefined],
    ['GET', '/nearest?lon=110.5015&lat=30.5015', undefined],
    ['POST', '/intersects', { geometry: square(110.49, 30.49, 0.05) }],
  ] as const) {
    const res = await call(method, path, clients.clerk, { body });
    assert.equal(res.status, 403, res.body);
    assert.equal(res.json.code, 'field_not_granted');
    assert.equal(res.json.errors[0].field, 'geometry');
    assert.doesNotMatch(res.body, /990121|东塘|distanceM/);
  }
  // Measuring the caller's own geometry reads nothing of the registry's.
  const measured = await call('POST', '/measure', clients.clerk, { body: { geometry: square(110, 30, 0.01) } });
  assert.equal(measured.status, 200, measured.body);
  assert.ok(measured.json.areaM2 > 1_000_000);
});

test('a filter on a field not granted is refused: q searches by name', async () => {
  // The permits right has `name`: q works; a right without it is refused naming q.
  const found = await call('GET', `/layers/parcels/features?q=${encodeURIComponent('东塘')}`, clients.permits);
  assert.equal(found.status, 200, found.body);
  assert.equal(found.json.total, 2);
  const blind = await subsystem(t.world.deptB.id, 'blind', t.world.adminB);
  const grant = await t.request('POST', `/api/exchange/services/${serviceId}/rights`, { as: t.world.adminA, body: { clientKind: 'subsystem', client: blind.identifier, fields: ['landUse'] } });
  assert.equal(grant.statusCode, 201, grant.body);
  const refused = await call('GET', `/layers/parcels/features?q=${encodeURIComponent('东塘')}`, blind, { lang: 'en' });
  assert.equal(refused.status, 403, refused.body);
  assert.equal(refused.json.errors[0].field, 'q');
  assert.match(refused.json.detail, /name/);
  const page = await call('GET', '/layers/parcels/features', blind);
  assert.equal(page.status, 200, page.body);
  for (const item of page.json.items) {
    assert.ok(!('name' in item));
    assert.deepEqual(Object.keys(item.properties), ['landUse']);
  }
});

test('errors are problem+json in the caller’s language, naming what is wrong', async () => {
  const zh = await call('GET', '/contains?lon=110.5&lat=30.5', clients.clerk, { lang: 'zh-CN,zh;q=0.9' });
  assert.equal(zh.status, 403);
  assert.equal(zh.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(zh.json.title, '无权操作');
  assert.match(zh.json.detail, /几何图形/);
  assert.match(zh.json.errors[0].message, /geometry/);
  const en = await call('GET', '/layers/parcels/features/NOPE', clients.planning, { lang: 'en' });
  assert.equal(en.status, 404);
  assert.match(en.json.detail, /NOPE/);
  const zh404 = await call('GET', '/layers/parcels/features/NOPE', clients.planning, { lang: 'zh-CN' });
  assert.match(zh404.json.detail, /找不到/);
});

test('bad input gets a 4xx naming the parameter, writes are not offered, and nothing is written', async () => {
  const before = await counts();
  const cases: [string, string, unknown, number, string][] = [
    ['GET', '/contains?lon=110.5&lat=100', undefined, 400, 'lat'],
    ['GET', '/contains?lat=30', undefined, 400, 'lon'],
    ['GET', '/contains?lon=abc&lat=30', undefined, 400, 'lon'],
    ['GET', '/contains?lon=110&lat=30&lon=111', undefined, 400, 'lon'],
    ['GET', '/contains?lon=110&lat=30&layer=moon', undefined, 400, 'layer'],
    ['GET', '/contains?lon=110&lat=30&radius=5', undefined, 400, 'radius'],
    ['GET', '/nearest?lon=110&lat=30&limit=1000', undefined, 400, 'limit'],
    ['GET', '/layers/parcels/features?limit=0', undefined, 400, 'limit'],
    ['GET', '/layers/parcels/features?q=%00', undefined, 400, 'q'],
    ['GET', '/layers?x=1', undefined, 400, 'x'],
    ['GET', '/layers/moon/features', undefined, 404, ''],
    ['GET', `/layers/${'x'.repeat(41)}/features`, undefined, 400, 'layer'],
    ['POST', '/intersects', { geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 1], [1, 0], [0, 0]]] } }, 400, 'geometry'],
    ['POST', '/intersects', { geometry: square(110, 30, 1), layers: 'parcels' }, 400, 'layers'],
    ['POST', '/intersects', { geometry: square(110, 30, 1), extra: 1 }, 400, 'extra'],
    ['POST', '/measure', { geometry: { type: 'Point', coordinates: [500, 0] } }, 400, 'geometry'],
    ['POST', '/measure', 'not json', 400, 'body'],
    ['POST', '/layers/parcels/features', { key: 'X1', geometry: square(110, 30, 0.001), properties: { landUse: '01' }, reason: 'x' }, 405, ''],
    ['PUT', `/layers/parcels/features/${PARCEL}`, { version: 1, reason: 'x', properties: { landUse: '02' } }, 405, ''],
    ['DELETE', `/layers/parcels/features/${PARCEL}?version=1&reason=x`, undefined, 405, ''],
    ['POST', '/layers/parcels/import', { featureCollection: { type: 'FeatureCollection', features: [] }, reason: 'x' }, 405, ''],
    ['GET', '/measure', undefined, 405, ''],
    ['GET', '/nowhere', undefined, 404, ''],
  ];
  for (const [method, path, body, status, field] of cases) {
    const res = await call(method, path, clients.planning, { body: body === 'not json' ? undefined : body });
    if (body === 'not json') {
      const raw = await t.http.inject({ method: 'POST', url: `/r1/${provider}/geospatial${path}`, headers: { 'x-road-client': clients.planning.identifier, authorization: `Bearer ${clients.planning.token}`, 'content-type': 'application/json' }, payload: '{"geometry":' });
      assert.equal(raw.statusCode, status, raw.body);
      assert.equal(raw.json().errors[0].field, field);
      continue;
    }
    assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${method} ${path}`);
    if (field) assert.ok(res.json.errors.some((e: { field: string }) => e.field.startsWith(field)), `${method} ${path}: ${res.body}`);
  }
  assert.deepEqual(await counts(), before);
  const parcel = await t.request('GET', `/api/registries/geospatial/layers/parcels/features/${PARCEL}`, { as: t.world.officerA });
  assert.equal(parcel.json.version, 1);
});
