// The service catalog: every service of the platform's departments, drafts included, with its
// item code, name, organization, kind, status and time limits, filtered by status (kept in the
// URL). Administrators who may add services get the "new service" button.
import { DataTable, type Column } from '../../components/data-table.tsx';
import { SelectField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { Loaded } from '../../components/status.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { mayCreateServices } from './access.ts';
import { KIND_LABELS, servicesApi, STATUS_LABELS, workbenchPath, type ServiceStatus, type ServiceView } from './api.ts';
import { ServiceStatusBadge } from './status-badge.tsx';
import './services.css';

const FILTERS = { status: '' };

export function ServicesPage() {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const { applied, filters, set, go, clear } = useUrlFilters(workbenchPath(), FILTERS);
  const status = applied.status in STATUS_LABELS ? applied.status : '';
  const services = useResource(() => servicesApi.list(status), `services-${status}`);
  const name = (s: ServiceView) => (lang === 'en' ? s.nameEn || s.nameZh : s.nameZh || s.nameEn);
  const org = (s: ServiceView) => (lang === 'en' ? s.orgNameEn || s.orgNameZh : s.orgNameZh || s.orgNameEn);

  const columns: Column<ServiceView>[] = [
    { header: t('services.col.code'), className: 'mono', cell: (s) => s.code },
    { header: t('services.col.name'), cell: (s) => <Link to={workbenchPath(s.code)}>{name(s)}</Link> },
    { header: t('services.col.org'), cell: org },
    { header: t('services.col.kind'), cell: (s) => t(KIND_LABELS[s.kind]) },
    { header: t('services.col.status'), cell: (s) => <ServiceStatusBadge status={s.status} /> },
    { header: t('services.col.days'), className: 'num', cell: (s) => `${s.statutoryDays} / ${s.promisedDays}` },
  ];

  return (
    <>
      <PageTitle
        actions={
          mayCreateServices(session) && (
            <Link to={workbenchPath('new')} className="button">
              {t('services.new')}
            </Link>
          )
        }
      >
        {t('services.title')}
      </PageTitle>
      <p className="lead">{t('services.intro')}</p>
      <SearchPanel formId="services-filter" title={t('services.filter.title')} onSearch={() => go(filters)} onClear={clear}>
        <SelectField
          formId="services-filter"
          name="status"
          label={t('services.filter.status')}
          value={filters.status}
          onChange={set('status')}
          options={[{ value: '', label: t('services.filter.all') }, ...(Object.keys(STATUS_LABELS) as ServiceStatus[]).map((s) => ({ value: s, label: t(STATUS_LABELS[s]) }))]}
        />
      </SearchPanel>
      <section className="panel" aria-labelledby="services-list-title" aria-busy={services.loading}>
        <div className="section-head">
          <h2 id="services-list-title">{t('services.list.title')}</h2>
          {services.data && <p className="muted">{t('services.list.count', { total: services.data.items.length })}</p>}
        </div>
        <Loaded resource={services}>{(data) => <DataTable items={data.items} columns={columns} rowKey={(s) => s.id} empty={t('services.list.empty')} />}</Loaded>
      </section>
    </>
  );
}
