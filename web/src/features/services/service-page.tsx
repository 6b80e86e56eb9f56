// A service's page in the workbench: its guide, status and version, with Publish (a draft) and
// Withdraw (a published service, back to a draft) for those who may write it, each sent with
// the version shown so a change made meanwhile is refused, and the link to its public page on
// the portal once published.
import { useState } from 'react';
import { ApiError, asApiError } from '../../api.ts';
import { ErrorSummary, Notice } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, useLocation } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { ProblemLoadError } from '../registries/errors.tsx';
import { mayEditService } from './access.ts';
import { portalPath, servicesApi, workbenchPath, type ServiceView } from './api.ts';
import { inputLabels } from './form-groups.tsx';
import { inputOf, normalField, valuesOf } from './form-values.ts';
import { GuideView } from './guide-view.tsx';
import { ServiceStatusBadge } from './status-badge.tsx';
import './services.css';

export function ServicePage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const { search } = useLocation();
  const orgs = useOrgDirectory(lang);
  const loaded = useResource(() => servicesApi.get(code), `service-${code}`);
  const [changed, setChanged] = useState<ServiceView | undefined>();
  const [notice, setNotice] = useState(() => {
    const done = search.get('done');
    return done === 'created' ? t('services.detail.created') : done === 'saved' ? t('services.detail.saved') : '';
  });
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  // The answer of the last publish or withdraw is newer than what was loaded.
  const s = changed && loaded.data && changed.version >= loaded.data.version ? changed : loaded.data;

  async function act(action: 'publish' | 'withdraw', service: ServiceView) {
    setBusy(true);
    setError(undefined);
    setNotice('');
    try {
      const next = await servicesApi[action](service.code, service.version);
      setChanged(next);
      setNotice(t(action === 'publish' ? 'services.detail.published' : 'services.detail.withdrawn', { version: next.version }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const name = s ? (lang === 'en' ? s.nameEn || s.nameZh : s.nameZh || s.nameEn) : t('services.detail.loading');
  const editable = s !== undefined && mayEditService(session, s.orgId);
  const summaryError = error && s && new ApiError(error.status, error.code, error.detail, error.errors.map((p) => ({ ...p, field: inputOf(normalField(p)) })));

  return (
    <>
      <p className="breadcrumb">
        <Link to={workbenchPath()}>{t('services.detail.back')}</Link>
      </p>
      <PageTitle
        actions={
          s &&
          editable && (
            <>
              {s.status === 'draft' && (
                <Link to={workbenchPath(s.code, '/edit')} className="button button-secondary">
                  {t('services.detail.edit')}
                </Link>
              )}
              {s.status !== 'published' ? (
                <button type="button" className="button" disabled={busy} onClick={() => void act('publish', s)}>
                  {t('services.detail.publish')}
                </button>
              ) : (
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => void act('withdraw', s)}>
                  {t('services.detail.withdraw')}
                </button>
              )}
            </>
          )
        }
      >
        {name}
      </PageTitle>
      <Notice>{notice}</Notice>
      {/* A refused publish names the guide's fields; they are on the edit page, so they are not links here. */}
      {s && <ErrorSummary error={summaryError} labels={inputLabels(t, valuesOf(s, s.orgId))} />}
      {!s && (loaded.error ? <ProblemLoadError error={loaded.error} onRetry={loaded.reload} /> : <Loading />)}
      {s && (
        <>
          <dl className="service-facts panel">
            <div>
              <dt>{t('services.guide.code')}</dt>
              <dd className="mono">{s.code}</dd>
            </div>
            <div>
              <dt>{t('services.detail.status')}</dt>
              <dd>
                <ServiceStatusBadge status={s.status} />
              </dd>
            </div>
            <div>
              <dt>{t('services.detail.version')}</dt>
              <dd>{s.version}</dd>
            </div>
            <div>
              <dt>{t('services.detail.updatedAt')}</dt>
              <dd>{formatDateTime(s.updatedAt, lang)}</dd>
            </div>
            {s.status === 'published' && s.publishedAt && (
              <div>
                <dt>{t('services.detail.publishedAt')}</dt>
                <dd>{formatDateTime(s.publishedAt, lang)}</dd>
              </div>
            )}
          </dl>
          <p>
            <Link to={workbenchPath(s.code, '/form')}>{t('serviceForms.link')}</Link>
          </p>
          <p>
            {s.status === 'published' ? (
              // The portal is served by the server, not the workbench: a plain link, a full page load.
              <a href={portalPath(s.code)}>{t('services.detail.portal')}</a>
            ) : (
              <span className="muted">{t('services.detail.portalHint', { path: portalPath(s.code) })}</span>
            )}
          </p>
          {!editable && <p className="hint">{t('services.detail.readOnly')}</p>}
          <GuideView guide={s} orgName={lang === 'en' ? s.orgNameEn || s.orgNameZh : s.orgNameZh || s.orgNameEn} jointNames={s.jointOrgIds.map((id) => orgs.name(id))} level={2} />
        </>
      )}
    </>
  );
}
