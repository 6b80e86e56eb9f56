// The open data of an entry in the workbench: its releases (newest first, with their
// downloads) for everyone, and for the provider a form to publish the next release from a
// CSV file. The server checks every cell and writes all rows or none; a refused file comes
// back with a report of row, column and problem.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../api.ts';
import { DataTable } from '../../components/data-table.tsx';
import { FileField, TextAreaField, fieldId } from '../../components/forms.tsx';
import { formatDateTime } from '../../format.ts';
import { useResource } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { ImportReportSection, reportLines, reportPlace } from '../registries/import-report.tsx';
import { problemsByField } from '../registries/problems.ts';
import { datasetPath, downloadPath, openDataApi } from './api.ts';

export function ReleasePanel({ entryId, mayPublish }: { entryId: string; mayPublish: boolean }) {
  const { t, lang } = useI18n();
  const releases = useResource(() => openDataApi.releases(entryId), `open-releases-${entryId}`);
  const [notice, setNotice] = useState<string | undefined>();
  return (
    <section className="panel" aria-labelledby="open-releases-title" data-testid="open-releases">
      <h2 id="open-releases-title">{t('open.releases.title')}</h2>
      <p>
        {t('open.releases.intro')} <a href={datasetPath(entryId)}>{t('open.releases.publicPage')}</a>
      </p>
      <div aria-live="polite">{notice && <p className="notice">{notice}</p>}</div>
      {releases.data && (
        <DataTable
          compact
          items={releases.data}
          rowKey={(r) => r.release}
          empty={t('open.releases.empty')}
          columns={[
            { header: t('open.releases.release'), className: 'num', cell: (r) => r.release },
            { header: t('open.releases.rows'), className: 'num', cell: (r) => r.rowCount.toLocaleString(lang) },
            { header: t('open.releases.note'), cell: (r) => r.note },
            { header: t('open.releases.published'), className: 'small', cell: (r) => `${formatDateTime(r.publishedAt, lang)} · ${r.publishedBy}` },
            {
              header: t('open.releases.download'),
              cell: (r) => (
                <>
                  <a href={downloadPath(entryId, 'csv', r.release)}>CSV</a> · <a href={downloadPath(entryId, 'json', r.release)}>JSON</a>
                </>
              ),
            },
          ]}
        />
      )}
      {mayPublish && (
        <PublishForm
          entryId={entryId}
          onPublished={(release, rows) => {
            setNotice(t('open.publish.done', { release, rows }));
            releases.reload();
          }}
        />
      )}
    </section>
  );
}

function PublishForm({ entryId, onPublished }: { entryId: string; onPublished: (release: number, rows: number) => void }) {
  const { t, lookup } = useI18n();
  const formId = 'open-publish';
  const fileRef = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(undefined);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      const message = t('open.publish.noFile');
      setError(new ApiError(400, 'validation_failed', message, [{ field: 'file', code: 'required', message }]));
      return;
    }
    setBusy(true);
    try {
      const release = await openDataApi.publish(entryId, file, note.trim());
      setNote('');
      if (fileRef.current) fileRef.current.value = '';
      onPublished(release.release, release.rowCount);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const errors = problemsByField(lookup, error);
  const report = reportLines(lookup, error);
  const fileId = fieldId(formId, 'file');
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="open-publish">
      <h3>{t('open.publish.title')}</h3>
      {/* Header problems name a column of the file: the summary lists them and leads to the file input. */}
      <ProblemSummary error={error} formId={formId} labels={{ file: t('open.publish.file'), note: t('open.publish.note') }} omit={(field) => reportPlace(field) !== undefined} target={(field) => (field === 'note' ? 'note' : 'file')} />
      <FileField id={fileId} label={t('open.publish.file')} hint={t('open.publish.fileHint')} error={errors.file} accept=".csv,text/csv" inputRef={fileRef} />
      <TextAreaField formId={formId} name="note" label={t('open.publish.note')} hint={t('open.publish.noteHint')} required value={note} onChange={setNote} error={errors.note} />
      <div className="button-row">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('open.publish.sending') : t('open.publish.submit')}
        </button>
      </div>
      {report.length > 0 && <ImportReportSection title={t('open.publish.reportTitle')} lines={report} testId="open-publish-report" />}
    </form>
  );
}
