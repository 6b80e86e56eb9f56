// The geospatial registry as a service of its owner on the exchange: the built-in backend
// egov:geospatial answers the read and query operations (layers, a layer's features, a
// feature, contains, intersects, nearest, measure) through the same service the workbench
// uses, for the member that owns the registry only. Nothing is written this way: the owner
// edits in the workbench. Field-level rights (decision 0016): a field is a feature property
// by its name, or `geometry`; what a consumer is not granted is left out of every answer,
// and a query that would filter on it is refused (403) rather than answered.
import { ValidationError } from '../../../platform/errors.ts';
import { createRegistryBackend, grants, json, methodCheck, noQuery, readBody, readQuery, requireField, segment, segmentsOf, unknownOperation, type BuiltinAnswer, type BuiltinCall, type ExchangeBackendDeps, type Grant } from '../exchange-kit.ts';
import { REGISTRY, type GeoService, type Layer } from './service.ts';

/** The built-in backend's name: the geospatial registry's service has the backend egov:geospatial. */
export const GEO_BACKEND = 'geospatial';

/** The one field that is not a property: the shape, and what is read off it. */
export const GEOMETRY_FIELD = 'geometry';

/** Members of a feature every consumer with a right gets: what the feature is and which version. */
const IDENTITY = new Set(['type', 'id', 'layer', 'key', 'version', 'updatedAt', 'createdAt']);
/** Members measured on the geometry: its box, type, distance to a query point. */
const OF_GEOMETRY = new Set(['geometry', 'bbox', 'geometryType', 'distanceM']);

/**
 * A feature (summary, full, or with its distance) as the grant allows: the identity always,
 * each property by its name, `name` (the feature's name is its property `name`) by `name`,
 * the geometry and what is measured on it by `geometry`, and the computed area and length by
 * `geometry` or by their own names (a parcel's area is also its property areaM2). A member
 * not known here is left out, so a member added later is not given away by default.
 */
export function projectFeature(feature: object, grant: Grant): Record<string, unknown> {
  if (grant.whole) return { ...feature };
  const geometry = grant.has(GEOMETRY_FIELD);
  const out: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(feature)) {
    if (IDENTITY.has(member)) out[member] = value;
    else if (member === 'name') {
      if (grant.has('name')) out.name = value;
    } else if (member === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([name]) => grant.has(name)));
    } else if (OF_GEOMETRY.has(member)) {
      if (geometry) out[member] = value;
    } else if (member === 'areaM2' || member === 'lengthM') {
      if (geometry || grant.has(member)) out[member] = value;
    }
  }
  return out;
}

/** A layer: its extent only with `geometry`. */
export function projectLayer(layer: Layer, grant: Grant): Partial<Layer> {
  if (grants(grant, GEOMETRY_FIELD)) return layer;
  const { bbox: _extent, ...rest } = layer;
  return rest;
}

const OPERATIONS = 'GET /layers, GET /layers/{layer}/features, GET /layers/{layer}/features/{key}, GET /contains, POST /intersects, GET /nearest, POST /measure';
const Lon = { type: 'number', required: true, min: -180, max: 180 } as const;
const Lat = { type: 'number', required: true, min: -90, max: 90 } as const;
const LayerList = { type: 'text', max: 200 } as const;

/** The method an operation takes; none (null) for the workbench's writes (an import). */
const only = methodCheck({
  en: "the geospatial registry is not written through the exchange: its owner's staff edit it in the workbench.",
  zh: '自然资源和空间地理基础信息库不经数据交换修改，由其所属单位的工作人员在工作台中编辑。',
});

function needGeometry(grant: Grant, operation: string, zhOperation: string): void {
  requireField(
    grant,
    GEOMETRY_FIELD,
    'geometry',
    `${operation} selects features by their geometry, which your access right does not grant; ask the registry's owner for the field geometry, or read features by layer and key.`,
    `${zhOperation}按几何图形筛选要素，而您的访问授权不含 geometry 字段；请向登记库所属单位申请该字段，或按图层和编码读取要素。`,
  );
}

/** The backend egov:geospatial: the exchange checked the right and passes the granted fields. */
export function createGeoExchangeBackend(deps: ExchangeBackendDeps & { service: GeoService }) {
  const { service } = deps;

  /** intersects' `layers`: up to ten layer codes. */
  function layersOf(value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length > 10 || value.some((v) => typeof v !== 'string' || v.length === 0 || v.length > 40 || v.includes('\u0000'))) {
      throw new ValidationError([{ field: 'layers', code: 'type', message: 'must be a list of at most 10 layer codes (1 to 40 characters each)', messageZh: '须为至多 10 个图层代码的列表（每个 1 至 40 个字符）' }]);
    }
    return value as string[];
  }

  async function operate(call: BuiltinCall, grant: Grant): Promise<BuiltinAnswer> {
    const s = segmentsOf(call.path);
    const route = s.length === 0 ? '' : s[0];
    if (route === 'layers' && s.length === 1) {
      only(call, 'GET');
      noQuery(call.query);
      return json(200, (await service.listLayers()).map((l) => projectLayer(l, grant)));
    }
    if (route === 'layers' && s.length === 3 && s[2] === 'features') {
      only(call, 'GET');
      const layer = segment(s[1], 'layer', 40);
      const q = readQuery(call.query, { q: { type: 'text', max: 100 }, limit: { type: 'integer', min: 1, max: 200 }, offset: { type: 'integer', min: 0, max: 1_000_000 } });
      // q matches the start of the key or any part of the name: a filter on the name.
      if (q.q !== undefined) requireField(grant, 'name', 'q', 'q searches features by their name, which your access right does not grant; page through the layer without q.', 'q 按名称检索要素，而您的访问授权不含 name 字段；请不带 q 分页读取图层。');
      const page = await service.listFeatures(layer, q);
      return json(200, { items: page.items.map((f) => projectFeature(f, grant)), total: page.total });
    }
    if (route === 'layers' && s.length === 4 && s[2] === 'features') {
      only(call, 'GET');
      const [layer, key] = [segment(s[1], 'layer', 40), segment(s[3], 'key', 64)];
      noQuery(call.query);
      return json(200, projectFeature(await service.getFeature(layer, key), grant));
    }
    if (route === 'layers' && s.length === 3 && s[2] === 'import') only(call, null);
    if (route === 'contains' && s.length === 1) {
      only(call, 'GET');
      const q = readQuery(call.query, { lon: Lon, lat: Lat, layer: LayerList });
      needGeometry(grant, 'contains', '点所在要素查询');
      const found = await service.contains(q);
      return json(200, { point: found.point, items: found.items.map((f) => projectFeature(f, grant)) });
    }
    if (route === 'nearest' && s.length === 1) {
      only(call, 'GET');
      const q = readQuery(call.query, { lon: Lon, lat: Lat, layer: LayerList, limit: { type: 'integer', min: 1, max: 100 }, maxDistanceM: { type: 'number', min: 0, max: 20_100_000 } });
      needGeometry(grant, 'nearest', '最近要素查询');
      const found = await service.nearest(q);
      return json(200, { point: found.point, items: found.items.map((f) => projectFeature(f, grant)) });
    }
    if (route === 'intersects' && s.length === 1) {
      only(call, 'POST');
      noQuery(call.query);
      const body = readBody(call.body, ['geometry', 'layers']);
      const layers = layersOf(body.layers);
      needGeometry(grant, 'intersects', '相交要素查询');
      const found = await service.intersects({ geometry: body.geometry, layers });
      return json(200, { items: found.items.map((f) => projectFeature(f, grant)), truncated: found.truncated });
    }
    if (route === 'measure' && s.length === 1) {
      // The caller's own geometry: nothing of the registry's is read, so no field is needed.
      only(call, 'POST');
      noQuery(call.query);
      const body = readBody(call.body, ['geometry']);
      // Awaited: the measure may come from the database (PostGIS) or the library.
      return json(200, await service.measure(body.geometry));
    }
    throw unknownOperation(call, OPERATIONS);
  }

  return createRegistryBackend(deps, { registry: REGISTRY, titleEn: 'geospatial registry', titleZh: '自然资源和空间地理基础信息库' }, operate);
}
