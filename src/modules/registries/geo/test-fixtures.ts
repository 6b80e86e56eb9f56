// Fixtures shared by the geospatial registry's tests: the demo's local divisions (boundaries
// must be of a known division) and the hand-made query fixture of geo.test.ts, whose answers
// are known by construction (nested boundaries, a parcel with a hole, points of interest at
// known offsets, a river). postgis.test.ts runs the same fixture through both engines.
export type Position = [number, number];
type Division = { code: string; name: string; level: 'province' | 'city' | 'county'; parent: string | null };
export type FixtureFeature = { layer: string; key: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };

export const rect = (x: number, y: number, w: number, h: number): Position[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]];
export const polygon = (...rings: Position[][]) => ({ type: 'Polygon', coordinates: rings });
export const point = (x: number, y: number) => ({ type: 'Point', coordinates: [x, y] });

/** The Qingyun province's local divisions (invented codes 99xxxx, decision 0004), as the demo adds them. */
export async function addDemoDivisions(directory: { addLocalDivision(division: Division): Promise<unknown> }): Promise<void> {
  await directory.addLocalDivision({ code: '990000', name: '青云省', level: 'province', parent: null });
  await directory.addLocalDivision({ code: '990100', name: '云州市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990200', name: '临江市', level: 'city', parent: '990000' });
  await directory.addLocalDivision({ code: '990121', name: '安平县', level: 'county', parent: '990100' });
}

const feature = (layer: string, key: string, geometry: FixtureFeature['geometry'], properties: Record<string, unknown> = {}): FixtureFeature => ({ layer, key, geometry, properties });

export const QUERY_FIXTURE: FixtureFeature[] = [
  feature('boundaries', '990000', polygon(rect(120, 30, 2, 2)), { name: '青云省' }),
  feature('boundaries', '990100', polygon(rect(120, 30, 1, 2)), { name: '云州市' }),
  feature('boundaries', '990200', polygon(rect(121, 30, 1, 1.5)), { name: '临江市' }),
  feature('boundaries', '990121', polygon(rect(120.2, 30.2, 0.6, 0.6)), { name: '安平县' }),
  feature('parcels', 'P1', polygon(rect(120.5, 30.5, 0.01, 0.01), rect(120.504, 30.504, 0.002, 0.002)), { landUse: '03', name: '林地' }),
  feature('poi', 'EAST', point(120.01, 30), { name: '东' }),
  feature('poi', 'NORTH', point(120, 30.02), { name: '北' }),
  feature('poi', 'FAR', point(120.03, 30.03), { name: '远' }),
  feature('resources', 'RIVER', { type: 'LineString', coordinates: [[120.1, 30.1], [120.1, 30.3]] }, { resourceType: 'river', name: '河' }),
];
