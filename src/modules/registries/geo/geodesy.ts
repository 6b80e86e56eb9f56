// Measures on the Earth for longitude/latitude coordinates (EPSG:4326 WGS84 or EPSG:4490
// CGCS2000; the two ellipsoids differ by 0.1 mm in the semi-minor axis, so WGS84's is used
// for both). Everything here is plain arithmetic on numbers, so PGlite and PostgreSQL give the
// same answers by construction: the databases only prefilter by bounding box.
//
// - Distance between points: Vincenty's inverse formula on the ellipsoid (sub-millimetre);
//   near-antipodal points, where it does not converge, fall back to the haversine.
// - Area: latitudes are mapped to authalic latitudes, an exact equal-area mapping of the
//   ellipsoid onto the authalic sphere (radius 6 371 007.2 m), and the ring's spherical
//   excess is taken there with great-circle edges. The mapping keeps area exactly; the only
//   difference from an ellipsoidal geodesic polygon is the path of each edge, under 0.01 %
//   for features up to about 100 km across.
// - Point to line distance: the closest point on each edge's great circle (sphere), then
//   Vincenty from the point to it; under 0.1 % for edges shorter than about 100 km.
import type { Position } from './geometry.ts';

const A = 6378137;
const F = 1 / 298.257223563;
const B = A * (1 - F);
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const RAD = Math.PI / 180;
/** The mean radius, used only for the haversine fallback and the nearest-query window. */
export const MEAN_RADIUS = 6371008.8;

function q(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}
const QP = q(1);
/** The authalic sphere's radius: its surface equals the ellipsoid's. */
export const AUTHALIC_RADIUS = A * Math.sqrt(QP / 2);

/** Authalic latitude (radians) of a geodetic latitude (degrees). */
function authalic(latDeg: number): number {
  const ratio = q(Math.sin(latDeg * RAD)) / QP;
  return Math.asin(Math.max(-1, Math.min(1, ratio)));
}

export function haversine(a: Position, b: Position): number {
  const dPhi = (b[1] - a[1]) * RAD;
  const dLambda = (b[0] - a[0]) * RAD;
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLambda / 2) ** 2;
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Geodesic distance in metres between two positions (Vincenty, WGS84). */
export function distance(p1: Position, p2: Position): number {
  if (p1[0] === p2[0] && p1[1] === p2[1]) return 0;
  const L = (p2[0] - p1[0]) * RAD;
  const U1 = Math.atan((1 - F) * Math.tan(p1[1] * RAD));
  const U2 = Math.atan((1 - F) * Math.tan(p2[1] * RAD));
  const sinU1 = Math.sin(U1);
  const cosU1 = Math.cos(U1);
  const sinU2 = Math.sin(U2);
  const cosU2 = Math.cos(U2);
  let lambda = L;
  let sinSigma = 0;
  let cosSigma = 0;
  let sigma = 0;
  let cos2Alpha = 0;
  let cos2SigmaM = 0;
  for (let i = 0; i < 200; i++) {
    const sinLambda = Math.sin(lambda);
    const cosLambda = Math.cos(lambda);
    sinSigma = Math.sqrt((cosU2 * sinLambda) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosLambda) ** 2);
    if (sinSigma === 0) return 0;
    cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
    sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
    cos2Alpha = 1 - sinAlpha * sinAlpha;
    cos2SigmaM = cos2Alpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cos2Alpha : 0;
    const C = (F / 16) * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
    const previous = lambda;
    lambda = L + (1 - C) * F * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
    if (Math.abs(lambda - previous) < 1e-12) {
      const u2 = (cos2Alpha * (A * A - B * B)) / (B * B);
      const bigA = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const bigB = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const deltaSigma =
        bigB * sinSigma * (cos2SigmaM + (bigB / 4) * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) - (bigB / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
      return B * bigA * (sigma - deltaSigma);
    }
  }
  return haversine(p1, p2);
}

/** Signed spherical excess (steradians) of a closed ring on the authalic sphere. */
function ringExcess(ring: Position[]): number {
  // The sum of the signed areas of the triangles each edge makes with the north pole (as d3-geo's area).
  let sum = 0;
  let lambda0 = ring[0][0] * RAD;
  let phi0 = authalic(ring[0][1]) / 2 + Math.PI / 4;
  let cosPhi0 = Math.cos(phi0);
  let sinPhi0 = Math.sin(phi0);
  for (let i = 1; i < ring.length; i++) {
    const lambda = ring[i][0] * RAD;
    const phi = authalic(ring[i][1]) / 2 + Math.PI / 4;
    const cosPhi = Math.cos(phi);
    const sinPhi = Math.sin(phi);
    const dLambda = lambda - lambda0;
    const sign = dLambda >= 0 ? 1 : -1;
    const adLambda = sign * dLambda;
    const k = sinPhi0 * sinPhi;
    sum += Math.atan2(k * sign * Math.sin(adLambda), cosPhi0 * cosPhi + k * Math.cos(adLambda));
    lambda0 = lambda;
    cosPhi0 = cosPhi;
    sinPhi0 = sinPhi;
  }
  return 2 * sum;
}

/** The area in square metres enclosed by a ring, whatever its orientation. */
export function ringArea(ring: Position[]): number {
  let excess = Math.abs(ringExcess(ring));
  // A ring is taken to enclose the smaller of the two regions it bounds.
  if (excess > 2 * Math.PI) excess = 4 * Math.PI - excess;
  return excess * AUTHALIC_RADIUS * AUTHALIC_RADIUS;
}

/** Length in metres of a path of positions. */
export function pathLength(path: Position[]): number {
  let sum = 0;
  for (let i = 1; i < path.length; i++) sum += distance(path[i - 1], path[i]);
  return sum;
}

type Vec = [number, number, number];
const toVec = (p: Position): Vec => {
  const lambda = p[0] * RAD;
  const phi = p[1] * RAD;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
};
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const fromVec = (v: Vec): Position => {
  const norm = Math.hypot(v[0], v[1], v[2]);
  return [Math.atan2(v[1], v[0]) / RAD, Math.asin(Math.max(-1, Math.min(1, v[2] / norm))) / RAD];
};

/** Metres from p to the edge a–b (a great-circle arc), ending at the nearer end when p is beyond it. */
export function distanceToSegment(p: Position, a: Position, b: Position): number {
  if (a[0] === b[0] && a[1] === b[1]) return distance(p, a);
  const va = toVec(a);
  const vb = toVec(b);
  const vp = toVec(p);
  const n = cross(va, vb);
  const nn = dot(n, n);
  if (nn < 1e-30) return Math.min(distance(p, a), distance(p, b));
  const t = dot(vp, n) / nn;
  const projected: Vec = [vp[0] - t * n[0], vp[1] - t * n[1], vp[2] - t * n[2]];
  const between = dot(cross(va, projected), n) >= 0 && dot(cross(projected, vb), n) >= 0;
  if (!between) return Math.min(distance(p, a), distance(p, b));
  return distance(p, fromVec(projected));
}
