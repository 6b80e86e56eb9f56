// An entry's published versions (everyone) and its review trail (its department and the data
// bureau only: the server sends the trail to them alone).
import { DataTable } from '../../components/data-table.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { EntryHistory } from './api.ts';
import { REVIEW_ACTION_LABELS } from './labels.ts';

export function EntryHistorySections({ history, showTrail }: { history: EntryHistory; showTrail: boolean }) {
  const { t, lang } = useI18n();
  const versions = [...history.versions].sort((a, b) => b.version - a.version);
  const reviews = [...history.reviews].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      <section className="panel" aria-labelledby="catalog-versions-title">
        <h2 id="catalog-versions-title">{t('catalog.versions.title')}</h2>
        <DataTable
          items={versions}
          rowKey={(v) => v.version}
          empty={t('catalog.versions.empty')}
          compact
          columns={[
            { header: t('catalog.versions.version'), className: 'num', cell: (v) => v.version },
            { header: t('catalog.versions.name'), cell: (v) => localName(v.metadata as { nameZh: string; nameEn: string }, lang) },
            { header: t('catalog.versions.at'), cell: (v) => formatDateTime(v.publishedAt, lang) },
            { header: t('catalog.versions.by'), cell: (v) => v.publishedBy },
            { header: t('catalog.versions.note'), cell: (v) => v.note },
          ]}
        />
      </section>
      {showTrail && (
        <section className="panel" aria-labelledby="catalog-trail-title">
          <h2 id="catalog-trail-title">{t('catalog.trail.title')}</h2>
          <DataTable
            items={reviews}
            rowKey={(r) => `${r.at}-${r.action}`}
            empty={t('catalog.trail.empty')}
            compact
            columns={[
              { header: t('catalog.trail.at'), cell: (r) => formatDateTime(r.at, lang) },
              { header: t('catalog.trail.action'), cell: (r) => (REVIEW_ACTION_LABELS[r.action] ? t(REVIEW_ACTION_LABELS[r.action]) : r.action) },
              { header: t('catalog.trail.by'), cell: (r) => r.actorName },
              { header: t('catalog.trail.comment'), cell: (r) => r.comment },
            ]}
          />
        </section>
      )}
    </>
  );
}
