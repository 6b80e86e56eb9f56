// SQL of the geospatial registry. Spatial predicates here are only bounding-box prefilters for
// the geometry library (library.ts, decision 0012); PostGIS's queries are in postgis.ts.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/db.ts';
import type { BBox, Geometry } from './geometry.ts';
import type { LayerKind } from './model.ts';

export type LayerRow = { code: string; kind: LayerKind; name_zh: string; name_en: string; crs: string; sort: number };
export type LayerStats = LayerRow & { feature_count: number; min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null };

export type FeatureRow = {
  layer: string;
  key: string;
  name: string;
  properties: Record<string, unknown>;
  geometry: Geometry;
  geometry_type: string;
  min_x: number;
  min_y: number;
  max_x: number;
  max_y: number;
  area_m2: number;
  length_m: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

/** A feature's row without its geometry, which can be large: what lists and query answers show. */
export type SummaryRow = Omit<FeatureRow, 'geometry'>;
export const SUMMARY_COLUMNS = ['layer', 'key', 'name', 'properties', 'geometry_type', 'min_x', 'min_y', 'max_x', 'max_y', 'area_m2', 'length_m', 'version', 'created_at', 'updated_at', 'deleted_at'] as const satisfies readonly (keyof SummaryRow)[];

export type VersionRow = {
  layer: string;
  key: string;
  version: number;
  properties: Record<string, unknown> | null;
  geometry: Geometry | null;
  operation: 'create' | 'update' | 'delete' | 'import';
  actor_id: string | null;
  actor_name: string;
  reason: string;
  changed_at: Date;
  import_id: string | null;
};

const LAYERS = 'registries.geo_layers';
const FEATURES = 'registries.geo_features';
const VERSIONS = 'registries.geo_feature_versions';

export async function listLayers(db: Executor): Promise<LayerStats[]> {
  const rows = await sql<LayerStats>`
    select l.code, l.kind, l.name_zh, l.name_en, l.crs, l.sort,
      count(f.key)::int as feature_count, min(f.min_x) as min_x, min(f.min_y) as min_y, max(f.max_x) as max_x, max(f.max_y) as max_y
    from registries.geo_layers l
    left join registries.geo_features f on f.layer = l.code and f.deleted_at is null
    group by l.code, l.kind, l.name_zh, l.name_en, l.crs, l.sort
    order by l.sort, l.code`.execute(db);
  return rows.rows;
}

export async function findLayer(db: Executor, code: string): Promise<LayerRow | undefined> {
  return (await db.selectFrom(LAYERS).selectAll().where('code', '=', code).executeTakeFirst()) as LayerRow | undefined;
}

/** The feature's row, deleted or not; locked when asked (a write reads it first). */
export async function findFeature(db: Executor, layer: string, key: string, forUpdate = false): Promise<FeatureRow | undefined> {
  let q = db.selectFrom(FEATURES).selectAll().where('layer', '=', layer).where('key', '=', key);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) as FeatureRow | undefined;
}

export async function findFeatures(db: Executor, layer: string, keys: string[], forUpdate = false): Promise<FeatureRow[]> {
  if (keys.length === 0) return [];
  const found: FeatureRow[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    let q = db.selectFrom(FEATURES).selectAll().where('layer', '=', layer).where('key', 'in', keys.slice(i, i + 1000));
    if (forUpdate) q = q.forUpdate();
    found.push(...((await q.execute()) as FeatureRow[]));
  }
  return found;
}

export type FeatureValues = Omit<FeatureRow, 'created_at' | 'deleted_at'>;

const jsonValues = (v: FeatureValues) => ({ ...v, properties: JSON.stringify(v.properties), geometry: JSON.stringify(v.geometry) });

/** Writes the current state of a feature (new, changed or revived after a deletion). */
export async function upsertFeature(db: Executor, values: FeatureValues): Promise<void> {
  const row = { ...jsonValues(values), created_at: values.updated_at, deleted_at: null };
  await db
    .insertInto(FEATURES)
    .values(row)
    .onConflict((oc) =>
      oc.columns(['layer', 'key']).doUpdateSet({
        name: sql`excluded.name`,
        properties: sql`excluded.properties`,
        geometry: sql`excluded.geometry`,
        geometry_type: sql`excluded.geometry_type`,
        min_x: sql`excluded.min_x`,
        min_y: sql`excluded.min_y`,
        max_x: sql`excluded.max_x`,
        max_y: sql`excluded.max_y`,
        area_m2: sql`excluded.area_m2`,
        length_m: sql`excluded.length_m`,
        version: sql`excluded.version`,
        updated_at: sql`excluded.updated_at`,
        deleted_at: null,
      }),
    )
    .execute();
}

export async function markDeleted(db: Executor, layer: string, key: string, version: number, at: Date): Promise<void> {
  await db.updateTable(FEATURES).set({ version, updated_at: at, deleted_at: at }).where('layer', '=', layer).where('key', '=', key).execute();
}

export async function insertVersions(db: Executor, rows: VersionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto(VERSIONS)
      .values(rows.slice(i, i + 500).map((r) => ({ ...r, properties: r.properties === null ? null : JSON.stringify(r.properties), geometry: r.geometry === null ? null : JSON.stringify(r.geometry) })))
      .execute();
  }
}

export async function listVersions(db: Executor, layer: string, key: string): Promise<VersionRow[]> {
  return (await db.selectFrom(VERSIONS).selectAll().where('layer', '=', layer).where('key', '=', key).orderBy('version').execute()) as VersionRow[];
}

export type FeatureQuery = { q?: string; limit: number; offset: number };

/** A page of a layer's live features, by key; `q` matches the start of the key or any part of the name. */
export async function pageFeatures(db: Executor, layer: string, query: FeatureQuery): Promise<{ rows: FeatureRow[]; total: number }> {
  let base = db.selectFrom(FEATURES).where('layer', '=', layer).where('deleted_at', 'is', null);
  if (query.q) {
    const like = query.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    base = base.where((eb) => eb.or([eb('key', 'like', `${like}%`), eb('name', 'ilike', `%${like}%`)]));
  }
  const total = await base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await base.selectAll().orderBy('key').limit(query.limit).offset(query.offset).execute();
  return { rows: rows as FeatureRow[], total: Number(total.n) };
}

export async function allFeatures(db: Executor, layer: string): Promise<FeatureRow[]> {
  return (await db.selectFrom(FEATURES).selectAll().where('layer', '=', layer).where('deleted_at', 'is', null).orderBy('key').execute()) as FeatureRow[];
}

/** Live features of these layers whose bounding box meets `box` (the spatial prefilter). */
export async function featuresInBox(db: Executor, layers: string[], box: BBox): Promise<FeatureRow[]> {
  if (layers.length === 0) return [];
  return (await db
    .selectFrom(FEATURES)
    .selectAll()
    .where('layer', 'in', layers)
    .where('deleted_at', 'is', null)
    .where('min_x', '<=', box[2])
    .where('max_x', '>=', box[0])
    .where('min_y', '<=', box[3])
    .where('max_y', '>=', box[1])
    .orderBy('layer')
    .orderBy('key')
    .execute()) as FeatureRow[];
}

export async function countLiveFeatures(db: Executor, layers: string[]): Promise<number> {
  if (layers.length === 0) return 0;
  const row = await db.selectFrom(FEATURES).select(sql<number>`count(*)::int`.as('n')).where('layer', 'in', layers).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}
