// The inputs of a record form, generated from the registry's field definitions: code lists as
// selects, dates as date inputs, division codes with a lookup of their names, lists as text
// separated by commas or semicolons, long text as a text area. Each input has its label, its
// hint and its error tied to it (see components/forms.tsx).
import { SelectField, TextAreaField, TextField, fieldId } from '../../../components/forms.tsx';
import { useI18n } from '../../../i18n/index.tsx';
import { DivisionLookup } from '../../organizations/division-lookup.tsx';
import type { FieldInfo } from './api.ts';
import { fieldLabel, isDivisionField, type FormValues } from './fields.ts';

type Props = {
  formId: string;
  fields: FieldInfo[];
  values: FormValues;
  onChange: (name: string, value: string) => void;
  errors: Record<string, string>;
  /** Shown as text, not editable: the key of a record being changed. */
  readOnly?: string[];
};

// TextField lists the common input types; a date input is a plain input too.
const DATE = 'date' as 'text';

export function RecordFields({ formId, fields, values, onChange, errors, readOnly = [] }: Props) {
  const { t, lang } = useI18n();
  return (
    <div className="form-grid">
      {fields.map((field) => {
        const label = fieldLabel(field, lang);
        const common = { formId, name: field.name, label, required: field.required, error: errors[field.name], value: values[field.name] ?? '', onChange: (v: string) => onChange(field.name, v) };
        if (readOnly.includes(field.name)) {
          return (
            <div className="field" key={field.name}>
              <p className="label-row" id={fieldId(formId, field.name)}>
                <strong>{label}</strong>
              </p>
              <p className="mono">{values[field.name]}</p>
              <p className="hint">{t('records.form.keyFixed')}</p>
            </div>
          );
        }
        if (field.codes) {
          const options = [{ value: '', label: t('records.form.choose') }, ...field.codes.map((c) => ({ value: c.code, label: /^[0-9A-Z]+$/.test(c.code) ? `${lang === 'en' ? c.en : c.zh} (${c.code})` : lang === 'en' ? c.en : c.zh }))];
          return <SelectField key={field.name} {...common} options={options} />;
        }
        switch (field.type) {
          case 'date':
            return <TextField key={field.name} {...common} type={DATE} />;
          case 'boolean':
            return (
              <SelectField
                key={field.name}
                {...common}
                options={[
                  { value: '', label: t('records.form.choose') },
                  { value: 'true', label: t('records.yes') },
                  { value: 'false', label: t('records.no') },
                ]}
              />
            );
          case 'text':
            return <TextAreaField key={field.name} {...common} className="form-wide" />;
          case 'string-list':
            return <TextField key={field.name} {...common} hint={t('records.form.listHint')} />;
          case 'integer':
          case 'decimal':
            return <TextField key={field.name} {...common} inputMode="numeric" autoComplete="off" />;
          default:
            if (isDivisionField(field)) {
              const lookupId = `${fieldId(formId, field.name)}-lookup`;
              return (
                <div key={field.name}>
                  <TextField {...common} hint={t('records.form.divisionHint')} inputMode="numeric" maxLength={6} autoComplete="off" spellCheck={false} describedById={lookupId} />
                  <DivisionLookup query={values[field.name] ?? ''} onPick={(code) => onChange(field.name, code)} id={lookupId} />
                </div>
              );
            }
            return <TextField key={field.name} {...common} autoComplete="off" spellCheck={false} />;
        }
      })}
    </div>
  );
}
