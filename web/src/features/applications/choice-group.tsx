// A required choice among a few outcomes as radio buttons in a fieldset: the legend names it,
// its hint and error are tied to the group with aria-describedby, arrow keys move between them.
import { FieldNotes, fieldId } from '../../components/forms.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function ChoiceGroup<V extends string>({ formId, name, legend, hint, error, value, options, onChange }: { formId: string; name: string; legend: string; hint?: string; error?: string; value: V | ''; options: { value: V; label: string }[]; onChange: (value: V) => void }) {
  const { t } = useI18n();
  const id = fieldId(formId, name);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`field choice-group${error ? ' field-invalid' : ''}`} id={id} aria-describedby={describedBy} tabIndex={-1}>
      <legend>
        {legend}{' '}
        <span className="required-mark" aria-hidden="true">
          {t('common.required')}
        </span>
      </legend>
      <FieldNotes id={id} hint={hint} error={error} />
      {options.map((o) => (
        <div className="checkbox" key={o.value}>
          <input id={`${id}-${o.value}`} type="radio" name={`${formId}-${name}`} value={o.value} checked={value === o.value} required aria-invalid={error ? true : undefined} onChange={() => onChange(o.value)} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
