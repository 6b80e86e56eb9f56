import { useState } from 'react';
import { ErrorSummary, Notice, TextField } from '../../components/forms.tsx';
import { AppHeader, LanguageSwitch, SkipLink } from '../../components/header.tsx';
import { useSubmit } from '../../components/use-submit.ts';
import { usePageTitle } from '../../hooks.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';

const FORM = 'sign-in';

/** Only same-site paths are followed after sign-in, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  usePageTitle(t('signIn.title'));

  const reason = search.get('reason');
  const next = safeNext(search.get('next'));

  const { error, busy, submit } = useSubmit(async () => {
    try {
      const session = await signIn(username.trim(), password);
      navigate(session.mustChangePassword ? '/account/password' : next, { replace: true });
    } catch (e) {
      setPassword('');
      throw e;
    }
  });

  // Sign-in failures concern the pair, not one field, so both fields point at the summary.
  const errorId = error ? `${FORM}-error` : undefined;

  return (
    <div className="sign-in-page">
      <SkipLink />
      <AppHeader>
        <LanguageSwitch />
      </AppHeader>
      <main id="main" tabIndex={-1} className="sign-in-main">
        <div className="card sign-in-card">
          <h1>{t('signIn.title')}</h1>
          <p className="lead">{t('signIn.intro')}</p>
          <Notice>{reason === 'expired' ? t('signIn.expired') : reason === 'signed-out' ? t('signIn.signedOut') : null}</Notice>
          <ErrorSummary error={error} id={`${FORM}-error`} />
          <form onSubmit={submit} noValidate>
            <TextField formId={FORM} name="username" label={t('signIn.username')} value={username} onChange={setUsername} autoComplete="username" required spellCheck={false} describedById={errorId} invalid={error?.code === 'invalid_credentials'} />
            <TextField formId={FORM} name="password" type="password" label={t('signIn.password')} value={password} onChange={setPassword} autoComplete="current-password" required describedById={errorId} invalid={error?.code === 'invalid_credentials'} />
            <button type="submit" className="button button-block" disabled={busy}>
              {busy ? t('signIn.submitting') : t('signIn.submit')}
            </button>
          </form>
          <p>
            <Link to="/verify">{t('nav.verify')}</Link>
          </p>
        </div>
      </main>
    </div>
  );
}
