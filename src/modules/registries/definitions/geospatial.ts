// The natural resources and spatial-geographic base registry (自然资源和空间地理基础信息库),
// owned by natural resources. Its layers and features live in tables of their own (geo/).
import type { RegistryDefinition } from '../engine/definition.ts';

export const GEOSPATIAL: RegistryDefinition = {
  name: 'geospatial',
  kind: 'geospatial',
  version: '1.0',
  titleZh: '自然资源和空间地理基础信息库',
  titleEn: 'Natural resources and geospatial register',
  descriptionZh: '行政区划界线、地块、自然资源要素与兴趣点，GeoJSON 进出，支持空间查询。',
  descriptionEn: 'Administrative boundaries, land parcels, natural-resource features and points of interest; GeoJSON in and out, with spatial queries.',
  keyField: 'id',
  subject: 'none',
  fields: [],
};
