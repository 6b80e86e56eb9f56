// Messages of one feature, kept in a file of their own so features grow without editing
// each other's lines; zh-CN.ts spreads them into the source catalog.
export const geoZhCN = {
  'geo.title': '自然资源和空间地理',
};
