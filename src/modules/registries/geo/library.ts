// The spatial engine every database has: SQL narrows the candidates by the bounding-box
// columns, the geometry library decides exactly (decision 0012). This is the definition of
// every spatial answer; PostGIS, where used, is made to agree with it.
import type { Db } from '../../../platform/db.ts';
import { MEAN_RADIUS } from './geodesy.ts';
import { bboxOf, containsPoint, distanceTo, intersects, measure, type BBox } from './geometry.ts';
import { roundDistance, type Measured, type SpatialEngine } from './engine.ts';
import * as store from './store.ts';

const RAD = Math.PI / 180;

export function libraryEngine(db: Db): SpatialEngine {
  return {
    name: 'library',

    async containing(layers, p) {
      return (await store.featuresInBox(db, layers, [p[0], p[1], p[0], p[1]])).filter((r) => containsPoint(r.geometry, p));
    },

    async intersecting(layers, g) {
      return (await store.featuresInBox(db, layers, bboxOf(g))).filter((r) => intersects(r.geometry, g));
    },

    /**
     * The bounding-box window grows until it holds `limit` features closer than any feature
     * outside it can be: a feature outside a window of half-height d degrees (and half-width
     * d / cos of the band's highest latitude) is at least 2·asin(d/π) ≥ 0.63·d radians away,
     * so 0.6·d·R is a safe radius.
     */
    async nearest(layers, p, limit, maxDistanceM) {
      const total = await store.countLiveFeatures(db, layers);
      const within = (m: Measured) => maxDistanceM === undefined || m.distanceM <= maxDistanceM;
      let d = 0.02;
      for (;;) {
        const whole = d >= 180;
        const band = Math.min(89.999, Math.abs(p[1]) + d);
        const dLon = d / Math.cos(band * RAD);
        const box: BBox = whole ? [-180, -90, 180, 90] : [dLon >= 180 ? -180 : p[0] - dLon, Math.max(-90, p[1] - d), dLon >= 180 ? 180 : p[0] + dLon, Math.min(90, p[1] + d)];
        const rows = await store.featuresInBox(db, layers, box);
        const safe = whole ? Infinity : 0.6 * d * RAD * MEAN_RADIUS;
        const measured = rows.map((row) => ({ row, distanceM: roundDistance(distanceTo(row.geometry, p)) }));
        const sure = measured.filter((m) => m.distanceM <= safe && within(m));
        const all = whole || rows.length >= total;
        if (all) return measured.filter(within);
        if (sure.length >= limit || (maxDistanceM !== undefined && safe >= maxDistanceM)) return sure;
        d *= 4;
      }
    },

    async measure(g) {
      return measure(g);
    },
  };
}
