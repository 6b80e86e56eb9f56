import { useState, type FormEvent } from 'react';
import { api, ApiError, asApiError } from '../../api.ts';
import { ErrorSummary, fieldErrors, Notice, TextField } from '../../components/forms.tsx';
import { PageTitle } from '../../components/page.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { navigate } from '../../router.tsx';
import { useCurrentSession, useSession } from '../../session.tsx';

const FORM = 'password';

export function ChangePasswordPage() {
  const { t, lookup } = useI18n();
  const session = useCurrentSession();
  const { passwordChanged } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const labels = { currentPassword: t('password.current'), newPassword: t('password.new'), confirm: t('password.confirm') };
  const errors = fieldErrors(lookup, error);
  if (error?.code === 'weak_password' && !errors.newPassword) errors.newPassword = t('error.weak_password');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    if (next !== confirm) {
      setError(new ApiError(400, 'validation_failed', '', [{ field: 'confirm', code: 'mismatch', message: t('fieldError.mismatch') }]));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/api/session/password', { currentPassword: current, newPassword: next });
      const wasForced = session.mustChangePassword;
      passwordChanged();
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
      if (wasForced) navigate('/');
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('password.title')}</PageTitle>
      {session.mustChangePassword && <p className="callout">{t('password.mustChange')}</p>}
      <Notice>{done ? t('password.changed') : null}</Notice>
      <ErrorSummary error={error} formId={FORM} labels={labels} />
      <form className="form narrow" onSubmit={submit} noValidate>
        <TextField formId={FORM} name="currentPassword" type="password" label={labels.currentPassword} value={current} onChange={setCurrent} autoComplete="current-password" required error={errors.currentPassword} />
        <TextField formId={FORM} name="newPassword" type="password" label={labels.newPassword} hint={t('password.policy')} value={next} onChange={setNext} autoComplete="new-password" required error={errors.newPassword} />
        <TextField formId={FORM} name="confirm" type="password" label={labels.confirm} value={confirm} onChange={setConfirm} autoComplete="new-password" required error={errors.confirm} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('common.saving') : t('password.submit')}
        </button>
      </form>
    </>
  );
}
