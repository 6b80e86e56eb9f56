// Request and response shapes of the geospatial routes. Geometries and properties are
// checked by the geometry library and the layer rules (model.ts), which name the ring and
// vertex at fault, so the schemas here only say "an object".
import { Type, type TUnsafe } from 'typebox';
import { StringEnum } from '../../../http/schemas.ts';
import type { Geometry } from './geometry.ts';
import { LAYER_KINDS } from './model.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Reason = Type.String({ minLength: 1, maxLength: 500, description: 'why: kept with the version and in the audit log' });
/** Any JSON: a GeoJSON geometry, checked in the service with the problem located. */
const GeometryIn = Type.Unsafe<unknown>({ description: 'a GeoJSON geometry in longitude/latitude (EPSG:4490 or EPSG:4326)' });
const GeometryOut: TUnsafe<Geometry> = Type.Unsafe<Geometry>({ description: 'GeoJSON geometry' });
const PropertiesIn = Type.Unsafe<unknown>({ description: 'flat properties: text, numbers, true/false or null' });
const Properties = Type.Record(Type.String(), Type.Unknown());
const BBox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[min lon, min lat, max lon, max lat]' });
const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'longitude in degrees' });
const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'latitude in degrees' });

export const Layer = Type.Object({
  code: Type.String(),
  kind: StringEnum(LAYER_KINDS),
  nameZh: Type.String(),
  nameEn: Type.String(),
  crs: Type.String(),
  featureCount: Type.Integer(),
  bbox: Type.Union([BBox, Type.Null()]),
});

const summaryFields = {
  type: Type.Literal('Feature'),
  id: Type.String(),
  layer: Type.String(),
  key: Type.String(),
  name: Type.String(),
  bbox: BBox,
  geometryType: Type.String(),
  properties: Properties,
  areaM2: Type.Number({ description: 'geodesic area in m² (0 for points and lines)' }),
  lengthM: Type.Number({ description: "geodesic length in m (a polygon's perimeter)" }),
  version: Type.Integer(),
  updatedAt: Type.String(),
};
export const FeatureSummary = Type.Object(summaryFields);
export const Feature = Type.Object({ ...summaryFields, geometry: GeometryOut, createdAt: Type.String() });
export const FeaturePage = Type.Object({ items: Type.Array(FeatureSummary), total: Type.Integer() });
export const FeatureVersion = Type.Object({
  version: Type.Integer(),
  operation: StringEnum(['create', 'update', 'delete', 'import'] as const),
  actorName: Type.String(),
  reason: Type.String(),
  changedAt: Type.String(),
  importId: Type.Union([Type.String(), Type.Null()]),
  properties: Type.Union([Properties, Type.Null()]),
  geometry: Type.Union([GeometryOut, Type.Null()]),
});

export const LayerParams = Type.Object({ layer: Type.String({ maxLength: 40 }) });
export const FeatureParams = Type.Object({ layer: Type.String({ maxLength: 40 }), key: Type.String({ maxLength: 64 }) });
export const FeatureListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100, description: 'the start of the key, or any part of the name' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export const FeatureCreate = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 64, description: 'division code (boundaries), parcel code (parcels), or the feature code' }), properties: Type.Optional(PropertiesIn), geometry: GeometryIn, reason: Reason },
  { additionalProperties: false },
);
export const FeatureUpdate = Type.Object(
  { properties: Type.Optional(PropertiesIn), geometry: Type.Optional(GeometryIn), version: Type.Integer({ minimum: 1, description: 'the version you read; 409 when someone changed it since' }), reason: Reason },
  { additionalProperties: false },
);
export const DeleteQuery = Type.Object({ version: Type.Integer({ minimum: 1 }), reason: Reason }, { additionalProperties: false });

export const ImportBody = Type.Object(
  {
    featureCollection: Type.Unsafe<unknown>({ description: 'a GeoJSON FeatureCollection; each feature\'s id (or properties.code) is its key' }),
    reason: Reason,
    dryRun: Type.Optional(Type.Boolean({ description: 'check and count, write nothing' })),
  },
  { additionalProperties: false },
);
export const ImportResult = Type.Object({
  importId: Type.Union([Type.String(), Type.Null()]),
  dryRun: Type.Boolean(),
  features: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});
export const FeatureCollection = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'GeoJSON FeatureCollection with crs and metadata (layer, CRS, axis order, count)' });

export const PointQuery = Type.Object(
  { lon: Lon, lat: Lat, layer: Type.Optional(Type.String({ maxLength: 200, description: 'layer codes, comma-separated' })) },
  { additionalProperties: false },
);
export const NearestQuery = Type.Object(
  {
    lon: Lon,
    lat: Lat,
    layer: Type.Optional(Type.String({ maxLength: 200, description: 'layer codes, comma-separated; all layers when left out' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxDistanceM: Type.Optional(Type.Number({ minimum: 0, maximum: 20_100_000 })),
  },
  { additionalProperties: false },
);
export const ContainsResult = Type.Object({ point: Type.Array(Type.Number()), items: Type.Array(FeatureSummary) });
export const NearestResult = Type.Object({ point: Type.Array(Type.Number()), items: Type.Array(Type.Object({ ...summaryFields, distanceM: Type.Number({ description: 'geodesic distance in metres, 0 inside a polygon' }) })) });
export const IntersectsBody = Type.Object(
  { geometry: GeometryIn, layers: Type.Optional(Type.Array(Text(40), { maxItems: 10, description: 'layer codes; all layers when left out' })) },
  { additionalProperties: false },
);
export const IntersectsResult = Type.Object({ items: Type.Array(FeatureSummary), truncated: Type.Boolean() });
export const MeasureBody = Type.Object({ geometry: GeometryIn }, { additionalProperties: false });
export const MeasureResult = Type.Object({ geometryType: Type.String(), areaM2: Type.Number(), lengthM: Type.Number(), bbox: BBox });
