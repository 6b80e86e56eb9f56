import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, queryString, type Organization, type OrganizationPage, type TreeNode } from '../../api.ts';
import { CheckboxField, SelectField, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Pager } from '../../components/pager.tsx';
import { LoadError, Loading, StatusBadge } from '../../components/status.tsx';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { levelOptions, typeOptions } from './labels.ts';
import { OrgTree } from './org-tree.tsx';

const FORM = 'org-search';
const LIMIT = 20;

type Filters = { q: string; type: string; level: string; status: string };

function readFilters(search: URLSearchParams): Filters {
  return {
    q: search.get('q') ?? '',
    type: search.get('type') ?? '',
    level: search.get('level') ?? '',
    status: search.get('status') ?? 'active',
  };
}

export function OrganizationsPage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  const { search, href } = useLocation();
  const applied = readFilters(search);
  const offset = Math.max(0, Number(search.get('offset') ?? 0) || 0);
  const [filters, setFilters] = useState<Filters>(applied);
  // Back and forward change the URL; keep the form showing what the results are for.
  useEffect(() => setFilters(readFilters(new URL(href, window.location.origin).searchParams)), [href]);
  const [includeInactive, setIncludeInactive] = useState(false);
  const treeTitleId = useId();

  const treeStatus = includeInactive ? 'all' : 'active';
  const tree = useResource(() => api.get<{ roots: TreeNode[] }>('/api/organizations/tree', { status: treeStatus }), treeStatus);
  const results = useResource(() => api.get<OrganizationPage>('/api/organizations', { ...applied, limit: LIMIT, offset }), href);

  const go = (next: Filters, nextOffset = 0) => navigate(`/organizations${queryString({ ...next, status: next.status === 'active' ? '' : next.status, offset: nextOffset || '' })}`);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    go({ ...filters, q: filters.q.trim() });
  }

  function clear() {
    const empty = { q: '', type: '', level: '', status: 'active' };
    setFilters(empty);
    go(empty);
  }

  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
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
          {tree.error && <LoadError error={tree.error} onRetry={tree.reload} />}
          {tree.loading && !tree.data && <Loading />}
          {tree.data && (tree.data.roots.length === 0 ? <p>{t('org.tree.empty')}</p> : <OrgTree key={treeStatus} roots={tree.data.roots} labelledBy={treeTitleId} />)}
        </section>
        <div className="split-main">
          <section className="panel" aria-labelledby={`${FORM}-title`}>
            <h2 id={`${FORM}-title`}>{t('org.search.title')}</h2>
            <form className="filters" role="search" onSubmit={submit} aria-labelledby={`${FORM}-title`}>
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
              <div className="button-row filters-buttons">
                <button type="submit" className="button">
                  {t('common.search')}
                </button>
                <button type="button" className="button button-secondary" onClick={clear}>
                  {t('common.clear')}
                </button>
              </div>
            </form>
          </section>
          <section className="panel" aria-labelledby="org-results-title" aria-busy={results.loading}>
            <div className="section-head">
              <h2 id="org-results-title">{t('org.results.title')}</h2>
              {results.data && <p className="muted" role="status">{t('org.results.count', { total: results.data.total })}</p>}
            </div>
            {results.error && <LoadError error={results.error} onRetry={results.reload} />}
            {results.loading && !results.data && <Loading />}
            {results.data && <OrgTable items={results.data.items} />}
            {results.data && <Pager offset={offset} limit={LIMIT} total={results.data.total} onChange={(o) => go(applied, o)} />}
          </section>
        </div>
      </div>
    </>
  );
}

function OrgTable({ items }: { items: Organization[] }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return <p>{t('common.noResults')}</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('org.field.name')}</th>
            <th scope="col">{t('org.field.creditCode')}</th>
            <th scope="col">{t('org.field.divisionName')}</th>
            <th scope="col">{t('org.field.type')}</th>
            <th scope="col">{t('org.field.level')}</th>
            <th scope="col">{t('org.field.status')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((org) => (
            <tr key={org.id}>
              <td>
                <Link to={`/organizations/${org.id}`}>{localName(org, lang)}</Link>
                <span className="secondary-name" lang={lang === 'en' ? 'zh-CN' : 'en'}>
                  {lang === 'en' ? org.nameZh : org.nameEn}
                </span>
              </td>
              <td className="mono">{org.creditCode}</td>
              <td>
                {org.divisionName} <span className="mono muted">{org.divisionCode}</span>
              </td>
              <td>{t(`orgType.${org.type}`)}</td>
              <td>{t(`level.${org.level}`)}</td>
              <td>
                <StatusBadge status={org.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
