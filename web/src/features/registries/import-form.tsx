// What the registries' import forms share: the required file input with its hint and error,
// and (for the geospatial and macroeconomic imports, which answer at once) the sending of the
// chosen file, the refusal and the answer.
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, asApiError } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';

/** A required file input, labelled, with its hint and, when the file was refused, the error. */
export function FileField({ id, label, hint, error, accept, inputRef }: { id: string; label: string; hint: string; error?: string; accept: string; inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useI18n();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        <span className="required-mark" aria-hidden="true">
          {t('common.required')}
        </span>
      </div>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input ref={inputRef} id={id} name="file" type="file" required accept={accept} aria-invalid={error ? true : undefined} aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')} />
    </div>
  );
}

/**
 * An import form that sends the chosen file and gets its answer at once. `submit` refuses a
 * form without a file (the error `noFile`, on the file field), else sends it with `send`; an
 * answer that was not a check means something was written, and `onImported` is told.
 */
export function useFileImport<R extends { dryRun: boolean }>(noFile: string, onImported: () => void) {
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [result, setResult] = useState<R | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>, send: (file: File) => Promise<R>) {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError(new ApiError(400, 'validation_failed', noFile, [{ field: 'file', code: 'required', message: noFile }]));
      return;
    }
    setBusy(true);
    try {
      const answer = await send(file);
      setResult(answer);
      if (!answer.dryRun) onImported();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return { fileRef, busy, error, result, submit };
}
