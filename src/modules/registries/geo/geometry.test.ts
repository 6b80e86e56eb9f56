// The geometry library on its own: validity with the problem located, containment with holes
// and boundaries, intersection, distances and areas against independent figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bboxOf, containsPoint, distance, distanceTo, intersects, measure, validateGeometry, type Geometry, type Position } from './geometry.ts';
import { orient } from './predicates.ts';

const square = (x: number, y: number, size: number): Position[] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const polygon = (...rings: Position[][]): Geometry => ({ type: 'Polygon', coordinates: rings });

function problems(value: unknown) {
  const result = validateGeometry(value);
  assert.equal(result.ok, false, 'expected the geometry to be refused');
  return (result as { problems: { field: string; code: string; message: string; messageZh?: string }[] }).problems;
}

test('valid geometries of every type pass', () => {
  const valid: unknown[] = [
    { type: 'Point', coordinates: [120.1, 30.2] },
    { type: 'Point', coordinates: [120.1, 30.2, 15] },
    { type: 'MultiPoint', coordinates: [[120, 30], [121, 31]] },
    { type: 'LineString', coordinates: [[120, 30], [121, 31], [120, 31], [121, 30]] },
    { type: 'MultiLineString', coordinates: [[[120, 30], [121, 31]], [[122, 30], [122, 31]]] },
    polygon(square(120, 30, 1), square(120.2, 30.2, 0.2).reverse()),
    { type: 'MultiPolygon', coordinates: [[square(120, 30, 1)], [square(121.5, 30, 1)]] },
    // Two parts touching at a corner are allowed (sharing an edge is not, see below).
    { type: 'MultiPolygon', coordinates: [[square(120, 30, 1)], [square(121, 31, 1)]] },
    // A hole touching the outer ring at one vertex is allowed.
    polygon(square(0, 0, 4), [[0, 0], [1, 2], [2, 1], [0, 0]]),
  ];
  for (const g of valid) assert.equal(validateGeometry(g).ok, true, JSON.stringify(g));
});

test('shape problems name the field', () => {
  assert.equal(problems(null)[0].field, 'geometry');
  assert.equal(problems({ type: 'Circle', coordinates: [] })[0].field, 'geometry.type');
  assert.equal(problems({ type: 'Point', coordinates: [120] })[0].field, 'geometry.coordinates');
  assert.equal(problems({ type: 'Point', coordinates: ['120', 30] })[0].code, 'position');
  assert.equal(problems({ type: 'LineString', coordinates: [[1, 2], 3] })[0].field, 'geometry.coordinates[1]');
  assert.deepEqual(problems({ type: 'Polygon', coordinates: [[1, 2]] }).map((p) => [p.field, p.code]), [['geometry.coordinates[0][0]', 'position'], ['geometry.coordinates[0][1]', 'position']]);
  assert.deepEqual(problems({ type: 'Polygon', coordinates: [1, 2] }).map((p) => [p.field, p.code]), [['geometry.coordinates[0]', 'coordinates_shape'], ['geometry.coordinates[1]', 'coordinates_shape']]);
  const range = problems({ type: 'LineString', coordinates: [[120, 30], [420000, 3300000]] });
  assert.deepEqual(range.map((p) => [p.field, p.code]), [
    ['geometry.coordinates[1]', 'longitude_range'],
    ['geometry.coordinates[1]', 'latitude_range'],
  ]);
  assert.match(range[0].message, /longitude\/latitude/);
  assert.equal(problems({ type: 'LineString', coordinates: [[1, 1]] })[0].code, 'line_too_short');
  assert.equal(problems({ type: 'LineString', coordinates: [[1, 1], [1, 1]] })[0].code, 'line_degenerate');
});

test('rings: closed, at least four positions, enclosing something', () => {
  assert.deepEqual(problems(polygon([[0, 0], [1, 0], [0, 0]])).map((p) => [p.field, p.code]), [['geometry.coordinates[0]', 'ring_too_short']]);
  const open = problems(polygon([[0, 0], [1, 0], [1, 1], [0, 1]]));
  assert.equal(open[0].code, 'ring_not_closed');
  assert.equal(problems(polygon([[0, 0], [1, 0], [1, 0], [0, 0]]))[0].code, 'ring_degenerate');
  assert.equal(problems({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [[[5, 5], [6, 5], [5, 5]]]] })[0].field, 'geometry.coordinates[1][0]');
});

test('a self-intersecting ring is refused naming the ring and the vertices', () => {
  const bowtie = problems(polygon([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]));
  assert.equal(bowtie.length, 1);
  assert.equal(bowtie[0].field, 'geometry.coordinates[0]');
  assert.equal(bowtie[0].code, 'ring_self_intersection');
  assert.match(bowtie[0].message, /^ring 0 crosses itself between vertex 0 and vertex 2 \(edge 0–1 and edge 2–3\)/);
  assert.match(bowtie[0].messageZh!, /环 0 自相交/);
  // A spike going back over its own edge, and a ring touching itself at a vertex.
  assert.match(problems(polygon([[0, 0], [4, 0], [4, 4], [4, 2], [4, 6], [0, 4], [0, 0]]))[0].message, /ring 0 runs back over itself/);
  assert.match(problems(polygon([[0, 0], [4, 0], [2, 2], [4, 4], [0, 4], [2, 2], [0, 0]]))[0].message, /ring 0 touches itself/);
  // In a hole, the field names the hole.
  assert.equal(problems(polygon(square(0, 0, 10), [[1, 1], [3, 3], [3, 1], [1, 3], [1, 1]]))[0].field, 'geometry.coordinates[1]');
});

test('consecutive repeated positions are tolerated, and vertex numbers refer to the input', () => {
  assert.equal(validateGeometry(polygon([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).ok, true);
  const p = problems(polygon([[0, 0], [0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]));
  assert.match(p[0].message, /between vertex 0 and vertex 3/);
});

test('holes lie inside their shell, do not cross it or nest; MultiPolygon parts do not overlap', () => {
  assert.equal(problems(polygon(square(0, 0, 1), square(5, 5, 1)))[0].code, 'hole_outside');
  assert.equal(problems(polygon(square(0, 0, 2), square(1, 1, 2)))[0].code, 'rings_cross');
  assert.equal(problems(polygon(square(0, 0, 10), square(1, 1, 6), square(2, 2, 1)))[0].code, 'hole_in_hole');
  const overlap = problems({ type: 'MultiPolygon', coordinates: [[square(0, 0, 2)], [square(1, 1, 2)]] });
  assert.equal(overlap[0].code, 'polygons_overlap');
  assert.equal(problems({ type: 'MultiPolygon', coordinates: [[square(0, 0, 4)], [square(1, 1, 1)]] })[0].code, 'polygons_overlap');
  // An island in a lake (a polygon inside another's hole) is fine.
  assert.equal(validateGeometry({ type: 'MultiPolygon', coordinates: [[square(0, 0, 10), square(2, 2, 6)], [square(4, 4, 1)]] }).ok, true);
});

test('a ring of a few thousand vertices is checked quickly', () => {
  const n = 5000;
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = 1 + 0.1 * Math.sin(17 * a);
    ring.push([120 + r * Math.cos(a), 30 + r * Math.sin(a)]);
  }
  ring.push(ring[0]);
  const started = performance.now();
  assert.equal(validateGeometry(polygon(ring)).ok, true);
  // One vertex moved across the ring makes it cross itself, and the vertices are named.
  const bad = ring.map((p) => [...p]);
  bad[2500] = [121.5, 30];
  const p = problems(polygon(bad));
  assert.equal(p[0].code, 'ring_self_intersection');
  assert.match(p[0].message, /vertex 2499|vertex 2500/);
  assert.ok(performance.now() - started < 2000, 'validation of 5000 vertices took too long');
});

test('containment: holes are outside, boundaries are inside', () => {
  const donut = polygon(square(0, 0, 10), square(4, 4, 2));
  assert.equal(containsPoint(donut, [1, 1]), true);
  assert.equal(containsPoint(donut, [5, 5]), false, 'a point in the hole is not contained');
  assert.equal(containsPoint(donut, [4, 5]), true, "a point on the hole's boundary is on the polygon's boundary");
  assert.equal(containsPoint(donut, [10, 3]), true, 'a point on the outer boundary is contained');
  assert.equal(containsPoint(donut, [11, 3]), false);
  assert.equal(containsPoint({ type: 'LineString', coordinates: [[0, 0], [2, 2]] }, [1, 1]), true);
  assert.equal(containsPoint({ type: 'Point', coordinates: [1, 1] }, [1, 1]), true);
});

test('orientation is exact: points a hair off a shared border land where integer arithmetic (and GEOS) puts them', () => {
  // The border of the demo's two cities runs (111, 30)–(111.1, 30.8); the province's edge (112, 30)–(112.2, 30.8).
  const west = polygon([[110, 30], [111, 30], [111.1, 30.8], [111, 31.65], [110.6, 31.7], [109.9, 31], [110, 30]]);
  const east = polygon([[111, 30], [112, 30], [112.2, 30.8], [111.8, 31.6], [111, 31.65], [111.1, 30.8], [111, 30]]);
  // (112.1, 30.4) is not on the edge in binary: a plain determinant said it was outside; exactly, it is a hair inside.
  assert.equal(orient([112, 30], [112.2, 30.8], [112.1, 30.4]), 1);
  assert.equal(containsPoint(east, [112.1, 30.4]), true);
  // A point computed a third of the way along the shared border lies, exactly, a hair east of it: in one city, not neither.
  const third: Position = [111 + 0.1 / 3, 30 + 0.8 / 3];
  assert.deepEqual([containsPoint(west, third), containsPoint(east, third)], [false, true]);
  // Vertices and axis-parallel lines are exactly collinear; so is a triple of doubles that is collinear in integers.
  assert.equal(orient([111, 30], [111.1, 30.8], [111.1, 30.8]), 0);
  assert.equal(orient([120, 30], [120, 31], [120, 30.5]), 0);
  assert.equal(orient([0.1, 0.1], [0.3, 0.3], [0.2, 0.2]), 0, 'each on y = x, whatever 0.1 is in binary');
  assert.equal(orient([1, 1], [3, 3], [2, 2]), 0);
  assert.equal(orient([1, 1], [3, 3], [2, 2 + 2 ** -51]), 1);
  assert.equal(orient([1, 1], [3, 3], [2, 2 - 2 ** -51]), -1);
});

test('intersection: crossing, touching, containment either way, disjoint', () => {
  const a = polygon(square(0, 0, 4));
  assert.equal(intersects(a, polygon(square(3, 3, 4))), true);
  assert.equal(intersects(a, polygon(square(4, 0, 4))), true, 'sharing an edge');
  assert.equal(validateGeometry({ type: 'MultiPolygon', coordinates: [[square(0, 0, 4)], [square(4, 0, 4)]] }).ok, false, 'parts of a MultiPolygon sharing an edge');
  assert.equal(intersects(a, polygon(square(1, 1, 1))), true, 'inside');
  assert.equal(intersects(polygon(square(1, 1, 1)), a), true, 'contains');
  assert.equal(intersects(a, polygon(square(5, 5, 1))), false);
  assert.equal(intersects(polygon(square(0, 0, 10), square(2, 2, 6)), polygon(square(3, 3, 1))), false, 'inside the hole');
  assert.equal(intersects(a, { type: 'LineString', coordinates: [[-1, 2], [5, 2]] }), true);
  assert.equal(intersects(a, { type: 'Point', coordinates: [2, 2] }), true);
  assert.equal(intersects(a, { type: 'Point', coordinates: [9, 9] }), false);
});

test('distances against known figures (WGS84)', () => {
  // One degree of latitude at the equator is 110 574.4 m; of longitude, 111 319.5 m.
  assert.ok(Math.abs(distance([0, 0], [0, 1]) - 110574.389) < 0.01);
  assert.ok(Math.abs(distance([0, 0], [1, 0]) - 111319.491) < 0.01);
  // Vincenty's (1975) own test line, Flinders Peak to Buninyong: 54 972.271 m (on GRS80, the same to the millimetre here).
  const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;
  assert.ok(Math.abs(distance([dms(144, 25, 29.5244), -dms(37, 57, 3.7203)], [dms(143, 55, 35.3839), -dms(37, 39, 10.1561)]) - 54972.271) < 0.01);
  // To a line: a point 0.01° north of the middle of an east-west edge on the equator.
  const line: Geometry = { type: 'LineString', coordinates: [[0, 0], [1, 0]] };
  assert.ok(Math.abs(distanceTo(line, [0.5, 0.01]) - 1105.74) < 1);
  assert.ok(Math.abs(distanceTo(line, [2, 0]) - 111319.491) < 0.01, 'beyond the end: to the end point');
  assert.equal(distanceTo(polygon(square(0, 0, 1)), [0.5, 0.5]), 0);
});

/** Independent figure: the area of a lon/lat rectangle on the ellipsoid, ∫∫ M(φ) N(φ) cos φ dφ dλ by Simpson's rule. */
function ellipsoidRectangle(lon0: number, lat0: number, dLon: number, dLat: number): number {
  const a = 6378137;
  const f = 1 / 298.257223563;
  const e2 = f * (2 - f);
  const rad = Math.PI / 180;
  const g = (phi: number) => {
    const w = 1 - e2 * Math.sin(phi) ** 2;
    return ((a * (1 - e2)) / w ** 1.5) * (a / Math.sqrt(w)) * Math.cos(phi);
  };
  const n = 1000;
  const h = (dLat * rad) / n;
  let s = g(lat0 * rad) + g((lat0 + dLat) * rad);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * g(lat0 * rad + i * h);
  void lon0;
  return ((s * h) / 3) * dLon * rad;
}

test('areas against an independent ellipsoidal figure, and lengths', () => {
  for (const [lat, size] of [[0, 0.01], [30, 0.01], [45, 0.001], [30, 0.1], [60, 0.05]] as const) {
    const expected = ellipsoidRectangle(120, lat, size, size);
    const { areaM2 } = measure(polygon(square(120, lat, size)));
    assert.ok(Math.abs(areaM2 - expected) / expected < 1e-4, `at ${lat}° size ${size}: ${areaM2} vs ${expected}`);
  }
  // A hole is subtracted; orientation does not matter.
  const outer = measure(polygon(square(120, 30, 0.01))).areaM2;
  const hole = measure(polygon(square(120.004, 30.004, 0.002))).areaM2;
  assert.ok(Math.abs(measure(polygon(square(120, 30, 0.01), square(120.004, 30.004, 0.002))).areaM2 - (outer - hole)) < 1e-6);
  assert.ok(Math.abs(measure(polygon(square(120, 30, 0.01).reverse())).areaM2 - outer) < 1e-6);
  // Perimeter of a polygon and length of a line.
  const { lengthM, areaM2 } = measure({ type: 'LineString', coordinates: [[0, 0], [0, 1], [1, 1]] });
  assert.equal(areaM2, 0);
  assert.ok(Math.abs(lengthM - (110574.389 + distance([0, 1], [1, 1]))) < 0.01);
  assert.deepEqual(bboxOf(polygon(square(120, 30, 1))), [120, 30, 121, 31]);
});
