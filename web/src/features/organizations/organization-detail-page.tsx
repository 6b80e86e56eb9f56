import { useState, type ReactNode } from 'react';
import { api, asApiError, type ApiError, type Organization, type OrganizationPage } from '../../api.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { LoadError, Loaded, Loading, StatusBadge } from '../../components/status.tsx';
import { formatDateTime, localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link, useLocation } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { SubsystemsSection } from './subsystems-section.tsx';

type Pending = 'deactivate' | 'reactivate' | undefined;

export function OrganizationDetailPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const { search } = useLocation();
  const org = useResource(() => api.get<Organization>(`/api/organizations/${encodeURIComponent(id)}`), id);
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<ApiError | undefined>();
  const [notice, setNotice] = useState<MessageKey | undefined>(search.get('created') ? 'org.created' : search.get('saved') ? 'org.saved' : undefined);

  if (org.error && !org.data) return <LoadError error={org.error} onRetry={org.reload} />;
  if (!org.data) return <Loading />;
  const data = org.data;
  const canManage = hasAnyRole(session, 'platform_admin', 'org_admin');
  const name = localName(data, lang);

  async function changeStatus(action: 'deactivate' | 'reactivate') {
    setPending(undefined);
    setError(undefined);
    setNotice(undefined);
    try {
      await api.post<Organization>(`/api/organizations/${data.id}/${action}`, { version: data.version });
      setNotice(action === 'deactivate' ? 'org.deactivated' : 'org.reactivated');
      org.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/organizations">{t('org.detail.back')}</Link>
      </p>
      <PageTitle
        actions={
          canManage && (
            <>
              <Link to={`/organizations/${data.id}/edit`} className="button button-secondary">
                {t('common.edit')}
              </Link>
              {data.status === 'active' ? (
                <>
                  <Link to={`/organizations/new?parentId=${data.id}`} className="button button-secondary">
                    {t('org.action.addChild')}
                  </Link>
                  <button type="button" className="button button-danger" onClick={() => setPending('deactivate')}>
                    {t('org.action.deactivate')}
                  </button>
                </>
              ) : (
                <button type="button" className="button button-secondary" onClick={() => setPending('reactivate')}>
                  {t('org.action.reactivate')}
                </button>
              )}
            </>
          )
        }
      >
        {name}
      </PageTitle>
      <Notice>{notice ? t(notice) : null}</Notice>
      <ErrorSummary error={error} />
      <section className="panel" aria-label={t('org.title')}>
        <OrgFields org={data} />
      </section>
      <ChildrenSection id={data.id} version={data.version} />
      <SubsystemsSection orgId={data.id} canManage={canManage && data.status === 'active'} />
      <ConfirmDialog
        open={pending !== undefined}
        danger={pending === 'deactivate'}
        message={t(pending === 'reactivate' ? 'org.confirm.reactivate' : 'org.confirm.deactivate', { name })}
        confirmLabel={t(pending === 'reactivate' ? 'org.action.reactivate' : 'org.action.deactivate')}
        onConfirm={() => pending && void changeStatus(pending)}
        onCancel={() => setPending(undefined)}
      />
    </>
  );
}

function OrgFields({ org }: { org: Organization }) {
  const { t, lang } = useI18n();
  const parent = useResource(
    () => (org.parentId ? api.get<Organization>(`/api/organizations/${org.parentId}`) : Promise.resolve(undefined)),
    org.parentId ?? '',
  );
  const rows: { field: string; label: MessageKey; value: ReactNode; mono?: boolean }[] = [
    { field: 'nameZh', label: 'org.field.nameZh', value: <span lang="zh-CN">{org.nameZh}</span> },
    { field: 'nameEn', label: 'org.field.nameEn', value: <span lang="en">{org.nameEn || t('common.notSet')}</span> },
    {
      field: 'parent',
      label: 'org.field.parent',
      value: org.parentId ? <Link to={`/organizations/${org.parentId}`}>{parent.data ? localName(parent.data, lang) : org.parentId}</Link> : t('org.parent.none'),
    },
    { field: 'creditCode', label: 'org.field.creditCode', value: org.creditCode, mono: true },
    { field: 'divisionCode', label: 'org.field.divisionCode', value: org.divisionCode, mono: true },
    { field: 'divisionName', label: 'org.field.divisionName', value: org.divisionName || t('common.notSet') },
    { field: 'type', label: 'org.field.type', value: t(`orgType.${org.type}`) },
    { field: 'level', label: 'org.field.level', value: t(`level.${org.level}`) },
    { field: 'status', label: 'org.field.status', value: <StatusBadge status={org.status} /> },
    { field: 'identifier', label: 'org.field.identifier', value: org.identifier, mono: true },
    { field: 'id', label: 'org.field.id', value: org.id, mono: true },
    { field: 'version', label: 'org.field.version', value: org.version },
    { field: 'createdAt', label: 'org.field.createdAt', value: formatDateTime(org.createdAt, lang) },
    { field: 'updatedAt', label: 'org.field.updatedAt', value: formatDateTime(org.updatedAt, lang) },
  ];
  return (
    <dl className="fields">
      {rows.map((row) => (
        <div key={row.field} className="fields-row" data-field={row.field}>
          <dt>{t(row.label)}</dt>
          <dd className={row.mono ? 'mono' : undefined}>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ChildrenSection({ id, version }: { id: string; version: number }) {
  const { t, lang } = useI18n();
  const children = useResource(() => api.get<OrganizationPage>('/api/organizations', { parentId: id, status: 'all', limit: 200 }), `${id}:${version}`);
  return (
    <section className="panel" aria-labelledby="org-children-title">
      <h2 id="org-children-title">{t('org.detail.children')}</h2>
      <Loaded resource={children}>
        {(data) =>
          data.items.length === 0 ? (
            <p>{t('org.detail.noChildren')}</p>
          ) : (
            <ul className="link-list">
              {data.items.map((child) => (
                <li key={child.id}>
                  <Link to={`/organizations/${child.id}`}>{localName(child, lang)}</Link> <span className="muted">{t(`orgType.${child.type}`)}</span>{' '}
                  {child.status === 'inactive' && <StatusBadge status="inactive" />}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
