import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { ApiError, Status } from '../api.ts';
import type { Resource } from '../hooks.ts';
import { errorMessage } from './forms.tsx';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A failed load: what went wrong and a way to try again. */
export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, lookup } = useI18n();
  return (
    <div className="error-summary" role="alert">
      <p>{errorMessage(lookup, error)}</p>
      {onRetry && (
        <button type="button" className="button button-secondary button-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/**
 * A resource as it loads: its error with a way to try again, "loading" until the first data
 * arrives, then the data (kept on screen while a new request is on its way).
 */
export function Loaded<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  return (
    <>
      {resource.error && <LoadError error={resource.error} onRetry={resource.reload} />}
      {resource.loading && !resource.data && <Loading />}
      {resource.data && children(resource.data)}
    </>
  );
}
