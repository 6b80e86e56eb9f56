// Demo layers for the fictitious Qingyun province (青云省, 990000): its two cities, 云州市
// (990100) with 安平县 (990121) and 临江市 (990200), whose boundaries nest and share their
// borders exactly; a few parcels in 安平县 (one forest parcel with a pond cut out of it); the
// 青云江 river and 镜湖 lake; and points of interest. Invented coordinates, loaded through the
// service's import, so they are checked and audited like any other.
import type { Operator } from '../../../platform/actor.ts';
import type { GeoService } from './service.ts';

type Position = [number, number];
const ring = (...points: Position[]): Position[] => [...points, points[0]];
const rect = (x: number, y: number, w: number, h: number): Position[] => ring([x, y], [x + w, y], [x + w, y + h], [x, y + h]);
const feature = (id: string, properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', id, properties, geometry });
const polygon = (...rings: Position[][]) => ({ type: 'Polygon', coordinates: rings });

// The border between the two cities runs through these points, which are vertices of all three rings.
const SOUTH: Position = [111, 30];
const MIDDLE: Position = [111.1, 30.8];
const NORTH: Position = [111, 31.65];

export const DEMO_LAYERS: Record<string, unknown[]> = {
  boundaries: [
    feature('990000', { name: '青云省', nameEn: 'Qingyun Province', level: 'province' }, polygon(ring([110, 30], SOUTH, [112, 30], [112.2, 30.8], [111.8, 31.6], NORTH, [110.6, 31.7], [109.9, 31]))),
    feature('990100', { name: '云州市', nameEn: 'Yunzhou', level: 'city' }, polygon(ring([110, 30], SOUTH, MIDDLE, NORTH, [110.6, 31.7], [109.9, 31]))),
    feature('990200', { name: '临江市', nameEn: 'Linjiang', level: 'city' }, polygon(ring(SOUTH, [112, 30], [112.2, 30.8], [111.8, 31.6], NORTH, MIDDLE))),
    feature('990121', { name: '安平县', nameEn: 'Anping County', level: 'county' }, polygon(ring([110.2, 30.2], [110.8, 30.2], [110.9, 30.7], [110.5, 30.9], [110.15, 30.6]))),
  ],
  parcels: [
    feature('990121001001GB00001', { name: '东塘村一组耕地', landUse: '01', owner: '东塘村集体' }, polygon(rect(110.5, 30.5, 0.003, 0.003))),
    feature('990121001001GB00002', { name: '东塘村宅基地', landUse: '07', owner: '东塘村集体' }, polygon(rect(110.503, 30.5, 0.003, 0.003))),
    feature('990121001002GB00001', { name: '青山林场（含鱼塘）', landUse: '03', owner: '国有' }, polygon(rect(110.51, 30.5, 0.006, 0.006), rect(110.512, 30.502, 0.002, 0.002).reverse())),
    feature('990121001003GB00001', { name: '安平县政务服务中心用地', landUse: '08', owner: '国有' }, polygon(rect(110.48, 30.52, 0.002, 0.002))),
  ],
  resources: [
    feature('R-QYJ', { name: '青云江', nameEn: 'Qingyun River', resourceType: 'river' }, { type: 'LineString', coordinates: [[109.95, 30.9], [110.3, 30.75], [110.6, 30.6], [111, 30.45], [111.5, 30.35], [112.1, 30.3]] }),
    feature('L-JH', { name: '镜湖', nameEn: 'Jing Lake', resourceType: 'lake' }, polygon(ring([111.45, 31.05], [111.55, 31.04], [111.6, 31.1], [111.53, 31.16], [111.44, 31.12]))),
    feature('F-QS', { name: '青山国有林场', nameEn: 'Qingshan state forest', resourceType: 'forest' }, polygon(ring([110.3, 31.3], [110.45, 31.28], [110.5, 31.4], [110.35, 31.45]))),
  ],
  poi: [
    feature('P-GOV-990000', { name: '青云省人民政府', nameEn: 'Qingyun Provincial Government', category: 'government' }, { type: 'Point', coordinates: [110.7, 31.2] }),
    feature('P-SVC-990121', { name: '安平县政务服务中心', nameEn: 'Anping public service centre', category: 'service' }, { type: 'Point', coordinates: [110.481, 30.521] }),
    feature('P-SCH-001', { name: '云州市第一中学', nameEn: 'Yunzhou No. 1 Middle School', category: 'school' }, { type: 'Point', coordinates: [110.72, 31.18] }),
    feature('P-HOS-001', { name: '临江市人民医院', nameEn: 'Linjiang People’s Hospital', category: 'hospital' }, { type: 'Point', coordinates: [111.6, 30.9] }),
    feature('P-TRN-001', { name: '云州站', nameEn: 'Yunzhou railway station', category: 'transport' }, { type: 'Point', coordinates: [110.65, 31.15] }),
  ],
};

/** The demo's layers; does nothing when there are features already. Needs the demo's local divisions. */
export async function seedGeoDemo(service: GeoService, op: Operator): Promise<void> {
  const layers = await service.listLayers();
  if (layers.some((l) => l.featureCount > 0)) return;
  for (const [layer, features] of Object.entries(DEMO_LAYERS)) {
    await service.importCollection(op, layer, { featureCollection: { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features }, reason: '演示数据 Demo data' });
  }
}
