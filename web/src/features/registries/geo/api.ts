// The geospatial registry's API as the map page uses it; types come from the server module.
import { api } from '../../../api.ts';
import type { BBox, FeatureSummary, Geometry, Layer } from '../../../../../src/modules/registries/geo/index.ts';

export type { BBox, FeatureSummary, Geometry, Layer };
const BASE = '/api/registries/geospatial';

/** A feature as the export gives it: GeoJSON with its key as id. */
export type MapFeature = { type: 'Feature'; id: string; bbox: BBox; properties: Record<string, unknown>; geometry: Geometry };
export type LayerData = { layer: Layer; features: MapFeature[] };

export async function loadLayers(): Promise<LayerData[]> {
  const layers = await api.get<Layer[]>(`${BASE}/layers`);
  return Promise.all(layers.map(async (layer) => ({ layer, features: (await api.get<{ features: MapFeature[] }>(`${BASE}/layers/${encodeURIComponent(layer.code)}/export`)).features })));
}

export const featureDetails = (layer: string, key: string) => api.get<FeatureSummary>(`${BASE}/layers/${encodeURIComponent(layer)}/features/${encodeURIComponent(key)}`);
export const containing = (lon: number, lat: number) => api.get<{ point: number[]; items: FeatureSummary[] }>(`${BASE}/contains`, { lon, lat });
