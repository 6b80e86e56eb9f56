// The catalog browser: the three views of the national classification (base resources by
// registry, theme resources by theme, department resources by provider) as navigation and a
// list, and the full-text search with facets and highlighted matches. Everything it shows is
// in the URL, so a view or a search can be bookmarked.
import { Link as RouterLink } from '../../router.tsx';
import { SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type EntryListQuery } from './api.ts';
import { CATALOG_FILTERS, PAGE_SIZE, type CatalogFilters } from './browse-filters.ts';
import { CatalogNav } from './catalog-nav.tsx';
import { EntryTable, rowOf } from './entry-table.tsx';
import { BASE_ITEMS, THEMES, codesOf } from './labels.ts';
import { SearchView } from './search-view.tsx';


const VIEWS = ['base', 'theme', 'department', 'search'] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABELS: Record<View, MessageKey> = { base: 'catalog.view.base', theme: 'catalog.view.theme', department: 'catalog.view.department', search: 'catalog.view.search' };

export function CatalogPage() {
  const { t } = useI18n();
  const access = useCatalogAccess();
  const url = useUrlFilters('/catalog', CATALOG_FILTERS);
  const { applied, filters, set, go } = url;
  const view: View = (VIEWS as readonly string[]).includes(applied.view) ? (applied.view as View) : 'base';

  return (
    <>
      <PageTitle
        actions={
          access.staff && (
            <RouterLink to="/catalog/new" className="button">
              {t('catalog.new')}
            </RouterLink>
          )
        }
      >
        {t('catalog.title')}
      </PageTitle>
      <CatalogNav access={access} />
      <p className="lead">{t('catalog.intro')}</p>
      <SearchPanel formId="catalog-search" title={t('catalog.search.title')} onSearch={() => go({ ...applied, q: filters.q.trim(), view: 'search' })}>
        <TextField formId="catalog-search" name="q" type="search" className="field-wide" label={t('catalog.search.q')} hint={t('catalog.search.hint')} value={filters.q} onChange={set('q')} maxLength={200} />
      </SearchPanel>
      <nav className="catalog-views" aria-label={t('catalog.view.label')}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v}>
              <RouterLink to={v === 'search' ? `/catalog?view=search${applied.q ? `&q=${encodeURIComponent(applied.q)}` : ''}` : v === 'base' ? '/catalog' : `/catalog?view=${v}`} aria-current={v === view ? 'page' : undefined}>
                {t(VIEW_LABELS[v])}
              </RouterLink>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'search' ? <SearchView url={url} /> : <BrowseView view={view} applied={applied} offset={url.offset} go={go} />}
    </>
  );
}

function BrowseView({ view, applied, offset, go }: { view: Exclude<View, 'search'>; applied: CatalogFilters; offset: number; go: (next: CatalogFilters, offset?: number) => void }) {
  const { t, lang } = useI18n();
  const orgs = useOrgDirectory(lang, 'active');
  const query: EntryListQuery = {
    view,
    item: view === 'base' ? applied.item : undefined,
    theme: view === 'theme' ? applied.theme : undefined,
    provider: view === 'department' ? applied.org : undefined,
    page: Math.floor(offset / PAGE_SIZE) + 1,
    pageSize: PAGE_SIZE,
  };
  const results = useResource(() => catalogApi.entries(query), JSON.stringify(query));
  const items = view === 'base' ? BASE_ITEMS : view === 'theme' ? THEMES : undefined;
  const param = view === 'base' ? 'item' : 'theme';
  const chosen = view === 'base' ? applied.item : applied.theme;
  const heading = items && chosen && items[chosen] ? t(items[chosen]) : t(`catalog.view.${view}.all`);

  return (
    <div className="split">
      <section className="panel" aria-labelledby="catalog-nav-title">
        <h2 id="catalog-nav-title">{t(`catalog.view.${view}.nav`)}</h2>
        {items ? (
          <nav aria-labelledby="catalog-nav-title">
            <ul className="catalog-items">
              <li>
                <RouterLink to={view === 'base' ? '/catalog' : `/catalog?view=${view}`} aria-current={!chosen ? 'page' : undefined}>
                  {t(`catalog.view.${view}.all`)}
                </RouterLink>
              </li>
              {codesOf(items).map((code) => (
                <li key={code}>
                  <RouterLink to={`/catalog?${new URLSearchParams({ ...(view === 'base' ? {} : { view }), [param]: code }).toString()}`} aria-current={chosen === code ? 'page' : undefined}>
                    <span className="catalog-code">{code}</span> {t(items[code])}
                  </RouterLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : (
          <SelectField
            formId="catalog-department"
            name="org"
            label={t('catalog.view.department.provider')}
            value={applied.org}
            onChange={(org) => go({ ...CATALOG_FILTERS, view: 'department', org })}
            options={[{ value: '', label: t('catalog.view.department.all') }, ...orgs.options]}
          />
        )}
      </section>
      <div className="split-main">
        <ResultsSection
          titleId="catalog-results-title"
          title={heading}
          count={(total) => t('catalog.results.count', { total })}
          results={results}
          offset={offset}
          limit={PAGE_SIZE}
          onPage={(next) => go(applied, next)}
        >
          {(entries) => <EntryTable rows={entries.map(rowOf)} empty={t('catalog.results.empty')} />}
        </ResultsSection>
      </div>
    </div>
  );
}
