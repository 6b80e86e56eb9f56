// Whether this database answers spatial queries with PostGIS, and the objects that let it
// (decision 0015). Migrations are plain SQL that must run on PGlite too, so the PostGIS objects
// are made here, from code, once, the first time a spatial question is asked:
//
// - registries_postgis.feature_shapes: one PostGIS geometry per live feature, with GiST indexes
//   per layer for the predicates and on its geography for nearest-neighbour search. SRID 4326 for
//   every layer, whether the layer says EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84): the table
//   is an index derived from the GeoJSON, not the record; the two datums differ by centimetres
//   (decision 0012 ignores the difference, and the library measures on WGS84 for both); and
//   one SRID lets one column, one index and one query serve every layer, where PostGIS refuses
//   to compare geometries of different SRIDs. The layer's own CRS stays in geo_layers and in
//   every export.
// - A trigger on registries.geo_features keeps the table in step in the same transaction as
//   every write (create, update, import, delete, and a restore's inserts), so no code path that
//   writes features has to know about PostGIS.
//
// The table lives in a schema of its own, outside `registries`, on purpose: backups are logical
// and move between PGlite and PostgreSQL (decision 0001), and a PostGIS column in a backed-up
// table could not be restored where PostGIS is absent. The shapes are derived data: built again
// from the GeoJSON whenever they are missing, so nothing is lost by leaving them out.
import { sql } from 'kysely';
import type { Db, Executor } from '../../../platform/db.ts';

export const POSTGIS_SETTINGS = ['auto', 'off'] as const;
/** `auto`: use PostGIS where the database has it (or may create it); `off`: never. */
export type PostgisSetting = (typeof POSTGIS_SETTINGS)[number];
export type PostgisStatus = { active: true; version: string } | { active: false; reason: string };

export const SHAPES_SCHEMA = 'registries_postgis';
export const SHAPES = `${SHAPES_SCHEMA}.feature_shapes`;
/**
 * Bumped whenever the objects below change, so that an existing installation makes them again.
 * Kept as the schema's comment with the layers indexed, so that a prepared database costs one
 * catalog query and a layer added by a later migration gets its indexes.
 */
const OBJECTS_VERSION = 'egov geo shapes 1';
const MARKER = sql`${OBJECTS_VERSION} || ': ' || (select string_agg(code, ',' order by code) from registries.geo_layers)`;
/** Serialises replicas preparing at the same time (the number of the decision). */
const PREPARE_LOCK_KEY = 7_264_015;

type Probe = { installed: string | null; visible: boolean; segments: boolean; available: boolean; prepared: boolean };

async function probe(db: Executor): Promise<Probe> {
  const { rows } = await sql<Probe>`
    select
      (select extversion from pg_extension where extname = 'postgis') as installed,
      exists (select 1 from pg_proc where proname = 'postgis_lib_version' and pg_function_is_visible(oid)) as visible,
      exists (select 1 from pg_proc where proname = 'st_dumpsegments') as segments,
      exists (select 1 from pg_available_extensions where name = 'postgis') as available,
      coalesce(obj_description(to_regnamespace(${SHAPES_SCHEMA}), 'pg_namespace') = ${MARKER}, false) as prepared`.execute(db);
  return rows[0];
}

/**
 * GiST indexes per layer, one on the geometry for the predicates and one on its geography for
 * nearest-neighbour search (`<->` orders by distance on the sphere). Per layer, because a query
 * asks for layers: a nearest-neighbour scan of one index for all layers would walk through every
 * dense parcel near the point to find the few points of interest asked for.
 */
function layerIndexes(layers: string[]) {
  return layers.flatMap((code) => [
    sql`create index if not exists ${sql.id(`feature_shapes_${code}_geom_idx`)} on ${sql.raw(SHAPES)} using gist (geom) where layer = ${sql.lit(code)}`,
    sql`create index if not exists ${sql.id(`feature_shapes_${code}_geog_idx`)} on ${sql.raw(SHAPES)} using gist ((geom::geography)) where layer = ${sql.lit(code)}`,
  ]);
}

/** Makes the table, its indexes and the trigger (all idempotent), then fills in what is missing. */
async function makeObjects(trx: Executor, extensionSchema: string): Promise<void> {
  const layers = (await sql<{ code: string }>`select code from registries.geo_layers order by code`.execute(trx)).rows.map((r) => r.code);
  const statements = [
    sql`create schema if not exists ${sql.id(SHAPES_SCHEMA)}`,
    // Two dimensions: the library ignores altitude, and so do the queries.
    sql`create table if not exists ${sql.raw(SHAPES)} (
      layer text not null,
      key text not null,
      geom geometry(Geometry, 4326) not null,
      -- Key first: an index led by the layer would tempt the planner to read a whole layer and
      -- sort it rather than walk the layer's GiST index.
      primary key (key, layer))`,
    ...layerIndexes(layers),
    // The function names its search_path, so the trigger works whatever the writer's session says.
    sql`create or replace function ${sql.id(SHAPES_SCHEMA)}.keep_shape() returns trigger language plpgsql
      set search_path = ${sql.id(extensionSchema)}, pg_catalog as $body$
      begin
        if tg_op = 'DELETE' then
          delete from ${sql.raw(SHAPES)} where layer = old.layer and key = old.key;
        elsif new.deleted_at is not null then
          delete from ${sql.raw(SHAPES)} where layer = new.layer and key = new.key;
        else
          insert into ${sql.raw(SHAPES)} (layer, key, geom)
            values (new.layer, new.key, ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(new.geometry::text), 4326)))
            on conflict (layer, key) do update set geom = excluded.geom;
        end if;
        return null;
      end $body$`,
    // The library's distance from p to a shape: 0 inside a polygon (planar), else the least
    // spheroid distance to any of its points or edges (a polygon's: its rings'). Edge by edge
    // because ST_Distance on a whole geography picks the edge nearest on the sphere and measures
    // only that one on the spheroid: where two edges are nearly as far (at a vertex, typically)
    // it can measure the wrong one, centimetres longer at tens of kilometres, and reorder what
    // the library orders. For one edge PostGIS and the library compute alike (the nearest point
    // of the great circle, then the spheroid).
    //   A detailed boundary has tens of thousands of edges, and a spheroid distance costs some
    // 15 µs, so there PostGIS's own figure d first bounds the search: the least is at most d,
    // so only an edge that comes within θ = d / (0.99 R) on the sphere (spheroid ≥ 0.994 ×
    // sphere) can hold it. A point within θ of p lies within asin(sin θ / cos(|φ| + θ)) of its
    // longitude, and an edge (a great-circle arc) spans just its ends' longitudes, so the edges
    // whose box meets that band of longitude are all that need measuring.
    //   A function with a stated cost: written inline, its set-returning subqueries make the
    // planner expect millions of rows and spend 100 ms compiling the query (JIT).
    sql`create or replace function ${sql.id(SHAPES_SCHEMA)}.library_distance(shape geometry, p geometry) returns double precision
      language plpgsql immutable strict parallel safe cost 1000
      set search_path = ${sql.id(extensionSchema)}, pg_catalog as $body$
      declare
        lines geometry;
        d double precision;
        theta double precision;
        band double precision;
        dlon double precision;
      begin
        if ST_Dimension(shape) = 2 and ST_Intersects(shape, p) then
          return 0;
        elsif ST_Dimension(shape) = 0 then
          return (select min(ST_Distance(e.geom::geography, p::geography, true)) from ST_DumpPoints(shape) e);
        end if;
        lines := case when ST_Dimension(shape) = 2 then ST_Boundary(shape) else shape end;
        if ST_NPoints(lines) > 64 then
          d := ST_Distance(lines::geography, p::geography, true);
          theta := d / (0.99 * 6371008.8);
          band := radians(abs(ST_Y(p))) + theta;
          if theta < 0.5 and band < pi() / 2 and sin(theta) < cos(band) then
            dlon := degrees(asin(sin(theta) / cos(band)));
            return coalesce((select min(ST_Distance(e.geom::geography, p::geography, true)) from ST_DumpSegments(lines) e
              where e.geom && ST_MakeEnvelope(ST_X(p) - dlon, -90, ST_X(p) + dlon, 90, 4326)), d);
          end if;
        end if;
        return (select min(ST_Distance(e.geom::geography, p::geography, true)) from ST_DumpSegments(lines) e);
      end $body$`,
    sql`create or replace trigger geo_features_postgis after insert or delete or update of geometry, deleted_at on registries.geo_features
      for each row execute function ${sql.id(SHAPES_SCHEMA)}.keep_shape()`,
    // Features written before the trigger existed. Writers wait for the trigger's lock, so none
    // slips between this and the trigger.
    sql`insert into ${sql.raw(SHAPES)} (layer, key, geom)
      select layer, key, ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326)) from registries.geo_features where deleted_at is null
      on conflict (layer, key) do update set geom = excluded.geom`,
    // Planner statistics for what the backfill wrote, or it may scan instead of using the indexes.
    sql`analyze ${sql.raw(SHAPES)}`,
    sql`comment on schema ${sql.id(SHAPES_SCHEMA)} is ${sql.lit(`${OBJECTS_VERSION}: ${layers.join(',')}`)}`,
  ];
  for (const statement of statements) await statement.execute(trx);
}

// Distances are measured edge by edge (postgis.ts), with ST_DumpSegments.
const tooOld = (version: string | null) => `PostGIS ${version} is older than 3.2, which the geospatial registry needs (ST_DumpSegments)`;
class TooOld extends Error {}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Makes PostGIS ready for the geospatial registry, or says why it is not used. Never throws:
 * the library answers every query correctly, so a database that cannot use PostGIS falls back
 * to it with the reason kept for the operator.
 */
export async function preparePostgis(db: Db, setting: PostgisSetting): Promise<PostgisStatus> {
  try {
    // Off touches nothing: objects an earlier `auto` made stay, kept current by their trigger,
    // so replicas restarted one by one with a new setting never find them half gone. To take
    // PostGIS out of the write path too: drop schema registries_postgis cascade.
    if (setting === 'off') return { active: false, reason: 'EGOV_POSTGIS is off' };
    const found = await probe(db);
    if (!found.installed && !found.available) return { active: false, reason: 'PostGIS is not installed on this database server' };
    if (found.installed && !found.visible) return { active: false, reason: 'PostGIS is installed in a schema that is not on the search_path' };
    if (found.installed && !found.segments) return { active: false, reason: tooOld(found.installed) };
    if (found.installed && found.prepared) return { active: true, version: found.installed };
    const version = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PREPARE_LOCK_KEY})`.execute(trx);
      await sql`create extension if not exists postgis`.execute(trx);
      const again = await probe(trx);
      if (!again.segments) throw new TooOld(tooOld(again.installed));
      if (!again.prepared) {
        const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'postgis'`.execute(trx);
        await makeObjects(trx, rows[0].schema);
      }
      return again.installed!;
    });
    return { active: true, version };
  } catch (err) {
    if (err instanceof TooOld) return { active: false, reason: err.message };
    if ((err as { code?: string }).code === '42501') {
      return { active: false, reason: 'PostGIS is available but this database role may not create the extension: a superuser can run CREATE EXTENSION postgis in this database' };
    }
    return { active: false, reason: `preparing PostGIS failed: ${messageOf(err)}` };
  }
}
