// How the record pages say what went wrong: the registries' shared error display
// (../errors.tsx), with the records' own words for a stale version.
import type { ComponentProps } from 'react';
import { useI18n } from '../../../i18n/index.tsx';
import { ProblemLoadError, ProblemSummary } from '../errors.tsx';

export { useProblemText } from '../errors.tsx';

/** A failed load, with a way to try again. */
export const RecordLoadError = ProblemLoadError;

/** The error box above a record form; a stale version says to read the record again. */
export function RecordErrorSummary(props: Omit<ComponentProps<typeof ProblemSummary>, 'staleHint'>) {
  const { t } = useI18n();
  return <ProblemSummary {...props} staleHint={t('records.stale')} />;
}
