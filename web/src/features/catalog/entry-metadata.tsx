// An entry's core metadata as the entry page shows it: a description list of every field in
// the UI language (the other language's text where one is missing), and its data items as a
// table. Also used to show what the reviewer is asked to approve.
import type { ReactNode } from 'react';
import { DataTable } from '../../components/data-table.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { DataItem, EntryMetadata, EntryView } from './api.ts';
import { SharingBadge } from './badges.tsx';
import { CLASS_LABELS, CYCLE_LABELS, FORMAT_LABELS, ITEM_TYPE_LABELS, METHOD_LABELS, THEMES, itemKey } from './labels.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A text in the UI language, or the other one's when it is empty. */
export function useLocalText() {
  const { lang } = useI18n();
  return (zh: string, en: string) => (lang === 'en' ? en || zh : zh || en);
}

export function EntryMetadataList({ entry, metadata }: { entry: EntryView; metadata: EntryMetadata }) {
  const { t, lang } = useI18n();
  const local = useLocalText();
  const c = metadata.classification;
  const item = itemKey(c);
  const label = (key: MessageKey | undefined, fallback: string) => (key ? t(key) : fallback);
  const none = <span className="muted">{t('catalog.meta.none')}</span>;
  return (
    <dl className="details catalog-meta" data-testid="catalog-metadata">
      <Row label={t('catalog.meta.code')}>
        <span className="catalog-code">{entry.code}</span>
      </Row>
      <Row label={t('catalog.meta.classification')}>
        {t(CLASS_LABELS[c.class])} / {label(item, c.item)} ({[c.class, c.item, c.subItem, c.detail].filter(Boolean).join(' · ')})
      </Row>
      <Row label={t('catalog.meta.provider')}>{localName(entry.provider, lang)}</Row>
      <Row label={t('catalog.meta.nameZh')}>{metadata.nameZh}</Row>
      <Row label={t('catalog.meta.nameEn')}>{metadata.nameEn || none}</Row>
      <Row label={t('catalog.meta.abstract')}>{local(metadata.abstractZh, metadata.abstractEn)}</Row>
      <Row label={t('catalog.meta.format')}>
        {label(FORMAT_LABELS[metadata.format.class], metadata.format.class)}: {metadata.format.type}
      </Row>
      <Row label={t('catalog.meta.sharing')}>
        <SharingBadge type={metadata.sharing.type} />
      </Row>
      {metadata.sharing.condition && <Row label={t('catalog.meta.condition')}>{metadata.sharing.condition}</Row>}
      {metadata.sharing.basis && <Row label={t('catalog.meta.basis')}>{metadata.sharing.basis}</Row>}
      <Row label={t('catalog.meta.methods')}>{metadata.sharing.methods.length ? metadata.sharing.methods.map((m) => label(METHOD_LABELS[m], m)).join(lang === 'en' ? ', ' : '、') : none}</Row>
      <Row label={t('catalog.meta.open')}>
        {t(metadata.open.open ? 'catalog.open.yes' : 'catalog.open.no')}
        {metadata.open.condition ? ` (${metadata.open.condition})` : ''}
      </Row>
      {metadata.licence && <Row label={t('catalog.meta.licence')}>{metadata.licence}</Row>}
      <Row label={t('catalog.meta.cycle')}>{label(CYCLE_LABELS[metadata.updateCycle], metadata.updateCycle)}</Row>
      <Row label={t('catalog.meta.themes')}>{metadata.themes.length ? metadata.themes.map((th) => label(THEMES[th], th)).join(lang === 'en' ? ', ' : '、') : none}</Row>
      <Row label={t('catalog.meta.keywords')}>{metadata.keywords.length ? metadata.keywords.join(lang === 'en' ? ', ' : '、') : none}</Row>
      <Row label={t('catalog.meta.related')}>{metadata.relatedCodes.length ? metadata.relatedCodes.join(', ') : none}</Row>
      <Row label={t('catalog.meta.service')}>{metadata.exchangeService ? <code>{metadata.exchangeService}</code> : none}</Row>
      <Row label={t('catalog.meta.published')}>
        {entry.publishedVersion > 0 ? t('catalog.meta.publishedValue', { version: entry.publishedVersion, at: formatDateTime(entry.publishedAt, lang) }) : t('catalog.meta.notPublished')}
      </Row>
      {entry.sourceRegistry && <Row label={t('catalog.meta.source')}>{t('catalog.meta.sourceValue', { registry: entry.sourceRegistry })}</Row>}
    </dl>
  );
}

export function DataItemsTable({ items }: { items: DataItem[] }) {
  const { t } = useI18n();
  const rows = items.map((item, index) => ({ ...item, index }));
  return (
    <DataTable
      items={rows}
      rowKey={(row) => row.index}
      empty={t('catalog.items.empty')}
      compact
      columns={[
        { header: t('catalog.items.no'), className: 'num', cell: (row) => row.index + 1 },
        { header: t('catalog.items.name'), cell: (row) => row.name },
        { header: t('catalog.items.nameEn'), cell: (row) => row.nameEn },
        { header: t('catalog.items.field'), cell: (row) => (row.field ? <code>{row.field}</code> : '') },
        { header: t('catalog.items.type'), cell: (row) => (ITEM_TYPE_LABELS[row.type] ? t(ITEM_TYPE_LABELS[row.type]) : row.type) },
        { header: t('catalog.items.description'), cell: (row) => row.description },
      ]}
    />
  );
}
