// The catalog's settings, for the platform administrator: which organization reviews entries
// (the data bureau), how many working days a provider has to answer a conditional share
// request, and deriving the base registries' entries again from their schemas (after a
// registry's fields or owner changed, or when a registry was installed).
import { useState } from 'react';
import { DataTable } from '../../components/data-table.tsx';
import { FormButtons } from '../../components/form-buttons.tsx';
import { Notice, SelectField, TextField } from '../../components/forms.tsx';
import { useOrgDirectory } from '../../components/org-directory.ts';
import { PageTitle } from '../../components/page.tsx';
import { Loading } from '../../components/status.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemsByField } from '../registries/problems.ts';
import { useCatalogAccess } from './access.ts';
import { catalogApi, type Settings, type SyncResult } from './api.ts';
import { CatalogNav } from './catalog-nav.tsx';

export function CatalogSettingsPage() {
  const { t } = useI18n();
  const access = useCatalogAccess();
  return (
    <>
      <PageTitle>{t('catalog.settings.title')}</PageTitle>
      <CatalogNav access={access} />
      {access.settings ? <SettingsForm key={JSON.stringify(access.settings)} saved={access.settings} /> : <Loading />}
      <BaseEntrySync />
    </>
  );
}

function SettingsForm({ saved }: { saved: Settings }) {
  const { t, lang, lookup } = useI18n();
  const orgs = useOrgDirectory(lang, 'active');
  const formId = 'catalog-settings';
  const [reviewer, setReviewer] = useState(saved.reviewerOrgId ?? '');
  const [days, setDays] = useState(String(saved.answerWorkingDays));
  const [notice, setNotice] = useState<string | undefined>();
  const { error, busy, submit } = useSubmit(async () => {
    setNotice(undefined);
    const next = await catalogApi.configure({ reviewerOrgId: reviewer || null, answerWorkingDays: Number(days) });
    setNotice(t('catalog.settings.saved', { days: next.answerWorkingDays }));
  });
  const errors = problemsByField(lookup, error);
  const labels = { reviewerOrgId: t('catalog.settings.reviewer'), answerWorkingDays: t('catalog.settings.days') };
  return (
    <section className="panel" aria-labelledby="catalog-settings-form-title">
      <h2 id="catalog-settings-form-title">{t('catalog.settings.formTitle')}</h2>
      <Notice>{notice}</Notice>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="catalog-settings">
        <ProblemSummary error={error} formId={formId} labels={labels} />
        <SelectField formId={formId} name="reviewerOrgId" label={labels.reviewerOrgId} hint={t('catalog.settings.reviewerHint')} value={reviewer} onChange={setReviewer} error={errors.reviewerOrgId} options={[{ value: '', label: t('catalog.settings.noReviewer') }, ...orgs.options]} />
        <TextField formId={formId} name="answerWorkingDays" type="number" min={1} max={60} label={labels.answerWorkingDays} hint={t('catalog.settings.daysHint')} required value={days} onChange={setDays} error={errors.answerWorkingDays} />
        <p className="hint">
          <Link to="/calendar">{t('catalog.settings.calendar')}</Link>
        </p>
        <FormButtons busy={busy} submitLabel={t('common.save')} />
      </form>
    </section>
  );
}

function BaseEntrySync() {
  const { t } = useI18n();
  const [result, setResult] = useState<SyncResult | undefined>();
  const { error, busy, submit } = useSubmit(async () => setResult(await catalogApi.syncBase()));
  const changed = result?.filter((r) => r.changed).length ?? 0;
  return (
    <section className="panel" aria-labelledby="catalog-sync-title">
      <h2 id="catalog-sync-title">{t('catalog.sync.title')}</h2>
      <p>{t('catalog.sync.intro')}</p>
      <form onSubmit={(e) => void submit(e)} data-testid="catalog-sync">
        <ProblemSummary error={error} formId="catalog-sync" labels={{}} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('catalog.sync.running') : t('catalog.sync.run')}
        </button>
      </form>
      <div aria-live="polite">
        {result && (
          <>
            <p className="notice">{t('catalog.sync.done', { total: result.length, changed })}</p>
            <DataTable
              compact
              items={result}
              rowKey={(r) => r.registry}
              empty={t('catalog.sync.none')}
              columns={[
                { header: t('catalog.sync.registry'), cell: (r) => r.registry },
                { header: t('catalog.col.code'), cell: (r) => <span className="catalog-code">{r.code}</span> },
                { header: t('catalog.sync.changed'), cell: (r) => t(r.changed ? 'catalog.sync.changedYes' : 'catalog.sync.changedNo') },
              ]}
            />
          </>
        )}
      </div>
    </section>
  );
}
