// What can be done to an entry from its page: its department submits a draft for review (with
// a note to the reviewer), and the data bureau approves a submitted entry, which publishes it
// as a new version, or sends it back with the reason. A stale version is said with what to do.
import { useState } from 'react';
import { asApiError, type ApiError } from '../../api.ts';
import { TextAreaField } from '../../components/forms.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { problemsByField } from '../registries/problems.ts';
import { catalogApi, type EntryView } from './api.ts';

function useAction() {
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<void>) {
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
  return { error, busy, run };
}

export function SubmitPanel({ entry, onDone }: { entry: EntryView; onDone: (entry: EntryView) => void }) {
  const { t, lookup } = useI18n();
  const [comment, setComment] = useState('');
  const { error, busy, run } = useAction();
  const formId = 'catalog-submit';
  return (
    <section className="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t('catalog.submit.title')}</h2>
      <p className="hint">{t(entry.status === 'rejected' ? 'catalog.submit.helpRejected' : 'catalog.submit.help')}</p>
      <ProblemSummary error={error} formId={formId} labels={{ comment: t('catalog.submit.comment') }} staleHint={t('catalog.stale')} />
      <form className="form" noValidate onSubmit={(e) => { e.preventDefault(); void run(async () => onDone(await catalogApi.submit(entry.id, entry.version, comment.trim()))); }}>
        <TextAreaField formId={formId} name="comment" label={t('catalog.submit.comment')} hint={t('catalog.submit.commentHint')} value={comment} onChange={setComment} error={problemsByField(lookup, error).comment} />
        <div className="button-row">
          <button type="submit" className="button" disabled={busy}>
            {t('catalog.submit.button')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ReviewPanel({ entry, onDone }: { entry: EntryView; onDone: (entry: EntryView, decision: 'approve' | 'reject') => void }) {
  const { t, lookup } = useI18n();
  const [comment, setComment] = useState('');
  const { error, busy, run } = useAction();
  const formId = 'catalog-review';
  const decide = (decision: 'approve' | 'reject') => run(async () => onDone(await catalogApi.decide(entry.id, decision, entry.version, comment.trim()), decision));
  return (
    <section className="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t('catalog.review.title')}</h2>
      <p className="hint">{t('catalog.review.help')}</p>
      <ProblemSummary error={error} formId={formId} labels={{ comment: t('catalog.review.comment') }} staleHint={t('catalog.stale')} />
      <form className="form" noValidate onSubmit={(e) => e.preventDefault()}>
        <TextAreaField formId={formId} name="comment" label={t('catalog.review.comment')} hint={t('catalog.review.commentHint')} value={comment} onChange={setComment} error={problemsByField(lookup, error).comment} />
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => void decide('approve')}>
            {t('catalog.review.approve')}
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void decide('reject')}>
            {t('catalog.review.reject')}
          </button>
        </div>
      </form>
    </section>
  );
}
