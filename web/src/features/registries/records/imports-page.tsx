// Bulk import of a record registry: a file (CSV, JSON Lines or XLSX) with the reason kept on
// every version, all or nothing or in resumable batches; a live progress bar (an accessible
// <progress> with its text beside it) while it uploads, is checked and is written; the
// problems found as a table of row, field and problem; recent imports, with a way to go on
// with one that was interrupted; and the registry's records as a file.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../../api.ts';
import { CheckboxField, FileField, SelectField, TextAreaField } from '../../../components/forms.tsx';
import { PageTitle } from '../../../components/page.tsx';
import { Loading } from '../../../components/status.tsx';
import { formatDateTime } from '../../../format.ts';
import { useResource } from '../../../hooks.ts';
import { useI18n, type MessageKey } from '../../../i18n/index.tsx';
import { Link } from '../../../router.tsx';
import { useCurrentSession } from '../../../session.tsx';
import { HeadedTable } from '../table.tsx';
import type { RegistryDetail } from './api.ts';
import { ImportReportSection } from '../import-report.tsx';
import { RecordErrorSummary, RecordLoadError } from './errors.tsx';
import { labelsOf, problemsByField, registryTitle } from './fields.ts';
import { exportUrl, IMPORT_FORMATS, importsApi, resumeImport, startImport, type DryRunView, type ImportMode, type ImportView, type OnExisting, type ReportEntry } from './imports-api.ts';
import { useKeeps, useRefusalFollowsLanguage, useRegistry } from './use-registry.ts';

const POLL_MS = 500;

/** What the progress panel shows: the upload, then the import as the server reports it. */
type Run = { uploading: number; view?: undefined; dryRun?: undefined } | { view: ImportView; uploading?: number; dryRun?: undefined } | { dryRun: DryRunView; view?: undefined; uploading?: undefined };

export function ImportsPage({ name }: { name: string }) {
  const registry = useRegistry(name);
  useRefusalFollowsLanguage(registry);
  if (registry.error) return <RecordLoadError error={registry.error} onRetry={registry.reload} />;
  if (!registry.data) return <Loading />;
  return <Imports definition={registry.data} />;
}

function Imports({ definition }: { definition: RegistryDetail }) {
  const { t, lang } = useI18n();
  const keeps = useKeeps(definition);
  const [run, setRun] = useState<Run | undefined>();
  const [listCount, setListCount] = useState(0);
  const recent = useResource(() => importsApi.list(definition.name), `${definition.name}/${listCount}`);
  useRefusalFollowsLanguage(recent);
  const listPath = `/registries/${encodeURIComponent(definition.name)}`;
  const title = registryTitle(definition, lang);

  // Poll a running import until it ends; then the list shows it too.
  const viewId = run?.view?.id;
  const running = run?.view?.status === 'running';
  useEffect(() => {
    if (!viewId || !running) return;
    let stopped = false;
    const timer = setInterval(() => {
      importsApi
        .get(definition.name, viewId)
        .then((view) => !stopped && setRun((r) => (r?.view?.id === viewId ? { view, uploading: r.uploading } : r)))
        .catch(() => {});
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [definition.name, viewId, running]);
  useEffect(() => {
    if (viewId && !running) setListCount((c) => c + 1);
  }, [viewId, running]);

  return (
    <>
      <p className="breadcrumb">
        <Link to={listPath}>{t('records.backTo', { title })}</Link>
      </p>
      <PageTitle>{t('records.imports.title', { title })}</PageTitle>
      <p className="lead">{t('records.imports.intro')}</p>
      {keeps && <ImportForm definition={definition} onRun={setRun} busy={running} />}
      {run && <ImportProgress definition={definition} run={run} />}
      <section className="panel" aria-labelledby="imports-recent-title" aria-busy={recent.loading}>
        <h2 id="imports-recent-title">{t('records.imports.recent.title')}</h2>
        {recent.error && <RecordLoadError error={recent.error} onRetry={recent.reload} testId="imports-error" />}
        {recent.data && <RecentImports definition={definition} items={recent.data} keeps={keeps} onShow={(view) => setRun({ view })} />}
      </section>
      <section className="panel" aria-labelledby="imports-export-title">
        <h2 id="imports-export-title">{t('records.imports.export.title')}</h2>
        <p>{t('records.imports.export.intro')}</p>
        <ul className="link-list">
          {IMPORT_FORMATS.map((format) => (
            <li key={format}>
              <a href={exportUrl(definition.name, format)} download>
                {t(`records.imports.export.${format}` as MessageKey)}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function ImportForm({ definition, onRun, busy }: { definition: RegistryDetail; onRun: (run: Run | undefined) => void; busy: boolean }) {
  const { t, lang, lookup } = useI18n();
  const session = useCurrentSession();
  const formId = 'import';
  const fileRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<ImportMode>('atomic');
  const [existing, setExisting] = useState<OnExisting>('refuse');
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    setError(undefined);
    if (!file) {
      const message = t('records.imports.form.noFile');
      setError(new ApiError(400, 'file_required', message, [{ field: 'file', code: 'required', message }]));
      return;
    }
    setSending(true);
    onRun({ uploading: 0 });
    try {
      const answer = await startImport(definition.name, file, { reason: reason.trim(), mode, existing, dryRun }, { csrfToken: session.csrfToken, lang }, (share) => onRun({ uploading: share }));
      onRun('dryRun' in answer ? { dryRun: answer } : { view: answer, uploading: 1 });
    } catch (e) {
      setError(asApiError(e));
      onRun(undefined);
    } finally {
      setSending(false);
    }
  }

  const labels = { file: t('records.imports.form.file'), reason: t('records.imports.form.reason'), mode: t('records.imports.form.mode'), existing: t('records.imports.form.existing'), format: t('records.imports.form.file') };
  const errors = problemsByField(lookup, error);
  const fileError = errors.file ?? errors.format;
  return (
    <section className="panel" aria-labelledby="import-form-title">
      <h2 id="import-form-title">{t('records.imports.form.title')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <RecordErrorSummary error={error} formId={formId} labels={labels} />
        <FileField
          id={`${formId}-file`}
          label={labels.file}
          hint={t('records.imports.form.fileHint')}
          error={fileError}
          accept=".csv,.jsonl,.ndjson,.xlsx,text/csv,application/x-ndjson,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          inputRef={fileRef}
        />
        <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('records.imports.form.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
        <div className="form-grid">
          <SelectField
            formId={formId}
            name="mode"
            label={labels.mode}
            hint={t('records.imports.form.modeHint')}
            value={mode}
            onChange={(v) => setMode(v as ImportMode)}
            options={[
              { value: 'atomic', label: t('records.imports.mode.atomic') },
              { value: 'resumable', label: t('records.imports.mode.resumable') },
            ]}
            error={errors.mode}
          />
          <SelectField
            formId={formId}
            name="existing"
            label={labels.existing}
            value={existing}
            onChange={(v) => setExisting(v as OnExisting)}
            options={[
              { value: 'refuse', label: t('records.imports.existing.refuse') },
              { value: 'update', label: t('records.imports.existing.update') },
            ]}
            error={errors.existing}
          />
        </div>
        <CheckboxField formId={formId} name="dryRun" label={t('records.imports.form.dryRun')} hint={t('records.imports.form.dryRunHint')} checked={dryRun} onChange={setDryRun} />
        <div className="button-row">
          <button type="submit" className="button" disabled={sending || busy}>
            {dryRun ? t('records.imports.form.check') : t('records.imports.form.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function progressText(t: ReturnType<typeof useI18n>['t'], run: Run, number: (n: number) => string): { phase: string; detail: string } {
  if (run.dryRun) {
    const d = run.dryRun;
    return { phase: t('records.imports.phase.checked'), detail: t('records.imports.progress.checked', { total: number(d.totalRows), valid: number(d.validRows), errors: number(d.errorCount) }) };
  }
  if (!run.view) return { phase: t('records.imports.phase.uploading'), detail: t('records.imports.progress.uploading', { percent: Math.round((run.uploading ?? 0) * 100) }) };
  const v = run.view;
  const counts = { processed: number(v.processedRows), total: v.totalRows === null ? '?' : number(v.totalRows), committed: number(v.committedRows), created: number(v.createdRows), updated: number(v.updatedRows), unchanged: number(v.unchangedRows), errors: number(v.errorCount) };
  if (v.status === 'done') return { phase: t('records.imports.phase.done'), detail: t('records.imports.progress.done', counts) };
  if (v.status === 'failed') return { phase: t('records.imports.phase.failed'), detail: t(v.mode === 'atomic' ? 'records.imports.progress.failedAtomic' : 'records.imports.progress.failed', counts) };
  if (v.status === 'interrupted') return { phase: t('records.imports.phase.interrupted'), detail: t('records.imports.progress.interrupted', counts) };
  if (v.phase === 'writing') return { phase: t('records.imports.phase.writing'), detail: t('records.imports.progress.writing', counts) };
  return { phase: t('records.imports.phase.validating'), detail: t(v.totalRows === null ? 'records.imports.progress.validatingOpen' : 'records.imports.progress.validating', counts) };
}

function ImportProgress({ definition, run }: { definition: RegistryDetail; run: Run }) {
  const { t, lang } = useI18n();
  const id = useId();
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  const { phase, detail } = progressText(t, run, number);
  const value = run.dryRun ? 1 : run.view ? run.view.progress : (run.uploading ?? 0);
  const report = run.dryRun?.report ?? run.view?.report ?? [];
  const errorCount = run.dryRun?.errorCount ?? run.view?.errorCount ?? 0;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="import-progress">
      <h2 id={`${id}-title`}>{run.view ? t('records.imports.progress.titleFile', { file: run.view.fileName }) : run.dryRun ? t('records.imports.progress.titleFile', { file: run.dryRun.fileName }) : t('records.imports.progress.title')}</h2>
      {/* The phase is announced when it changes; the numbers are the bar's text equivalent. */}
      <p role="status">
        <strong>{phase}</strong>
      </p>
      <progress className="import-progress" max={1} value={value} aria-labelledby={`${id}-title`} aria-describedby={`${id}-detail`} />
      <p id={`${id}-detail`}>{detail}</p>
      {(run.view || run.dryRun) && <ImportReport definition={definition} report={report} errorCount={errorCount} />}
    </section>
  );
}

function ImportReport({ definition, report, errorCount }: { definition: RegistryDetail; report: ReportEntry[]; errorCount: number }) {
  const { t, lang } = useI18n();
  const labels = labelsOf(definition, lang);
  if (errorCount === 0) return <p>{t('records.imports.report.none')}</p>;
  return (
    <ImportReportSection
      title={t('records.imports.report.title')}
      note={errorCount > report.length && <p className="muted">{t('records.imports.report.truncated', { shown: report.length, total: errorCount })}</p>}
      testId="import-report"
      lines={report.map((entry) => ({ where: String(entry.row), field: labels[entry.field] ?? entry.field, problem: lang === 'en' ? entry.message : entry.messageZh || entry.message }))}
    />
  );
}

function RecentImports({ definition, items, keeps, onShow }: { definition: RegistryDetail; items: ImportView[]; keeps: boolean; onShow: (view: ImportView) => void }) {
  const { t, lang } = useI18n();
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  const [resuming, setResuming] = useState<ImportView | undefined>();
  if (items.length === 0) return <p>{t('records.imports.recent.none')}</p>;
  return (
    <>
      <HeadedTable caption={t('records.imports.recent.title')} columns={[t('records.imports.recent.file'), t('records.imports.recent.when'), t('records.imports.recent.by'), t('records.imports.recent.status'), t('records.imports.recent.rows'), t('records.imports.recent.problems'), t('common.actions')]} testId="imports-recent" compact>
        {items.map((v) => (
          <tr key={v.id}>
            <th scope="row">
              {v.fileName}
              <div className="muted small">{v.reason}</div>
            </th>
            <td className="nowrap">{formatDateTime(v.createdAt, lang)}</td>
            <td>{v.createdBy}</td>
            <td>{t(`records.imports.status.${v.status}` as MessageKey)}</td>
            <td className="num">
              {number(v.committedRows)} / {v.totalRows === null ? '?' : number(v.totalRows)}
            </td>
            <td className="num">{number(v.errorCount)}</td>
            <td className="actions">
              <button type="button" className="button button-secondary button-small" aria-label={`${t('records.imports.recent.show')} ${v.fileName}`} onClick={() => onShow(v)}>
                {t('records.imports.recent.show')}
              </button>
              {keeps && v.status === 'interrupted' && (
                <button type="button" className="button button-small" aria-label={`${t('records.imports.resume.button')} ${v.fileName}`} onClick={() => setResuming(v)}>
                  {t('records.imports.resume.button')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </HeadedTable>
      {resuming && <ResumeForm definition={definition} view={resuming} onShow={onShow} onDone={() => setResuming(undefined)} />}
    </>
  );
}

/** Going on with an interrupted import: the same file (its SHA-256 is checked), polled while it runs. */
function ResumeForm({ definition, view, onShow, onDone }: { definition: RegistryDetail; view: ImportView; onShow: (view: ImportView) => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const session = useCurrentSession();
  const fileRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    setBusy(true);
    setError(undefined);
    // The resume answers when it is done; meanwhile the import's own progress is polled.
    const timer = setInterval(() => void importsApi.get(definition.name, view.id).then(onShow, () => {}), POLL_MS);
    try {
      onShow(await resumeImport(definition.name, view.id, file, { csrfToken: session.csrfToken, lang }, () => {}));
      onDone();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      clearInterval(timer);
      setBusy(false);
    }
  }
  return (
    <form className="form subform" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="import-resume-title">
      <h3 id="import-resume-title">{t('records.imports.resume.title', { file: view.fileName })}</h3>
      <RecordErrorSummary error={error} formId="import-resume" labels={{}} />
      <div className="field">
        <label htmlFor="import-resume-file">{t('records.imports.resume.file')}</label>
        <p className="hint" id="import-resume-file-hint">
          {t('records.imports.resume.hint')}
        </p>
        <input ref={fileRef} id="import-resume-file" type="file" required aria-describedby="import-resume-file-hint" />
      </div>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {t('records.imports.resume.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
