// Base entries (class 1) are not written by hand: each installed base registry has one,
// derived from its definition and owner, its data items the registry's fields. Run again
// after a registry's schema or owner changes, it publishes a new version of the entry only
// when something differs, so the catalog never drifts from the registries.
import type { Operator } from '../../platform/actor.ts';
import { BASE_ITEMS } from './classification.ts';
import type { DataItem, EntryMetadata, ItemType, SharingType } from './model.ts';
import type { CatalogService } from './service.ts';

/** What the catalog needs to know of a registry (from the registries module's catalog). */
export type RegistrySource = {
  name: string;
  kind: 'records' | 'geospatial' | 'macroeconomic';
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  ownerOrgId: string;
  fields: { name: string; type: string; labelZh: string; labelEn: string; sensitivity: string }[];
};

const FIELD_TYPES: Record<string, ItemType> = { string: 'string', text: 'string', code: 'string', 'string-list': 'string', integer: 'integer', decimal: 'decimal', date: 'date', boolean: 'boolean' };

// Layers and indicators are not flat records; their data items are stated here, without
// fields (their rights name properties or indicators, so they are shared whole).
const FIXED_ITEMS: Record<'geospatial' | 'macroeconomic', DataItem[]> = {
  geospatial: [
    { name: '图层', nameEn: 'Layer', field: '', type: 'string', description: 'boundaries, parcels, resources or points of interest' },
    { name: '要素编码', nameEn: 'Feature key', field: '', type: 'string', description: 'a division code, a parcel code or another key' },
    { name: '名称', nameEn: 'Name', field: '', type: 'string', description: '' },
    { name: '属性', nameEn: 'Properties', field: '', type: 'other', description: "the layer kind's properties (land use, area, category)" },
    { name: '几何', nameEn: 'Geometry', field: '', type: 'geometry', description: 'GeoJSON, EPSG:4490 or EPSG:4326' },
  ],
  macroeconomic: [
    { name: '指标代码', nameEn: 'Indicator code', field: '', type: 'string', description: '' },
    { name: '地区', nameEn: 'Region', field: '', type: 'string', description: 'division code (GB/T 2260)' },
    { name: '时期', nameEn: 'Period', field: '', type: 'string', description: 'year, quarter or month' },
    { name: '数值', nameEn: 'Value', field: '', type: 'decimal', description: 'in the indicator’s unit' },
    { name: '修订', nameEn: 'Revision', field: '', type: 'integer', description: 'each revision kept with its source' },
  ],
};

/** Personal data is shared on conditions; the rest without. */
function sharingOf(source: RegistrySource): { type: SharingType; condition: string } {
  const personal = source.fields.some((f) => f.sensitivity === 'personal' || f.sensitivity === 'sensitive');
  return personal
    ? { type: 'conditional', condition: '用于法定职责所需的业务办理，按访问授权仅提供必要信息项，读取记录可供数据主体查询。 For the lawful duties of the requesting department; only the data items its access right grants; every read is logged for the data subject.' }
    : { type: 'unconditional', condition: '' };
}

export function baseEntryMetadata(source: RegistrySource, exchangeService: string): EntryMetadata | undefined {
  const item = Object.entries(BASE_ITEMS).find(([, label]) => label.registry === source.name)?.[0];
  if (!item) return undefined;
  const sharing = sharingOf(source);
  const dataItems: DataItem[] =
    source.kind === 'records'
      ? source.fields.map((f) => ({ name: f.labelZh, nameEn: f.labelEn, field: f.name, type: FIELD_TYPES[f.type] ?? 'other', description: f.sensitivity }))
      : FIXED_ITEMS[source.kind];
  return {
    classification: { class: '1', item, subItem: '001', detail: '' },
    nameZh: source.titleZh,
    nameEn: source.titleEn,
    abstractZh: source.descriptionZh,
    abstractEn: source.descriptionEn,
    format: { class: 'api', type: 'JSON (GovStack Digital Registries / egov exchange)' },
    dataItems,
    sharing: { type: sharing.type, condition: sharing.condition, basis: '', methods: ['api', 'bulk'] },
    open: { open: false, condition: '' },
    updateCycle: 'realtime',
    themes: [],
    keywords: [],
    relatedCodes: [],
    exchangeService,
    licence: '',
  };
}

/** Publishes or refreshes the base entry of every base registry given; returns what changed. */
export async function syncBaseEntries(catalog: CatalogService, op: Operator, sources: RegistrySource[], serviceOf: (registry: string) => Promise<string>): Promise<{ registry: string; code: string; changed: boolean }[]> {
  const results: { registry: string; code: string; changed: boolean }[] = [];
  for (const source of sources) {
    const metadata = baseEntryMetadata(source, await serviceOf(source.name));
    if (!metadata) continue;
    results.push({ registry: source.name, ...(await catalog.publishDerived(op, source.name, source.ownerOrgId, metadata)) });
  }
  return results;
}
