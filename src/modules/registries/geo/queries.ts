// Spatial queries: the database narrows the candidates by bounding box, the geometry library
// decides exactly (decision 0012). Ties are broken by layer and key, so PGlite and
// PostgreSQL return the same list in the same order.
import type { Db } from '../../../platform/db.ts';
import { ValidationError, invalidField } from '../../../platform/errors.ts';
import { MEAN_RADIUS } from './geodesy.ts';
import { bboxOf, containsPoint, distanceTo, intersects, measure, validateGeometry, type BBox, type Geometry } from './geometry.ts';
import { presentSummary, type FeatureSummary } from './present.ts';
import * as store from './store.ts';

const DEFAULT_CONTAINS = ['boundaries', 'parcels'];
const ALL_LAYERS = ['boundaries', 'parcels', 'resources', 'poi'];
const INTERSECTS_LIMIT = 1000;
const RAD = Math.PI / 180;

export type PointQuery = { lon: number; lat: number; layer?: string };
export type NearestItem = FeatureSummary & { distanceM: number };

export function createGeoQueries(deps: { db: Db; getLayer: (code: string) => Promise<store.LayerRow> }) {
  const { db } = deps;

  /** The layers a query names ("boundaries,parcels"), each known; a 400 naming `layer` otherwise. */
  async function layersOf(raw: string | string[] | undefined, fallback: string[], field = 'layer'): Promise<store.LayerRow[]> {
    const codes = raw === undefined ? fallback : (Array.isArray(raw) ? raw : raw.split(',')).map((s) => s.trim()).filter(Boolean);
    if (codes.length === 0) throw invalidField(field, 'required', 'name at least one layer', '请至少指定一个图层');
    const layers = [];
    for (const code of [...new Set(codes)]) {
      try {
        layers.push(await deps.getLayer(code));
      } catch {
        throw invalidField(field, 'layer_unknown', `"${code.slice(0, 40)}" is not a layer: use ${ALL_LAYERS.join(', ')}`, `“${code.slice(0, 40)}”不是图层：应为 ${ALL_LAYERS.join('、')}`);
      }
    }
    return layers.sort((a, b) => a.sort - b.sort);
  }

  const order = (layers: store.LayerRow[]) => new Map(layers.map((l, i) => [l.code, i]));

  function geometryOf(value: unknown): Geometry {
    const result = validateGeometry(value, 'geometry');
    if (!result.ok) throw new ValidationError(result.problems);
    return result.geometry;
  }

  return {
    /** Which features (by default: divisions and parcels) contain the point; smallest first within a layer. */
    async contains(q: PointQuery): Promise<{ point: [number, number]; items: FeatureSummary[] }> {
      const layers = await layersOf(q.layer, DEFAULT_CONTAINS);
      const p = [q.lon, q.lat];
      const rank = order(layers);
      const rows = (await store.featuresInBox(db, layers.map((l) => l.code), [q.lon, q.lat, q.lon, q.lat])).filter((r) => containsPoint(r.geometry, p));
      rows.sort((a, b) => rank.get(a.layer)! - rank.get(b.layer)! || a.area_m2 - b.area_m2 || (a.key < b.key ? -1 : 1));
      return { point: [q.lon, q.lat], items: rows.map(presentSummary) };
    },

    /** Features of the given layers (all by default) that share a point with the geometry. */
    async intersects(input: { geometry: unknown; layers?: string[] }): Promise<{ items: FeatureSummary[]; truncated: boolean }> {
      const geometry = geometryOf(input.geometry);
      const layers = await layersOf(input.layers, ALL_LAYERS, 'layers');
      const rank = order(layers);
      const rows = (await store.featuresInBox(db, layers.map((l) => l.code), bboxOf(geometry))).filter((r) => intersects(r.geometry, geometry));
      rows.sort((a, b) => rank.get(a.layer)! - rank.get(b.layer)! || (a.key < b.key ? -1 : 1));
      return { items: rows.slice(0, INTERSECTS_LIMIT).map(presentSummary), truncated: rows.length > INTERSECTS_LIMIT };
    },

    /**
     * The nearest features with their geodesic distance. The bounding-box window grows until
     * it holds `limit` features closer than any feature outside it can be: a feature outside a
     * window of half-height d degrees (and half-width d / cos of the band's highest latitude)
     * is at least 2·asin(d/π) ≥ 0.63·d radians away, so 0.6·d·R is a safe radius.
     */
    async nearest(q: PointQuery & { limit?: number; maxDistanceM?: number }): Promise<{ point: [number, number]; items: NearestItem[] }> {
      const layers = await layersOf(q.layer, ALL_LAYERS);
      const limit = q.limit ?? 5;
      const codes = layers.map((l) => l.code);
      const rank = order(layers);
      const p = [q.lon, q.lat];
      const total = await store.countLiveFeatures(db, codes);
      let d = 0.02;
      for (;;) {
        const whole = d >= 180;
        const band = Math.min(89.999, Math.abs(q.lat) + d);
        const dLon = d / Math.cos(band * RAD);
        const box: BBox = whole ? [-180, -90, 180, 90] : [dLon >= 180 ? -180 : q.lon - dLon, Math.max(-90, q.lat - d), dLon >= 180 ? 180 : q.lon + dLon, Math.min(90, q.lat + d)];
        const rows = await store.featuresInBox(db, codes, box);
        const safe = whole ? Infinity : 0.6 * d * RAD * MEAN_RADIUS;
        const measured = rows.map((r) => ({ r, distanceM: Math.round(distanceTo(r.geometry, p) * 1000) / 1000 }));
        const sure = measured.filter((m) => m.distanceM <= safe && (q.maxDistanceM === undefined || m.distanceM <= q.maxDistanceM));
        const enough = sure.length >= limit || rows.length >= total || (q.maxDistanceM !== undefined && safe >= q.maxDistanceM);
        if (whole || enough) {
          const pool = rows.length >= total || whole ? measured.filter((m) => q.maxDistanceM === undefined || m.distanceM <= q.maxDistanceM) : sure;
          pool.sort((a, b) => a.distanceM - b.distanceM || rank.get(a.r.layer)! - rank.get(b.r.layer)! || (a.r.key < b.r.key ? -1 : 1));
          return { point: [q.lon, q.lat], items: pool.slice(0, limit).map((m) => ({ ...presentSummary(m.r), distanceM: m.distanceM })) };
        }
        d *= 4;
      }
    },

    /** Geodesic area (m²) and length (m) of a geometry; a polygon's length is its perimeter. */
    measure(value: unknown): { geometryType: string; areaM2: number; lengthM: number; bbox: BBox } {
      const geometry = geometryOf(value);
      const { areaM2, lengthM } = measure(geometry);
      return { geometryType: geometry.type, areaM2: Math.round(areaM2 * 100) / 100, lengthM: Math.round(lengthM * 100) / 100, bbox: bboxOf(geometry) };
    },
  };
}
