// The geospatial registry's API as the map page uses it (src/modules/registries/geo/routes.ts);
// types come from the server module. Reads are open to every member of staff; the writes are
// the owner organization's officers' and administrators', each a new version with its reason,
// a change or a deletion carrying the version it was based on (409 when someone changed it since).
import { api, request } from '../../../api.ts';
import type { BBox, Feature, FeatureSummary, FeatureVersion, Geometry, ImportResult, Layer } from '../../../../../src/modules/registries/geo/index.ts';

export type { BBox, Feature, FeatureSummary, FeatureVersion, Geometry, ImportResult, Layer };
const BASE = '/api/registries/geospatial';
const layerPath = (layer: string) => `${BASE}/layers/${encodeURIComponent(layer)}`;
const featurePath = (layer: string, key: string) => `${layerPath(layer)}/features/${encodeURIComponent(key)}`;

/** A feature as the export gives it: GeoJSON with its key as id. */
export type MapFeature = { type: 'Feature'; id: string; bbox: BBox; properties: Record<string, unknown>; geometry: Geometry };
export type LayerData = { layer: Layer; features: MapFeature[] };

export async function loadLayers(): Promise<LayerData[]> {
  const layers = await api.get<Layer[]>(`${BASE}/layers`);
  return Promise.all(layers.map(async (layer) => ({ layer, features: (await api.get<{ features: MapFeature[] }>(exportUrl(layer.code))).features })));
}

export const featureDetails = (layer: string, key: string) => api.get<Feature>(featurePath(layer, key));
export const containing = (lon: number, lat: number) => api.get<{ point: number[]; items: FeatureSummary[] }>(`${BASE}/contains`, { lon, lat });

/** A layer as a GeoJSON FeatureCollection with its CRS: the export link, and what the map draws. */
export const exportUrl = (layer: string) => `${layerPath(layer)}/export`;

export type FeatureChange = { properties?: Record<string, unknown>; geometry?: unknown; version: number; reason: string };

export const geoApi = {
  history: (layer: string, key: string) => api.get<FeatureVersion[]>(`${featurePath(layer, key)}/history`),
  create: (layer: string, body: { key: string; properties: Record<string, unknown>; geometry: unknown; reason: string }) => api.post<Feature>(`${layerPath(layer)}/features`, body),
  update: (layer: string, key: string, body: FeatureChange) => request<Feature>('PUT', featurePath(layer, key), { body }),
  remove: (layer: string, key: string, version: number, reason: string) => api.del(`${featurePath(layer, key)}?${new URLSearchParams({ version: String(version), reason })}`),
  importCollection: (layer: string, body: { featureCollection: unknown; reason: string; dryRun: boolean }) => api.post<ImportResult>(`${layerPath(layer)}/import`, body),
};
