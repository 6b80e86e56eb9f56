// How a feature row is shown: a GeoJSON Feature (without its geometry in lists) with the
// registry's own members beside it (layer, version, computed area and length).
import type { BBox } from './geometry.ts';
import type { SummaryRow } from './store.ts';

export type FeatureSummary = { type: 'Feature'; id: string; layer: string; key: string; name: string; bbox: BBox; geometryType: string; properties: Record<string, unknown>; areaM2: number; lengthM: number; version: number; updatedAt: string };

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

export const presentSummary = (r: SummaryRow): FeatureSummary => ({
  type: 'Feature',
  id: r.key,
  layer: r.layer,
  key: r.key,
  name: r.name,
  bbox: [r.min_x, r.min_y, r.max_x, r.max_y],
  geometryType: r.geometry_type,
  properties: r.properties,
  areaM2: round(r.area_m2, 2),
  lengthM: round(r.length_m, 2),
  version: r.version,
  updatedAt: r.updated_at.toISOString(),
});
