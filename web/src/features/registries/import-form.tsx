// What the geospatial and macroeconomic import forms share (they answer at once): the
// sending of the chosen file, the refusal and the answer. The file input is forms.tsx's FileField.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, asApiError } from '../../api.ts';

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
