// The public open data site's front page: every dataset open to the public, found by words in
// Chinese or English and narrowed by provider, format and update cycle, each with its newest
// data release. No sign-in; everything it shows is in the URL.
import './open-data.css';
import { TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { formatDate, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { FORMAT_LABELS, CYCLE_LABELS } from '../catalog/labels.ts';
import { Facets, Highlighted } from '../catalog/search-view.tsx';
import { datasetPath, openDataApi, type DatasetItem, type DatasetQuery, type OpenFacet } from './api.ts';

const FILTERS = { q: '', provider: '', format: '', cycle: '' };
const FACETS: OpenFacet[] = ['provider', 'format', 'cycle'];
const PAGE_SIZE = 20;

export function OpenDataPage() {
  const { t } = useI18n();
  const { applied, filters, set, go, offset } = useUrlFilters('/open', FILTERS);
  const chosen = (facet: OpenFacet) => (applied[facet] ? applied[facet].split(',') : []);
  const query: DatasetQuery = { q: applied.q, page: Math.floor(offset / PAGE_SIZE) + 1, pageSize: PAGE_SIZE, facets: Object.fromEntries(FACETS.map((f) => [f, chosen(f)])) };
  const results = useResource(() => openDataApi.datasets(query), JSON.stringify(query));

  return (
    <>
      <PageTitle>{t('open.title')}</PageTitle>
      <p className="lead">{t('open.intro')}</p>
      <SearchPanel formId="open-search" title={t('open.search.title')} onSearch={() => go({ ...applied, q: filters.q.trim() })}>
        <TextField formId="open-search" name="q" type="search" className="field-wide" label={t('open.search.q')} hint={t('open.search.hint')} value={filters.q} onChange={set('q')} maxLength={200} />
      </SearchPanel>
      <div className="split">
        <section className="panel" aria-labelledby="open-facets-title">
          <h2 id="open-facets-title">{t('catalog.facet.title')}</h2>
          {results.data && <Facets result={results.data} facets={FACETS} formId="open-facets" chosen={(f) => chosen(f as OpenFacet)} onChange={(facet, values) => go({ ...applied, [facet]: values.join(',') })} />}
        </section>
        <div className="split-main">
          <ResultsSection
            titleId="open-results-title"
            title={applied.q ? t('catalog.search.resultsFor', { q: applied.q }) : t('open.results.all')}
            count={(total) => t('open.results.count', { total })}
            announceCount
            results={results}
            offset={offset}
            limit={PAGE_SIZE}
            onPage={(next) => go(applied, next)}
          >
            {(items) => (items.length === 0 ? <p>{t('open.results.empty')}</p> : <DatasetList items={items} />)}
          </ResultsSection>
        </div>
      </div>
    </>
  );
}

function DatasetList({ items }: { items: DatasetItem[] }) {
  const { t, lang } = useI18n();
  const en = lang === 'en';
  return (
    <ul className="dataset-list" data-testid="open-datasets">
      {items.map((item) => {
        const name = en && item.nameEn ? { text: item.nameEn, ranges: item.highlights.nameEn } : { text: item.nameZh, ranges: item.highlights.nameZh };
        const abstract = en && item.abstractEn ? { text: item.abstractEn, ranges: item.highlights.abstractEn } : { text: item.abstractZh, ranges: item.highlights.abstractZh };
        return (
          <li key={item.id} className="dataset-card">
            <h3>
              <Link to={datasetPath(item.id)}>
                <Highlighted text={name.text} ranges={name.ranges as [number, number][]} />
              </Link>
            </h3>
            <p className="small muted">
              {localName(item.provider, lang)} · {item.format in FORMAT_LABELS ? t(FORMAT_LABELS[item.format as keyof typeof FORMAT_LABELS]) : item.format} · {item.updateCycle in CYCLE_LABELS ? t(CYCLE_LABELS[item.updateCycle as keyof typeof CYCLE_LABELS]) : item.updateCycle}
            </p>
            {abstract.text && (
              <p className="catalog-snippet">
                <Highlighted text={abstract.text} ranges={abstract.ranges as [number, number][]} />
              </p>
            )}
            <p className="small">
              {item.latestRelease ? t('open.release.latest', { release: item.latestRelease.release, rows: item.latestRelease.rowCount, date: formatDate(item.latestRelease.publishedAt, lang) }) : t('open.release.none')}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
