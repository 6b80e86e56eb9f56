// The editor of a service's whole guide, with a live preview of it beside the form. A new
// service names its code and organization (an organization administrator's own; the platform
// administrator chooses); a draft keeps both. The server checks everything; each of its
// problems is written beside its input and listed, linked, in the summary that takes focus.
import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { hasAnyRole, useCurrentSession } from '../../session.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemMessage } from '../registries/problems.ts';
import { servicesApi, type ServiceView as Service } from './api.ts';
import { BasicsGroup, BilingualGroup, EventsGroup, FaqsGroup, FeesGroup, inputLabels, JointGroup, LimitsGroup, MaterialsGroup, type FormKit, type ListName } from './form-groups.tsx';
import { bodyOf, contentOf, inputOf, normalField, valuesOf, type Values } from './form-values.ts';
import { GuideView } from './guide-view.tsx';

const FORM = 'service';

type Props = { service?: Service; onSaved: (saved: Service) => void; cancelTo: string };

export function ServiceForm({ service, onSaved, cancelTo }: Props) {
  const { t, lang, lookup } = useI18n();
  const session = useCurrentSession();
  const orgs = useOrgDirectory(lang, 'active');
  const [values, setValues] = useState<Values>(() => valuesOf(service, session.user.orgId));
  const { error, setError, busy, submit } = useSubmit(async () => {
    const body = bodyOf(values, t);
    onSaved(service ? await servicesApi.update(service.code, service.version, contentOf(values)) : await servicesApi.create(body));
  });

  const errors: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = inputOf(normalField(problem));
    if (!(input in errors)) errors[input] = problemMessage(lookup, problem);
  }
  // The summary links each problem to the input it is written beside.
  const summaryError = error && new ApiError(error.status, error.code, error.detail, error.errors.map((p) => ({ ...p, field: inputOf(normalField(p)) })));
  const setList =
    <K extends ListName>(name: K) =>
    (rows: Values[K]) => {
      if (rows.length < values[name].length) setError(undefined);
      setValues((v) => ({ ...v, [name]: rows }));
    };
  const kit: FormKit = { formId: FORM, values, setValues, setList, errors };

  const ownName = lang === 'en' ? session.user.orgNameEn || session.user.orgNameZh : session.user.orgNameZh || session.user.orgNameEn;
  const choosesOrg = !service && hasAnyRole(session, 'platform_admin');
  const orgName = service ? (lang === 'en' ? service.orgNameEn || service.orgNameZh : service.orgNameZh || service.orgNameEn) : choosesOrg ? orgs.name(values.orgId) : ownName;
  const orgChoice = choosesOrg ? { options: orgs.options } : { name: orgName, own: values.orgId === session.user.orgId };
  const content = contentOf(values);
  const untitled = !(lang === 'en' ? values.nameEn || values.nameZh : values.nameZh || values.nameEn);

  return (
    <div className="service-editor">
      <form className="form service-form" onSubmit={(e) => void submit(e)} noValidate>
        <ProblemSummary error={summaryError} formId={FORM} labels={inputLabels(t, values)}>
          {error?.code === 'version_conflict' && <p>{t('services.form.stale')}</p>}
        </ProblemSummary>
        <BasicsGroup kit={kit} fixedCode={service?.code} orgChoice={orgChoice} />
        <JointGroup kit={kit} options={orgs.options.filter((o) => o.value !== values.orgId)} />
        <BilingualGroup kit={kit} list="legalBasis" addLabel="services.form.legalBasisAdd" hint="services.form.legalBasisHint" required />
        <BilingualGroup kit={kit} list="conditions" addLabel="services.form.conditionsAdd" />
        <MaterialsGroup kit={kit} />
        <FeesGroup kit={kit} />
        <LimitsGroup kit={kit} />
        <FaqsGroup kit={kit} />
        <EventsGroup kit={kit} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : t(service ? 'services.form.save' : 'services.form.create')}
          </button>
          <Link to={cancelTo} className="button button-secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
      <aside className="panel service-preview" aria-labelledby="service-preview-title">
        <h2 id="service-preview-title">{t('services.preview.title')}</h2>
        <p className="hint">{t('services.preview.hint')}</p>
        <p className="service-preview-name">{untitled ? t('services.guide.untitled') : lang === 'en' ? values.nameEn || values.nameZh : values.nameZh || values.nameEn}</p>
        <GuideView guide={content} orgName={orgName} jointNames={content.jointOrgIds.map((id) => orgs.name(id))} level={3} />
      </aside>
    </div>
  );
}
