import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../api.ts';

/**
 * A form's submit handler around an API call: stops the browser's own submit, marks the form
 * busy, clears the last error and keeps the new one if the call fails.
 */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return { error, setError, busy, submit };
}
