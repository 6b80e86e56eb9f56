// Share requests in three boxes: the department's own requests, the requests for resources it
// provides (to answer, each with its deadline), and, for the data bureau, the overdue ones
// escalated to it. Filtered by status; each opens on its page.
import { DataTable } from '../../components/data-table.tsx';
import { SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { formatDateTime, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type RequestBox, type ShareRequest } from './api.ts';
import { RequestStatusBadge } from './badges.tsx';
import { PAGE_SIZE } from './browse-filters.ts';
import { CatalogNav } from './catalog-nav.tsx';
import { Deadline } from './deadline.tsx';
import { REQUEST_STATUS_LABELS, optionsOf } from './labels.ts';

const BOX_LABELS: Record<RequestBox, MessageKey> = { mine: 'catalog.box.mine', incoming: 'catalog.box.incoming', escalated: 'catalog.box.escalated' };

export function RequestsPage() {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const boxes: RequestBox[] = access.reviewer || access.platformAdmin ? ['mine', 'incoming', 'escalated'] : ['mine', 'incoming'];
  const { applied, offset, go } = useUrlFilters('/catalog/requests', { box: 'mine', status: '' });
  const box: RequestBox = (boxes as string[]).includes(applied.box) ? (applied.box as RequestBox) : 'mine';
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const results = useResource(() => catalogApi.requests(box, applied.status, page, PAGE_SIZE), `catalog-requests-${box}-${applied.status}-${page}`);
  const other = (r: ShareRequest) => (box === 'mine' ? r.provider : r.consumer);

  return (
    <>
      <PageTitle>{t('catalog.requests.title')}</PageTitle>
      <CatalogNav access={access} />
      <p className="lead">{t('catalog.requests.intro')}</p>
      <nav className="catalog-views" aria-label={t('catalog.box.label')}>
        <ul>
          {boxes.map((b) => (
            <li key={b}>
              <Link to={b === 'mine' ? '/catalog/requests' : `/catalog/requests?box=${b}`} aria-current={b === box ? 'page' : undefined}>
                {t(BOX_LABELS[b])}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="filters">
        <SelectField formId="catalog-requests" name="status" label={t('catalog.requests.status')} value={applied.status} onChange={(status) => go({ box: applied.box, status })} options={[{ value: '', label: t('common.all') }, ...optionsOf(REQUEST_STATUS_LABELS, t)]} />
      </div>
      <ResultsSection titleId="catalog-requests-results" title={t(BOX_LABELS[box])} count={(total) => t('catalog.requests.count', { total })} results={results} offset={offset} limit={PAGE_SIZE} onPage={(next) => go(applied, next)}>
        {(items) => (
          <DataTable
            items={items}
            rowKey={(r) => r.id}
            empty={t(`catalog.requests.empty.${box}`)}
            columns={[
              {
                header: t('catalog.requests.col.entry'),
                cell: (r) => (
                  <>
                    <Link to={`/catalog/requests/${r.id}`}>{localName(r.entry, lang) || r.entry.code}</Link>
                    <div className="small muted catalog-code">{r.entry.code}</div>
                  </>
                ),
              },
              { header: t(box === 'mine' ? 'catalog.requests.col.provider' : 'catalog.requests.col.consumer'), cell: (r) => localName(other(r), lang) },
              { header: t('catalog.requests.col.items'), cell: (r) => (r.grantedItems ?? r.items).join(lang === 'en' ? ', ' : '、') },
              { header: t('common.status'), cell: (r) => <RequestStatusBadge status={r.status} /> },
              { header: t('catalog.requests.col.deadline'), cell: (r) => <Deadline request={r} /> },
              { header: t('catalog.requests.col.created'), className: 'small', cell: (r) => formatDateTime(r.createdAt, lang) },
            ]}
          />
        )}
      </ResultsSection>
    </>
  );
}
