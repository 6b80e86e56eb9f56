// The editor's pages: a new service (organization administrators and the platform
// administrator), and a draft's guide changed by those who may write it. Saving leads to the
// service's page, which says what was done.
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { ProblemLoadError } from '../registries/errors.tsx';
import { mayCreateServices, mayEditService } from './access.ts';
import { servicesApi, workbenchPath } from './api.ts';
import { ServiceForm } from './service-form.tsx';
import './services.css';

function BackLink() {
  const { t } = useI18n();
  return (
    <p className="breadcrumb">
      <Link to={workbenchPath()}>{t('services.detail.back')}</Link>
    </p>
  );
}

export function NewServicePage() {
  const { t } = useI18n();
  const session = useCurrentSession();
  return (
    <>
      <BackLink />
      <PageTitle>{t('services.form.newTitle')}</PageTitle>
      <p className="lead">{t('services.form.intro')}</p>
      {mayCreateServices(session) ? (
        <ServiceForm onSaved={(saved) => navigate(`${workbenchPath(saved.code)}?done=created`)} cancelTo={workbenchPath()} />
      ) : (
        <p className="callout">{t('services.form.adminsOnly')}</p>
      )}
    </>
  );
}

export function EditServicePage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const service = useResource(() => servicesApi.get(code), `service-edit-${code}`);
  const s = service.data;
  let body;
  if (!s) body = service.error ? <ProblemLoadError error={service.error} onRetry={service.reload} /> : <Loading />;
  else if (!mayEditService(session, s.orgId)) body = <p className="callout">{t('services.form.notYours')}</p>;
  else if (s.status !== 'draft') body = <p className="callout">{t('services.form.notDraft')}</p>;
  else body = <ServiceForm key={s.version} service={s} onSaved={(saved) => navigate(`${workbenchPath(saved.code)}?done=saved`)} cancelTo={workbenchPath(s.code)} />;
  return (
    <>
      <BackLink />
      <PageTitle>{s ? t('services.form.editTitle', { name: lang === 'en' ? s.nameEn || s.nameZh : s.nameZh || s.nameEn }) : t('services.form.editTitleLoading')}</PageTitle>
      {body}
    </>
  );
}
