// Adding a feature to a layer, or changing one: its properties (the layer's own as inputs, the
// rest as name/value rows), its geometry as GeoJSON text (typed, pasted or read from a file)
// and the reason, kept with the new version. A change is sent with the version it was based
// on; when someone changed the feature meanwhile (409) what was typed stays, and reading the
// feature again takes the other person's values for the inputs not touched here.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { ApiError, type FieldProblem } from '../../../api.ts';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { SelectField, TextAreaField, TextField, fieldId } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { useI18n, type Lang } from '../../../i18n/index.tsx';
import { ProblemSummary } from '../errors.tsx';
import { problemsByField } from '../problems.ts';
import { geoApi, type Feature, type Layer } from './api.ts';
import { geometryProblems, geometryText, readGeometryText } from './geometry-text.ts';
import { fromPropertyValues, specsOf, toPropertyValues, type PropertyValues } from './properties.ts';
import { PropertyInputs } from './property-inputs.tsx';

type Props = {
  layers: Layer[];
  /** The feature being changed (its version is the one the change is based on); none to add one. */
  feature?: Feature;
  onSaved: (feature: Feature) => void;
  onCancel: () => void;
  /** Reads the feature again after a stale-version refusal; the form keeps what was typed. */
  onReload?: () => void;
};

export const layerName = (lang: Lang, l: Pick<Layer, 'nameZh' | 'nameEn'>) => (lang === 'en' ? l.nameEn : l.nameZh);
const toGeometry = (field: string) => (field.startsWith('geometry') ? 'geometry' : field);

export function FeatureForm({ layers, feature, onSaved, onCancel, onReload }: Props) {
  const { t, lang, lookup } = useI18n();
  const formId = feature ? 'geo-edit' : 'geo-new';
  const [layerCode, setLayerCode] = useState(feature?.layer ?? layers[0]?.code ?? '');
  const kind = layers.find((l) => l.code === layerCode)?.kind ?? 'resources';
  const [key, setKey] = useState('');
  const [props, setProps] = useState<PropertyValues>(() => toPropertyValues(kind, feature?.properties));
  const [geometry, setGeometry] = useState(() => (feature ? geometryText(feature.geometry) : ''));
  const [reason, setReason] = useState('');
  const touched = useRef(new Set<string>());
  const [base, setBase] = useState({ first: feature?.version, current: feature?.version, geometry: feature ? geometryText(feature.geometry) : '' });
  const fileRef = useRef<HTMLInputElement>(null);

  // After the feature is read again, what the user changed stays and the rest takes the new version.
  useEffect(() => {
    if (!feature || feature.version === base.current) return;
    const freshGeometry = geometryText(feature.geometry);
    setBase((b) => ({ ...b, current: feature.version, geometry: freshGeometry }));
    const fresh = toPropertyValues(kind, feature.properties);
    setProps((typed) => ({
      fixed: Object.fromEntries(Object.entries(fresh.fixed).map(([name, value]) => [name, touched.current.has(`properties.${name}`) ? (typed.fixed[name] ?? '') : value])),
      extra: touched.current.has('extra') ? typed.extra : fresh.extra,
    }));
    if (!touched.current.has('geometry')) setGeometry(freshGeometry);
  }, [feature, kind, base]);

  const { error, setError, busy, submit } = useSubmit(async () => {
    const problems: FieldProblem[] = [];
    const properties = fromPropertyValues(kind, props, { number: t('geo.form.notNumber'), duplicate: t('geo.form.duplicateProperty'), noName: t('geo.form.propertyNameMissing') });
    if ('problems' in properties) problems.push(...properties.problems);
    const changedGeometry = !feature || geometry.trim() !== base.geometry;
    let parsed: unknown;
    if (changedGeometry) {
      if (geometry.trim() === '') problems.push({ field: 'geometry', code: 'required', message: t('geo.form.geometryMissing') });
      else {
        const read = readGeometryText(geometry);
        if (read.ok) parsed = read.geometry;
        else problems.push({ field: 'geometry', code: 'geometry_json', message: read.reason === 'json' ? t('geo.form.geometryNotJson', { detail: read.detail }) : t('geo.form.geometryCollection', { count: read.detail }) });
      }
    }
    if (!feature && key.trim() === '') problems.push({ field: 'key', code: 'required', message: t('geo.form.keyMissing') });
    if (problems.length > 0 || 'problems' in properties) throw new ApiError(400, 'validation_failed', t('geo.form.checkFields'), problems);
    const saved = feature
      ? await geoApi.update(feature.layer, feature.key, { properties: properties.properties, ...(changedGeometry ? { geometry: parsed } : {}), version: feature.version, reason: reason.trim() })
      : await geoApi.create(layerCode, { key: key.trim(), properties: properties.properties, geometry: parsed, reason: reason.trim() });
    onSaved(saved);
  });

  /** A GeoJSON file: its geometry goes in the text; a Feature's id and properties fill an empty new form. */
  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    const read = readGeometryText(text);
    if (!read.ok) {
      const message = read.reason === 'json' ? t('geo.form.fileNotJson', { file: file.name, detail: read.detail }) : t('geo.form.geometryCollection', { count: read.detail });
      setError(new ApiError(400, 'validation_failed', message, [{ field: 'geometryFile', code: 'geometry_json', message }]));
      return;
    }
    setError(undefined);
    touched.current.add('geometry');
    setGeometry(geometryText(read.geometry));
    if (!feature && read.feature) {
      const id = read.feature.id ?? read.feature.properties?.code;
      if (!key.trim() && (typeof id === 'string' || typeof id === 'number')) setKey(String(id));
      const empty = Object.values(props.fixed).every((v) => v === '') && props.extra.length === 0;
      if (empty && read.feature.properties) setProps(toPropertyValues(kind, read.feature.properties));
    }
  }

  const errors = problemsByField(lookup, error);
  const geometryError = geometryProblems(error?.errors ?? []);
  const labels: Record<string, string> = {
    layer: t('geo.form.layer'),
    key: t('geo.form.key'),
    properties: t('geo.form.properties'),
    geometry: t('geo.form.geometry'),
    geometryFile: t('geo.form.geometryFile'),
    reason: t('geo.form.reason'),
    ...Object.fromEntries(specsOf(kind).map((s) => [`properties.${s.name}`, t(s.label)])),
    ...Object.fromEntries(props.extra.filter((r) => r.name.trim()).map((r) => [`properties.${r.name.trim()}`, r.name.trim()])),
    ...Object.fromEntries(props.extra.map((r, i) => [`extra.${r.id}`, t('geo.form.propertyName', { position: String(i + 1) })])),
  };
  const fileId = fieldId(formId, 'geometryFile');
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={error ? `${formId}-errors` : undefined} data-testid={formId}>
      <ProblemSummary error={error} formId={formId} labels={labels} staleHint={t('geo.stale')} target={toGeometry}>
        {error?.code === 'stale_version' && onReload && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setError(undefined);
              onReload();
            }}
          >
            {t('geo.reloadFeature')}
          </button>
        )}
      </ProblemSummary>
      {feature && <p className="muted">{base.current !== base.first ? t('geo.form.reloaded', { version: feature.version }) : t('geo.form.basedOn', { version: feature.version })}</p>}
      {!feature && (
        <div className="form-grid">
          <SelectField formId={formId} name="layer" label={labels.layer} required value={layerCode} onChange={setLayerCode} options={layers.map((l) => ({ value: l.code, label: layerName(lang, l) }))} error={errors.layer} />
          <TextField formId={formId} name="key" label={labels.key} hint={t(kind === 'boundaries' ? 'geo.form.keyHintBoundary' : kind === 'parcels' ? 'geo.form.keyHintParcel' : 'geo.form.keyHint')} required value={key} onChange={setKey} error={errors.key} autoComplete="off" spellCheck={false} />
        </div>
      )}
      <PropertyInputs
        formId={formId}
        kind={kind}
        values={props}
        errors={errors}
        onChange={(values, what) => {
          touched.current.add(what);
          setProps(values);
        }}
      />
      <TextAreaField
        formId={formId}
        name="geometry"
        className="mono-input form-wide"
        label={labels.geometry}
        hint={t('geo.form.geometryHint')}
        required
        value={geometry}
        onChange={(v) => {
          touched.current.add('geometry');
          setGeometry(v);
        }}
        error={geometryError}
      />
      <div className={`field${errors.geometryFile ? ' field-invalid' : ''}`}>
        <div className="label-row">
          <label htmlFor={fileId}>{labels.geometryFile}</label>
        </div>
        <p className="hint" id={`${fileId}-hint`}>
          {t('geo.form.geometryFileHint')}
        </p>
        {errors.geometryFile && (
          <p className="field-error" id={`${fileId}-error`}>
            {errors.geometryFile}
          </p>
        )}
        <input ref={fileRef} id={fileId} name="geometryFile" type="file" accept=".geojson,.json,application/geo+json,application/json" aria-describedby={[`${fileId}-hint`, errors.geometryFile ? `${fileId}-error` : ''].filter(Boolean).join(' ')} onChange={(e) => void readFile(e)} />
      </div>
      <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('geo.form.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={feature ? t('geo.form.save') : t('geo.form.create')} onCancel={onCancel} />
    </form>
  );
}
