// PostGIS gives the library's answers (decision 0015). The demo seed and geo.test.ts's query
// fixture (with MultiPolygons, a polygon with diagonal edges, lines, points and a tie for
// nearest added) go through both engines on the same database: every vertex, points along and
// just off every edge, a grid and far points for contains and nearest; each feature, its box,
// squares round its vertices, lines and a holed polygon for intersects; every geometry for
// measure. Lists and their order must be identical; distances within a millimetre (they are
// shown to the millimetre), areas within 0.01 % (the library's authalic sphere against
// PostGIS's spheroid) and lengths within 1e-6. On PGlite, and on PostgreSQL without PostGIS, the
// comparison is skipped and says why; what is tested then is that the library answers.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { localOperator } from '../../../platform/actor.ts';
import { createTestApp, type TestApp } from '../../../test-support/test-app.ts';
import { GEOSPATIAL } from '../index.ts';
import type { Geometry } from './geometry.ts';
import { libraryEngine } from './library.ts';
import { SHAPES, SHAPES_SCHEMA, preparePostgis } from './postgis-setup.ts';
import { createGeoQueries } from './queries.ts';
import { DEMO_LAYERS, seedGeoDemo } from './seed.ts';
import * as store from './store.ts';
import { QUERY_FIXTURE, addDemoDivisions, point, polygon, rect, type FixtureFeature, type Position } from './test-fixtures.ts';

/** What geo.test.ts's fixture lacks: MultiPolygons (one part with a hole), a MultiLineString, a MultiPoint, diagonal edges, two points of interest equally far from (121.6, 31), an altitude and a detailed polygon. */
const EXTRAS: FixtureFeature[] = [
  { layer: 'parcels', key: 'MP1', geometry: { type: 'MultiPolygon', coordinates: [[rect(121.2, 30.2, 0.01, 0.01)], [rect(121.3, 30.2, 0.02, 0.02), rect(121.305, 30.205, 0.005, 0.005)]] }, properties: { landUse: '01', name: '两块地' } },
  { layer: 'resources', key: 'DELTA', geometry: { type: 'MultiLineString', coordinates: [[[121.1, 30.6], [121.15, 30.65], [121.2, 30.6]], [[121.1, 30.7], [121.2, 30.7]]] }, properties: { resourceType: 'river', name: '三角洲' } },
  { layer: 'resources', key: 'MINES', geometry: { type: 'MultiPoint', coordinates: [[121.4, 30.4], [121.45, 30.45]] }, properties: { resourceType: 'mineral', name: '矿' } },
  { layer: 'resources', key: 'LAKE', geometry: polygon([[121.5, 30.5], [121.7, 30.52], [121.65, 30.7], [121.52, 30.66], [121.5, 30.5]]), properties: { resourceType: 'lake', name: '湖' } },
  { layer: 'poi', key: 'TIE-A', geometry: point(121.61, 31), properties: { name: '东' } },
  { layer: 'poi', key: 'TIE-B', geometry: point(121.59, 31), properties: { name: '西' } },
  { layer: 'poi', key: 'HIGH', geometry: { type: 'Point', coordinates: [121.75, 31.2, 1500] }, properties: { name: '山顶' } },
  // Detailed enough (400 edges) that PostGIS's distance searches only the edges near the point.
  { layer: 'resources', key: 'POND', geometry: polygon(Array.from({ length: 401 }, (_, k): Position => [121.3 + 0.05 * Math.cos((2 * Math.PI * (k % 400)) / 400), 31.3 + 0.05 * Math.sin((2 * Math.PI * (k % 400)) / 400)])), properties: { resourceType: 'lake', name: '圆塘' } },
];
const SEED: FixtureFeature[] = Object.entries(DEMO_LAYERS).flatMap(([layer, features]) =>
  (features as { id: string; properties: Record<string, unknown>; geometry: FixtureFeature['geometry'] }[]).map((f) => ({ layer, key: f.id, geometry: f.geometry, properties: f.properties })),
);

const ALL = 'boundaries,parcels,resources,poi';
/** Vincenty (library) and GeographicLib (PostGIS) agree to well under half a millimetre; shown to the millimetre, they may round apart by one. */
const DISTANCE_MM = 0.001 + 1e-9;
const AREA_REL = 1e-4;
const LENGTH_REL = 1e-6;

let seeded: TestApp;
let fixture: TestApp;

before(async () => {
  [seeded, fixture] = [await createTestApp(), await createTestApp()];
  for (const app of [seeded, fixture]) {
    await addDemoDivisions(app.services.directory.service);
    await app.services.registries.catalog.install(localOperator('test'), GEOSPATIAL, app.world.deptA.id);
  }
  await seedGeoDemo(seeded.services.registries.geo.service, localOperator('seed'));
  const geo = fixture.services.registries.geo.service;
  for (const f of [...QUERY_FIXTURE, ...EXTRAS]) await geo.createFeature(localOperator('test'), f.layer, { key: f.key, geometry: f.geometry, properties: f.properties, reason: 'fixture' });
});
after(async () => {
  await seeded.close();
  await fixture.close();
});

/** The paths of a geometry (a point is a path of one position). */
function pathsOf(g: FixtureFeature['geometry']): Position[][] {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point':
      return [[c]];
    case 'MultiPoint':
      return (c as Position[]).map((p) => [p]);
    case 'LineString':
      return [c];
    case 'MultiLineString':
    case 'Polygon':
      return c;
    default:
      return (c as Position[][][]).flat();
  }
}

/** Vertices (up to 40 a path); points a third, half and 0.999 of the way along the edge before each, and 1e-7° (about a centimetre) to either side of its middle; a grid over and around the extent. */
function probePoints(features: FixtureFeature[]): Position[] {
  const points: Position[] = [];
  for (const path of features.flatMap((f) => pathsOf(f.geometry))) {
    const step = Math.ceil(path.length / 40);
    path.forEach((b, i) => {
      if (i % step !== 0) return;
      points.push(b);
      if (i === 0) return;
      const a = path[i - 1];
      for (const t of [1 / 3, 0.5, 0.999]) points.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      const mid: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      points.push([mid[0] + 1e-7, mid[1]], [mid[0] - 1e-7, mid[1]], [mid[0], mid[1] + 1e-7], [mid[0], mid[1] - 1e-7]);
    });
  }
  const xs = features.flatMap((f) => pathsOf(f.geometry).flat().map((p) => p[0]));
  const ys = features.flatMap((f) => pathsOf(f.geometry).flat().map((p) => p[1]));
  const [x0, x1, y0, y1] = [Math.min(...xs) - 0.1, Math.max(...xs) + 0.1, Math.min(...ys) - 0.1, Math.max(...ys) + 0.1];
  for (let i = 0; i <= 12; i++) for (let j = 0; j <= 12; j++) points.push([x0 + ((x1 - x0) * i) / 12, y0 + ((y1 - y0) * j) / 12]);
  return [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()];
}

/** Each feature itself; its box (a small square round a point); squares round its vertices; a line across it; plus a MultiPolygon and a holed polygon over the whole. */
function probeGeometries(features: FixtureFeature[]): unknown[] {
  const geometries: unknown[] = [];
  for (const f of features) {
    geometries.push(f.geometry);
    const vertices = pathsOf(f.geometry).flat();
    const xs = vertices.map((p) => p[0]);
    const ys = vertices.map((p) => p[1]);
    const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    geometries.push(x1 > x0 && y1 > y0 ? polygon(rect(x0, y0, x1 - x0, y1 - y0)) : polygon(rect(x0 - 0.001, y0 - 0.001, x1 - x0 + 0.002, y1 - y0 + 0.002)));
    for (const v of vertices.slice(0, 8)) geometries.push(polygon(rect(v[0] - 0.001, v[1] - 0.001, 0.002, 0.002)), point(v[0], v[1]));
    geometries.push({ type: 'LineString', coordinates: [[x0 - 0.01, (y0 + y1) / 2], [x1 + 0.01, (y0 + y1) / 2 + 0.001]] });
  }
  const xs = features.flatMap((f) => pathsOf(f.geometry).flat().map((p) => p[0]));
  const ys = features.flatMap((f) => pathsOf(f.geometry).flat().map((p) => p[1]));
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const [w, h] = [x1 - x0, y1 - y0];
  geometries.push(
    { type: 'MultiPolygon', coordinates: [[rect(x0, y0, w / 3, h / 3)], [rect(x0 + w / 2, y0 + h / 2, w / 3, h / 3)]] },
    polygon(rect(x0 - 0.5, y0 - 0.5, w + 1, h + 1), rect(x0 + w / 4, y0 + h / 4, w / 2, h / 2)),
  );
  return geometries;
}

const keysOf = (items: { layer: string; key: string }[]) => items.map((i) => `${i.layer}/${i.key}`);
const relative = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/**
 * Runs every probe through the service (PostGIS, where it is used) and through the library on
 * the same database; returns what differs and the largest differences in measures.
 */
async function compare(t: TestContext, app: TestApp, features: FixtureFeature[]): Promise<void> {
  const geo = app.services.registries.geo.service;
  const status = await geo.spatialStatus();
  assert.equal(status.engine, 'postgis', `PostGIS must answer here to be compared: ${JSON.stringify(status)}`);
  const db = app.services.database.db;
  const getLayer = async (code: string) => (await store.findLayer(db, code)) ?? Promise.reject(new Error(`no layer ${code}`));
  const library = createGeoQueries({ getLayer, engine: async () => libraryEngine(db) });
  const differ: string[] = [];
  const worst = { distanceM: 0, distanceRel: 0, area: 0, length: 0, where: '' };
  const points = probePoints(features);
  for (const [lon, lat] of points) {
    for (const layer of [undefined, ALL]) {
      const [a, b] = [await geo.contains({ lon, lat, layer }), await library.contains({ lon, lat, layer })];
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`contains ${lon},${lat} ${layer ?? ''}: PostGIS ${keysOf(a.items)}, library ${keysOf(b.items)}`);
    }
  }
  for (const [i, [lon, lat]] of [...points.filter((_, i) => i % 3 === 0), [60, -40], [-100, 45], [121.6, 31]].entries()) {
    for (const [limit, maxDistanceM] of [[1], [4], [100], [100, i % 2 ? 1000 : 30_000]]) {
      const q = { lon, lat, layer: ALL, limit, maxDistanceM };
      const [a, b] = [await geo.nearest(q), await library.nearest(q)];
      if (JSON.stringify(keysOf(a.items)) !== JSON.stringify(keysOf(b.items))) {
        differ.push(`nearest ${lon},${lat} limit ${limit} max ${maxDistanceM}: PostGIS ${keysOf(a.items)}, library ${keysOf(b.items)}`);
        continue;
      }
      a.items.forEach((item, j) => {
        const [d1, d2] = [item.distanceM, b.items[j].distanceM];
        if (Math.abs(d1 - d2) > worst.distanceM) worst.where = `${item.layer}/${item.key} from ${lon},${lat}: ${d1} m against ${d2} m`;
        worst.distanceM = Math.max(worst.distanceM, Math.abs(d1 - d2));
        worst.distanceRel = Math.max(worst.distanceRel, relative(d1, d2));
        if (Math.abs(d1 - d2) > DISTANCE_MM) differ.push(`nearest ${lon},${lat} ${item.layer}/${item.key}: PostGIS ${d1} m, library ${d2} m`);
        const { distanceM: _a, ...restA } = item;
        const { distanceM: _b, ...restB } = b.items[j];
        assert.deepEqual(restA, restB);
      });
    }
  }
  for (const geometry of probeGeometries(features)) {
    for (const layers of [undefined, ['poi', 'resources']]) {
      const [a, b] = [await geo.intersects({ geometry, layers }), await library.intersects({ geometry, layers })];
      if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`intersects ${JSON.stringify(geometry).slice(0, 120)}: PostGIS ${keysOf(a.items)}, library ${keysOf(b.items)}`);
    }
    const [a, b] = [await geo.measure(geometry), await library.measure(geometry)];
    worst.area = Math.max(worst.area, relative(a.areaM2, b.areaM2));
    worst.length = Math.max(worst.length, relative(a.lengthM, b.lengthM));
    if (relative(a.areaM2, b.areaM2) > AREA_REL || relative(a.lengthM, b.lengthM) > LENGTH_REL || a.geometryType !== b.geometryType || JSON.stringify(a.bbox) !== JSON.stringify(b.bbox)) {
      differ.push(`measure ${JSON.stringify(geometry).slice(0, 120)}: PostGIS ${JSON.stringify(a)}, library ${JSON.stringify(b)}`);
    }
  }
  t.diagnostic(`PostGIS ${status.postgis.active ? status.postgis.version : ''}: ${points.length} points, ${probeGeometries(features).length} geometries; largest differences: distance ${worst.distanceM.toFixed(3)} m (${worst.where}; relative at most ${worst.distanceRel.toExponential(2)}), area ${(worst.area * 100).toExponential(2)} %, length ${worst.length.toExponential(2)} (relative)`);
  assert.deepEqual(differ.slice(0, 20), [], `${differ.length} answers differ`);
}

test('the engine: PostGIS on PostgreSQL where it is installed, the library on PGlite or without it', async (t) => {
  const status = await seeded.services.registries.geo.service.spatialStatus();
  if (seeded.services.database.kind === 'pglite') {
    assert.deepEqual(status, { engine: 'library', postgis: { active: false, reason: 'PostGIS is not installed on this database server' } });
    return;
  }
  // On PostgreSQL PostGIS is required (CI installs postgresql-<version>-postgis-3): a server
  // without it would make the comparisons below compare nothing.
  assert.equal(status.engine, 'postgis', JSON.stringify(status));
  t.diagnostic(`PostGIS ${status.postgis.active ? status.postgis.version : '?'} answers spatial queries here`);
});

// The comparisons need PostGIS, which exists only on PostgreSQL: the embedded database's run
// checks the engine choice (above) and what holds whatever the engine (below).
const onPostgres = Boolean(process.env.DATABASE_URL);
if (onPostgres) {
  test('the demo seed: PostGIS and the library give the same answers', async (t) => {
    await compare(t, seeded, SEED);
  });

  test("geo.test.ts's fixture with MultiPolygons, lines, points and a tie: the same answers", async (t) => {
    await compare(t, fixture, [...QUERY_FIXTURE, ...EXTRAS]);
  });
}

test('whatever the engine: equally far is ordered by key, a border point is in both divisions, altitude is ignored', async () => {
  const geo = fixture.services.registries.geo.service;
  const tie = await geo.nearest({ lon: 121.6, lat: 31, layer: 'poi', limit: 2 });
  assert.deepEqual(keysOf(tie.items), ['poi/TIE-A', 'poi/TIE-B']);
  assert.equal(tie.items[0].distanceM, tie.items[1].distanceM);
  assert.deepEqual(keysOf((await geo.contains({ lon: 121, lat: 31, layer: 'boundaries' })).items), ['boundaries/990200', 'boundaries/990100', 'boundaries/990000']);
  assert.deepEqual(keysOf((await geo.contains({ lon: 121.75, lat: 31.2, layer: 'poi' })).items), ['poi/HIGH']);
  assert.deepEqual(keysOf((await geo.intersects({ geometry: { type: 'Point', coordinates: [121.75, 31.2, -20] }, layers: ['poi'] })).items), ['poi/HIGH']);
});

if (onPostgres) test('PostGIS shapes follow every write in its transaction, and are built again when missing', async () => {
  const geo = fixture.services.registries.geo.service;
  assert.equal((await geo.spatialStatus()).engine, 'postgis');
  const db = fixture.services.database.db;
  const op = localOperator('test');
  const shapes = async () => (await sql<{ key: string; same: boolean }>`
    select s.layer || '/' || s.key as key, ST_Equals(s.geom, ST_SetSRID(ST_GeomFromGeoJSON(f.geometry::text), 4326)) as same
    from ${sql.raw(SHAPES)} s join registries.geo_features f using (layer, key) order by 1`.execute(db)).rows;
  const live = async () => (await db.selectFrom('registries.geo_features').select(sql<string>`layer || '/' || key`.as('key')).where('deleted_at', 'is', null).orderBy('key').execute()).map((r) => r.key).sort();
  assert.deepEqual((await shapes()).map((s) => s.key).sort(), await live());
  assert.ok((await shapes()).every((s) => s.same));

  await geo.createFeature(op, 'poi', { key: 'MOVING', geometry: point(121.8, 31.8), properties: { name: '动' }, reason: 'x' });
  await geo.updateFeature(op, 'poi', 'MOVING', { geometry: point(121.81, 31.81), version: 1, reason: 'moved' });
  assert.deepEqual(keysOf((await geo.contains({ lon: 121.81, lat: 31.81, layer: 'poi' })).items), ['poi/MOVING']);
  assert.deepEqual((await geo.contains({ lon: 121.8, lat: 31.8, layer: 'poi' })).items, []);
  await geo.deleteFeature(op, 'poi', 'MOVING', 2, 'gone');
  assert.deepEqual((await geo.contains({ lon: 121.81, lat: 31.81, layer: 'poi' })).items, []);
  assert.deepEqual((await shapes()).map((s) => s.key).sort(), await live());

  // A write that fails leaves no shape behind: the trigger's insert is in the write's transaction.
  const failed = db.transaction().execute(async (trx) => {
    await store.upsertFeature(trx, { layer: 'poi', key: 'ROLLED', name: 'x', properties: { name: 'x' }, geometry: { type: 'Point', coordinates: [121.9, 31.9] } as Geometry, geometry_type: 'Point', min_x: 121.9, min_y: 31.9, max_x: 121.9, max_y: 31.9, area_m2: 0, length_m: 0, version: 1, updated_at: new Date() });
    const inside = await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(SHAPES)} where key = 'ROLLED'`.execute(trx);
    assert.equal(inside.rows[0].n, 1, 'the shape is written with the feature');
    throw new Error('rolled back');
  });
  await assert.rejects(failed, /rolled back/);
  assert.equal((await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(SHAPES)} where key = 'ROLLED'`.execute(db)).rows[0].n, 0);

  // Features written where the shapes are missing (before PostGIS, or after an operator dropped them) are picked up.
  await sql`drop schema ${sql.id(SHAPES_SCHEMA)} cascade`.execute(db);
  await geo.createFeature(op, 'poi', { key: 'LATE', geometry: point(121.7, 31.7), properties: { name: '迟' }, reason: 'x' });
  assert.deepEqual(await preparePostgis(db, 'off'), { active: false, reason: 'EGOV_POSTGIS is off' });
  assert.equal((await sql<{ n: string | null }>`select to_regnamespace(${SHAPES_SCHEMA})::text as n`.execute(db)).rows[0].n, null, 'off makes nothing');
  const again = await preparePostgis(db, 'auto');
  assert.equal(again.active, true, JSON.stringify(again));
  assert.deepEqual((await shapes()).map((s) => s.key).sort(), await live());
  assert.deepEqual(keysOf((await geo.contains({ lon: 121.7, lat: 31.7, layer: 'poi' })).items), ['poi/LATE']);
});
