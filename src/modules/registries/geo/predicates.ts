// Planar predicates on longitude/latitude: edges are straight lines in lon/lat, as for a
// PostGIS `geometry` in EPSG:4326. A point on a boundary (an outer ring's or a hole's) is in
// the polygon: regions are closed sets, so a point on the border of two divisions is in both.
// Orientation, the one numeric decision every predicate rests on, is exact for any doubles (no
// epsilon), so the same input always gives the same answer, whatever the database, and the
// answer GEOS gives where PostGIS is used (decision 0015).
import type { BBox, Geometry, Position } from './geometry.ts';
import { distance, distanceToSegment, pathLength, ringArea } from './geodesy.ts';

// Shewchuk's bound on the error of the floating-point determinant below (ccwerrboundA).
const EPSILON = 2 ** -53;
const ORIENT_ERROR = (3 + 16 * EPSILON) * EPSILON;
const bits = new DataView(new ArrayBuffer(8));

/** A double as m·2^e, m an integer: exactly the number it is. */
function split(x: number): [bigint, number] {
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(bits.getUint32(4));
  if (biased !== 0) m |= 1n << 52n;
  return [hi >>> 31 ? -m : m, (biased || 1) - 1075];
}

/** The orientation's sign in integers: every double is an integer times a power of two. */
function exactOrient(a: Position, b: Position, c: Position): number {
  const parts = [a[0], a[1], b[0], b[1], c[0], c[1]].map(split);
  const low = Math.min(...parts.map(([, e]) => e));
  const [ax, ay, bx, by, cx, cy] = parts.map(([m, e]) => m << BigInt(e - low));
  const det = (ax - cx) * (by - cy) - (ay - cy) * (bx - cx);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}

/**
 * 1 when c is left of a→b, -1 when right, 0 when on its line: exactly. A point computed on a
 * shared border (a midpoint, a third of the way) is usually a hair off it, and rounding in a
 * plain determinant could put it on the wrong side, or on the line; GEOS decides such points
 * exactly, and so must the library for the two engines to agree. The floating-point
 * determinant decides whenever it is clearly away from zero; otherwise the integers do.
 */
export function orient(a: Position, b: Position, c: Position): number {
  const acx = a[0] - c[0];
  const bcy = b[1] - c[1];
  const acy = a[1] - c[1];
  const bcx = b[0] - c[0];
  // A difference of doubles is 0 only when they are equal: then both products are exactly 0
  // (a shared vertex, an axis-parallel line), the commonest degenerate case, decided here.
  if ((acx === 0 || bcy === 0) && (acy === 0 || bcx === 0)) return 0;
  const left = acx * bcy;
  const right = acy * bcx;
  const det = left - right;
  if (Math.abs(det) > ORIENT_ERROR * (Math.abs(left) + Math.abs(right))) return Math.sign(det);
  return exactOrient(a, b, c);
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

export type SegmentRelation = 'none' | 'cross' | 'touch' | 'overlap';

/** How the segments a–b and c–d meet: crossing inside both, touching at a point, or sharing a stretch. */
export function segmentRelation(a: Position, b: Position, c: Position, d: Position): SegmentRelation {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the extents along the longer axis.
    const axis = Math.abs(b[0] - a[0]) + Math.abs(d[0] - c[0]) >= Math.abs(b[1] - a[1]) + Math.abs(d[1] - c[1]) ? 0 : 1;
    const lo = Math.max(Math.min(a[axis], b[axis]), Math.min(c[axis], d[axis]));
    const hi = Math.min(Math.max(a[axis], b[axis]), Math.max(c[axis], d[axis]));
    if (lo < hi) return 'overlap';
    return lo === hi ? 'touch' : 'none';
  }
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 'cross';
  if ((d1 === 0 && onSegment(c, d, a)) || (d2 === 0 && onSegment(c, d, b)) || (d3 === 0 && onSegment(a, b, c)) || (d4 === 0 && onSegment(a, b, d))) return 'touch';
  return 'none';
}

export type Location = 'inside' | 'outside' | 'boundary';

/** Where p lies with respect to a closed ring (crossing number, boundary first). */
export function locateInRing(p: Position, ring: Position[]): Location {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j];
    const b = ring[i];
    const o = orient(a, b, p);
    if (o === 0 && onSegment(a, b, p)) return 'boundary';
    // The ray eastwards from p crosses the edge when p is left of it taken upwards (decided by
    // orientation, not by computing where the ray meets the edge: that would round).
    if (a[1] > p[1] !== b[1] > p[1] && (b[1] > a[1] ? o > 0 : o < 0)) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/** Where p lies with respect to a polygon with holes: inside a hole is outside. */
export function locateInPolygon(p: Position, rings: Position[][]): Location {
  const shell = locateInRing(p, rings[0]);
  if (shell !== 'inside') return shell;
  for (let h = 1; h < rings.length; h++) {
    const hole = locateInRing(p, rings[h]);
    if (hole === 'inside') return 'outside';
    if (hole === 'boundary') return 'boundary';
  }
  return 'inside';
}

/** The parts of a geometry: loose points, paths (lines and every ring) and polygons. */
function parts(g: Geometry): { points: Position[]; paths: Position[][]; polygons: Position[][][] } {
  switch (g.type) {
    case 'Point':
      return { points: [g.coordinates], paths: [], polygons: [] };
    case 'MultiPoint':
      return { points: g.coordinates, paths: [], polygons: [] };
    case 'LineString':
      return { points: [], paths: [g.coordinates], polygons: [] };
    case 'MultiLineString':
      return { points: [], paths: g.coordinates, polygons: [] };
    case 'Polygon':
      return { points: [], paths: g.coordinates, polygons: [g.coordinates] };
    case 'MultiPolygon':
      return { points: [], paths: g.coordinates.flat(), polygons: g.coordinates };
  }
}

export function bboxOf(g: Geometry): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const { points, paths } = parts(g);
  for (const p of [...points, ...paths.flat()]) {
    if (p[0] < minX) minX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] > maxY) maxY = p[1];
  }
  return [minX, minY, maxX, maxY];
}

const boxesMeet = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** Whether the geometry contains p (a polygon's boundary counts; a line or point must pass through p). */
export function containsPoint(g: Geometry, p: Position): boolean {
  const { points, paths, polygons } = parts(g);
  if (polygons.length > 0) return polygons.some((rings) => locateInPolygon(p, rings) !== 'outside');
  if (points.some((q) => q[0] === p[0] && q[1] === p[1])) return true;
  return paths.some((path) => path.some((a, i) => i > 0 && orient(path[i - 1], a, p) === 0 && onSegment(path[i - 1], a, p)));
}

type Edge = { a: Position; b: Position; box: BBox };
function edgesOf(g: Geometry): Edge[] {
  const { points, paths } = parts(g);
  const edges: Edge[] = points.map((p) => ({ a: p, b: p, box: [p[0], p[1], p[0], p[1]] }));
  for (const path of paths) {
    if (path.length === 1) edges.push({ a: path[0], b: path[0], box: [path[0][0], path[0][1], path[0][0], path[0][1]] });
    for (let i = 1; i < path.length; i++) {
      const a = path[i - 1];
      const b = path[i];
      edges.push({ a, b, box: [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])] });
    }
  }
  return edges;
}

/** Whether two geometries share at least one point (touching counts), as ST_Intersects. */
export function intersects(g1: Geometry, g2: Geometry): boolean {
  if (!boxesMeet(bboxOf(g1), bboxOf(g2))) return false;
  const e1 = edgesOf(g1);
  const e2 = edgesOf(g2).sort((x, y) => x.box[0] - y.box[0]);
  for (const e of e1) {
    for (const f of e2) {
      if (f.box[0] > e.box[2]) break;
      if (boxesMeet(e.box, f.box) && segmentRelation(e.a, e.b, f.a, f.b) !== 'none') return true;
    }
  }
  // No edges meet: each connected part lies wholly inside or wholly outside the other's polygons.
  const firsts = (g: Geometry) => {
    const { points, paths } = parts(g);
    return [...points, ...paths.map((path) => path[0])];
  };
  const p1 = parts(g1).polygons;
  const p2 = parts(g2).polygons;
  return firsts(g1).some((p) => p2.some((rings) => locateInPolygon(p, rings) !== 'outside')) || firsts(g2).some((p) => p1.some((rings) => locateInPolygon(p, rings) !== 'outside'));
}

/** Metres from p to the nearest point of the geometry; 0 inside a polygon. */
export function distanceTo(g: Geometry, p: Position): number {
  const { points, paths, polygons } = parts(g);
  if (polygons.some((rings) => locateInPolygon(p, rings) !== 'outside')) return 0;
  let best = Infinity;
  for (const q of points) best = Math.min(best, distance(p, q));
  for (const path of paths) {
    if (path.length === 1) best = Math.min(best, distance(p, path[0]));
    for (let i = 1; i < path.length; i++) best = Math.min(best, distanceToSegment(p, path[i - 1], path[i]));
  }
  return best;
}

/** Area in m² (polygons; holes subtracted) and length in m (lines; a polygon's is its perimeter, holes included). */
export function measure(g: Geometry): { areaM2: number; lengthM: number } {
  const { paths, polygons } = parts(g);
  const areaM2 = polygons.reduce((sum, rings) => sum + Math.max(0, ringArea(rings[0]) - rings.slice(1).reduce((s, hole) => s + ringArea(hole), 0)), 0);
  const lengthM = paths.reduce((sum, path) => sum + pathLength(path), 0);
  return { areaM2, lengthM };
}
