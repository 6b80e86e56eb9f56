// The national core metadata as CKAN package dictionaries (the shape package_show returns
// in CKAN 2.10), and CKAN's organization, group and tag dictionaries. CKAN has one title
// and one description: they are the Chinese ones, with both languages in `title_translated`
// and `notes_translated` (the ckanext-fluent convention). The national fields with no CKAN
// field go to `extras`, as CKAN keeps them: strings, sorted by key.
import { itemLabel, themeItemsOf, THEME_ITEMS } from '../classification.ts';
import type { Doc } from './ckan-query.ts';
import type { OpenEntry } from './open-entries.ts';
import { stableUuid, type Publisher } from './publishers.ts';
import { FILE_TYPES, frequencyIri, licenceOf } from './vocabularies.ts';

/** CKAN writes times as naive UTC with microseconds. */
export const ckanTime = (d: Date): string => d.toISOString().replace('Z', '000');

/** Where the open-data part serves an entry's page and downloads. */
export const datasetPage = (baseUrl: string, id: string) => `${baseUrl}/open/datasets/${id}`;
export const downloadUrl = (baseUrl: string, id: string, format: 'csv' | 'json') => `${baseUrl}/open/datasets/${id}/download.${format}`;

export type CkanOrganization = ReturnType<typeof organizationDict>;

export function organizationDict(p: Publisher, extra: { packageCount?: number } = {}) {
  return {
    id: p.id,
    name: p.name,
    title: p.nameZh,
    title_translated: { zh: p.nameZh, en: p.nameEn },
    display_name: p.nameZh,
    description: p.nameEn,
    type: 'organization',
    is_organization: true,
    approval_status: 'approved',
    state: 'active',
    image_url: '',
    image_display_url: '',
    created: p.createdAt ? ckanTime(new Date(p.createdAt)) : null,
    ...(extra.packageCount !== undefined ? { package_count: extra.packageCount } : {}),
  };
}

/** Themes as CKAN groups: the entry's own theme (class 2) and those it is listed under. */
export function groupsOf(entry: Pick<OpenEntry, 'metadata'>) {
  return themeItemsOf(entry.metadata.classification, entry.metadata.themes).map((item) => ({ id: `theme-${item}`, name: `theme-${item}`, title: THEME_ITEMS[item]!.zh, display_name: THEME_ITEMS[item]!.zh, description: THEME_ITEMS[item]!.en, image_display_url: '' }));
}

export function tagDict(name: string) {
  return { id: stableUuid('tag', name), name, display_name: name, state: 'active', vocabulary_id: null };
}

export function resourcesOf(entry: OpenEntry, baseUrl: string) {
  return (['CSV', 'JSON'] as const).map((format, position) => {
    const lower = format.toLowerCase() as 'csv' | 'json';
    return {
      id: stableUuid('resource', `${entry.id}/${lower}`),
      package_id: entry.id,
      name: `${entry.metadata.nameZh}（${format}）`,
      description: `${entry.metadata.nameEn || entry.metadata.nameZh}: the data as ${format}, as published by the provider (update cycle: ${entry.metadata.updateCycle}).`,
      format,
      mimetype: FILE_TYPES[format].mediaType,
      url: downloadUrl(baseUrl, entry.id, lower),
      url_type: null,
      resource_type: null,
      hash: '',
      size: null,
      position,
      state: 'active',
      created: ckanTime(entry.issued),
      last_modified: ckanTime(entry.modified),
      metadata_modified: ckanTime(entry.modified),
      datastore_active: false,
    };
  });
}

function extrasOf(entry: OpenEntry, dataItems: OpenEntry['metadata']['dataItems'] | undefined) {
  const m = entry.metadata;
  const c = m.classification;
  const label = itemLabel(c);
  const extras: Record<string, string> = {
    identifier: entry.code,
    resource_code: entry.code,
    classification: `${c.class}/${c.item}/${c.subItem}${c.detail ? `/${c.detail}` : ''}`,
    classification_label: label ? `${label.zh} / ${label.en}` : '',
    sharing_type: m.sharing.type,
    sharing_condition: m.sharing.condition,
    sharing_methods: m.sharing.methods.join(','),
    open_condition: m.open.condition,
    update_cycle: m.updateCycle,
    frequency: frequencyIri(m.updateCycle),
    format_class: m.format.class,
    format_type: m.format.type,
    language: 'zh,en',
    related_codes: m.relatedCodes.join(','),
  };
  if (dataItems) extras.data_items = JSON.stringify(dataItems.map((d) => ({ name: d.name, name_en: d.nameEn, field: d.field, type: d.type, description: d.description })));
  if (entry.sourceRegistry) extras.source_registry = entry.sourceRegistry;
  return Object.entries(extras)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

/** package_show's dictionary. Entries listed without their data items (search) say how many they have. */
export function packageDict(entry: OpenEntry & { dataItemCount?: number }, publisher: Publisher | undefined, baseUrl: string) {
  const m = entry.metadata;
  const licence = licenceOf(m.licence);
  const tags = [...new Set(m.keywords)].map(tagDict);
  const resources = resourcesOf(entry, baseUrl);
  const fullItems = entry.dataItemCount === undefined || m.dataItems.length === entry.dataItemCount;
  return {
    id: entry.id,
    name: entry.name,
    title: m.nameZh,
    title_translated: { zh: m.nameZh, en: m.nameEn },
    notes: m.abstractZh,
    notes_translated: { zh: m.abstractZh, en: m.abstractEn },
    type: 'dataset',
    state: 'active',
    private: false,
    author: publisher?.nameZh ?? null,
    author_email: null,
    maintainer: publisher?.nameZh ?? null,
    maintainer_email: null,
    license_id: licence.id,
    license_title: licence.title,
    license_url: licence.url || undefined,
    isopen: licence.open,
    url: datasetPage(baseUrl, entry.id),
    version: String(entry.publishedVersion),
    metadata_created: ckanTime(entry.issued),
    metadata_modified: ckanTime(entry.modified),
    creator_user_id: null,
    owner_org: entry.providerOrgId,
    organization: publisher ? organizationDict(publisher) : null,
    num_resources: resources.length,
    num_tags: tags.length,
    tags,
    groups: groupsOf(entry),
    resources,
    extras: extrasOf(entry, fullItems ? m.dataItems : undefined),
    relationships_as_object: [],
    relationships_as_subject: [],
  };
}

export type CkanPackage = ReturnType<typeof packageDict>;

/** The package as the query language sees it. */
export function docOf(pkg: CkanPackage): Doc {
  const extras = Object.fromEntries(pkg.extras.map((e) => [`extras_${e.key}`, [e.value]]));
  const res = pkg.resources;
  return {
    strings: {
      ...extras,
      id: [pkg.id],
      name: [pkg.name],
      organization: pkg.organization ? [pkg.organization.name] : [],
      owner_org: [pkg.owner_org],
      tags: pkg.tags.map((t) => t.name),
      res_format: res.map((r) => r.format),
      license_id: [pkg.license_id],
      groups: pkg.groups.map((g) => g.name),
      capacity: ['public'],
      type: ['dataset'],
      state: ['active'],
      title_string: [pkg.title],
    },
    texts: {
      title: `${pkg.title_translated.zh} ${pkg.title_translated.en}`.toLowerCase(),
      notes: `${pkg.notes_translated.zh} ${pkg.notes_translated.en}`.toLowerCase(),
      res_name: res.map((r) => r.name).join(' ').toLowerCase(),
      res_description: res.map((r) => r.description).join(' ').toLowerCase(),
      text: [
        pkg.title_translated.zh,
        pkg.title_translated.en,
        pkg.notes_translated.zh,
        pkg.notes_translated.en,
        pkg.name,
        ...pkg.tags.map((t) => t.name),
        pkg.organization?.title ?? '',
        pkg.organization?.description ?? '',
        ...pkg.groups.map((g) => `${g.title} ${g.description}`),
        ...pkg.extras.filter((e) => e.key !== 'frequency').map((e) => e.value),
      ]
        .join(' ')
        .toLowerCase(),
    },
    dates: { metadata_modified: new Date(`${pkg.metadata_modified.slice(0, 23)}Z`), metadata_created: new Date(`${pkg.metadata_created.slice(0, 23)}Z`) },
    numbers: { num_resources: pkg.num_resources, num_tags: pkg.num_tags, version: Number(pkg.version) },
  };
}
