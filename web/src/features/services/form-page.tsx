// A service's e-form in the workbench (/service-catalog/{code}/form): the builder for those who
// may write the service while it is a draft; for everyone else, and once it is published, the
// form as applicants see it, with why it cannot be changed here.
import { useState } from 'react';
import { Notice } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { useCurrentSession } from '../../session.tsx';
import { ProblemLoadError } from '../registries/errors.tsx';
import { mayEditService } from './access.ts';
import { servicesApi, workbenchPath } from './api.ts';
import { formsApi, type FormView } from './form-api.ts';
import { FormBuilder } from './form-builder.tsx';
import { FormPreview } from './form-preview.tsx';
import './services.css';

export function ServiceFormPage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const service = useResource(() => servicesApi.get(code), `service-${code}`);
  const loaded = useResource(() => formsApi.get(code), `service-form-${code}`);
  const prefill = useResource(() => formsApi.prefillFields(), 'service-form-prefill');
  const [saved, setSaved] = useState<FormView | undefined>();
  const s = service.data;
  const form = saved && loaded.data && saved.version >= loaded.data.version ? saved : loaded.data;
  const failed = service.error ?? loaded.error ?? prefill.error;

  let body;
  if (failed) body = <ProblemLoadError error={failed} onRetry={() => [service, loaded, prefill].forEach((r) => r.error && r.reload())} />;
  else if (!s || !form || !prefill.data) body = <Loading />;
  else if (mayEditService(session, s.orgId) && s.status === 'draft') {
    body = <FormBuilder key={form.version} code={s.code} form={form} prefillFields={prefill.data.items} onSaved={setSaved} />;
  } else {
    body = (
      <>
        <p className="callout">{t(mayEditService(session, s.orgId) ? 'serviceForms.readOnly.published' : 'serviceForms.readOnly.notYours')}</p>
        <section className="panel" aria-labelledby="eform-readonly-title">
          <h2 id="eform-readonly-title">{t('serviceForms.preview.title')}</h2>
          {form.fields.length === 0 ? <p className="muted">{t('serviceForms.noForm')}</p> : <FormPreview form={form} prefillFields={prefill.data.items} idPrefix="eform-view" />}
        </section>
      </>
    );
  }
  const name = s ? (lang === 'en' ? s.nameEn || s.nameZh : s.nameZh || s.nameEn) : undefined;

  return (
    <>
      <p className="breadcrumb">
        <Link to={workbenchPath(code)}>{t('serviceForms.back')}</Link>
      </p>
      <PageTitle>{name ? t('serviceForms.title', { name }) : t('serviceForms.titleLoading')}</PageTitle>
      <p className="lead">{t('serviceForms.intro')}</p>
      {form && <p className="hint">{form.version > 0 ? t('serviceForms.version', { version: form.version }) : t('serviceForms.noVersion')}</p>}
      <Notice>{saved ? t('serviceForms.saved', { version: saved.version }) : ''}</Notice>
      {body}
    </>
  );
}
