import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from './api.ts';
import { useI18n } from './i18n/index.tsx';

export type Resource<T> = {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
};

/**
 * Loads data when `key` changes; stale responses from an earlier key are dropped. While the
 * data for a new key is on its way the old data stays visible, but `loading` is already true.
 */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [state, setState] = useState<{ key: string | undefined; data: T | undefined; error: ApiError | undefined }>({ key: undefined, data: undefined, error: undefined });
  const [inFlight, setInFlight] = useState(true);
  const [counter, setCounter] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setInFlight(true);
    loadRef
      .current()
      .then((value) => current && setState({ key, data: value, error: undefined }))
      .catch((e: unknown) => current && setState((s) => ({ key, data: s.data, error: asApiError(e) })))
      .finally(() => current && setInFlight(false));
    return () => {
      current = false;
    };
  }, [key, counter]);

  const reload = useCallback(() => setCounter((c) => c + 1), []);
  return { data: state.data, error: state.error, loading: inFlight || state.key !== key, reload };
}

/** Sets the document title to "<page> - <product>" in the current language. */
export function usePageTitle(title: string): void {
  const { t } = useI18n();
  const product = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} - ${product}` : product;
  }, [title, product]);
}

export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
