import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import { ErrorSummary, fieldErrors, Notice, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate } from '../../router.tsx';
import { useCurrentSession, useSession } from '../../session.tsx';

const FORM = 'password';

export function ChangePasswordPage() {
  const { t, lookup } = useI18n();
  const session = useCurrentSession();
  const { passwordChanged } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { error, setError, busy, submit } = useSubmit(async () => {
    await api.post('/api/session/password', { currentPassword: current, newPassword: next });
    const wasForced = session.mustChangePassword;
    passwordChanged();
    setCurrent('');
    setNext('');
    setConfirm('');
    setDone(true);
    if (wasForced) navigate('/workbench');
  });

  const labels = { currentPassword: t('password.current'), newPassword: t('password.new'), confirm: t('password.confirm') };
  const errors = fieldErrors(lookup, error);
  if (error?.code === 'weak_password' && !errors.newPassword) errors.newPassword = t('error.weak_password');

  // A mismatch is caught here, before anything is sent, and shown like a server's field error.
  function checkAndSubmit(event: FormEvent<HTMLFormElement>) {
    setDone(false);
    if (next !== confirm) {
      event.preventDefault();
      setError(new ApiError(400, 'validation_failed', '', [{ field: 'confirm', code: 'mismatch', message: t('fieldError.mismatch') }]));
      return;
    }
    void submit(event);
  }

  return (
    <>
      <PageTitle>{t('password.title')}</PageTitle>
      {session.mustChangePassword && <p className="callout">{t('password.mustChange')}</p>}
      <Notice>{done ? t('password.changed') : null}</Notice>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form className="form narrow" onSubmit={checkAndSubmit} noValidate>
        <TextField formId={FORM} name="currentPassword" type="password" label={labels.currentPassword} value={current} onChange={setCurrent} autoComplete="current-password" required error={errors.currentPassword} />
        <TextField formId={FORM} name="newPassword" type="password" label={labels.newPassword} hint={t('password.policy')} value={next} onChange={setNext} autoComplete="new-password" required error={errors.newPassword} />
        <TextField formId={FORM} name="confirm" type="password" label={labels.confirm} value={confirm} onChange={setConfirm} autoComplete="new-password" required error={errors.confirm} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('password.submit')}
        </button>
      </form>
      {!session.mustChangePassword && (
        <p>
          <Link to="/account/security">{t('security.link')}</Link>
        </p>
      )}
    </>
  );
}
