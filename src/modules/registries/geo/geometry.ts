// GeoJSON geometries (RFC 7946) in longitude/latitude: their types, their validation, and the
// one geometry library both databases rely on (decision 0012): validity, containment,
// intersection, distance, area and length are decided here, in TypeScript, never in SQL.
// Validation says what is wrong and where: the field path of the ring or position, and the
// vertices involved ("ring 0 crosses itself: edge 3–4 crosses edge 7–8").
import type { FieldError } from '../../../platform/errors.ts';
import { locateInRing, segmentRelation, type Location } from './predicates.ts';

export { bboxOf, containsPoint, distanceTo, intersects, locateInPolygon, locateInRing, measure, segmentRelation } from './predicates.ts';
export { distance, distanceToSegment, ringArea, pathLength, AUTHALIC_RADIUS } from './geodesy.ts';

/** [longitude, latitude] in degrees, optionally an altitude, which is kept but not used. */
export type Position = number[];
export type Point = { type: 'Point'; coordinates: Position };
export type MultiPoint = { type: 'MultiPoint'; coordinates: Position[] };
export type LineString = { type: 'LineString'; coordinates: Position[] };
export type MultiLineString = { type: 'MultiLineString'; coordinates: Position[][] };
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Geometry = Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon;
export type GeometryType = Geometry['type'];
/** [min longitude, min latitude, max longitude, max latitude]. */
export type BBox = [number, number, number, number];

export const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] as const;
/** Vertices one geometry may have: a detailed county boundary has tens of thousands. */
export const MAX_POSITIONS = 200_000;
const MAX_PROBLEMS = 20;

const DEPTH: Record<GeometryType, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

export type GeometryResult = { ok: true; geometry: Geometry } | { ok: false; problems: FieldError[] };

class Problems {
  readonly list: FieldError[] = [];
  add(field: string, code: string, message: string, messageZh: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ field, code, message, messageZh });
  }
  get full() {
    return this.list.length >= MAX_PROBLEMS;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the nesting and every position; returns the number of positions seen. */
function checkCoordinates(value: unknown, depth: number, field: string, out: Problems, count = { n: 0 }): number {
  if (out.full || count.n > MAX_POSITIONS) return count.n;
  if (depth === 0) {
    count.n++;
    if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      out.add(field, 'position', 'is not a position: give [longitude, latitude] as two numbers', '不是坐标：应为 [经度, 纬度] 两个数字');
      return count.n;
    }
    if (value[0] < -180 || value[0] > 180) out.add(field, 'longitude_range', `longitude ${value[0]} is outside -180…180: coordinates must be longitude/latitude in degrees (EPSG:4326 or EPSG:4490), longitude first`, `经度 ${value[0]} 超出 -180…180：坐标须为以度表示的经纬度（EPSG:4326 或 EPSG:4490），经度在前`);
    if (value[1] < -90 || value[1] > 90) out.add(field, 'latitude_range', `latitude ${value[1]} is outside -90…90: coordinates must be longitude/latitude in degrees, longitude first`, `纬度 ${value[1]} 超出 -90…90：坐标须为以度表示的经纬度，经度在前`);
    return count.n;
  }
  if (!Array.isArray(value)) {
    out.add(field, 'coordinates_shape', depth === 1 ? 'must be an array of positions' : `must be an array nested ${depth + 1} levels deep`, depth === 1 ? '应为坐标数组' : `应为 ${depth + 1} 层嵌套的数组`);
    return count.n;
  }
  value.forEach((item, i) => checkCoordinates(item, depth - 1, `${field}[${i}]`, out, count));
  if (count.n > MAX_POSITIONS && !out.full) out.add(field, 'too_many_positions', `has more than ${MAX_POSITIONS} positions: simplify it or split it into several features`, `坐标点超过 ${MAX_POSITIONS} 个：请简化或拆分为多个要素`);
  return count.n;
}

const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** A ring's distinct vertices, without consecutive repeats and the closing one, with their indices in the input. */
function distinctVertices(ring: Position[]): { points: Position[]; index: number[] } {
  const points: Position[] = [];
  const index: number[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    if (points.length > 0 && same(points[points.length - 1], ring[i])) continue;
    points.push(ring[i]);
    index.push(i);
  }
  while (points.length > 1 && same(points[points.length - 1], points[0])) {
    points.pop();
    index.pop();
  }
  return { points, index };
}

type Ring = { field: string; label: string; labelZh: string; polygon: number; ring: number; points: Position[]; index: number[]; last: number };
type Segment = { ring: Ring; i: number; a: Position; b: Position; minX: number; maxX: number; minY: number; maxY: number };

function checkRingShape(ring: Position[], field: string, label: string, labelZh: string, out: Problems): boolean {
  if (ring.length < 4) {
    out.add(field, 'ring_too_short', `${label} has ${ring.length} positions: a ring needs at least 4, the last repeating the first`, `${labelZh}只有 ${ring.length} 个坐标点：环至少需要 4 个，且首尾相同`);
    return false;
  }
  if (!same(ring[0], ring[ring.length - 1])) {
    out.add(field, 'ring_not_closed', `${label} is not closed: its last position must repeat its first (${ring[0][0]}, ${ring[0][1]})`, `${labelZh}未闭合：最后一个坐标须与第一个（${ring[0][0]}, ${ring[0][1]}）相同`);
    return false;
  }
  if (distinctVertices(ring).points.length < 3) {
    out.add(field, 'ring_degenerate', `${label} has fewer than 3 distinct vertices and encloses nothing`, `${labelZh}的不同顶点少于 3 个，未围成区域`);
    return false;
  }
  return true;
}

/** Finds edges that cross or touch where they must not (a sweep over edges sorted by longitude). */
function checkEdges(rings: Ring[], out: Problems): void {
  const segments: Segment[] = [];
  for (const ring of rings) {
    const n = ring.points.length;
    for (let i = 0; i < n; i++) {
      const a = ring.points[i];
      const b = ring.points[(i + 1) % n];
      segments.push({ ring, i, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]), minY: Math.min(a[1], b[1]), maxY: Math.max(a[1], b[1]) });
    }
  }
  segments.sort((s, t) => s.minX - t.minX);
  const edge = (s: Segment) => `${s.ring.index[s.i]}–${s.i + 1 < s.ring.points.length ? s.ring.index[s.i + 1] : s.ring.last}`;
  const reported = new Set<string>();
  for (let x = 0; x < segments.length && !out.full; x++) {
    const s = segments[x];
    for (let y = x + 1; y < segments.length && segments[y].minX <= s.maxX; y++) {
      const t = segments[y];
      if (t.minY > s.maxY || t.maxY < s.minY) continue;
      const relation = segmentRelation(s.a, s.b, t.a, t.b);
      if (relation === 'none') continue;
      const [first, second] = s.ring === t.ring ? (s.i < t.i ? [s, t] : [t, s]) : s.ring.polygon * 1e6 + s.ring.ring < t.ring.polygon * 1e6 + t.ring.ring ? [s, t] : [t, s];
      const key = `${first.ring.field}|${second.ring.field}`;
      if (s.ring === t.ring) {
        const n = s.ring.points.length;
        const adjacent = Math.abs(s.i - t.i) === 1 || Math.abs(s.i - t.i) === n - 1;
        if (adjacent && relation === 'touch') continue;
        if (reported.has(key)) continue;
        reported.add(key);
        const how = relation === 'cross' ? 'crosses itself' : relation === 'overlap' ? 'runs back over itself' : 'touches itself';
        const howZh = relation === 'cross' ? '自相交' : relation === 'overlap' ? '自身重叠' : '自相接触';
        out.add(s.ring.field, 'ring_self_intersection', `${s.ring.label} ${how} between vertex ${first.ring.index[first.i]} and vertex ${second.ring.index[second.i]} (edge ${edge(first)} and edge ${edge(second)}): a ring must not cross or touch itself`, `${s.ring.labelZh}${howZh}，位于顶点 ${first.ring.index[first.i]} 与顶点 ${second.ring.index[second.i]} 之间（边 ${edge(first)} 与边 ${edge(second)}）：环不得自相交或自相接触`);
        continue;
      }
      // Rings of one polygon, or of two polygons, may touch at a point but never cross or share an edge.
      if (relation === 'touch' || reported.has(key)) continue;
      reported.add(key);
      const samePolygon = first.ring.polygon === second.ring.polygon;
      out.add(
        second.ring.field,
        samePolygon ? 'rings_cross' : 'polygons_overlap',
        `${second.ring.label} ${relation === 'cross' ? 'crosses' : 'shares an edge with'} ${first.ring.label} (edge ${edge(second)} and edge ${edge(first)})${samePolygon ? ': a hole must lie inside its outer ring without crossing it' : ': the polygons of a MultiPolygon must not overlap'}`,
        `${second.ring.labelZh}与${first.ring.labelZh}${relation === 'cross' ? '相交' : '共边'}（边 ${edge(second)} 与边 ${edge(first)}）${samePolygon ? '：内环须位于外环之内且不得与之相交' : '：多面中的各多边形不得重叠'}`,
      );
    }
  }
}

/** A point of the ring not on `other`'s boundary (a vertex, or failing that an edge's midpoint), and where it lies. */
function locateRing(ring: Ring, other: Position[]): Location {
  for (const p of ring.points) {
    const where = locateInRing(p, other);
    if (where !== 'boundary') return where;
  }
  const p = ring.points;
  for (let i = 0; i < p.length; i++) {
    const mid = [(p[i][0] + p[(i + 1) % p.length][0]) / 2, (p[i][1] + p[(i + 1) % p.length][1]) / 2];
    const where = locateInRing(mid, other);
    if (where !== 'boundary') return where;
  }
  return 'boundary';
}

function closed(r: Ring): Position[] {
  return [...r.points, r.points[0]];
}

/** Holes inside their shell and not inside each other; polygons not inside one another. */
function checkNesting(polygons: Ring[][], out: Problems): void {
  for (const rings of polygons) {
    const shell = closed(rings[0]);
    for (let h = 1; h < rings.length; h++) {
      if (locateRing(rings[h], shell) !== 'inside') {
        out.add(rings[h].field, 'hole_outside', `${rings[h].label} is a hole but lies outside ring 0, the outer ring: a hole must lie inside it`, `${rings[h].labelZh}是内环，却位于外环（环 0）之外：内环须位于外环之内`);
      }
      for (let k = 1; k < rings.length; k++) {
        if (k !== h && locateRing(rings[h], closed(rings[k])) === 'inside') {
          out.add(rings[h].field, 'hole_in_hole', `${rings[h].label} lies inside ${rings[k].label}, another hole: holes must not nest`, `${rings[h].labelZh}位于另一内环${rings[k].labelZh}之内：内环不得嵌套`);
        }
      }
    }
  }
  for (let i = 0; i < polygons.length; i++) {
    for (let j = 0; j < polygons.length; j++) {
      if (i === j) continue;
      const probe = polygons[i][0];
      const where = locateRing(probe, closed(polygons[j][0]));
      const inHole = polygons[j].slice(1).some((hole) => locateRing(probe, closed(hole)) !== 'outside');
      if (where === 'inside' && !inHole) {
        out.add(probe.field, 'polygons_overlap', `polygon ${i} lies inside polygon ${j}: the polygons of a MultiPolygon must not overlap`, `多边形 ${i} 位于多边形 ${j} 之内：多面中的各多边形不得重叠`);
      }
    }
  }
}

function checkPolygons(polygons: Position[][][], field: string, multi: boolean, out: Problems): void {
  const all: Ring[][] = [];
  polygons.forEach((rings, p) => {
    const base = multi ? `${field}[${p}]` : field;
    if (rings.length === 0) {
      out.add(base, 'polygon_empty', 'a polygon needs at least its outer ring', '多边形至少需要一个外环');
      return;
    }
    const list: Ring[] = [];
    rings.forEach((ring, r) => {
      const label = multi ? `polygon ${p} ring ${r}` : `ring ${r}`;
      const labelZh = multi ? `多边形 ${p} 的环 ${r} ` : `环 ${r} `;
      if (checkRingShape(ring, `${base}[${r}]`, label, labelZh, out)) list.push({ field: `${base}[${r}]`, label, labelZh, polygon: p, ring: r, last: ring.length - 1, ...distinctVertices(ring) });
    });
    if (list.length === rings.length) all.push(list);
  });
  if (out.list.length > 0) return;
  checkEdges(all.flat(), out);
  if (out.list.length > 0) return;
  checkNesting(all, out);
}

function checkLines(lines: Position[][], field: string, multi: boolean, out: Problems): void {
  lines.forEach((line, i) => {
    const f = multi ? `${field}[${i}]` : field;
    if (line.length < 2) out.add(f, 'line_too_short', 'a line needs at least 2 positions', '线至少需要 2 个坐标点');
    else if (line.every((p) => same(p, line[0]))) out.add(f, 'line_degenerate', 'all positions of the line are the same point: it has no length', '线的所有坐标点相同，长度为零');
  });
}

/** Validates a GeoJSON geometry; `field` names it in the problems ("geometry", "features[3].geometry"). */
export function validateGeometry(value: unknown, field = 'geometry'): GeometryResult {
  const out = new Problems();
  if (!isObject(value)) return { ok: false, problems: [{ field, code: 'geometry_shape', message: 'must be a GeoJSON geometry object: {"type": "Polygon", "coordinates": […]}', messageZh: '应为 GeoJSON 几何对象：{"type": "Polygon", "coordinates": […]}' }] };
  const type = value.type;
  if (typeof type !== 'string' || !(GEOMETRY_TYPES as readonly string[]).includes(type)) {
    const typeText = typeof type === 'string' ? type.slice(0, 40) : String(type);
    return { ok: false, problems: [{ field: `${field}.type`, code: 'geometry_type', message: `"${typeText}" is not a geometry type: use one of ${GEOMETRY_TYPES.join(', ')}`, messageZh: `“${typeText}”不是几何类型：应为 ${GEOMETRY_TYPES.join('、')} 之一` }] };
  }
  const geometryType = type as GeometryType;
  const cf = `${field}.coordinates`;
  checkCoordinates(value.coordinates, DEPTH[geometryType], cf, out);
  if (out.list.length > 0) return { ok: false, problems: out.list };
  const coordinates = value.coordinates as never;
  const geometry = { type: geometryType, coordinates } as Geometry;
  switch (geometry.type) {
    case 'MultiPoint':
      if (geometry.coordinates.length === 0) out.add(cf, 'empty', 'has no points', '没有任何点');
      break;
    case 'LineString':
      checkLines([geometry.coordinates], cf, false, out);
      break;
    case 'MultiLineString':
      if (geometry.coordinates.length === 0) out.add(cf, 'empty', 'has no lines', '没有任何线');
      checkLines(geometry.coordinates, cf, true, out);
      break;
    case 'Polygon':
      checkPolygons([geometry.coordinates], cf, false, out);
      break;
    case 'MultiPolygon':
      if (geometry.coordinates.length === 0) out.add(cf, 'empty', 'has no polygons', '没有任何多边形');
      checkPolygons(geometry.coordinates, cf, true, out);
      break;
  }
  return out.list.length > 0 ? { ok: false, problems: out.list } : { ok: true, geometry: { type: geometry.type, coordinates: geometry.coordinates } as Geometry };
}
