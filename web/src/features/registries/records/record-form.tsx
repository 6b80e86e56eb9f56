// Creating or changing a record: the generated inputs, the reason (kept with the version, so
// it is required), the server's problems beside each input. When the record changed since it
// was read (409 stale_version) the input stays; the user reloads the record and saves again.
import { useEffect, useRef, useState } from 'react';
import { FormButtons } from '../../../components/form-buttons.tsx';
import { TextAreaField } from '../../../components/forms.tsx';
import { useSubmit } from '../../../components/use-submit.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { registriesApi, type RecordView, type RegistryDetail } from './api.ts';
import { RecordErrorSummary } from './errors.tsx';
import { fromFormValues, labelsOf, problemsByField, toFormValues, type FormValues } from './fields.ts';
import { RecordFields } from './record-fields.tsx';

type Props = {
  definition: RegistryDetail;
  /** The record being changed (its version is the one the change is based on); none to create one. */
  record?: RecordView;
  onSaved: (record: RecordView) => void;
  onCancel?: () => void;
  cancelTo?: string;
  /** Reads the record again after a stale-version refusal; the form keeps what was typed. */
  onReload?: () => void;
};

export function RecordForm({ definition, record, onSaved, onCancel, cancelTo, onReload }: Props) {
  const { t, lang, lookup } = useI18n();
  const formId = record ? 'record-edit' : 'record-new';
  const [values, setValues] = useState<FormValues>(() => toFormValues(definition, record?.data));
  // After the record is read again (someone changed it meanwhile), what the user typed stays
  // and every other field takes the new version's value, so saving does not undo their change.
  const touched = useRef(new Set<string>());
  const [base, setBase] = useState({ first: record?.version, current: record?.version });
  useEffect(() => {
    if (!record || record.version === base.current) return;
    setBase((b) => ({ ...b, current: record.version }));
    const fresh = toFormValues(definition, record.data);
    setValues((typed) => Object.fromEntries(Object.entries(fresh).map(([name, value]) => [name, touched.current.has(name) ? typed[name] : value])));
  }, [record, definition, base]);
  const [reason, setReason] = useState('');
  const { error, setError, busy, submit } = useSubmit(async () => {
    const data = fromFormValues(definition.fields, values);
    const saved = record ? await registriesApi.replace(definition.name, record.key, record.version, { ...data, [definition.keyField]: record.key }, reason.trim()) : await registriesApi.create(definition.name, data, reason.trim());
    onSaved(saved);
  });
  const labels = { ...labelsOf(definition, lang), reason: t('records.form.reason') };
  const errors = problemsByField(lookup, error);
  return (
    <form className="form" onSubmit={submit} noValidate aria-describedby={error ? `${formId}-errors` : undefined}>
      <RecordErrorSummary error={error} formId={formId} labels={labels}>
        {error?.code === 'stale_version' && onReload && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setError(undefined);
              onReload();
            }}
          >
            {t('records.reloadRecord')}
          </button>
        )}
      </RecordErrorSummary>
      {record && <p className="muted">{base.current !== base.first ? t('records.form.reloaded', { version: record.version }) : t('records.form.basedOn', { version: record.version })}</p>}
      <RecordFields formId={formId} fields={definition.fields} values={values} onChange={(name, value) => {
          touched.current.add(name);
          setValues((v) => ({ ...v, [name]: value }));
        }} errors={errors} readOnly={record ? [definition.keyField] : []} />
      <TextAreaField formId={formId} name="reason" label={labels.reason} hint={t('records.form.reasonHint')} required value={reason} onChange={setReason} error={errors.reason} />
      <FormButtons busy={busy} submitLabel={record ? t('records.form.save') : t('records.form.create')} onCancel={onCancel} cancelTo={cancelTo} />
    </form>
  );
}
