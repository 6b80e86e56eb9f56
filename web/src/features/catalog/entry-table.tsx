// A list of catalog entries as a table: code, name (a link to the entry), provider, sharing
// type, open or not, update cycle; with the status when the list holds unpublished entries.
import type { ReactNode } from 'react';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import type { EntryView } from './api.ts';
import { CYCLE_LABELS, SHARING_LABELS } from './labels.ts';
import { EntryStatusBadge, SharingBadge } from './badges.tsx';

export type EntryRow = {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  provider: { nameZh: string; nameEn: string };
  sharing: string;
  open: boolean;
  updateCycle: string;
  status?: EntryView['status'];
  updatedAt?: string;
};

export const rowOf = (entry: EntryView): EntryRow => ({
  id: entry.id,
  code: entry.code,
  nameZh: entry.metadata.nameZh,
  nameEn: entry.metadata.nameEn,
  provider: entry.provider,
  sharing: entry.metadata.sharing.type,
  open: entry.metadata.open.open,
  updateCycle: entry.metadata.updateCycle,
  status: entry.status,
  updatedAt: entry.updatedAt,
});

/** `name` renders a row's name (e.g. with the search's highlights); `below` adds a line under it (an abstract's snippet). */
export function EntryTable({ rows, withStatus, empty, name, below }: { rows: EntryRow[]; withStatus?: boolean; empty: string; name?: (row: EntryRow) => ReactNode; below?: (row: EntryRow) => ReactNode }) {
  const { t, lang } = useI18n();
  const columns: Column<EntryRow>[] = [
    { header: t('catalog.col.code'), className: 'nowrap', cell: (row) => <span className="catalog-code">{row.code}</span> },
    {
      header: t('catalog.col.name'),
      cell: (row) => (
        <>
          <Link to={`/catalog/entries/${row.id}`}>{name ? name(row) : localName(row, lang)}</Link>
          {below?.(row)}
        </>
      ),
    },
    { header: t('catalog.col.provider'), cell: (row) => localName(row.provider, lang) },
    { header: t('catalog.col.sharing'), cell: (row) => (row.sharing in SHARING_LABELS ? <SharingBadge type={row.sharing as keyof typeof SHARING_LABELS} /> : row.sharing) },
    { header: t('catalog.col.open'), cell: (row) => t(row.open ? 'catalog.open.yes' : 'catalog.open.no') },
    { header: t('catalog.col.cycle'), cell: (row) => (row.updateCycle in CYCLE_LABELS ? t(CYCLE_LABELS[row.updateCycle as keyof typeof CYCLE_LABELS]) : row.updateCycle) },
  ];
  if (withStatus) {
    columns.push({ header: t('common.status'), cell: (row) => row.status && <EntryStatusBadge status={row.status} /> });
    columns.push({ header: t('catalog.col.updated'), className: 'small', cell: (row) => formatDateTime(row.updatedAt, lang) });
  }
  return <DataTable items={rows} columns={columns} rowKey={(row) => row.id} empty={empty} />;
}
