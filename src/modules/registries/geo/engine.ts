// Who answers a spatial query: the geometry library over bounding-box candidates (every
// database), or PostGIS where the database has it (decision 0015). Both give the same answer
// to the same question: the library's semantics are the definition (decision 0012) and the
// PostGIS queries are written to match them, which postgis.test.ts checks on fixtures. An
// engine only finds and measures; which layers, in what order and how the answer is shown is
// decided once, in queries.ts, for both.
import type { Db } from '../../../platform/db.ts';
import type { Geometry, Position } from './geometry.ts';
import { libraryEngine } from './library.ts';
import { postgisEngine } from './postgis.ts';
import { preparePostgis, type PostgisSetting, type PostgisStatus } from './postgis-setup.ts';
import type { SummaryRow } from './store.ts';

export type Measured = { row: SummaryRow; distanceM: number };

export type SpatialEngine = {
  name: 'library' | 'postgis';
  /** Live features of these layers that contain p: a polygon's boundary counts, a line or point must pass through p. */
  containing(layers: string[], p: Position): Promise<SummaryRow[]>;
  /** Live features of these layers that share at least one point with g. */
  intersecting(layers: string[], g: Geometry): Promise<SummaryRow[]>;
  /**
   * Features measured from p (metres, rounded by `roundDistance`), at most `maxDistanceM` away
   * when given: a pool that holds the `limit` nearest, so that no feature left out is nearer
   * than the `limit`-th of the pool in the order (distance, layer, key).
   */
  nearest(layers: string[], p: Position, limit: number, maxDistanceM?: number): Promise<Measured[]>;
  /** Geodesic area (m²) and length (m; a polygon's perimeter, holes included). */
  measure(g: Geometry): Promise<{ areaM2: number; lengthM: number }>;
};

/**
 * Distances are compared and shown to the millimetre: both engines round the same way before
 * they order or filter, so a sub-millimetre difference between two computations of one
 * distance cannot reorder features that are equally far to the millimetre.
 */
export const roundDistance = (metres: number) => Math.round(metres * 1000) / 1000;

export type SpatialStatus = { engine: 'library' | 'postgis'; postgis: PostgisStatus };

/**
 * The engine for this database, chosen once on first use: PostGIS when the setting allows and
 * the database has it (preparing its table on the way), the library otherwise. Chosen lazily
 * rather than at start so that a node that never asks a spatial question never touches PostGIS.
 */
export function selectEngine(db: Db, setting: PostgisSetting): { engine(): Promise<SpatialEngine>; status(): Promise<SpatialStatus> } {
  let chosen: Promise<{ engine: SpatialEngine; postgis: PostgisStatus }> | undefined;
  const choose = () =>
    (chosen ??= preparePostgis(db, setting).then((postgis) => ({ engine: postgis.active ? postgisEngine(db) : libraryEngine(db), postgis })));
  return {
    engine: async () => (await choose()).engine,
    status: async () => {
      const { engine, postgis } = await choose();
      return { engine: engine.name, postgis };
    },
  };
}
