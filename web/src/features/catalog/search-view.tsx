// The catalog's search: words in Chinese or English over the published entries, facets with
// their counts (provider, class, sharing type, open, format, update cycle) applied as they are
// ticked, a sort order, and the matches highlighted in names and abstracts. When nothing
// matched exactly the server answers with near matches, and the page says so.
import type { ReactNode } from 'react';
import { CheckboxGroup, SelectField } from '../../components/forms.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import type { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { catalogApi, type FacetName, type SearchItem, type SearchQuery, type SearchResult } from './api.ts';
import { PAGE_SIZE, type CatalogFilters } from './browse-filters.ts';
import { EntryTable, type EntryRow } from './entry-table.tsx';

const FACETS: FacetName[] = ['provider', 'class', 'sharing', 'open', 'format', 'cycle'];
const FACET_LABELS: Record<FacetName, MessageKey> = {
  provider: 'catalog.facet.provider',
  class: 'catalog.facet.class',
  sharing: 'catalog.facet.sharing',
  open: 'catalog.facet.open',
  format: 'catalog.facet.format',
  cycle: 'catalog.facet.cycle',
};
const SORTS: { value: string; label: MessageKey }[] = [
  { value: '', label: 'catalog.sort.default' },
  { value: 'relevance', label: 'catalog.sort.relevance' },
  { value: 'name', label: 'catalog.sort.name' },
  { value: 'published', label: 'catalog.sort.published' },
  { value: 'code', label: 'catalog.sort.code' },
];

type Range = [number, number];

/** The text with the given ranges in <mark>: built as elements, never as HTML. */
export function Highlighted({ text, ranges }: { text: string; ranges: Range[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

type SearchRow = EntryRow & { item: SearchItem };

export function SearchView({ url }: { url: ReturnType<typeof useUrlFilters<CatalogFilters>> }) {
  const { t, lang } = useI18n();
  const { applied, offset, go } = url;
  const chosen = (facet: FacetName) => (applied[facet] ? applied[facet].split(',') : []);
  const query: SearchQuery = { q: applied.q, sort: applied.sort, page: Math.floor(offset / PAGE_SIZE) + 1, pageSize: PAGE_SIZE, facets: Object.fromEntries(FACETS.map((f) => [f, chosen(f)])) };
  const results = useResource(() => catalogApi.search(query), JSON.stringify(query));
  const en = lang === 'en';
  const pick = (item: SearchItem, zh: 'nameZh' | 'abstractZh', english: 'nameEn' | 'abstractEn') => (en && item[english] ? { text: item[english], ranges: item.highlights[english] as Range[] } : { text: item[zh], ranges: item.highlights[zh] as Range[] });
  const rows: SearchRow[] = (results.data?.items ?? []).map((item) => ({ id: item.id, code: item.code, nameZh: item.nameZh, nameEn: item.nameEn, provider: item.provider, sharing: item.sharing, open: item.open, updateCycle: item.updateCycle, item }));

  return (
    <div className="split">
      <section className="panel" aria-labelledby="catalog-facets-title">
        <h2 id="catalog-facets-title">{t('catalog.facet.title')}</h2>
        <SelectField formId="catalog-facets" name="sort" label={t('catalog.sort.label')} value={applied.sort} onChange={(sort) => go({ ...applied, sort })} options={SORTS.map((s) => ({ value: s.value, label: t(s.label) }))} />
        {results.data && <Facets result={results.data} chosen={chosen} onChange={(facet, values) => go({ ...applied, [facet]: values.join(',') })} />}
      </section>
      <div className="split-main">
        {results.data?.fuzzy && (
          <p className="callout" data-testid="catalog-fuzzy">
            {t('catalog.search.fuzzy')}
            {results.data.corrections.length > 0 &&
              ` ${t('catalog.search.corrections', { list: results.data.corrections.map((c) => t('catalog.search.correction', { term: c.term, suggestions: c.suggestions.join(en ? ', ' : '、') })).join(en ? '; ' : '；') })}`}
          </p>
        )}
        <ResultsSection
          titleId="catalog-search-results-title"
          title={applied.q ? t('catalog.search.resultsFor', { q: applied.q }) : t('catalog.search.resultsAll')}
          count={(total) => t('catalog.results.count', { total })}
          announceCount
          results={results}
          offset={offset}
          limit={PAGE_SIZE}
          onPage={(next) => go(applied, next)}
        >
          {() => (
            <EntryTable
              rows={rows}
              empty={t('catalog.search.empty')}
              name={(row) => {
                const { text, ranges } = pick((row as SearchRow).item, 'nameZh', 'nameEn');
                return <Highlighted text={text} ranges={ranges} />;
              }}
              below={(row) => {
                const { text, ranges } = pick((row as SearchRow).item, 'abstractZh', 'abstractEn');
                return text ? (
                  <p className="catalog-snippet small muted">
                    <Highlighted text={text} ranges={ranges} />
                  </p>
                ) : null;
              }}
            />
          )}
        </ResultsSection>
      </div>
    </div>
  );
}

/** The facets' values with their counts as checkbox groups; `facets` picks which (the open data site shows fewer). */
export function Facets({ result, chosen, onChange, facets = FACETS, formId = 'catalog-facets' }: { result: Pick<SearchResult, 'facets'>; chosen: (facet: FacetName) => string[]; onChange: (facet: FacetName, values: string[]) => void; facets?: FacetName[]; formId?: string }) {
  const { t, lang } = useI18n();
  return (
    <>
      {facets.map((facet) => {
        const values = result.facets[facet];
        const selected = chosen(facet);
        if (values.length === 0 && selected.length === 0) return null;
        const options = values.map((v) => ({ value: v.value, label: t('catalog.facet.value', { label: lang === 'en' ? v.labelEn : v.labelZh, count: v.count }) }));
        // A ticked value the counts no longer list stays, so it can be unticked.
        for (const value of selected) if (!values.some((v) => v.value === value)) options.push({ value, label: value });
        return <CheckboxGroup key={facet} formId={formId} name={facet} legend={t(FACET_LABELS[facet])} options={options} values={selected} onChange={(next) => onChange(facet, next)} />;
      })}
    </>
  );
}
