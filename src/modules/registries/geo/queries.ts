// Spatial queries as the HTTP API asks them: which layers, the input geometry validated (a 400
// naming the ring or vertex, whichever engine answers), the order of the answer and how it is
// shown. Finding and measuring is the engine's (engine.ts): the library on every database,
// PostGIS where it is installed. Ties are broken by layer and key, so every engine on every
// database returns the same list in the same order.
import { ValidationError, invalidField } from '../../../platform/errors.ts';
import type { SpatialEngine } from './engine.ts';
import { bboxOf, validateGeometry, type BBox, type Geometry } from './geometry.ts';
import { presentSummary, type FeatureSummary } from './present.ts';
import type * as store from './store.ts';

const DEFAULT_CONTAINS = ['boundaries', 'parcels'];
const ALL_LAYERS = ['boundaries', 'parcels', 'resources', 'poi'];
const INTERSECTS_LIMIT = 1000;

export type PointQuery = { lon: number; lat: number; layer?: string };
export type NearestItem = FeatureSummary & { distanceM: number };

const codesOf = (layers: store.LayerRow[]) => layers.map((l) => l.code);
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function createGeoQueries(deps: { getLayer: (code: string) => Promise<store.LayerRow>; engine: () => Promise<SpatialEngine> }) {
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
      const rank = order(layers);
      const rows = await (await deps.engine()).containing(codesOf(layers), [q.lon, q.lat]);
      rows.sort((a, b) => rank.get(a.layer)! - rank.get(b.layer)! || a.area_m2 - b.area_m2 || byKey(a, b));
      return { point: [q.lon, q.lat], items: rows.map(presentSummary) };
    },

    /** Features of the given layers (all by default) that share a point with the geometry. */
    async intersects(input: { geometry: unknown; layers?: string[] }): Promise<{ items: FeatureSummary[]; truncated: boolean }> {
      const geometry = geometryOf(input.geometry);
      const layers = await layersOf(input.layers, ALL_LAYERS, 'layers');
      const rank = order(layers);
      const rows = await (await deps.engine()).intersecting(codesOf(layers), geometry);
      rows.sort((a, b) => rank.get(a.layer)! - rank.get(b.layer)! || byKey(a, b));
      return { items: rows.slice(0, INTERSECTS_LIMIT).map(presentSummary), truncated: rows.length > INTERSECTS_LIMIT };
    },

    /** The nearest features with their geodesic distance (to the millimetre); ties by layer, then key. */
    async nearest(q: PointQuery & { limit?: number; maxDistanceM?: number }): Promise<{ point: [number, number]; items: NearestItem[] }> {
      const layers = await layersOf(q.layer, ALL_LAYERS);
      const limit = q.limit ?? 5;
      const rank = order(layers);
      const pool = await (await deps.engine()).nearest(codesOf(layers), [q.lon, q.lat], limit, q.maxDistanceM);
      pool.sort((a, b) => a.distanceM - b.distanceM || rank.get(a.row.layer)! - rank.get(b.row.layer)! || byKey(a.row, b.row));
      return { point: [q.lon, q.lat], items: pool.slice(0, limit).map((m) => ({ ...presentSummary(m.row), distanceM: m.distanceM })) };
    },

    /** Geodesic area (m²) and length (m) of a geometry; a polygon's length is its perimeter. */
    async measure(value: unknown): Promise<{ geometryType: string; areaM2: number; lengthM: number; bbox: BBox }> {
      const geometry = geometryOf(value);
      const { areaM2, lengthM } = await (await deps.engine()).measure(geometry);
      return { geometryType: geometry.type, areaM2: Math.round(areaM2 * 100) / 100, lengthM: Math.round(lengthM * 100) / 100, bbox: bboxOf(geometry) };
    },
  };
}
