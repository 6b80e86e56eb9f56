// The catalog's code lists as the pages show them: each value to its message key. Keyed by the
// server's own types, so a value the server adds (or drops) is a type error here, and the
// order of the keys is the order of the options.
import type { MessageKey } from '../../i18n/index.tsx';
import type { EntryMetadata, EntryStatus, RequestStatus } from './api.ts';

type Meta = EntryMetadata;

export const CLASS_LABELS: Record<Meta['classification']['class'], MessageKey> = { '1': 'catalog.class.1', '2': 'catalog.class.2', '3': 'catalog.class.3' };

/** Items of the base class (the base registries; 04 and 05 have no registry of their own yet). */
export const BASE_ITEMS: Record<string, MessageKey> = {
  '01': 'catalog.base.01',
  '02': 'catalog.base.02',
  '03': 'catalog.base.03',
  '04': 'catalog.base.04',
  '05': 'catalog.base.05',
  '06': 'catalog.base.06',
};

/** The guide's twelve themes (items of class 2, and what an entry is also listed under). */
export const THEMES: Record<string, MessageKey> = {
  '01': 'catalog.theme.01',
  '02': 'catalog.theme.02',
  '03': 'catalog.theme.03',
  '04': 'catalog.theme.04',
  '05': 'catalog.theme.05',
  '06': 'catalog.theme.06',
  '07': 'catalog.theme.07',
  '08': 'catalog.theme.08',
  '09': 'catalog.theme.09',
  '10': 'catalog.theme.10',
  '11': 'catalog.theme.11',
  '12': 'catalog.theme.12',
};

export const DEPARTMENT_ITEMS: Record<string, MessageKey> = { '07': 'catalog.department.07' };

const ITEMS: Record<Meta['classification']['class'], Record<string, MessageKey>> = { '1': BASE_ITEMS, '2': THEMES, '3': DEPARTMENT_ITEMS };

export const itemKey = (c: Pick<Meta['classification'], 'class' | 'item'>): MessageKey | undefined => ITEMS[c.class]?.[c.item];

export const FORMAT_LABELS: Record<Meta['format']['class'], MessageKey> = {
  file: 'catalog.format.file',
  spreadsheet: 'catalog.format.spreadsheet',
  database: 'catalog.format.database',
  image: 'catalog.format.image',
  streaming: 'catalog.format.streaming',
  'self-describing': 'catalog.format.self-describing',
  api: 'catalog.format.api',
};

export const SHARING_LABELS: Record<Meta['sharing']['type'], MessageKey> = {
  unconditional: 'catalog.sharing.unconditional',
  conditional: 'catalog.sharing.conditional',
  none: 'catalog.sharing.none',
};

export const METHOD_LABELS: Record<Meta['sharing']['methods'][number], MessageKey> = { api: 'catalog.method.api', bulk: 'catalog.method.bulk', media: 'catalog.method.media' };

export const CYCLE_LABELS: Record<Meta['updateCycle'], MessageKey> = {
  realtime: 'catalog.cycle.realtime',
  daily: 'catalog.cycle.daily',
  weekly: 'catalog.cycle.weekly',
  monthly: 'catalog.cycle.monthly',
  quarterly: 'catalog.cycle.quarterly',
  'half-yearly': 'catalog.cycle.half-yearly',
  yearly: 'catalog.cycle.yearly',
  irregular: 'catalog.cycle.irregular',
};

export const ITEM_TYPE_LABELS: Record<Meta['dataItems'][number]['type'], MessageKey> = {
  string: 'catalog.itemType.string',
  integer: 'catalog.itemType.integer',
  decimal: 'catalog.itemType.decimal',
  date: 'catalog.itemType.date',
  datetime: 'catalog.itemType.datetime',
  boolean: 'catalog.itemType.boolean',
  binary: 'catalog.itemType.binary',
  geometry: 'catalog.itemType.geometry',
  other: 'catalog.itemType.other',
};

export const ENTRY_STATUS_LABELS: Record<EntryStatus, MessageKey> = {
  draft: 'catalog.status.draft',
  submitted: 'catalog.status.submitted',
  published: 'catalog.status.published',
  rejected: 'catalog.status.rejected',
};

export const REQUEST_STATUS_LABELS: Record<RequestStatus, MessageKey> = {
  pending: 'catalog.requestStatus.pending',
  approved: 'catalog.requestStatus.approved',
  rejected: 'catalog.requestStatus.rejected',
  withdrawn: 'catalog.requestStatus.withdrawn',
  revoked: 'catalog.requestStatus.revoked',
  expired: 'catalog.requestStatus.expired',
};

/** The review trail's steps (the server's review actions). */
export const REVIEW_ACTION_LABELS: Record<string, MessageKey> = {
  submit: 'catalog.review.action.submit',
  approve: 'catalog.review.action.approve',
  reject: 'catalog.review.action.reject',
  sync: 'catalog.review.action.sync',
};

/**
 * The values of a code list in order. Object keys that look like integers ("10", "11") come
 * before the others whatever their place, so lists of numeric codes are sorted.
 */
export function codesOf<K extends string>(labels: Record<K, MessageKey>): K[] {
  const keys = Object.keys(labels) as K[];
  return keys.every((k) => /^\d+$/.test(k)) ? keys.sort() : keys;
}

export const optionsOf = <K extends string>(labels: Record<K, MessageKey>, t: (key: MessageKey) => string) => codesOf(labels).map((value) => ({ value, label: t(labels[value]) }));
