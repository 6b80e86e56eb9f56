// Bringing a GeoJSON FeatureCollection into a layer (the keepers'), and each layer as a file
// (everyone's). An import is all or nothing: the server checks every feature and, if any is
// wrong, writes nothing and answers with a report naming the feature (its place in the file
// and its id), the field and the problem, down to the ring and vertex of a bad polygon. A
// check only counts what would be created, changed or left as it is.
import { useState } from 'react';
import { ApiError } from '../../../api.ts';
import { CheckboxField, FileField, SelectField, TextAreaField, fieldId } from '../../../components/forms.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { ProblemSummary } from '../errors.tsx';
import { useFileImport } from '../import-form.tsx';
import { ImportReportSection, type ReportLine } from '../import-report.tsx';
import { problemField, problemMessage, problemsByField } from '../problems.ts';
import { exportUrl, geoApi, type ImportResult, type Layer } from './api.ts';
import { layerName } from './feature-form.tsx';

const FEATURE_FIELD = /^features\[(\d+)\](?:\.(.*))?$/;
const isFeatureField = (field: string) => FEATURE_FIELD.test(field);

export function ImportPanel({ layers, onImported }: { layers: Layer[]; onImported: () => void }) {
  const { t, lang, lookup } = useI18n();
  const formId = 'geo-import';
  const [layer, setLayer] = useState(layers[0]?.code ?? '');
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const { fileRef, busy, error, result, submit } = useFileImport<ImportResult>(t('geo.import.noFile'), onImported);
  /** The ids of the file's features by position, to name them in the report. */
  const [ids, setIds] = useState<string[]>([]);

  async function send(file: File): Promise<ImportResult> {
    let collection: unknown;
    try {
      collection = JSON.parse(await file.text());
    } catch (e) {
      const message = t('geo.form.fileNotJson', { file: file.name, detail: e instanceof Error ? e.message : String(e) });
      throw new ApiError(400, 'validation_failed', message, [{ field: 'file', code: 'geometry_json', message }]);
    }
    const features = (collection as { features?: unknown }).features;
    setIds(Array.isArray(features) ? features.map((f) => String((f as { id?: unknown; properties?: { code?: unknown } })?.id ?? (f as { properties?: { code?: unknown } })?.properties?.code ?? '')) : []);
    return geoApi.importCollection(layer, { featureCollection: collection, reason: reason.trim(), dryRun });
  }

  const errors = problemsByField(lookup, error);
  const fileError = errors.file ?? errors.featureCollection ?? errors['featureCollection.features'] ?? errors['featureCollection.crs'];
  const report: ReportLine[] = (error?.errors ?? []).flatMap((problem) => {
    const m = FEATURE_FIELD.exec(problemField(problem));
    if (!m) return [];
    const id = ids[Number(m[1])];
    return [{ where: id ? t('geo.import.featureAt', { index: m[1], id }) : t('geo.import.featureIndex', { index: m[1] }), field: m[2] ?? '—', problem: problemMessage(lookup, problem) }];
  });
  const labels = { file: t('geo.import.file'), layer: t('geo.form.layer'), reason: t('geo.form.reason'), featureCollection: t('geo.import.file'), 'featureCollection.features': t('geo.import.file'), 'featureCollection.crs': t('geo.import.file') };
  return (
    <section className="panel" aria-labelledby="geo-import-title">
      <h2 id="geo-import-title">{t('geo.import.title')}</h2>
      <p>{t('geo.import.intro')}</p>
      <form className="form" onSubmit={(e) => void submit(e, send)} noValidate data-testid="geo-import">
        <ProblemSummary error={error} formId={formId} labels={labels} omit={isFeatureField} />
        <SelectField formId={formId} name="layer" label={labels.layer} required value={layer} onChange={setLayer} options={layers.map((l) => ({ value: l.code, label: layerName(lang, l) }))} error={errors.layer} />
        <FileField id={fieldId(formId, 'file')} label={labels.file} hint={t('geo.import.fileHint')} error={fileError} accept=".geojson,.json,application/geo+json,application/json" inputRef={fileRef} />
        <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('geo.import.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
        <CheckboxField formId={formId} name="dryRun" label={t('geo.import.dryRun')} hint={t('geo.import.dryRunHint')} checked={dryRun} onChange={setDryRun} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t('geo.import.sending') : dryRun ? t('geo.import.check') : t('geo.import.submit')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {result && (
          <p className="notice" data-testid="geo-import-result">
            {t(result.dryRun ? 'geo.import.checked' : 'geo.import.done', { features: result.features, created: result.created, updated: result.updated, unchanged: result.unchanged })}
          </p>
        )}
        {report.length > 0 && <ImportReportSection title={t('geo.import.reportTitle')} lines={report} whereLabel={t('geo.import.feature')} testId="geo-import-report" />}
      </div>
    </section>
  );
}

/** Each layer as a GeoJSON file with its coordinate reference system. */
export function ExportLinks({ layers }: { layers: Layer[] }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel" aria-labelledby="geo-export-title">
      <h2 id="geo-export-title">{t('geo.export.title')}</h2>
      <p>{t('geo.export.intro')}</p>
      <ul className="link-list" data-testid="geo-export">
        {layers.map((l) => (
          <li key={l.code}>
            <a href={exportUrl(l.code)} download={`${l.code}.geojson`}>
              {t('geo.export.link', { layer: layerName(lang, l), count: l.featureCount })}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
