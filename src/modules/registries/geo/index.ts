// The natural resources and geospatial registry (自然资源和空间地理基础信息库): layers of
// administrative boundaries, land parcels, natural-resource features and points of interest,
// GeoJSON in and out with their coordinate reference system, and spatial queries (which
// division or parcel contains a point, what intersects a polygon, what is nearest, area and
// length). One TypeScript geometry library defines every answer, over candidates that bounding
// boxes in SQL narrow (decision 0012); where PostgreSQL has PostGIS, PostGIS answers instead,
// written and tested to give the library's answers (decision 0015, EGOV_POSTGIS). It belongs to
// the registries module: the registry `geospatial` gives it its owner and title.
import type { App } from '../../../http/server.ts';
import type { Operator } from '../../../platform/actor.ts';
import { registerGeoRoutes } from './routes.ts';
import { seedGeoDemo as seed } from './seed.ts';
import { createGeoExchangeBackend } from './exchange-backend.ts';
import type { FindOrganization } from '../exchange-kit.ts';
import { createGeoService, type GeoDeps, type GeoService } from './service.ts';

export type { Feature, FeatureSummary, FeatureVersion, GeoService, ImportResult, Layer } from './service.ts';
export type { NearestItem } from './queries.ts';
export type { BBox, Geometry, Position } from './geometry.ts';
export { LAND_USE, POI_CATEGORIES, RESOURCE_TYPES, LAYER_KINDS } from './model.ts';
export { GEO_BACKEND } from './exchange-backend.ts';

export function createGeo(deps: GeoDeps) {
  const service = createGeoService(deps);
  return {
    service,
    registerRoutes: (app: App) => registerGeoRoutes(app, service),
    /** The exchange's built-in backend egov:geospatial (decision 0016); `findOrganization` gives the owner's member identifier. */
    exchangeBackend: (findOrganization: FindOrganization) => createGeoExchangeBackend({ catalog: deps.catalog, findOrganization, service }),
    /** Demo layers for the Qingyun province; a no-op when there are features. */
    seedDemo: (op: Operator) => seed(service, op),
  };
}

export type Geo = ReturnType<typeof createGeo>;

/** The demo seed's entry: `seedGeoDemo(services.registries.geo.service, operator)`, after the demo's local divisions. */
export function seedGeoDemo(service: GeoService, op: Operator): Promise<void> {
  return seed(service, op);
}
