// Two lists of entries in every state: the department's own (with their status, and a filter
// by it) and the data bureau's review queue (the submitted entries of every department; each
// opens on its page, where it is approved or sent back).
import { SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type EntryListQuery, type EntryStatus } from './api.ts';
import { PAGE_SIZE } from './browse-filters.ts';
import { CatalogNav } from './catalog-nav.tsx';
import { EntryTable, rowOf } from './entry-table.tsx';
import { ENTRY_STATUS_LABELS, optionsOf } from './labels.ts';

export function MyEntriesPage() {
  const { t } = useI18n();
  const access = useCatalogAccess();
  const { applied, offset, go } = useUrlFilters('/catalog/mine', { status: '' });
  const query: EntryListQuery = { mine: true, status: (applied.status || undefined) as EntryStatus | undefined, page: Math.floor(offset / PAGE_SIZE) + 1, pageSize: PAGE_SIZE };
  const results = useResource(() => catalogApi.entries(query), JSON.stringify(query));
  return (
    <>
      <PageTitle
        actions={
          <Link to="/catalog/new" className="button">
            {t('catalog.new')}
          </Link>
        }
      >
        {t('catalog.mine.title')}
      </PageTitle>
      <CatalogNav access={access} />
      <p className="lead">{t('catalog.mine.intro')}</p>
      <div className="filters">
        <SelectField formId="catalog-mine" name="status" label={t('catalog.mine.status')} value={applied.status} onChange={(status) => go({ status })} options={[{ value: '', label: t('common.all') }, ...optionsOf(ENTRY_STATUS_LABELS, t)]} />
      </div>
      <ResultsSection titleId="catalog-mine-results" title={t('catalog.mine.results')} count={(total) => t('catalog.results.count', { total })} results={results} offset={offset} limit={PAGE_SIZE} onPage={(next) => go(applied, next)}>
        {(entries) => <EntryTable rows={entries.map(rowOf)} withStatus empty={t('catalog.mine.empty')} />}
      </ResultsSection>
    </>
  );
}

export function ReviewQueuePage() {
  const { t } = useI18n();
  const access = useCatalogAccess();
  const { applied, offset, go } = useUrlFilters('/catalog/review', {});
  const query: EntryListQuery = { status: 'submitted', page: Math.floor(offset / PAGE_SIZE) + 1, pageSize: PAGE_SIZE };
  const results = useResource(() => catalogApi.entries(query), JSON.stringify(query));
  return (
    <>
      <PageTitle>{t('catalog.reviewQueue.title')}</PageTitle>
      <CatalogNav access={access} />
      {access.settings && !access.reviewer ? (
        <p className="callout">{t('catalog.reviewQueue.notReviewer')}</p>
      ) : (
        <>
          <p className="lead">{t('catalog.reviewQueue.intro')}</p>
          <ResultsSection titleId="catalog-review-results" title={t('catalog.reviewQueue.results')} count={(total) => t('catalog.reviewQueue.count', { total })} announceCount results={results} offset={offset} limit={PAGE_SIZE} onPage={(next) => go(applied, next)}>
            {(entries) => <EntryTable rows={entries.map(rowOf)} withStatus empty={t('catalog.reviewQueue.empty')} />}
          </ResultsSection>
        </>
      )}
    </>
  );
}
