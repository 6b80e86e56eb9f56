// The properties part of a feature form: the layer kind's own properties as labelled inputs
// (code lists as selects), then every other property as a row of name, type and value that
// can be added and removed. Each input carries the server's problem for its field.
import { SelectField, TextField, fieldId } from '../../../components/forms.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { newExtra, specsOf, type ExtraProperty, type PropertyValues, type ValueType } from './properties.ts';

type Props = {
  formId: string;
  kind: string;
  values: PropertyValues;
  onChange: (values: PropertyValues, touched: string) => void;
  errors: Record<string, string>;
};

const VALUE_TYPES: ValueType[] = ['text', 'number', 'boolean', 'null'];

export function PropertyInputs({ formId, kind, values, onChange, errors }: Props) {
  const { t, lang } = useI18n();
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const setFixed = (name: string, value: string) => onChange({ ...values, fixed: { ...values.fixed, [name]: value } }, `properties.${name}`);
  const setExtra = (id: number, change: Partial<ExtraProperty>) => onChange({ ...values, extra: values.extra.map((row) => (row.id === id ? { ...row, ...change } : row)) }, 'extra');
  const shapeError = errors.properties;
  return (
    <fieldset className={`field form-wide${shapeError ? ' field-invalid' : ''}`} id={fieldId(formId, 'properties')} aria-describedby={shapeError ? `${fieldId(formId, 'properties')}-error` : undefined}>
      <legend>{t('geo.form.properties')}</legend>
      {shapeError && (
        <p className="field-error" id={`${fieldId(formId, 'properties')}-error`}>
          {shapeError}
        </p>
      )}
      <div className="form-grid">
        {specsOf(kind).map((spec) => {
          const name = `properties.${spec.name}`;
          const label = t(spec.label);
          const value = values.fixed[spec.name] ?? '';
          if (spec.derived) {
            return (
              <div className="field" key={spec.name}>
                <p className="label-row">
                  <strong>{label}</strong>
                </p>
                <p>{value ? t('geo.unit.m2', { value: number.format(Number(value)) }) : '—'}</p>
                <p className="hint">{t('geo.form.derivedHint')}</p>
              </div>
            );
          }
          const common = { formId, name, label, value, required: spec.required, error: errors[name], onChange: (v: string) => setFixed(spec.name, v) };
          if (spec.codes) {
            const known = spec.codes.some((c) => c.value === value);
            const options = [
              { value: '', label: t('geo.form.choose') },
              ...spec.codes.map((c) => ({ value: c.value, label: `${t(c.label)} (${c.value})` })),
              ...(value && !known ? [{ value, label: value }] : []),
            ];
            return <SelectField key={spec.name} {...common} options={options} />;
          }
          return <TextField key={spec.name} {...common} autoComplete="off" />;
        })}
      </div>
      <h3 className="small">{t('geo.form.otherProperties')}</h3>
      {values.extra.length === 0 && <p className="muted">{t('geo.form.noOtherProperties')}</p>}
      {values.extra.map((row, i) => {
        const position = String(i + 1);
        const shown = row.name.trim() || position;
        const valueName = `properties.${row.name.trim()}`;
        return (
          <div className="form-grid subform" key={row.id} role="group" aria-label={t('geo.form.property', { name: shown })} data-testid="geo-extra-property">
            <TextField formId={formId} name={`extra.${row.id}`} label={t('geo.form.propertyName', { position })} value={row.name} onChange={(v) => setExtra(row.id, { name: v })} error={errors[`extra.${row.id}`]} autoComplete="off" spellCheck={false} />
            <SelectField
              formId={formId}
              name={`extra.${row.id}.type`}
              label={t('geo.form.propertyType', { name: shown })}
              value={row.type}
              onChange={(v) => setExtra(row.id, { type: v as ValueType, value: v === 'boolean' ? 'true' : v === 'null' ? '' : row.value })}
              options={VALUE_TYPES.map((type) => ({ value: type, label: t(`geo.form.type.${type}`) }))}
            />
            {row.type === 'boolean' ? (
              <SelectField
                formId={formId}
                name={valueName}
                label={t('geo.form.propertyValue', { name: shown })}
                value={row.value === 'false' ? 'false' : 'true'}
                onChange={(v) => setExtra(row.id, { value: v })}
                options={[
                  { value: 'true', label: t('geo.form.yes') },
                  { value: 'false', label: t('geo.form.no') },
                ]}
                error={errors[valueName]}
              />
            ) : row.type === 'null' ? (
              <p className="field muted">{t('geo.form.nullValue')}</p>
            ) : (
              <TextField formId={formId} name={valueName} label={t('geo.form.propertyValue', { name: shown })} value={row.value} onChange={(v) => setExtra(row.id, { value: v })} error={errors[valueName]} inputMode={row.type === 'number' ? 'numeric' : undefined} autoComplete="off" />
            )}
            <div className="field">
              <button type="button" className="button button-secondary button-small" onClick={() => onChange({ ...values, extra: values.extra.filter((r) => r.id !== row.id) }, 'extra')}>
                {t('geo.form.removeProperty', { name: shown })}
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" className="button button-secondary button-small" onClick={() => onChange({ ...values, extra: [...values.extra, newExtra()] }, 'extra')}>
        {t('geo.form.addProperty')}
      </button>
    </fieldset>
  );
}
