// The spatial engine on PostGIS (decision 0015): the shapes table's GiST indexes find the
// features, GEOS decides the predicates and the spheroid gives the measures. Each query is
// written to give the library's answer (decision 0012), and where PostGIS's own reading
// differs the SQL says so:
//
// - Predicates are planar on the `geometry` (edges straight in lon/lat), as the library's;
//   ST_Intersects counts a polygon's boundary, outer ring's or hole's, as the library does.
// - A distance is 0 only when the point is in a polygon as the library sees it (planar). A
//   `geography` has great-circle edges, so near a long edge it may put a point inside that the
//   library puts outside, or the reverse; the distance is therefore taken to the polygon's
//   boundary (its rings as lines), which is what the library measures, and not to the polygon;
//   and edge by edge (library_distance in postgis-setup.ts).
// - Measures are on the spheroid (geography, use_spheroid): within 0.01 % of the library's
//   authalic-sphere area, and the same lengths to well under a millimetre per kilometre.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import type { Geometry, Position } from './geometry.ts';
import { roundDistance, type Measured, type SpatialEngine } from './engine.ts';
import { SHAPES, SHAPES_SCHEMA } from './postgis-setup.ts';
import { SUMMARY_COLUMNS, type SummaryRow } from './store.ts';

/**
 * The spheroid's distance between two points is at least 0.994 of the sphere's that `<->`
 * orders by (the shortest meridian degree, at the equator, against the mean radius); 0.99
 * leaves room for rounding.
 */
const SPHERE_TO_SPHEROID = 0.99;
/** Millimetre rounding can move a distance by half a millimetre either way. */
const ROUNDING = 0.001;

const point = (p: Position) => sql`ST_SetSRID(ST_MakePoint(${p[0]}::float8, ${p[1]}::float8), 4326)`;
const shape = (g: Geometry) => sql`ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}::text), 4326))`;

/** The library's distance from p to a shape (registries_postgis.library_distance, postgis-setup.ts says how). */
const distanceFrom = (p: Position) => sql`${sql.raw(SHAPES_SCHEMA)}.library_distance(s.geom, ${point(p)})`;

export function postgisEngine(db: Db): SpatialEngine {
  /**
   * Live features of these layers (without their GeoJSON: answers do not show it) whose shape
   * meets `where` (on the shapes table, named s), with anything else `extra` selects. The
   * shapes are chosen in a subquery of their own so that its index decides them (an ORDER BY …
   * LIMIT there is a nearest-neighbour scan), whatever the planner thinks of the join.
   */
  async function features<T = SummaryRow>(layers: string[], where: RawBuilder<unknown>, extra: RawBuilder<unknown> = sql``, tail: RawBuilder<unknown> = sql``): Promise<T[]> {
    if (layers.length === 0) return [];
    // One subquery per layer, the layer written as a literal, so that each uses its layer's
    // partial indexes (postgis-setup.ts); the codes come from registries.geo_layers.
    const shapes = sql.join(
      layers.map((code) => sql`(select * from ${sql.raw(SHAPES)} s where s.layer = ${sql.lit(code)} and ${where} ${tail})`),
      sql` union all `,
    );
    const { rows } = await sql<T>`
      select ${sql.join(SUMMARY_COLUMNS.map((c) => sql.ref(`f.${c}`)))} ${extra} from (${shapes}) s
      join registries.geo_features f on f.layer = s.layer and f.key = s.key and f.deleted_at is null`.execute(db);
    return rows;
  }

  return {
    name: 'postgis',

    containing: (layers, p) => features(layers, sql`ST_Intersects(s.geom, ${point(p)})`),

    intersecting: (layers, g) => features(layers, sql`ST_Intersects(s.geom, ${shape(g)})`),

    /**
     * The n nearest of each layer in order of `<->` on the geography (the sphere, by the index),
     * measured as the library measures. A feature not fetched is at least SPHERE_TO_SPHEROID
     * times its layer's farthest fetched sphere distance away, except one that contains the
     * point (distance 0 however far its great-circle edges stray), so those are fetched apart.
     * n quadruples until `limit` candidates are surely nearer than anything left out.
     */
    async nearest(layers, p, limit, maxDistanceM) {
      const select = sql`, ${distanceFrom(p)} as distance_m, s.geom::geography <-> ${point(p)}::geography as sphere_m`;
      type Row = SummaryRow & { distance_m: number; sphere_m: number };
      const measured = (rows: Row[]): Measured[] =>
        rows.map(({ distance_m, sphere_m: _sphere, ...row }) => ({ row, distanceM: roundDistance(distance_m) })).filter((m) => maxDistanceM === undefined || m.distanceM <= maxDistanceM);
      const inside = measured(await features<Row>(layers, sql`ST_Intersects(s.geom, ${point(p)})`, select));
      for (let n = Math.max(4 * limit, 32); ; n *= 4) {
        const rows = await features<Row>(layers, sql`true`, select, sql`order by s.geom::geography <-> ${point(p)}::geography limit ${n}`);
        const pool = new Map<string, Measured>();
        for (const m of [...inside, ...measured(rows)]) pool.set(`${m.row.layer}/${m.row.key}`, m);
        // Per layer: exhausted when it gave fewer than n, else bounded by its farthest.
        const reach = new Map<string, { count: number; farthest: number }>();
        for (const r of rows) {
          const seen = reach.get(r.layer) ?? { count: 0, farthest: 0 };
          reach.set(r.layer, { count: seen.count + 1, farthest: Math.max(seen.farthest, r.sphere_m) });
        }
        const bounds = [...reach.values()].filter((l) => l.count >= n).map((l) => l.farthest);
        if (bounds.length === 0) return [...pool.values()];
        const beyond = SPHERE_TO_SPHEROID * Math.min(...bounds) - ROUNDING;
        const sure = [...pool.values()].filter((m) => m.distanceM < beyond);
        if (sure.length >= limit || (maxDistanceM !== undefined && beyond > maxDistanceM)) return sure;
      }
    },

    async measure(g) {
      const { rows } = await sql<{ area: number; length: number }>`
        select ST_Area(g, true) as area, ST_Length(g, true) + ST_Perimeter(g, true) as length
        from (select ${shape(g)}::geography as g) x`.execute(db);
      return { areaM2: rows[0].area, lengthM: rows[0].length };
    },
  };
}
