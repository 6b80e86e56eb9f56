// How the registry pages say what went wrong. The registry's refusals (another organization's
// registry, something changed since it was read, nothing found) come from the server in the
// request's language and say more than a generic sentence would, so they are shown as sent;
// network and schema errors use the catalog's words. Shared by the records, geospatial and
// macroeconomic pages.
import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../../api.ts';
import { errorMessage, fieldId } from '../../components/forms.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { problemField, problemMessage } from './problems.ts';

const SERVER_WORDED = new Set([403, 404, 409]);

export function useProblemText(): (error: ApiError) => string {
  const { lookup } = useI18n();
  return (error) => (SERVER_WORDED.has(error.status) && error.detail ? error.detail : errorMessage(lookup, error));
}

/** A failed load, with a way to try again. */
export function ProblemLoadError({ error, onRetry, testId }: { error: ApiError; onRetry?: () => void; testId?: string }) {
  const { t } = useI18n();
  const text = useProblemText();
  return (
    <div className="error-summary" role="alert" data-testid={testId}>
      <p>{text(error)}</p>
      {onRetry && error.status !== 403 && (
        <button type="button" className="button button-secondary button-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

type SummaryProps = {
  error: ApiError | undefined;
  formId: string;
  /** Field names to their labels: a problem of a labelled field links to its input. */
  labels: Record<string, string>;
  /** What to do after a stale-version refusal (409 stale_version), said below the server's words. */
  staleHint?: string;
  /** Problems of these fields are listed elsewhere (an import's report table), not here. */
  omit?: (field: string) => boolean;
  /** The input a problem's field belongs to, when it is part of one ("geometry.coordinates[0]" of "geometry"). */
  target?: (field: string) => string;
  children?: ReactNode;
};

/**
 * The error box above a form: announced, focused so keyboard users land on it, each field
 * problem linked to its input. A stale version adds what to do and keeps the input.
 */
export function ProblemSummary({ error, formId, labels, staleHint, omit, target = (field) => field, children }: SummaryProps) {
  const { t, lookup } = useI18n();
  const text = useProblemText();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const listed = error.errors.filter((problem) => !omit?.(problemField(problem)));
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} id={`${formId}-errors`}>
      <h2 className="error-summary-title">{t('common.errorSummary')}</h2>
      <p>{text(error)}</p>
      {error.code === 'stale_version' && staleHint && <p>{staleHint}</p>}
      {listed.length > 0 && (
        <>
          <p>{t('common.fieldErrorsIntro')}</p>
          <ul>
            {listed.map((problem, i) => {
              const field = problemField(problem);
              const input = target(field);
              const label = labels[input];
              const where = input !== field && label ? ` (${field.slice(input.length).replace(/^\./, '')})` : '';
              const message = `${label ? `${label}${where}` : field}: ${problemMessage(lookup, problem)}`;
              return <li key={i}>{label ? <a href={`#${fieldId(formId, input)}`}>{message}</a> : message}</li>;
            })}
          </ul>
        </>
      )}
      {children}
    </div>
  );
}
