import type { geoZhCN } from './geo.zh-CN.ts';

export const geoEn: Record<keyof typeof geoZhCN, string> = {
  'geo.title': 'Natural resources & geospatial',
};
