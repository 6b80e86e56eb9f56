// Labelled form controls. Every control has a <label>; its hint and error are tied to it with
// aria-describedby, and an error sets aria-invalid.
import { useEffect, useRef, type ChangeEvent, type ReactNode, type RefObject } from 'react';
import { ApiError, type FieldProblem } from '../api.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';

type Common = {
  formId: string;
  name: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  className?: string;
};

export function fieldId(formId: string, name: string): string {
  return `${formId}-${name}`;
}

function describedBy(id: string, hint?: string, error?: string, extra?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', extra ?? ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

type ControlChange = ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>;

/** What every input, textarea and select carries: id, name and value, and its ties to the hint and the error. */
function controlProps(
  id: string,
  { name, value, onChange, required, hint, error, describedById, invalid }: { name: string; value: string; onChange: (value: string) => void; required?: boolean; hint?: string; error?: string; describedById?: string; invalid?: boolean },
) {
  return {
    id,
    name,
    value,
    required,
    'aria-invalid': error || invalid ? true : undefined,
    'aria-describedby': describedBy(id, hint, error, describedById),
    onChange: (e: ControlChange) => onChange(e.target.value),
  };
}

function FieldShell({ id, label, hint, error, required, className, children }: { id: string; label: string; hint?: string; error?: string; required?: boolean; className?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        {/* The input tells assistive technology it is required; this marker is for the eye. */}
        {required && (
          <span className="required-mark" aria-hidden="true">
            {t('common.required')}
          </span>
        )}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
      {children}
    </div>
  );
}

/**
 * A field's hint and, when refused, its error, with the ids `{id}-hint` and `{id}-error` that
 * the control's aria-describedby names. Every form control and group shows them this way.
 */
export function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error?: ReactNode }) {
  return (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

/**
 * A required file input with its hint and, when the file was refused, the error. The file is
 * read through `inputRef` when the form is sent, not kept in state.
 */
export function FileField({ id, label, hint, error, accept, inputRef }: { id: string; label: string; hint: string; error?: string; accept: string; inputRef: RefObject<HTMLInputElement | null> }) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required>
      <input ref={inputRef} id={id} name="file" type="file" required accept={accept} aria-invalid={error ? true : undefined} aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')} />
    </FieldShell>
  );
}

type TextFieldProps = Common & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'number' | 'search' | 'datetime-local';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'search';
  maxLength?: number;
  min?: number;
  max?: number;
  spellCheck?: boolean;
  autoFocus?: boolean;
  /** The id of a <datalist> of suggestions; any other text can still be typed. */
  list?: string;
  /** Another element describing this field, such as a form-level error. */
  describedById?: string;
  invalid?: boolean;
};

export function TextField({ formId, name, label, error, hint, required, className, value, onChange, type = 'text', describedById, invalid, ...input }: TextFieldProps) {
  const id = fieldId(formId, name);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <input type={type} {...controlProps(id, { name, value, onChange, required, hint, error, describedById, invalid })} {...input} />
    </FieldShell>
  );
}

export function TextAreaField({ formId, name, label, error, hint, required, className, value, onChange }: Common & { value: string; onChange: (value: string) => void }) {
  const id = fieldId(formId, name);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <textarea rows={3} {...controlProps(id, { name, value, onChange, required, hint, error })} />
    </FieldShell>
  );
}

export type Option = { value: string; label: string };

export function SelectField({ formId, name, label, error, hint, required, className, value, onChange, options }: Common & { value: string; onChange: (value: string) => void; options: Option[] }) {
  const id = fieldId(formId, name);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} required={required} className={className}>
      <select {...controlProps(id, { name, value, onChange, required, hint, error })}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({ formId, name, label, checked, onChange, hint }: { formId: string; name: string; label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  const id = fieldId(formId, name);
  return (
    <div className="checkbox">
      <input id={id} name={name} type="checkbox" checked={checked} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes with a legend, e.g. roles. */
export function CheckboxGroup({ formId, name, legend, options, values, onChange, error }: { formId: string; name: string; legend: string; options: Option[]; values: string[]; onChange: (values: string[]) => void; error?: string }) {
  const id = fieldId(formId, name);
  return (
    <fieldset className={`field checkbox-group${error ? ' field-invalid' : ''}`} id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {options.map((option) => (
        <div className="checkbox" key={option.value}>
          <input
            id={`${id}-${option.value}`}
            type="checkbox"
            name={name}
            value={option.value}
            checked={values.includes(option.value)}
            onChange={(e) => onChange(e.target.checked ? [...values, option.value] : values.filter((v) => v !== option.value))}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** The message for an error: the catalog's text for its code, or the server's detail. */
export function errorMessage(lookup: (key: string, vars?: Record<string, string | number>) => string | undefined, error: ApiError): string {
  return lookup(`error.${error.code}`, { status: error.status }) ?? error.detail;
}

export function fieldProblemMessage(lookup: (key: string) => string | undefined, problem: FieldProblem): string {
  return lookup(`fieldError.${problem.code}`) ?? problem.message;
}

/** Field errors keyed by field name, in the current language. */
export function fieldErrors(lookup: (key: string) => string | undefined, error: ApiError | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of error?.errors ?? []) {
    const field = problem.field.replace(/^body\./, '');
    if (!(field in out)) out[field] = fieldProblemMessage(lookup, problem);
  }
  return out;
}

/**
 * The error box above a form: announced as an alert, it receives focus so keyboard users
 * land on it, and links each field error to its field.
 */
export function ErrorSummary({ error, formId, labels, id }: { error: ApiError | undefined; formId?: string; labels?: Record<string, string>; id?: string }) {
  const { t, lookup } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const problems = error.errors;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} id={id}>
      <h2 className="error-summary-title">{t('common.errorSummary')}</h2>
      <p>{errorMessage(lookup, error)}</p>
      {problems.length > 0 && (
        <>
          <p>{t('common.fieldErrorsIntro')}</p>
          <ul>
            {problems.map((problem, i) => {
              const field = problem.field.replace(/^body\./, '');
              const label = labels?.[field] ?? field;
              const text = `${label}: ${fieldProblemMessage(lookup, problem)}`;
              return <li key={i}>{formId && labels?.[field] ? <a href={`#${fieldId(formId, field)}`}>{text}</a> : text}</li>;
            })}
          </ul>
        </>
      )}
    </div>
  );
}

/** A success or progress message announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  // Always in the page, so that screen readers notice when text appears in it.
  return (
    <div className={children ? 'notice' : 'notice notice-empty'} role="status">
      {children}
    </div>
  );
}

export function translateLabels<K extends string>(t: Translate, labels: Record<K, Parameters<Translate>[0]>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(labels) as K[]) out[key] = t(labels[key]);
  return out;
}
