// The rules of the geospatial registry. Every change to a feature is a new version with its
// provenance (who, why, when); a stale version is refused (409) rather than overwritten.
// Every feature is checked before anything is written, and an import is all or nothing: one
// problem in any feature means nothing is written and the whole report comes back.
import crypto from 'node:crypto';
import type { Actor, Operator } from '../../../platform/actor.ts';
import type { Executor } from '../../../platform/db.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError, invalidField, type FieldError } from '../../../platform/errors.ts';
import type { RegistryCatalog } from '../catalog.ts';
import type { RegistriesDeps } from '../index.ts';
import * as policy from '../policy.ts';
import { bboxOf, type BBox, type Geometry } from './geometry.ts';
import { selectEngine } from './engine.ts';
import { checkFeature, crsOfName, crsUrn, type CheckedFeature } from './model.ts';
import type { PostgisSetting } from './postgis-setup.ts';
import { presentSummary, type FeatureSummary } from './present.ts';
import { createGeoQueries } from './queries.ts';
import * as store from './store.ts';

export type { FeatureSummary } from './present.ts';

export const REGISTRY = 'geospatial';
const IMPORT_LIMIT = 20_000;
const REPORT_LIMIT = 200;

export type Layer = { code: string; kind: store.LayerRow['kind']; nameZh: string; nameEn: string; crs: string; featureCount: number; bbox: BBox | null };
export type Feature = FeatureSummary & { geometry: Geometry; createdAt: string };
export type FeatureVersion = { version: number; operation: store.VersionRow['operation']; actorName: string; reason: string; changedAt: string; importId: string | null; properties: Record<string, unknown> | null; geometry: Geometry | null };
export type FeatureInput = { key: string; properties?: unknown; geometry: unknown; reason: string };
export type FeatureUpdate = { properties?: unknown; geometry?: unknown; version: number; reason: string };
export type ImportInput = { featureCollection: unknown; reason: string; dryRun?: boolean };
export type ImportResult = { importId: string | null; dryRun: boolean; features: number; created: number; updated: number; unchanged: number };

/** An import refused: 400 with the report (feature index, field, problem) as the problem's errors. */
export class ImportRejectedError extends DomainError {
  constructor(report: FieldError[]) {
    const first = report[0];
    super(
      'import_rejected',
      `Nothing was imported: ${report.length} problem${report.length > 1 ? 's' : ''}${report.length > REPORT_LIMIT ? ` (the first ${REPORT_LIMIT} are listed)` : ''}, the first at ${first.field}: ${first.message}. Correct the file and import it again.`,
      `未导入任何要素：共 ${report.length} 处问题${report.length > REPORT_LIMIT ? `（列出前 ${REPORT_LIMIT} 处）` : ''}，第一处在 ${first.field}：${first.messageZh ?? first.message}。请修改文件后重新导入。`,
      report.slice(0, REPORT_LIMIT),
    );
  }
}

const presentFeature = (r: store.FeatureRow): Feature => ({ ...presentSummary(r), geometry: r.geometry, createdAt: r.created_at.toISOString() });
const presentLayer = (r: store.LayerStats): Layer => ({
  code: r.code,
  kind: r.kind,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  crs: r.crs,
  featureCount: r.feature_count,
  bbox: r.min_x === null ? null : [r.min_x, r.min_y!, r.max_x!, r.max_y!],
});

export type GeoDeps = RegistriesDeps & {
  catalog: RegistryCatalog;
  /** EGOV_POSTGIS: whether spatial queries may use PostGIS where the database has it (default `auto`). */
  postgis?: PostgisSetting;
};

export function createGeoService(deps: GeoDeps) {
  const { db } = deps;

  async function assertMayEdit(actor: Actor | null): Promise<void> {
    if (!actor) return;
    policy.assertMayEditRecords(actor, (await deps.catalog.get(REGISTRY)).owner_org_id);
  }

  async function getLayer(code: string): Promise<store.LayerRow> {
    const layer = await store.findLayer(db, code);
    if (!layer) throw new NotFoundError('layer', code, '图层');
    return layer;
  }

  async function liveFeature(executor: Executor, layer: string, key: string, forUpdate = false): Promise<store.FeatureRow> {
    const row = await store.findFeature(executor, layer, key, forUpdate);
    if (!row || row.deleted_at) throw new NotFoundError('feature', `${layer}/${key}`, '要素');
    return row;
  }

  function audit(trx: Executor, op: Operator, action: string, subjectId: string, detail: Record<string, unknown>) {
    return deps.audit.record(trx, { actor: op.auditAs, action: `registries.geo.${action}`, subjectType: 'geo-feature', subjectId, outcome: 'success', detail, ip: op.ip, requestId: op.requestId });
  }

  function check(layer: store.LayerRow, input: { key: unknown; properties: unknown; geometry: unknown }, prefix = '', keyField = 'key'): CheckedFeature {
    const result = checkFeature(layer.kind, input, prefix, deps.divisionExists, keyField);
    if (!result.ok) throw new ValidationError(result.problems);
    return result.feature;
  }

  const valuesOf = (layer: string, f: CheckedFeature, version: number, at: Date): store.FeatureValues => {
    const box = bboxOf(f.geometry);
    return { layer, key: f.key, name: f.name, properties: f.properties, geometry: f.geometry, geometry_type: f.geometry.type, min_x: box[0], min_y: box[1], max_x: box[2], max_y: box[3], area_m2: f.areaM2, length_m: f.lengthM, version, updated_at: at };
  };
  const versionOf = (op: Operator, v: store.FeatureValues, operation: store.VersionRow['operation'], reason: string, importId: string | null = null): store.VersionRow => ({
    layer: v.layer,
    key: v.key,
    version: v.version,
    properties: v.properties,
    geometry: v.geometry,
    operation,
    actor_id: op.auditAs.id,
    actor_name: op.auditAs.name,
    reason,
    changed_at: v.updated_at,
    import_id: importId,
  });

  function stale(layer: string, key: string, current: number, yours: number): ConflictError {
    return new ConflictError('stale_version', `Feature ${layer}/${key} was changed by someone else (now version ${current}, you edited version ${yours}). Reload it and apply your change again.`, `要素 ${layer}/${key} 已被他人修改（当前版本 ${current}，您编辑的是版本 ${yours}）。请刷新后重新修改。`, [
      { field: 'version', code: 'stale_version', message: `is ${yours}, the feature is at version ${current}`, messageZh: `为 ${yours}，要素当前为版本 ${current}` },
    ]);
  }

  /** The features of an import, each checked; the report names the feature's index and the field. */
  function checkCollection(layer: store.LayerRow, collection: unknown): { features: CheckedFeature[]; report: FieldError[] } {
    const report: FieldError[] = [];
    const c = collection as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
    if (typeof c !== 'object' || c === null || c.type !== 'FeatureCollection' || !Array.isArray(c.features)) {
      throw invalidField('featureCollection', 'feature_collection', 'must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": […]}', '应为 GeoJSON 要素集合：{"type": "FeatureCollection", "features": […]}');
    }
    if (c.features.length === 0) throw invalidField('featureCollection.features', 'empty', 'has no features', '没有任何要素');
    if (c.features.length > IMPORT_LIMIT) throw invalidField('featureCollection.features', 'too_many', `has ${c.features.length} features; import at most ${IMPORT_LIMIT} at a time`, `有 ${c.features.length} 个要素，每次最多导入 ${IMPORT_LIMIT} 个`);
    if (c.crs !== undefined) {
      const name = c.crs?.properties?.name;
      const crs = typeof name === 'string' ? crsOfName(name) : undefined;
      if (!crs) {
        throw invalidField('featureCollection.crs', 'crs_unsupported', `names ${typeof name === 'string' ? name.slice(0, 80) : 'no CRS'}: this registry keeps longitude/latitude in EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84); reproject the file first`, `所示坐标系为 ${typeof name === 'string' ? name.slice(0, 80) : '（无）'}：本库仅接受 EPSG:4490（CGCS2000）或 EPSG:4326（WGS84）经纬度坐标，请先转换坐标`);
      }
    }
    const features: CheckedFeature[] = [];
    const seen = new Map<string, number>();
    c.features.forEach((raw: unknown, i: number) => {
      const prefix = `features[${i}].`;
      const f = raw as { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };
      if (typeof f !== 'object' || f === null || f.type !== 'Feature') {
        report.push({ field: `features[${i}]`, code: 'feature_shape', message: 'is not a GeoJSON Feature: {"type": "Feature", "id": …, "properties": {…}, "geometry": {…}}', messageZh: '不是 GeoJSON 要素：{"type": "Feature", "id": …, "properties": {…}, "geometry": {…}}' });
        return;
      }
      const key = typeof f.id === 'number' ? String(f.id) : (f.id ?? f.properties?.code);
      const result = checkFeature(layer.kind, { key, properties: f.properties ?? {}, geometry: f.geometry }, prefix, deps.divisionExists, 'id');
      if (!result.ok) return void report.push(...result.problems);
      const earlier = seen.get(result.feature.key);
      if (earlier !== undefined) {
        report.push({ field: `${prefix}id`, code: 'duplicate_key', message: `${result.feature.key} repeats features[${earlier}]: give each feature once`, messageZh: `${result.feature.key} 与 features[${earlier}] 重复：每个要素只能出现一次` });
        return;
      }
      seen.set(result.feature.key, i);
      features.push(result.feature);
    });
    return { features, report };
  }

  const spatial = selectEngine(db, deps.postgis ?? 'auto');
  const queries = createGeoQueries({ getLayer, engine: spatial.engine });

  return {
    assertMayEdit,
    ...queries,
    /** Which engine answers spatial queries on this database, and why PostGIS is or is not used (for the operator's log). */
    spatialStatus: spatial.status,

    async listLayers(): Promise<Layer[]> {
      return (await store.listLayers(db)).map(presentLayer);
    },

    async listFeatures(layer: string, query: { q?: string; limit?: number; offset?: number }): Promise<{ items: FeatureSummary[]; total: number }> {
      await getLayer(layer);
      const { rows, total } = await store.pageFeatures(db, layer, { q: query.q?.trim() || undefined, limit: query.limit ?? 50, offset: query.offset ?? 0 });
      return { items: rows.map(presentSummary), total };
    },

    async getFeature(layer: string, key: string): Promise<Feature> {
      await getLayer(layer);
      return presentFeature(await liveFeature(db, layer, key));
    },

    async history(layer: string, key: string): Promise<FeatureVersion[]> {
      await getLayer(layer);
      const rows = await store.listVersions(db, layer, key);
      if (rows.length === 0) throw new NotFoundError('feature', `${layer}/${key}`, '要素');
      return rows.map((r) => ({ version: r.version, operation: r.operation, actorName: r.actor_name, reason: r.reason, changedAt: r.changed_at.toISOString(), importId: r.import_id, properties: r.properties, geometry: r.geometry }));
    },

    async createFeature(op: Operator, layerCode: string, input: FeatureInput): Promise<Feature> {
      await assertMayEdit(op.actor);
      const layer = await getLayer(layerCode);
      const feature = check(layer, { key: input.key, properties: input.properties, geometry: input.geometry });
      return db.transaction().execute(async (trx) => {
        const existing = await store.findFeature(trx, layer.code, feature.key, true);
        if (existing && !existing.deleted_at) {
          throw new ConflictError('feature_exists', `Layer ${layer.code} already has a feature ${feature.key}. Edit that one, or choose another key.`, `图层 ${layer.code} 已有要素 ${feature.key}。请编辑该要素，或换一个编码。`, [
            { field: 'key', code: 'feature_exists', message: 'is taken', messageZh: '已被使用' },
          ]);
        }
        const values = valuesOf(layer.code, feature, (existing?.version ?? 0) + 1, deps.clock.now());
        await store.upsertFeature(trx, values);
        await store.insertVersions(trx, [versionOf(op, values, 'create', input.reason)]);
        await audit(trx, op, 'feature.create', `${layer.code}/${feature.key}`, { version: values.version, geometryType: feature.geometry.type, reason: input.reason });
        return presentFeature({ ...values, created_at: existing?.created_at ?? values.updated_at, deleted_at: null });
      });
    },

    async updateFeature(op: Operator, layerCode: string, key: string, input: FeatureUpdate): Promise<Feature> {
      await assertMayEdit(op.actor);
      const layer = await getLayer(layerCode);
      return db.transaction().execute(async (trx) => {
        const current = await liveFeature(trx, layer.code, key, true);
        if (current.version !== input.version) throw stale(layer.code, key, current.version, input.version);
        // A parcel's computed area is not carried over: it is computed again from the geometry.
        const { areaM2: _derived, ...kept } = current.properties;
        const properties = input.properties ?? (layer.kind === 'parcels' ? kept : current.properties);
        const feature = check(layer, { key, properties, geometry: input.geometry ?? current.geometry });
        const values = valuesOf(layer.code, feature, current.version + 1, deps.clock.now());
        await store.upsertFeature(trx, values);
        await store.insertVersions(trx, [versionOf(op, values, 'update', input.reason)]);
        const changed = [...(input.geometry !== undefined ? ['geometry'] : []), ...(input.properties !== undefined ? ['properties'] : [])];
        await audit(trx, op, 'feature.update', `${layer.code}/${key}`, { version: values.version, changed, reason: input.reason });
        return presentFeature({ ...values, created_at: current.created_at, deleted_at: null });
      });
    },

    async deleteFeature(op: Operator, layerCode: string, key: string, version: number, reason: string): Promise<void> {
      await assertMayEdit(op.actor);
      const layer = await getLayer(layerCode);
      await db.transaction().execute(async (trx) => {
        const current = await liveFeature(trx, layer.code, key, true);
        if (current.version !== version) throw stale(layer.code, key, current.version, version);
        const at = deps.clock.now();
        await store.markDeleted(trx, layer.code, key, version + 1, at);
        await store.insertVersions(trx, [{ layer: layer.code, key, version: version + 1, properties: null, geometry: null, operation: 'delete', actor_id: op.auditAs.id, actor_name: op.auditAs.name, reason, changed_at: at, import_id: null }]);
        await audit(trx, op, 'feature.delete', `${layer.code}/${key}`, { version: version + 1, reason });
      });
    },

    /** Imports a FeatureCollection into a layer: new keys are created, known ones get a new version. */
    async importCollection(op: Operator, layerCode: string, input: ImportInput): Promise<ImportResult> {
      await assertMayEdit(op.actor);
      const layer = await getLayer(layerCode);
      const { features, report } = checkCollection(layer, input.featureCollection);
      if (report.length > 0) throw new ImportRejectedError(report);
      return db.transaction().execute(async (trx) => {
        const existing = new Map((await store.findFeatures(trx, layer.code, features.map((f) => f.key), true)).map((r) => [r.key, r]));
        const at = deps.clock.now();
        const importId = input.dryRun ? null : crypto.randomUUID();
        const result: ImportResult = { importId, dryRun: input.dryRun === true, features: features.length, created: 0, updated: 0, unchanged: 0 };
        const versions: store.VersionRow[] = [];
        for (const f of features) {
          const old = existing.get(f.key);
          const live = old && !old.deleted_at;
          if (live && JSON.stringify(old.geometry) === JSON.stringify(f.geometry) && JSON.stringify(old.properties) === JSON.stringify(f.properties)) {
            result.unchanged++;
            continue;
          }
          if (live) result.updated++;
          else result.created++;
          if (input.dryRun) continue;
          const values = valuesOf(layer.code, f, (old?.version ?? 0) + 1, at);
          await store.upsertFeature(trx, values);
          versions.push(versionOf(op, values, 'import', input.reason, importId));
        }
        if (input.dryRun) return result;
        await store.insertVersions(trx, versions);
        await deps.audit.record(trx, { actor: op.auditAs, action: 'registries.geo.import', subjectType: 'geo-layer', subjectId: layer.code, outcome: 'success', detail: { importId, features: result.features, created: result.created, updated: result.updated, unchanged: result.unchanged, reason: input.reason }, ip: op.ip, requestId: op.requestId });
        return result;
      });
    },

    /** The layer as a GeoJSON FeatureCollection, with its CRS and where it comes from. */
    async exportLayer(layerCode: string) {
      const layer = await getLayer(layerCode);
      const rows = await store.allFeatures(db, layer.code);
      const features = rows.map((r) => ({ type: 'Feature' as const, id: r.key, bbox: [r.min_x, r.min_y, r.max_x, r.max_y] as BBox, properties: r.properties, geometry: r.geometry }));
      const bbox: BBox | undefined = rows.length ? [Math.min(...rows.map((r) => r.min_x)), Math.min(...rows.map((r) => r.min_y)), Math.max(...rows.map((r) => r.max_x)), Math.max(...rows.map((r) => r.max_y))] : undefined;
      return {
        type: 'FeatureCollection' as const,
        name: layer.code,
        crs: { type: 'name', properties: { name: crsUrn(layer.crs) } },
        metadata: { registry: REGISTRY, layer: layer.code, kind: layer.kind, nameZh: layer.name_zh, nameEn: layer.name_en, crs: layer.crs, axisOrder: 'longitude,latitude', units: 'degrees', count: rows.length, exportedAt: deps.clock.now().toISOString() },
        ...(bbox ? { bbox } : {}),
        features,
      };
    },
  };
}

export type GeoService = ReturnType<typeof createGeoService>;
