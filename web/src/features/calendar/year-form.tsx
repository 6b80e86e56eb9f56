// The platform admin marks a year's arrangement as entered, naming where it was published in
// both languages (or changes that source of an entered year).
import { useState } from 'react';
import { ErrorSummary, fieldErrors, TextField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { calendarApi, type YearView } from './api.ts';

const FORM = 'calendar-year-source';

export function YearForm({ view, onSaved }: { view: YearView; onSaved: (view: YearView, wasEntered: boolean) => void }) {
  const { t, lookup } = useI18n();
  const [sourceZh, setSourceZh] = useState(view.sourceZh ?? '');
  const [sourceEn, setSourceEn] = useState(view.sourceEn ?? '');
  const { error, busy, submit } = useSubmit(async () => {
    onSaved(await calendarApi.enterYear(view.year, { sourceZh: sourceZh.trim(), sourceEn: sourceEn.trim() }), view.entered);
  });
  const labels = { sourceZh: t('calendar.field.sourceZh'), sourceEn: t('calendar.field.sourceEn') };
  const errors = fieldErrors(lookup, error);
  const titleId = `${FORM}-title`;
  return (
    <section className="subform" aria-labelledby={titleId}>
      <h3 id={titleId}>{t(view.entered ? 'calendar.enter.titleUpdate' : 'calendar.enter.title')}</h3>
      {!view.entered && <p className="hint">{t('calendar.enter.intro')}</p>}
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form className="form" onSubmit={submit} noValidate>
        <TextField formId={FORM} name="sourceZh" label={labels.sourceZh} hint={t('calendar.field.sourceHint')} value={sourceZh} onChange={setSourceZh} required maxLength={300} error={errors.sourceZh} />
        <TextField formId={FORM} name="sourceEn" label={labels.sourceEn} value={sourceEn} onChange={setSourceEn} required maxLength={300} error={errors.sourceEn} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('common.saving') : view.entered ? t('calendar.enter.update') : t('calendar.enter.submit', { year: view.year })}
          </button>
        </div>
      </form>
    </section>
  );
}
