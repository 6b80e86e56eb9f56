// A feature's properties as a form holds them. Each layer kind has the properties the server
// checks (src/modules/registries/geo/model.ts): a parcel's GB/T 21010 land-use class, a
// resource's type, a point of interest's name and category; those get labelled inputs, code
// lists as selects. Any other property is a name and a value of a chosen type (text, number,
// yes/no or empty), so nothing a feature holds is lost by editing it. A parcel's area is
// computed by the server from the geometry, so it is shown, never sent.
import type { FieldProblem } from '../../../api.ts';
import type { MessageKey } from '../../../i18n/index.tsx';

export type LayerKind = 'boundaries' | 'parcels' | 'resources' | 'poi';

export type PropertySpec = { name: string; label: MessageKey; codes?: { value: string; label: MessageKey }[]; required?: boolean; derived?: boolean };

const LAND_USE = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const RESOURCE_TYPES = ['river', 'lake', 'reservoir', 'wetland', 'forest', 'grassland', 'mineral', 'protected', 'other'];
const POI_CATEGORIES = ['government', 'service', 'school', 'hospital', 'transport', 'scenic', 'other'];

const name: PropertySpec = { name: 'name', label: 'geo.prop.name' };
const nameEn: PropertySpec = { name: 'nameEn', label: 'geo.prop.nameEn' };

export const PROPERTY_SPECS: Record<LayerKind, PropertySpec[]> = {
  boundaries: [name, nameEn, { name: 'level', label: 'geo.prop.level' }],
  parcels: [
    name,
    { name: 'landUse', label: 'geo.prop.landUse', required: true, codes: LAND_USE.map((c) => ({ value: c, label: `geo.landUse.${c}` as MessageKey })) },
    { name: 'owner', label: 'geo.prop.owner' },
    { name: 'areaM2', label: 'geo.prop.areaM2', derived: true },
  ],
  resources: [name, nameEn, { name: 'resourceType', label: 'geo.prop.resourceType', required: true, codes: RESOURCE_TYPES.map((c) => ({ value: c, label: `geo.resourceType.${c}` as MessageKey })) }],
  poi: [{ ...name, required: true }, nameEn, { name: 'category', label: 'geo.prop.category', codes: POI_CATEGORIES.map((c) => ({ value: c, label: `geo.poiCategory.${c}` as MessageKey })) }],
};

export const specsOf = (kind: string): PropertySpec[] => PROPERTY_SPECS[kind as LayerKind] ?? [name, nameEn];

export type ValueType = 'text' | 'number' | 'boolean' | 'null';
export type ExtraProperty = { id: number; name: string; value: string; type: ValueType };
export type PropertyValues = { fixed: Record<string, string>; extra: ExtraProperty[] };

let nextId = 1;
export const newExtra = (): ExtraProperty => ({ id: nextId++, name: '', value: '', type: 'text' });

const typeOf = (v: unknown): ValueType => (v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'text');

/** A feature's properties split into the layer's own inputs and the rest as name/value rows. */
export function toPropertyValues(kind: string, properties: Record<string, unknown> | undefined): PropertyValues {
  const specs = specsOf(kind);
  const fixed: Record<string, string> = {};
  for (const spec of specs) {
    const v = properties?.[spec.name];
    fixed[spec.name] = v === undefined || v === null ? '' : String(v);
  }
  const extra = Object.entries(properties ?? {})
    .filter(([k]) => !specs.some((s) => s.name === k))
    .map(([k, v]) => ({ id: nextId++, name: k, value: v === null || v === undefined ? '' : String(v), type: typeOf(v) }));
  return { fixed, extra };
}

/**
 * The properties to send, or the problems that stop them being sent (named like the server's,
 * `properties.<name>`, so they show beside the same inputs). Empty inputs are left out.
 */
export function fromPropertyValues(kind: string, values: PropertyValues, words: { number: string; duplicate: string; noName: string }): { properties: Record<string, unknown> } | { problems: FieldProblem[] } {
  const properties: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const spec of specsOf(kind)) {
    const text = (values.fixed[spec.name] ?? '').trim();
    if (spec.derived || text === '') continue;
    properties[spec.name] = text;
  }
  for (const row of values.extra) {
    const key = row.name.trim();
    if (key === '') {
      if (row.value.trim() !== '') problems.push({ field: `extra.${row.id}`, code: 'property_name', message: words.noName });
      continue;
    }
    if (key in properties || specsOf(kind).some((s) => s.name === key)) {
      problems.push({ field: `properties.${key}`, code: 'property_duplicate', message: words.duplicate });
      continue;
    }
    const text = row.value.trim();
    if (row.type === 'null') properties[key] = null;
    else if (row.type === 'boolean') properties[key] = text === 'true';
    else if (row.type === 'number') {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) problems.push({ field: `properties.${key}`, code: 'property_number', message: words.number });
      else properties[key] = n;
    } else properties[key] = row.value;
  }
  return problems.length > 0 ? { problems } : { properties };
}
