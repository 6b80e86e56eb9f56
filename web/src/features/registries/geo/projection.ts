// A plain equirectangular projection scaled by the cosine of the middle latitude, fitted to
// the data's extent: at the scale of a province the shapes look right, and nothing but the
// platform's own coordinates is needed (no tiles, no network).
import type { BBox, Geometry, Position } from '../../../../../src/modules/registries/geo/index.ts';

export type Projection = { width: number; height: number; x: (lon: number) => number; y: (lat: number) => number; lon: (x: number) => number; lat: (y: number) => number };

export function fit(box: BBox, width: number, padding = 0.04): Projection {
  const [minX, minY, maxX, maxY] = box;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max(maxX - minX, 1e-6);
  const spanY = Math.max(maxY - minY, 1e-6);
  const x0 = minX - spanX * padding;
  const y1 = maxY + spanY * padding;
  const scale = width / (spanX * (1 + 2 * padding) * k);
  const height = Math.ceil(spanY * (1 + 2 * padding) * scale);
  return { width, height, x: (lon) => (lon - x0) * k * scale, y: (lat) => (y1 - lat) * scale, lon: (x) => x / (k * scale) + x0, lat: (y) => y1 - y / scale };
}

export function union(boxes: BBox[]): BBox | undefined {
  if (boxes.length === 0) return undefined;
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

const ring = (p: Projection, positions: Position[], close: boolean) =>
  positions.map((q, i) => `${i === 0 ? 'M' : 'L'}${p.x(q[0]).toFixed(1)},${p.y(q[1]).toFixed(1)}`).join('') + (close ? 'Z' : '');

/** An SVG path for lines and polygons (holes drawn with the even-odd rule); points are circles instead. */
export function pathOf(p: Projection, g: Geometry): string {
  switch (g.type) {
    case 'LineString':
      return ring(p, g.coordinates, false);
    case 'MultiLineString':
      return g.coordinates.map((l) => ring(p, l, false)).join('');
    case 'Polygon':
      return g.coordinates.map((r) => ring(p, r, true)).join('');
    case 'MultiPolygon':
      return g.coordinates.flatMap((poly) => poly.map((r) => ring(p, r, true))).join('');
    default:
      return '';
  }
}

export function pointsOf(g: Geometry): Position[] {
  return g.type === 'Point' ? [g.coordinates] : g.type === 'MultiPoint' ? g.coordinates : [];
}
