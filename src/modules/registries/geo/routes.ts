// HTTP for the geospatial registry under /api/registries/geospatial. Any signed-in member of
// staff reads (layers hold nothing personal); the owner organization's officers and
// administrators write, which is checked before the body is looked at.
import { Type } from 'typebox';
import { NoContent, STAFF_ERRORS } from '../../../http/schemas.ts';
import { requestContext, type App } from '../../../http/server.ts';
import { operatorFromRequest } from '../../../platform/actor.ts';
import * as s from './schema.ts';
import type { GeoService } from './service.ts';

const tags = ['registries'];
const BASE = '/api/registries/geospatial';
/** A detailed boundary has tens of thousands of vertices; an import, many features. */
const GEOMETRY_BODY_LIMIT = 8 * 1024 * 1024;
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

type Request = Parameters<typeof requestContext>[0];

export function registerGeoRoutes(app: App, service: GeoService): void {
  const mayEdit = async (request: Request) => service.assertMayEdit(requestContext(request).actor);
  const op = (request: Request) => operatorFromRequest(requestContext(request));

  app.get(`${BASE}/layers`, {
    schema: { tags, summary: 'Layers of the geospatial registry, with their CRS, feature count and extent', response: { 200: Type.Array(s.Layer), ...STAFF_ERRORS } },
    handler: async () => service.listLayers(),
  });
  app.get(`${BASE}/layers/:layer/features`, {
    schema: { tags, summary: "A page of a layer's features (without geometry), by key", params: s.LayerParams, querystring: s.FeatureListQuery, response: { 200: s.FeaturePage, ...STAFF_ERRORS } },
    handler: async (request) => service.listFeatures(request.params.layer, request.query),
  });
  app.get(`${BASE}/layers/:layer/features/:key`, {
    schema: { tags, summary: 'One feature with its geometry', params: s.FeatureParams, response: { 200: s.Feature, ...STAFF_ERRORS } },
    handler: async (request) => service.getFeature(request.params.layer, request.params.key),
  });
  app.get(`${BASE}/layers/:layer/features/:key/history`, {
    schema: { tags, summary: 'Every version of a feature with its provenance (who, why, when)', params: s.FeatureParams, response: { 200: Type.Array(s.FeatureVersion), ...STAFF_ERRORS } },
    handler: async (request) => service.history(request.params.layer, request.params.key),
  });
  app.post(`${BASE}/layers/:layer/features`, {
    preValidation: mayEdit,
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: { tags, summary: "Create a feature (the owner organization's staff)", params: s.LayerParams, body: s.FeatureCreate, response: { 201: s.Feature, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.code(201).send(await service.createFeature(op(request), request.params.layer, request.body)),
  });
  app.put(`${BASE}/layers/:layer/features/:key`, {
    preValidation: mayEdit,
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: { tags, summary: 'Change a feature; `version` is the one you read (409 when someone changed it since)', params: s.FeatureParams, body: s.FeatureUpdate, response: { 200: s.Feature, ...STAFF_ERRORS } },
    handler: async (request) => service.updateFeature(op(request), request.params.layer, request.params.key, request.body),
  });
  app.delete(`${BASE}/layers/:layer/features/:key`, {
    preValidation: mayEdit,
    schema: { tags, summary: 'Delete a feature; its history stays', params: s.FeatureParams, querystring: s.DeleteQuery, response: { 204: NoContent, ...STAFF_ERRORS } },
    handler: async (request, reply) => {
      await service.deleteFeature(op(request), request.params.layer, request.params.key, request.query.version, request.query.reason);
      return reply.code(204).send(null);
    },
  });
  app.post(`${BASE}/layers/:layer/import`, {
    preValidation: mayEdit,
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags, summary: 'Import a GeoJSON FeatureCollection into a layer: all features or none, with a report (feature index, field, problem)', params: s.LayerParams, body: s.ImportBody, response: { 200: s.ImportResult, ...STAFF_ERRORS } },
    handler: async (request) => service.importCollection(op(request), request.params.layer, request.body),
  });
  app.get(`${BASE}/layers/:layer/export`, {
    schema: { tags, summary: 'A layer as a GeoJSON FeatureCollection, with its CRS and metadata', params: s.LayerParams, response: { 200: s.FeatureCollection, ...STAFF_ERRORS } },
    handler: async (request, reply) => reply.type('application/geo+json; charset=utf-8').send(await service.exportLayer(request.params.layer)),
  });

  app.get(`${BASE}/contains`, {
    schema: { tags, summary: 'Which features (by default divisions and parcels) contain a point; the smallest first within a layer', querystring: s.PointQuery, response: { 200: s.ContainsResult, ...STAFF_ERRORS } },
    handler: async (request) => service.contains(request.query),
  });
  app.post(`${BASE}/intersects`, {
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: { tags, summary: 'Features of the given layers that intersect a geometry', body: s.IntersectsBody, response: { 200: s.IntersectsResult, ...STAFF_ERRORS } },
    handler: async (request) => service.intersects(request.body),
  });
  app.get(`${BASE}/nearest`, {
    schema: { tags, summary: 'The nearest features to a point, with their geodesic distance in metres', querystring: s.NearestQuery, response: { 200: s.NearestResult, ...STAFF_ERRORS } },
    handler: async (request) => service.nearest(request.query),
  });
  app.post(`${BASE}/measure`, {
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: { tags, summary: 'Geodesic area (m²) and length (m) of a geometry', body: s.MeasureBody, response: { 200: s.MeasureResult, ...STAFF_ERRORS } },
    handler: async (request) => service.measure(request.body.geometry),
  });
}
