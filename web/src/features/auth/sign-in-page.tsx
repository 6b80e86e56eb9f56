// The workbench's sign-in page: staff sign in through the platform's unified sign-in (the
// OpenID Connect provider's own pages), as every business system does. This page says why
// someone is here (signed out, session ended, a sign-in that did not complete) and links to
// the server's start of the sign-in, which comes back to the page they wanted (?next=).
import { Notice } from '../../components/forms.tsx';
import { AppHeader, LanguageSwitch, SkipLink } from '../../components/header.tsx';
import { usePageTitle } from '../../hooks.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link, useLocation } from '../../router.tsx';

/** Only same-site paths are followed after sign-in, never another origin (the server checks again). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login') ? next : '/workbench';
}

const REASONS: Record<string, MessageKey> = {
  expired: 'signIn.expired',
  'signed-out': 'signIn.signedOut',
  failed: 'signIn.platform.failed',
  cancelled: 'signIn.platform.cancelled',
  'not-staff': 'signIn.platform.notStaff',
};

/** Where the sign-in starts: the server keeps state, nonce and PKCE, and sends the browser on to the provider. */
export function signInHref(next: string, lang: string): string {
  const params = new URLSearchParams({ lang });
  if (next !== '/workbench') params.set('next', next);
  return `/api/session/oidc/start?${params}`;
}

export function SignInPage() {
  const { t, lang } = useI18n();
  const { search } = useLocation();
  usePageTitle(t('signIn.title'));

  const reason = search.get('reason');
  const next = safeNext(search.get('next'));
  const message = reason ? REASONS[reason] : undefined;
  const problem = reason === 'failed' || reason === 'not-staff';

  return (
    <div className="sign-in-page">
      <SkipLink />
      <AppHeader>
        <LanguageSwitch />
      </AppHeader>
      <main id="main" tabIndex={-1} className="sign-in-main">
        <div className="card sign-in-card">
          <h1>{t('signIn.title')}</h1>
          {problem && message ? (
            <div className="error-summary" role="alert">
              <p>{t(message)}</p>
            </div>
          ) : (
            <Notice>{message ? t(message) : null}</Notice>
          )}
          <p className="lead">{t('signIn.platform.intro')}</p>
          {/* A full page load, not client-side navigation: the server answers with a redirect. */}
          <a className="button button-block" href={signInHref(next, lang)}>
            {t('signIn.platform.button')}
          </a>
          <p>
            <Link to="/verify">{t('nav.verify')}</Link>
          </p>
        </div>
      </main>
    </div>
  );
}
