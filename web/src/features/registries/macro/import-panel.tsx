// Bringing figures in from a file (the keepers'), and taking them out (everyone's). SDMX-CSV
// as SDMX tools write it, or a plain CSV of indicator,region,period,value[,status]; the format
// is told by the header unless chosen. All rows or none: the server checks every row and, if
// any is wrong, writes nothing and answers with a report of row, column and problem. A check
// only counts what would be created, revised or left as it is.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../api.ts';
import { CheckboxField, SelectField, TextAreaField, fieldId } from '../../../components/forms.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { useCurrentSession } from '../../../session.tsx';
import { ProblemSummary } from '../errors.tsx';
import { ImportReportTable, type ReportLine } from '../import-report.tsx';
import { problemField, problemMessage, problemsByField } from '../problems.ts';
import { exportUrl, importFile, reportPlace, type ImportFormat, type ImportResult, type Indicator } from './api.ts';

const isReportField = (field: string) => reportPlace(field) !== undefined;

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { t, lang, lookup } = useI18n();
  const session = useCurrentSession();
  const formId = 'macro-import';
  const fileRef = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<'' | ImportFormat>('');
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<ImportResult | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      const message = t('macro.import.noFile');
      setError(new ApiError(400, 'validation_failed', message, [{ field: 'file', code: 'required', message }]));
      return;
    }
    setBusy(true);
    try {
      const answer = await importFile(file, { format: format || undefined, reason: reason.trim(), dryRun }, { csrfToken: session.csrfToken, lang });
      setResult(answer);
      if (!answer.dryRun) onImported();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const errors = problemsByField(lookup, error);
  const fileError = errors.file ?? errors.columns ?? errors.content;
  const fileId = fieldId(formId, 'file');
  const report: ReportLine[] = (error?.errors ?? []).flatMap((problem) => {
    const place = reportPlace(problemField(problem));
    return place ? [{ where: String(place.row), field: place.column, problem: problemMessage(lookup, problem) }] : [];
  });
  const labels = { file: t('macro.import.file'), columns: t('macro.import.file'), content: t('macro.import.file'), format: t('macro.import.format'), reason: t('macro.import.reason') };
  return (
    <section className="panel" aria-labelledby="macro-import-title">
      <h2 id="macro-import-title">{t('macro.import.title')}</h2>
      <p>{t('macro.import.intro')}</p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="macro-import">
        <ProblemSummary error={error} formId={formId} labels={labels} omit={isReportField} />
        <div className={`field${fileError ? ' field-invalid' : ''}`}>
          <div className="label-row">
            <label htmlFor={fileId}>{labels.file}</label>
            <span className="required-mark" aria-hidden="true">
              {t('common.required')}
            </span>
          </div>
          <p className="hint" id={`${fileId}-hint`}>
            {t('macro.import.fileHint')}
          </p>
          {fileError && (
            <p className="field-error" id={`${fileId}-error`}>
              {fileError}
            </p>
          )}
          <input ref={fileRef} id={fileId} name="file" type="file" required accept=".csv,text/csv" aria-invalid={fileError ? true : undefined} aria-describedby={[`${fileId}-hint`, fileError ? `${fileId}-error` : ''].filter(Boolean).join(' ')} />
        </div>
        <SelectField
          formId={formId}
          name="format"
          label={labels.format}
          value={format}
          onChange={(v) => setFormat(v as '' | ImportFormat)}
          error={errors.format}
          options={[
            { value: '', label: t('macro.import.formatAuto') },
            { value: 'sdmx-csv', label: t('macro.import.formatSdmx') },
            { value: 'csv', label: t('macro.import.formatCsv') },
          ]}
        />
        <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('macro.import.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
        <CheckboxField formId={formId} name="dryRun" label={t('macro.import.dryRun')} hint={t('macro.import.dryRunHint')} checked={dryRun} onChange={setDryRun} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('macro.import.sending') : dryRun ? t('macro.import.check') : t('macro.import.submit')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {result && (
          <p className="notice" data-testid="macro-import-result">
            {t(result.dryRun ? 'macro.import.checked' : 'macro.import.done', { rows: result.rows, created: result.created, revised: result.revised, unchanged: result.unchanged, skipped: result.skipped })}
          </p>
        )}
        {report.length > 0 && (
          <>
            <h3>{t('macro.import.reportTitle')}</h3>
            <ImportReportTable lines={report} testId="macro-import-report" title={t('macro.import.reportTitle')} />
          </>
        )}
      </div>
    </section>
  );
}

/** Current observations as CSV, in the format the import reads, so a file goes round. */
export function ExportLinks({ selected }: { selected: Indicator | undefined }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel" aria-labelledby="macro-export-title">
      <h2 id="macro-export-title">{t('macro.export.title')}</h2>
      <p>{t('macro.export.intro')}</p>
      <ul className="link-list" data-testid="macro-export">
        <li>
          <a href={exportUrl()} download="macroeconomic.csv">
            {t('macro.export.all')}
          </a>
        </li>
        {selected && (
          <li>
            <a href={exportUrl(selected.code)} download={`${selected.code}.csv`}>
              {t('macro.export.one', { name: lang === 'en' ? selected.nameEn : selected.nameZh })}
            </a>
          </li>
        )}
      </ul>
    </section>
  );
}
