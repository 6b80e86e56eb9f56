// What a feature of each layer kind must hold, checked before anything is written: its key
// (a known division code for a boundary, a parcel code…), the properties its kind requires
// (a parcel's land-use class under GB/T 21010, a resource's type), the geometry types it may
// have, and, for a parcel, a declared area that agrees with its geometry.
import type { FieldError } from '../../../platform/errors.ts';
import { measure, validateGeometry, type Geometry, type GeometryType } from './geometry.ts';

export const LAYER_KINDS = ['boundaries', 'parcels', 'resources', 'poi'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** The coordinate reference systems a layer may be kept in: both longitude/latitude in degrees. */
export const CRS_CODES = ['EPSG:4490', 'EPSG:4326'] as const;
export type CrsCode = (typeof CRS_CODES)[number];
export const crsUrn = (crs: string) => `urn:ogc:def:crs:EPSG::${crs.slice('EPSG:'.length)}`;

/** A `crs` member in an imported file (GeoJSON 2008 style) we read as longitude/latitude. */
export function crsOfName(name: string): CrsCode | undefined {
  const n = name.trim().toUpperCase();
  if (/^(URN:OGC:DEF:CRS:OGC:1\.3:CRS84|URN:OGC:DEF:CRS:OGC::CRS84|CRS84|OGC:CRS84)$/.test(n)) return 'EPSG:4326';
  const m = /^(?:URN:OGC:DEF:CRS:EPSG:[0-9.]*:|EPSG:+|HTTPS?:\/\/WWW\.OPENGIS\.NET\/DEF\/CRS\/EPSG\/0\/)(4326|4490)$/.exec(n);
  return m ? (`EPSG:${m[1]}` as CrsCode) : undefined;
}

/** GB/T 21010-2017 land-use classification, first level: code → [zh, en]. */
export const LAND_USE: Record<string, readonly [string, string]> = {
  '01': ['耕地', 'Cultivated land'],
  '02': ['园地', 'Garden land'],
  '03': ['林地', 'Forest land'],
  '04': ['草地', 'Grassland'],
  '05': ['商服用地', 'Commercial and service land'],
  '06': ['工矿仓储用地', 'Industrial, mining and storage land'],
  '07': ['住宅用地', 'Residential land'],
  '08': ['公共管理与公共服务用地', 'Public administration and public service land'],
  '09': ['特殊用地', 'Special-use land'],
  '10': ['交通运输用地', 'Transport land'],
  '11': ['水域及水利设施用地', 'Water and water-conservancy facilities land'],
  '12': ['其他土地', 'Other land'],
};

export const RESOURCE_TYPES: Record<string, readonly [string, string]> = {
  river: ['河流', 'River'],
  lake: ['湖泊', 'Lake'],
  reservoir: ['水库', 'Reservoir'],
  wetland: ['湿地', 'Wetland'],
  forest: ['森林', 'Forest'],
  grassland: ['草原', 'Grassland'],
  mineral: ['矿产地', 'Mineral deposit'],
  protected: ['自然保护地', 'Protected area'],
  other: ['其他', 'Other'],
};

export const POI_CATEGORIES: Record<string, readonly [string, string]> = {
  government: ['政府机关', 'Government office'],
  service: ['政务服务中心', 'Public service centre'],
  school: ['学校', 'School'],
  hospital: ['医院', 'Hospital'],
  transport: ['交通设施', 'Transport'],
  scenic: ['风景名胜', 'Scenic spot'],
  other: ['其他', 'Other'],
};

const GEOMETRIES: Record<LayerKind, readonly GeometryType[]> = {
  boundaries: ['Polygon', 'MultiPolygon'],
  parcels: ['Polygon', 'MultiPolygon'],
  resources: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'],
  poi: ['Point'],
};

/** A declared parcel area may differ from the one computed from its geometry by at most this share. */
export const AREA_TOLERANCE = 0.01;
export const KEY_PATTERN = '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$';
const PROPERTY_LIMIT = 50;
const PROPERTIES_BYTES = 16 * 1024;

export type CheckedFeature = { key: string; name: string; properties: Record<string, unknown>; geometry: Geometry; areaM2: number; lengthM: number };
export type FeatureCheck = { ok: true; feature: CheckedFeature } | { ok: false; problems: FieldError[] };

const problem = (field: string, code: string, message: string, messageZh: string): FieldError => ({ field, code, message, messageZh });
const listed = (list: Record<string, readonly [string, string]>) => Object.keys(list).join(', ');

function checkKey(kind: LayerKind, key: unknown, field: string, divisionExists: (code: string) => boolean): FieldError | undefined {
  if (typeof key !== 'string' || key === '') return problem(field, 'required', kind === 'boundaries' ? 'is required: the division code the boundary is of' : 'is required: the code identifying the feature in its layer', kind === 'boundaries' ? '必填：界线所属的行政区划代码' : '必填：要素在图层内的编码');
  if (kind === 'boundaries') {
    if (!/^\d{6}$/.test(key)) return problem(field, 'division_format', `"${key.slice(0, 40)}" is not a division code: six digits (GB/T 2260)`, `“${key.slice(0, 40)}”不是行政区划代码：应为 6 位数字（GB/T 2260）`);
    if (!divisionExists(key)) return problem(field, 'division_unknown', `${key} is not a known division code: use a code of the national list or one registered locally`, `${key} 不是已知的行政区划代码：请使用国家代码表或本地登记的代码`);
    return undefined;
  }
  if (!new RegExp(KEY_PATTERN).test(key)) return problem(field, 'key_format', 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit', '须为 1–64 个字母、数字、“.”、“_”或“-”，以字母或数字开头');
  return undefined;
}

function checkCode(value: unknown, field: string, list: Record<string, readonly [string, string]>, what: string, whatZh: string, required: boolean): FieldError | undefined {
  if (value === undefined || value === null || value === '') return required ? problem(field, 'required', `is required: the ${what}, one of ${listed(list)}`, `必填：${whatZh}，取值为 ${listed(list)} 之一`) : undefined;
  if (typeof value !== 'string' || !(value in list)) return problem(field, 'code_unknown', `"${String(value).slice(0, 40)}" is not a ${what}: use one of ${listed(list)}`, `“${String(value).slice(0, 40)}”不是有效的${whatZh}：应为 ${listed(list)} 之一`);
  return undefined;
}

function checkProperties(value: unknown, field: string): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [problem(field, 'properties_shape', 'must be an object of named values', '应为由名称和值组成的对象')];
  const entries = Object.entries(value);
  const problems: FieldError[] = [];
  if (entries.length > PROPERTY_LIMIT) problems.push(problem(field, 'too_many_properties', `has ${entries.length} properties; at most ${PROPERTY_LIMIT}`, `属性有 ${entries.length} 个，最多 ${PROPERTY_LIMIT} 个`));
  else if (Buffer.byteLength(JSON.stringify(value)) > PROPERTIES_BYTES) problems.push(problem(field, 'properties_too_large', `are larger than ${PROPERTIES_BYTES / 1024} KB`, `超过 ${PROPERTIES_BYTES / 1024} KB`));
  for (const [name, v] of entries) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) problems.push(problem(`${field}.${name.slice(0, 40)}`, 'property_type', 'must be text, a number, true/false or null (nested objects are not kept)', '须为文本、数字、布尔值或 null（不保存嵌套对象）'));
  }
  for (const name of ['name', 'nameEn']) {
    const v = (value as Record<string, unknown>)[name];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 200)) problems.push(problem(`${field}.${name}`, 'name', 'must be text of at most 200 characters', '须为不超过 200 个字符的文本'));
  }
  return problems;
}

/**
 * Checks one feature for a layer of `kind`; `prefix` names where it is ("" for a request body,
 * "features[3]." in an import). Properties the layer derives (a parcel's areaM2) are set here.
 */
export function checkFeature(kind: LayerKind, input: { key: unknown; properties: unknown; geometry: unknown }, prefix: string, divisionExists: (code: string) => boolean, keyField = 'key'): FeatureCheck {
  const problems: FieldError[] = [];
  const keyProblem = checkKey(kind, input.key, `${prefix}${keyField}`, divisionExists);
  if (keyProblem) problems.push(keyProblem);
  const pf = `${prefix}properties`;
  const properties = (input.properties ?? {}) as Record<string, unknown>;
  problems.push(...checkProperties(properties, pf));
  const geometryResult = validateGeometry(input.geometry, `${prefix}geometry`);
  if (!geometryResult.ok) problems.push(...geometryResult.problems);
  else if (!GEOMETRIES[kind].includes(geometryResult.geometry.type)) {
    problems.push(problem(`${prefix}geometry.type`, 'geometry_type_for_layer', `a ${kind} feature must be a ${GEOMETRIES[kind].join(' or ')}, not a ${geometryResult.geometry.type}`, `该图层的要素须为 ${GEOMETRIES[kind].join(' 或 ')}，而不是 ${geometryResult.geometry.type}`));
  }
  if (problems.some((p) => p.field === pf)) return { ok: false, problems };
  const props = { ...properties };
  const kindProblem =
    kind === 'parcels'
      ? checkCode(props.landUse, `${pf}.landUse`, LAND_USE, 'GB/T 21010 land-use class (first level)', 'GB/T 21010 土地利用一级类', true)
      : kind === 'resources'
        ? checkCode(props.resourceType, `${pf}.resourceType`, RESOURCE_TYPES, 'resource type', '资源类型', true)
        : kind === 'poi'
          ? (checkCode(props.category, `${pf}.category`, POI_CATEGORIES, 'category', '类别', false) ??
            (typeof props.name === 'string' && props.name.trim() ? undefined : problem(`${pf}.name`, 'required', 'is required: the name of the place', '必填：地点名称')))
          : undefined;
  if (kindProblem) problems.push(kindProblem);
  if (!geometryResult.ok || problems.length > 0) return { ok: false, problems };
  const geometry = geometryResult.geometry;
  const { areaM2, lengthM } = measure(geometry);
  if (kind === 'parcels') {
    const declared = props.areaM2;
    if (declared !== undefined && declared !== null) {
      if (typeof declared !== 'number' || !(declared > 0)) return { ok: false, problems: [problem(`${pf}.areaM2`, 'area_format', 'must be a positive number of square metres', '须为正数（平方米）')] };
      if (Math.abs(declared - areaM2) > AREA_TOLERANCE * areaM2) {
        return {
          ok: false,
          problems: [problem(`${pf}.areaM2`, 'area_mismatch', `declares ${declared} m², but the geometry encloses ${areaM2.toFixed(2)} m² (more than ${AREA_TOLERANCE * 100} % apart): check the geometry or leave the area out and it is computed`, `申报面积为 ${declared} 平方米，而几何图形围成 ${areaM2.toFixed(2)} 平方米（相差超过 ${AREA_TOLERANCE * 100}%）：请核对图形，或不填面积由系统计算`)],
        };
      }
    }
    props.areaM2 = Math.round(areaM2 * 100) / 100;
  }
  const name = typeof props.name === 'string' ? props.name : '';
  return { ok: true, feature: { key: input.key as string, name, properties: props, geometry, areaM2, lengthM } };
}
