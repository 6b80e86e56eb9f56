// Asking for a published resource: which data items, for what purpose, on what legal basis,
// for which period, and which of the department's own subsystems will call the data through
// the exchange. An unconditional resource is granted at once; a conditional one goes to its
// provider, who answers within the working days the catalog settings give.
import { useMemo, useState } from 'react';
import { api, type Subsystem } from '../../api.ts';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from '../../components/forms.tsx';
import { FormButtons } from '../../components/form-buttons.tsx';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { localName } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate } from '../../router.tsx';
import { addDays, chinaToday } from '../calendar/dates.ts';
import { ProblemLoadError, ProblemSummary } from '../registries/errors.tsx';
import { problemField, problemMessage } from '../registries/problems.ts';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type EntryView } from './api.ts';
import { SharingBadge } from './badges.tsx';
import { CatalogNav } from './catalog-nav.tsx';

export function RequestFormPage({ entryId }: { entryId: string }) {
  const { t, lang } = useI18n();
  const access = useCatalogAccess();
  const entry = useResource(() => catalogApi.entry(entryId), `catalog-request-entry-${entryId}`);
  const e = entry.data;
  return (
    <>
      <PageTitle>{e ? t('catalog.ask.title', { name: localName(e.metadata, lang) }) : t('catalog.ask.titleLoading')}</PageTitle>
      <CatalogNav access={access} />
      {!e ? (
        entry.error ? <ProblemLoadError error={entry.error} onRetry={entry.reload} /> : <Loading />
      ) : !access.staff || e.provider.id === access.orgId ? (
        <p className="callout">{t(access.staff ? 'catalog.ask.own' : 'catalog.ask.staffOnly')}</p>
      ) : e.metadata.sharing.type === 'none' || e.publishedVersion === 0 ? (
        <p className="callout">{t('catalog.entry.notShared')}</p>
      ) : (
        <RequestForm entry={e} orgId={access.orgId} answerDays={access.settings?.answerWorkingDays} />
      )}
    </>
  );
}

function RequestForm({ entry, orgId, answerDays }: { entry: EntryView; orgId: string; answerDays: number | undefined }) {
  const { t, lang, lookup } = useI18n();
  const formId = 'catalog-ask';
  const subsystems = useResource(() => api.get<{ items: Subsystem[] }>(`/api/organizations/${orgId}/subsystems`), `catalog-subsystems-${orgId}`);
  const active = (subsystems.data?.items ?? []).filter((s) => s.status === 'active');
  const today = useMemo(() => chinaToday(), []);
  const [values, setValues] = useState({ items: [] as string[], purpose: '', legalBasis: '', periodFrom: today, periodTo: addDays(today, 364), subsystem: '' });
  const set = <K extends keyof typeof values>(name: K) => (value: (typeof values)[K]) => setValues((v) => ({ ...v, [name]: value }));
  const { error, busy, submit } = useSubmit(async () => {
    const created = await catalogApi.createRequest({ entryId: entry.id, ...values });
    navigate(`/catalog/requests/${created.id}?done=${created.status === 'approved' ? 'granted' : 'sent'}`);
  });
  const errors: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const input = problemField(problem).replace(/^items\[\d+\]$/, 'items');
    if (!(input in errors)) errors[input] = problemMessage(lookup, problem);
  }
  const labels = {
    items: t('catalog.ask.items'),
    purpose: t('catalog.ask.purpose'),
    legalBasis: t('catalog.ask.legalBasis'),
    periodFrom: t('catalog.ask.periodFrom'),
    periodTo: t('catalog.ask.periodTo'),
    subsystem: t('catalog.ask.subsystem'),
  };
  const whole = entry.metadata.dataItems.some((d) => d.field === '');
  const conditional = entry.metadata.sharing.type === 'conditional';
  return (
    <form className="form" noValidate onSubmit={(e) => void submit(e)}>
      <p className="lead">
        <span className="catalog-code">{entry.code}</span> · {localName(entry.provider, lang)} · <SharingBadge type={entry.metadata.sharing.type} />
      </p>
      <p className="hint">{conditional ? t('catalog.ask.conditional', { days: answerDays ?? '—', condition: entry.metadata.sharing.condition }) : t('catalog.ask.unconditional')}</p>
      <ProblemSummary error={error} formId={formId} labels={labels} target={(field) => field.replace(/^items\[\d+\]$/, 'items')} />
      <CheckboxGroup
        formId={formId}
        name="items"
        legend={`${labels.items} ${t('common.required')}`}
        options={entry.metadata.dataItems.map((d) => ({ value: d.name, label: lang === 'en' && d.nameEn ? `${d.nameEn} (${d.name})` : d.name }))}
        values={values.items}
        onChange={set('items')}
        error={errors.items}
      />
      <div className="button-row catalog-select-all">
        <button type="button" className="button button-secondary button-small" onClick={() => set('items')(entry.metadata.dataItems.map((d) => d.name))}>
          {t('catalog.ask.all')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => set('items')([])}>
          {t('catalog.ask.none')}
        </button>
      </div>
      {whole && <p className="hint">{t('catalog.ask.whole')}</p>}
      <TextAreaField formId={formId} name="purpose" label={labels.purpose} hint={t('catalog.ask.purposeHint')} required value={values.purpose} onChange={set('purpose')} error={errors.purpose} />
      <TextAreaField formId={formId} name="legalBasis" label={labels.legalBasis} hint={t('catalog.ask.legalBasisHint')} required value={values.legalBasis} onChange={set('legalBasis')} error={errors.legalBasis} />
      <div className="filters">
        <TextField formId={formId} name="periodFrom" label={labels.periodFrom} hint={t('catalog.ask.dateHint')} required inputMode="numeric" maxLength={10} value={values.periodFrom} onChange={set('periodFrom')} error={errors.periodFrom} />
        <TextField formId={formId} name="periodTo" label={labels.periodTo} hint={t('catalog.ask.dateHint')} required inputMode="numeric" maxLength={10} value={values.periodTo} onChange={set('periodTo')} error={errors.periodTo} />
      </div>
      {subsystems.error && <ProblemLoadError error={subsystems.error} onRetry={subsystems.reload} />}
      {subsystems.data && active.length === 0 && <p className="callout">{t('catalog.ask.noSubsystem')}</p>}
      <SelectField
        formId={formId}
        name="subsystem"
        label={labels.subsystem}
        hint={t('catalog.ask.subsystemHint')}
        required
        value={values.subsystem}
        onChange={set('subsystem')}
        options={[{ value: '', label: t('catalog.ask.chooseSubsystem') }, ...active.map((s) => ({ value: s.identifier, label: `${localName(s, lang)} (${s.identifier})` }))]}
        error={errors.subsystem}
      />
      <FormButtons busy={busy} submitLabel={t('catalog.ask.submit')} cancelTo={`/catalog/entries/${entry.id}`} />
    </form>
  );
}
