// Bringing figures in from a file (the keepers'), and taking them out (everyone's). SDMX-CSV
// as SDMX tools write it, or a plain CSV of indicator,region,period,value[,status]; the format
// is told by the header unless chosen. All rows or none: the server checks every row and, if
// any is wrong, writes nothing and answers with a report of row, column and problem. A check
// only counts what would be created, revised or left as it is.
import { useState } from 'react';
import { CheckboxField, FileField, SelectField, TextAreaField, fieldId } from '../../../components/forms.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { ProblemSummary } from '../errors.tsx';
import { useFileImport } from '../import-form.tsx';
import { ImportReportSection, reportLines, reportPlace } from '../import-report.tsx';
import { problemsByField } from '../problems.ts';
import { exportUrl, importFile, type ImportFormat, type ImportResult, type Indicator } from './api.ts';

const isReportField = (field: string) => reportPlace(field) !== undefined;

export function ImportPanel({ onImported }: { onImported: () => void }) {
  const { t, lookup } = useI18n();
  const formId = 'macro-import';
  const [format, setFormat] = useState<'' | ImportFormat>('');
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const { fileRef, busy, error, result, submit } = useFileImport<ImportResult>(t('macro.import.noFile'), onImported);
  const send = (file: File) => importFile(file, { format: format || undefined, reason: reason.trim(), dryRun });

  const errors = problemsByField(lookup, error);
  const fileError = errors.file ?? errors.columns ?? errors.content;
  const report = reportLines(lookup, error);
  const labels = { file: t('macro.import.file'), columns: t('macro.import.file'), content: t('macro.import.file'), format: t('macro.import.format'), reason: t('macro.import.reason') };
  return (
    <section className="panel" aria-labelledby="macro-import-title">
      <h2 id="macro-import-title">{t('macro.import.title')}</h2>
      <p>{t('macro.import.intro')}</p>
      <form className="form" onSubmit={(e) => void submit(e, send)} noValidate data-testid="macro-import">
        <ProblemSummary error={error} formId={formId} labels={labels} omit={isReportField} />
        <FileField id={fieldId(formId, 'file')} label={labels.file} hint={t('macro.import.fileHint')} error={fileError} accept=".csv,text/csv" inputRef={fileRef} />
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
        {report.length > 0 && <ImportReportSection title={t('macro.import.reportTitle')} lines={report} testId="macro-import-report" />}
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
