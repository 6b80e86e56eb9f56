import { useId, useState } from 'react';
import { api, type Organization, type OrganizationPage, type TreeNode } from '../../api.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { CheckboxField, SelectField, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { ResultsSection } from '../../components/results-section.tsx';
import { SearchPanel } from '../../components/search-panel.tsx';
import { Loaded, StatusBadge } from '../../components/status.tsx';
import { useUrlFilters } from '../../components/use-url-filters.ts';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { levelOptions, typeOptions } from './labels.ts';
import { OrgTree } from './org-tree.tsx';

const FORM = 'org-search';
const LIMIT = 20;

const DEFAULTS = { q: '', type: '', level: '', status: 'active' };

export function OrganizationsPage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const { href, applied, offset, filters, set, go, clear } = useUrlFilters('/organizations', DEFAULTS);
  const [includeInactive, setIncludeInactive] = useState(false);
  const treeTitleId = useId();

  const treeStatus = includeInactive ? 'all' : 'active';
  const tree = useResource(() => api.get<{ roots: TreeNode[] }>('/api/organizations/tree', { status: treeStatus }), treeStatus);
  const results = useResource(() => api.get<OrganizationPage>('/api/organizations', { ...applied, limit: LIMIT, offset }), href);

  const canCreate = hasAnyRole(session, 'platform_admin', 'org_admin');

  return (
    <>
      <PageTitle
        actions={
          canCreate && (
            <Link to="/organizations/new" className="button">
              {t('org.new')}
            </Link>
          )
        }
      >
        {t('org.title')}
      </PageTitle>
      <div className="split">
        <section className="panel tree-panel" aria-labelledby={treeTitleId}>
          <h2 id={treeTitleId}>{t('org.tree.title')}</h2>
          <CheckboxField formId="org-tree" name="includeInactive" label={t('org.tree.includeInactive')} checked={includeInactive} onChange={setIncludeInactive} />
          <Loaded resource={tree}>{(data) => (data.roots.length === 0 ? <p>{t('org.tree.empty')}</p> : <OrgTree key={treeStatus} roots={data.roots} labelledBy={treeTitleId} />)}</Loaded>
        </section>
        <div className="split-main">
          <SearchPanel formId={FORM} title={t('org.search.title')} onSearch={() => go({ ...filters, q: filters.q.trim() })} onClear={clear}>
            <TextField formId={FORM} name="q" type="search" label={t('org.search.q')} hint={t('org.search.qHint')} value={filters.q} onChange={set('q')} className="field-wide" />
            <SelectField formId={FORM} name="type" label={t('org.field.type')} value={filters.type} onChange={set('type')} options={[{ value: '', label: t('common.all') }, ...typeOptions(t)]} />
            <SelectField formId={FORM} name="level" label={t('org.field.level')} value={filters.level} onChange={set('level')} options={[{ value: '', label: t('common.all') }, ...levelOptions(t)]} />
            <SelectField
              formId={FORM}
              name="status"
              label={t('org.field.status')}
              value={filters.status}
              onChange={set('status')}
              options={[
                { value: 'active', label: t('status.active') },
                { value: 'inactive', label: t('status.inactive') },
                { value: 'all', label: t('common.all') },
              ]}
            />
          </SearchPanel>
          <ResultsSection
            titleId="org-results-title"
            title={t('org.results.title')}
            count={(total) => t('org.results.count', { total })}
            announceCount
            results={results}
            offset={offset}
            limit={LIMIT}
            onPage={(o) => go(applied, o)}
          >
            {(items) => <OrgTable items={items} />}
          </ResultsSection>
        </div>
      </div>
    </>
  );
}

function OrgTable({ items }: { items: Organization[] }) {
  const { t, lang } = useI18n();
  const columns: Column<Organization>[] = [
    {
      header: t('org.field.name'),
      cell: (org) => (
        <>
          <Link to={`/organizations/${org.id}`}>{localName(org, lang)}</Link>
          <span className="secondary-name" lang={lang === 'en' ? 'zh-CN' : 'en'}>
            {lang === 'en' ? org.nameZh : org.nameEn}
          </span>
        </>
      ),
    },
    { header: t('org.field.creditCode'), className: 'mono', cell: (org) => org.creditCode },
    {
      header: t('org.field.divisionName'),
      cell: (org) => (
        <>
          {org.divisionName} <span className="mono muted">{org.divisionCode}</span>
        </>
      ),
    },
    { header: t('org.field.type'), cell: (org) => t(`orgType.${org.type}`) },
    { header: t('org.field.level'), cell: (org) => t(`level.${org.level}`) },
    { header: t('org.field.status'), cell: (org) => <StatusBadge status={org.status} /> },
  ];
  return <DataTable items={items} columns={columns} rowKey={(org) => org.id} empty={t('common.noResults')} />;
}
