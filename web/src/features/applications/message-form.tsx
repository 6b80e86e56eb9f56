// Writing to the applicant from the dossier: a question, an appointment for a site visit. The
// message goes into the application's history (the applicant reads it on the portal) and to
// their inbox and the channels they chose.
import { useState } from 'react';
import { TextAreaField } from '../../components/forms.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ProblemSummary } from '../registries/errors.tsx';
import { applicationsApi, type DossierView } from './api.ts';
import { errorsByInput, withInputs } from './problems.ts';

export function MessageForm({ view, onDone }: { view: DossierView; onDone: (view: DossierView, message: string) => void }) {
  const { t, lookup } = useI18n();
  const form = 'message';
  const [text, setText] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    onDone(await applicationsApi.message(view.id, text), t('dossier.message.done'));
    setText('');
  });
  const errors = errorsByInput(lookup, error);
  const labels = { text: t('dossier.message.text') };
  if (view.status === 'draft') return null;
  return (
    <section className="panel" aria-labelledby="dossier-message-title">
      <form className="form" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="dossier-message-title">
        <h2 id="dossier-message-title">{t('dossier.message.title')}</h2>
        <p className="hint">{t('dossier.message.hint')}</p>
        <ProblemSummary error={withInputs(error)} formId={form} labels={labels} />
        <TextAreaField formId={form} name="text" label={labels.text} required value={text} onChange={setText} error={errors.text} />
        <div className="button-row">
          <button type="submit" className="button button-secondary" disabled={busy}>
            {busy ? t('common.saving') : t('dossier.message.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
